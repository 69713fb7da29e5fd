//! OTEL105

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a pipeline (or `service.extensions`) that names a component
    /// which is not configured in its section.
    ///
    /// ## Why is this bad?
    /// The collector refuses to start with, for example,
    /// `invalid configuration: service::pipelines::traces: references receiver "otlp" which is not configured`.
    ///
    /// ## Example
    /// ```yaml
    /// receivers:
    ///   otlp/app: {protocols: {http: {}}}
    /// service:
    ///   pipelines:
    ///     traces:
    ///       receivers: [otlp]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     traces:
    ///       receivers: [otlp/app]
    /// ```
    pub RULE {
        code: "OTEL105",
        name: "undefined-component",
        group: CollectorStartup,
        severity: Error,
        summary: "a pipeline references a component that is not configured",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::UndefinedComponent,
        |f| {
            let name = f.message.split('"').nth(1).unwrap_or_default();
            format!("`{name}` is used but not configured")
        },
        "configure the component in its section, or fix the ID to match one that is",
    );
}
