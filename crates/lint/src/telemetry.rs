//! Which Prometheus series the workspace produces, and with which labels:
//! span metrics from every collector that starts and routes `spanmetrics`
//! to a `prometheus` exporter, HotROD's own `/metrics` from every scraped
//! HotROD pod, and Prometheus's per-scrape series.

use std::collections::{BTreeMap, BTreeSet};

use crate::collector::flow::{connector_is_fed, exporters_reached_from};
use crate::collector::settings::{PrometheusExporterSettings, SpanMetricsSettings};
use crate::collector::Finding;
use crate::model::{
    CollectorConfig, CollectorSource, ComponentKind, ObjectMeta, PodTemplate, Signal, Workspace,
};
use crate::naming::{
    histogram_series, prometheus_label_name, prometheus_metric_name_without_suffixes,
    spanmetrics_metrics,
};
use crate::source::Span;

/// A series name and the labels it carries; `labels: None` = any label.
#[derive(Clone, Debug, PartialEq)]
pub struct ProducedSeries {
    pub labels: Option<BTreeSet<String>>,
    /// Who produces it, for messages (`HotROD pods of Rollout \`hotrod\``).
    pub producer: String,
    pub span: Span,
}

/// Series Prometheus writes for every target.
pub const PROMETHEUS_SELF_SERIES: [&str; 5] = [
    "up",
    "scrape_duration_seconds",
    "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling",
    "scrape_series_added",
];

#[derive(Clone, Debug, Default)]
pub struct Telemetry {
    pub series: BTreeMap<String, Vec<ProducedSeries>>,
    /// Span-metric series names that WOULD exist if the metrics path worked,
    /// with the reason each does not (for "never produced" messages).
    pub blocked_span_metrics: BTreeMap<String, String>,
}

impl Telemetry {
    pub fn of(ws: &Workspace, startup: &[Vec<Finding>]) -> Self {
        let mut t = Telemetry::default();
        for (config, findings) in ws.collectors.iter().zip(startup) {
            t.add_collector(ws, config, findings);
        }
        for (meta, pod) in ws.pod_templates() {
            if pod.scraped()
                && pod.containers.iter().any(|c| {
                    c.image
                        .as_ref()
                        .is_some_and(|i| i.value.contains("example-hotrod"))
                })
            {
                t.add_hotrod(meta, pod);
            }
        }
        t.blocked_span_metrics
            .retain(|name, _| !t.series.contains_key(name));
        t
    }

    pub fn produces(&self, name: &str) -> bool {
        self.series.contains_key(name) || PROMETHEUS_SELF_SERIES.contains(&name)
    }

    fn add(&mut self, name: String, labels: Option<BTreeSet<String>>, producer: &str, span: Span) {
        self.series.entry(name).or_default().push(ProducedSeries {
            labels,
            producer: producer.to_string(),
            span,
        });
    }

    fn add_hotrod(&mut self, meta: &ObjectMeta, pod: &PodTemplate) {
        let producer = format!(
            "HotROD's `/metrics` on pods of {} `{}`",
            meta.kind.value, meta.name.value
        );
        let scrape = scrape_labels(meta, pod);
        let with = |extra: &[&str]| -> Option<BTreeSet<String>> {
            Some(
                scrape
                    .iter()
                    .cloned()
                    .chain(extra.iter().map(|s| s.to_string()))
                    .collect(),
            )
        };
        self.add(
            "hotrod_requests_total".into(),
            with(&["endpoint", "error"]),
            &producer,
            meta.name.span,
        );
        self.add(
            "hotrod_http_requests_total".into(),
            with(&["endpoint", "status_code"]),
            &producer,
            meta.name.span,
        );
        for (i, name) in histogram_series("hotrod_request_latency")
            .into_iter()
            .enumerate()
        {
            let labels = if i == 0 {
                with(&["endpoint", "error", "le"])
            } else {
                with(&["endpoint", "error"])
            };
            self.add(name, labels, &producer, meta.name.span);
        }
    }

