//! OTEL302

use crate::collector::flow::exporters_reached_from;
use crate::context::{Context, Report};
use crate::model::{ComponentKind, Signal};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a collector that computes metrics (it has a `spanmetrics`
    /// connector) but whose metrics reach no `prometheus` exporter.
    ///
    /// ## Why is this bad?
    /// Prometheus scrapes the collector's `prometheus` exporter. Without one
    /// in a `metrics` pipeline, `traces_span_metrics_*` never appear in
    /// Prometheus, whatever the connector computes.
    ///
    /// ## Example
    /// ```yaml
    /// exporters:
    ///   debug: {}
    /// service:
    ///   pipelines:
    ///     metrics:
    ///       receivers: [spanmetrics]
    ///       exporters: [debug]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// exporters:
    ///   debug: {}
    ///   prometheus:
    ///     endpoint: 0.0.0.0:8889
    /// service:
    ///   pipelines:
    ///     metrics:
    ///       receivers: [spanmetrics]
    ///       exporters: [debug, prometheus]
    /// ```
    pub RULE {
        code: "OTEL302",
        name: "no-prometheus-exporter",
        group: MetricsPath,
        severity: Error,
        summary: "span metrics reach no prometheus exporter",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for config in &ctx.ws.collectors {
        let connectors: Vec<_> = config
            .components_of(ComponentKind::Connector)
            .iter()
            .filter(|c| c.type_name == "spanmetrics")
            .collect();
        if connectors.is_empty() || config.root.is_none() {
            continue;
        }
        let reaches = connectors.iter().any(|c| {
            exporters_reached_from(config, &c.id.value, Signal::Metrics)
                .iter()
                .any(|e| e.type_name == "prometheus")
        });
        if reaches {
            continue;
        }
        let has_exporter = config
            .components_of(ComponentKind::Exporter)
            .iter()
            .any(|e| e.type_name == "prometheus");
        let span = config
            .service
            .as_ref()
            .map(|s| s.pipelines.as_ref().map_or(s.key_span, |p| p.key_span))
            .unwrap_or(config.span);
        let message = if has_exporter {
            "no `metrics` pipeline exports to the `prometheus` exporter, so Prometheus never sees span metrics"
        } else {
            "no `prometheus` exporter is configured, so Prometheus never sees span metrics"
        };
        reports.push(Report::new(span, message).help(
            "add `prometheus: {endpoint: \"0.0.0.0:8889\"}` under `exporters` (the port the collector pod is scraped on) and list it in the `metrics` pipeline's exporters",
        ));
    }
    reports.into_iter().for_each(|r| ctx.emit(r));
}
