//! OTEL108

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a component whose type (the part of its ID before `/`) is not
    /// a component of collector-contrib 0.142, such as a typo or the removed
    /// `logging` exporter.
    ///
    /// ## Why is this bad?
    /// The collector refuses to start with `unknown type: "<type>" for id: "<id>"`.
    ///
    /// ## Example
    /// ```yaml
    /// exporters:
    ///   prometeus:
    ///     endpoint: 0.0.0.0:8889
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// exporters:
    ///   prometheus:
    ///     endpoint: 0.0.0.0:8889
    /// ```
    pub RULE {
        code: "OTEL108",
        name: "unknown-component-type",
        group: CollectorStartup,
        severity: Error,
        summary: "a component has a type the collector does not know",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::UnknownType,
        |f| {
            let ty = f.message.split('"').nth(1).unwrap_or("logging");
            format!("`{ty}` is not a known component type")
        },
        "use a type from the collector-contrib distribution; `name` after a `/` may be anything (`otlp/jaeger`)",
    );
}
