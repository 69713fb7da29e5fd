//! OTEL104

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a collector config whose `exporters` section is missing or
    /// empty.
    ///
    /// ## Why is this bad?
    /// The collector refuses to start with
    /// `invalid configuration: no exporter configuration specified in config`.
    ///
    /// ## Example
    /// ```yaml
    /// receivers:
    ///   otlp: {protocols: {http: {}}}
    /// exporters: {}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// receivers:
    ///   otlp: {protocols: {http: {}}}
    /// exporters:
    ///   debug: {}
    /// ```
    pub RULE {
        code: "OTEL104",
        name: "no-exporters",
        group: CollectorStartup,
        severity: Error,
        summary: "the collector config has no exporters",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::NoExporters,
        |_| "`exporters` is empty".to_string(),
        "add an exporter, e.g. `debug: {}` or `otlp` pointing at Jaeger",
    );
}
