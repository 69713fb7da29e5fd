//! OTEL113

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a receiver or exporter placed in a pipeline of a signal it
    /// does not support, such as the `prometheus` exporter in a `traces`
    /// pipeline.
    ///
    /// ## Why is this bad?
    /// The collector refuses to build the pipeline:
    /// `failed to create "prometheus" exporter for data type "traces": telemetry type is not supported`.
    ///
    /// ## Example
    /// ```yaml
    /// traces:
    ///   receivers: [otlp]
    ///   exporters: [prometheus]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// traces:
    ///   receivers: [otlp]
    ///   exporters: [spanmetrics]
    /// metrics:
    ///   receivers: [spanmetrics]
    ///   exporters: [prometheus]
    /// ```
    pub RULE {
        code: "OTEL113",
        name: "unsupported-pipeline-signal",
        group: CollectorStartup,
        severity: Error,
        summary: "a component sits in a pipeline of a signal it does not support",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::UnsupportedSignal,
        |f| {
            let mut parts = f.message.split('"');
            let id = parts.nth(1).unwrap_or_default();
            let signal = parts.nth(1).unwrap_or_default();
            format!("`{id}` does not support `{signal}`")
        },
        "move the component to a pipeline of a signal it supports",
    );
}