    fn add_collector(&mut self, ws: &Workspace, config: &CollectorConfig, findings: &[Finding]) {
        let starts = findings.is_empty();
        let error = crate::collector::startup::compose(findings)
            .map(|e| crate::collector::startup::one_line(&e));
        for connector in config.components_of(ComponentKind::Connector) {
            if connector.type_name != "spanmetrics" {
                continue;
            }
            let naming = SpanMetricsSettings::read(&connector.config).naming();
            let prometheus: Vec<_> =
                exporters_reached_from(config, &connector.id.value, Signal::Metrics)
                    .into_iter()
                    .filter(|e| e.type_name == "prometheus")
                    .collect();
            let metrics_pipeline = config.pipelines().iter().any(|p| {
                p.signal == Some(Signal::Metrics)
                    && p.receiver_ids().any(|r| r.value == connector.id.value)
            });
            let reasons: Vec<String> = [
                (!starts).then(|| {
                    format!(
                        "the collector `{}` does not start (`{}`)",
                        config.display_name(),
                        error.clone().unwrap_or_default()
                    )
                }),
                (!connector_is_fed(config, &connector.id.value)).then(|| {
                    format!(
                        "no traces pipeline with a receiver exports to `{}`",
                        connector.id.value
                    )
                }),
                (!metrics_pipeline)
                    .then(|| format!("no metrics pipeline receives from `{}`", connector.id.value)),
                prometheus
                    .is_empty()
                    .then(|| "no `prometheus` exporter receives the span metrics".to_string()),
            ]
            .into_iter()
            .flatten()
            .collect();
            let blocker = (!reasons.is_empty()).then(|| reasons.join("; "));
            let namespaces: Vec<(String, bool)> = if prometheus.is_empty() {
                vec![(String::new(), true)]
            } else {
                prometheus
                    .iter()
                    .map(|e| {
                        let settings = PrometheusExporterSettings::read(&e.config);
                        (settings.namespace, settings.add_metric_suffixes)
                    })
                    .collect()
            };
            let scrape = collector_scrape_labels(ws, config);
            let producer = format!(
                "the `{}` connector of `{}`",
                connector.id.value,
                config.display_name()
            );
            for (namespace, suffixes) in namespaces {
                for metric in spanmetrics_metrics(&naming, &namespace) {
                    let series = if suffixes {
                        metric.series.clone()
                    } else {
                        let base =
                            prometheus_metric_name_without_suffixes(&metric.otel_name, &namespace);
                        if metric.kind == crate::naming::MetricKind::Histogram {
                            histogram_series(&base).to_vec()
                        } else {
                            vec![base]
                        }
                    };
                    for name in series {
                        match &blocker {
                            Some(reason) => {
                                self.blocked_span_metrics
                                    .entry(name)
                                    .or_insert_with(|| reason.clone());
                            }
                            None => {
                                let mut labels: BTreeSet<String> =
                                    metric.labels.iter().cloned().collect();
                                if !name.ends_with("_bucket") {
                                    labels.remove("le");
                                }
                                labels.extend(scrape.iter().cloned());
                                labels.extend(
                                    ["otel_scope_name", "otel_scope_version"].map(String::from),
                                );
                                self.add(name, Some(labels), &producer, connector.id.span);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Labels the chart's `kubernetes-pods` job adds: `namespace`, `pod`,
/// `node`, `job`, `instance`, and every pod label (sanitized).
fn scrape_labels(meta: &ObjectMeta, pod: &PodTemplate) -> Vec<String> {
    let mut labels: Vec<String> = ["namespace", "pod", "node", "job", "instance"]
        .map(String::from)
        .to_vec();
    labels.extend(pod.labels.keys().map(|k| prometheus_label_name(k)));
    if meta.kind.value == "Rollout" {
        labels.push("rollouts_pod_template_hash".to_string());
    }
    labels
}

/// Scrape labels of the collector pods that mount this config's ConfigMap
/// (just `job`/`instance` when no such pod is known).
fn collector_scrape_labels(ws: &Workspace, config: &CollectorConfig) -> Vec<String> {
    let CollectorSource::ConfigMap {
        name, namespace, ..
    } = &config.source
    else {
        return vec!["job".into(), "instance".into()];
    };
    ws.workloads
        .iter()
        .filter(|w| {
            w.meta.namespace == *namespace
                && w.config_map_volumes.iter().any(|v| v.value == name.value)
        })
        .flat_map(|w| scrape_labels(&w.meta, &w.template))
        .chain(["job".to_string(), "instance".to_string()])
        .collect()
}
