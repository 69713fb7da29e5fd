//! OTEL102

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a collector config that defines no receivers, processors,
    /// exporters, connectors or extensions at all.
    ///
    /// ## Why is this bad?
    /// The collector refuses to start with `empty configuration file`.
    ///
    /// ## Example
    /// ```yaml
    /// collector-config.yaml: |
    ///   service:
    ///     pipelines: {}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// collector-config.yaml: |
    ///   receivers:
    ///     otlp:
    ///       protocols:
    ///         http:
    ///           endpoint: 0.0.0.0:4318
    ///   exporters:
    ///     debug: {}
    ///   service:
    ///     pipelines:
    ///       traces:
    ///         receivers: [otlp]
    ///         exporters: [debug]
    /// ```
    pub RULE {
        code: "OTEL102",
        name: "empty-collector-config",
        group: CollectorStartup,
        severity: Error,
        summary: "the collector config defines no components",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::Empty,
        |_| "the collector config defines no components".to_string(),
        "define at least one receiver and one exporter, and a pipeline that connects them",
    );
}
