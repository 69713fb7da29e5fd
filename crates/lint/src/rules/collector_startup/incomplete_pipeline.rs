//! OTEL106

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a pipeline with no receiver or no exporter, a processor listed
    /// twice, or a `service` with no pipelines at all.
    ///
    /// ## Why is this bad?
    /// The collector refuses to start, e.g. with
    /// `invalid configuration: service::pipelines::metrics: must have at least one exporter`.
    ///
    /// ## Example
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     metrics:
    ///       receivers: [spanmetrics]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     metrics:
    ///       receivers: [spanmetrics]
    ///       exporters: [prometheus]
    /// ```
    pub RULE {
        code: "OTEL106",
        name: "incomplete-pipeline",
        group: CollectorStartup,
        severity: Error,
        summary: "a pipeline lacks a receiver or an exporter",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::PipelineShape,
        |f| {
            f.message
                .rsplit(": ")
                .next()
                .unwrap_or_default()
                .to_string()
        },
        "every pipeline needs at least one receiver and one exporter",
    );
}
