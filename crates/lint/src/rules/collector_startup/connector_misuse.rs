//! OTEL107

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a connector used on one side only (as an exporter of one
    /// pipeline but as the receiver of none, or the reverse), or between
    /// signals it does not support: `spanmetrics` turns traces into metrics,
    /// so it must export from a `traces` pipeline and receive into a
    /// `metrics` pipeline.
    ///
    /// ## Why is this bad?
    /// The collector refuses to start with
    /// `failed to build pipelines: connector "spanmetrics" used as exporter in [traces] pipeline but not used in any supported receiver pipeline`.
    ///
    /// ## Example
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     traces:
    ///       receivers: [otlp]
    ///       exporters: [spanmetrics]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     traces:
    ///       receivers: [otlp]
    ///       exporters: [spanmetrics]
    ///     metrics:
    ///       receivers: [spanmetrics]
    ///       exporters: [prometheus]
    /// ```
    pub RULE {
        code: "OTEL107",
        name: "connector-misuse",
        group: CollectorStartup,
        severity: Error,
        summary: "a connector is used on one side only, or between unsupported signals",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::Connector,
        |f| {
            let id = f.message.split('"').nth(1).unwrap_or_default();
            if f.message.contains("used as exporter") {
                format!("connector `{id}` receives data but no pipeline it supports takes its output")
            } else {
                format!("connector `{id}` feeds a pipeline but no pipeline it supports sends it data")
            }
        },
        "a connector is an exporter in one pipeline and a receiver in another; `spanmetrics` goes from `traces` to `metrics`",
    );
}
