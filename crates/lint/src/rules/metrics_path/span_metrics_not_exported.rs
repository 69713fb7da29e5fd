//! OTEL301

use crate::context::{Context, Report};
use crate::model::{ComponentKind, Signal};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `spanmetrics` connector whose output no `metrics` pipeline
    /// receives.
    ///
    /// ## Why is this bad?
    /// The connector turns spans into `calls` and `duration` metrics only for
    /// the pipelines that list it as a receiver. With none, the metrics are
    /// never exported, and any analysis query on them returns an empty
    /// vector.
    ///
    /// ## Example
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     traces:
    ///       receivers: [otlp]
    ///       exporters: [otlp, spanmetrics]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     traces:
    ///       receivers: [otlp]
    ///       exporters: [otlp, spanmetrics]
    ///     metrics:
    ///       receivers: [spanmetrics]
    ///       exporters: [prometheus]
    /// ```
    pub RULE {
        code: "OTEL301",
        name: "span-metrics-not-exported",
        group: MetricsPath,
        severity: Error,
        summary: "no metrics pipeline receives the spanmetrics output",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for config in &ctx.ws.collectors {
        for connector in config.components_of(ComponentKind::Connector) {
            if connector.type_name != "spanmetrics" {
                continue;
            }
            let received = config.pipelines().iter().any(|p| {
                p.signal == Some(Signal::Metrics)
                    && p.receiver_ids().any(|r| r.value == connector.id.value)
            });
            if !received {
                let id = &connector.id.value;
                reports.push(
                    Report::new(connector.id.span, format!("no `metrics` pipeline receives from `{id}`, so span metrics are computed for nobody"))
                        .help(format!("add a pipeline `metrics: {{receivers: [{id}], exporters: [prometheus]}}` under `service.pipelines`")),
                );
            }
        }
    }
    reports.into_iter().for_each(|r| ctx.emit(r));
}
