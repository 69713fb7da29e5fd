//! PROM401

use canary_lab_promql::selectors;

use crate::context::{Context, Report};
use crate::query::empty_result_consequence;
use crate::registry::declare_rule;
use crate::telemetry::PROMETHEUS_SELF_SERIES;

declare_rule! {
    /// ## What it does
    /// Checks each metric name in an AnalysisTemplate's PromQL query against
    /// the producers the manifests configure: span metrics from a collector
    /// that starts and routes `spanmetrics` to a `prometheus` exporter (names
    /// follow the connector's `namespace`, histogram unit and the exporter's
    /// suffix rules), HotROD's own `/metrics` (`hotrod_requests_total`, …)
    /// on pods annotated for scraping, and Prometheus's `up`/`scrape_*`.
    ///
    /// ## Why is this bad?
    /// A series nobody produces makes the query return an empty vector. With
    /// `successCondition: result[0] < 1000` the measurement then errors with
    /// `reflect: slice index out of range`, which reads like a query bug but
    /// is missing data. After `consecutiveErrorLimit` errors the rollout
    /// aborts.
    ///
    /// ## Example
    /// ```yaml
    /// # the collector has no metrics pipeline and no prometheus exporter
    /// query: |
    ///   histogram_quantile(0.95, sum by (le) (rate(traces_span_metrics_duration_milliseconds_bucket[2m])))
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # collector: metrics pipeline spanmetrics → prometheus, and the same query
    /// ```
    pub RULE {
        code: "PROM401",
        name: "metric-never-produced",
        group: QueryProducer,
        severity: Error,
        summary: "a query selects a metric that no configured producer emits",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for q in &ctx.queries {
        let Ok(expr) = &q.parsed else { continue };
        for selector in selectors(expr) {
            let Some(name) = &selector.metric else {
                continue;
            };
            if ctx.telemetry.produces(name) || PROMETHEUS_SELF_SERIES.contains(&name.as_str()) {
                continue;
            }
            let range = selector.name_span.clone().unwrap_or(selector.span.clone());
            let why = match ctx.telemetry.blocked_span_metrics.get(name) {
                Some(reason) => format!("because {reason}"),
                None => "by any producer in these manifests".to_string(),
            };
            let help = if ctx.telemetry.blocked_span_metrics.contains_key(name) {
                "span metrics need a collector that starts, a `metrics` pipeline receiving from `spanmetrics`, and a `prometheus` exporter in it".to_string()
            } else {
                let known: Vec<&str> = ctx.telemetry.series.keys().map(String::as_str).collect();
                format!(
                    "series produced here: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )
            };
            reports.push(
                Report::new(
                    q.query.span_of(range),
                    format!(
                        "`{name}` is never produced {why}: {}",
                        empty_result_consequence(q.metric)
                    ),
                )
                .help(help),
            );
        }
    }
    reports.into_iter().for_each(|r| ctx.emit(r));
}
