//! OpenTelemetry → Prometheus naming, as the collector-contrib `prometheus`
//! exporter does it (semantics.md §3.2–3.3), and the metrics the
//! `spanmetrics` connector emits for a given config (§2).
//!
//! Shared with the simulator, so the lint engine and the simulation agree
//! on which series exist.

use serde::Serialize;

/// The OTel data point kind, which decides the Prometheus suffixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum MetricKind {
    MonotonicSum,
    NonMonotonicSum,
    Gauge,
    Histogram,
}

/// Prometheus metric name for an OTel metric with suffixes on (the
/// exporter's default, `UnderscoreEscapingWithSuffixes`). `namespace` is the
/// exporter's `namespace` setting ("" for none). Histograms get the base name;
/// see [`histogram_series`] for `_bucket`/`_sum`/`_count`.
pub fn prometheus_metric_name(
    otel_name: &str,
    unit: &str,
    kind: MetricKind,
    namespace: &str,
) -> String {
    build_name(otel_name, unit, kind, namespace, true)
}

/// Same as [`prometheus_metric_name`] with `add_metric_suffixes: false`
/// (no unit word, no `_total`, no `_ratio`).
pub fn prometheus_metric_name_without_suffixes(otel_name: &str, namespace: &str) -> String {
    build_name(otel_name, "", MetricKind::Gauge, namespace, false)
}

fn build_name(
    otel_name: &str,
    unit: &str,
    kind: MetricKind,
    namespace: &str,
    suffixes: bool,
) -> String {
    let mut tokens: Vec<String> = split_tokens(otel_name);
    if suffixes {
        let (main, per) = match unit.split_once('/') {
            Some((m, p)) => (m, Some(p)),
            None => (unit, None),
        };
        if let Some(word) = main_unit_word(main) {
            if !word.is_empty() && !tokens.contains(&word) {
                tokens.push(word);
            }
        }
        if let Some(per) = per.and_then(per_unit_word) {
            if !per.is_empty() && !tokens.contains(&per) {
                tokens.push("per".to_string());
                tokens.push(per);
            }
        }
        if kind == MetricKind::MonotonicSum {
            tokens.retain(|t| t != "total");
            tokens.push("total".to_string());
        }
        if kind == MetricKind::Gauge && unit == "1" {
            tokens.retain(|t| t != "ratio");
            tokens.push("ratio".to_string());
        }
    }
    let namespace = split_tokens(namespace).join("_");
    if !namespace.is_empty() {
        tokens.insert(0, namespace);
    }
    let name = tokens.join("_");
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// The series a Prometheus histogram exposes for its base name.
pub fn histogram_series(base: &str) -> [String; 3] {
    [
        format!("{base}_bucket"),
        format!("{base}_sum"),
        format!("{base}_count"),
    ]
}

fn split_tokens(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The word for a main unit; `None` when the unit contributes nothing.
fn main_unit_word(unit: &str) -> Option<String> {
    if unit.is_empty() || unit.contains('{') {
        return None;
    }
    let word = match unit {
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "TiBy" => "tibibytes",
        "KBy" => "kilobytes",
        "MBy" => "megabytes",
        "GBy" => "gigabytes",
        "TBy" => "terabytes",
        "m" => "meters",
        "V" => "volts",
        "A" => "amperes",
        "J" => "joules",
        "W" => "watts",
        "g" => "grams",
        "Cel" => "celsius",
        "Hz" => "hertz",
        "%" => "percent",
        "1" => "",
        other => return Some(clean_unit(other)),
    };
    Some(word.to_string())
}

fn per_unit_word(unit: &str) -> Option<String> {
    if unit.is_empty() || unit.contains('{') {
        return None;
    }
    let word = match unit {
        "s" => "second",
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        other => return Some(clean_unit(other)),
    };
    Some(word.to_string())
}

fn clean_unit(unit: &str) -> String {
    split_tokens(unit).join("_")
}

/// Prometheus label name for an OTel attribute key (`hotrod.pod.hash` →
/// `hotrod_pod_hash`). A leading digit gets `key_`, a single leading `_` gets `key`.
pub fn prometheus_label_name(attribute: &str) -> String {
    if attribute.is_empty() {
        return String::new();
    }
    let sanitized: String = attribute
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if sanitized.starts_with(|c: char| c.is_ascii_digit()) {
        format!("key_{sanitized}")
    } else if sanitized.starts_with('_') && !sanitized.starts_with("__") {
        format!("key{sanitized}")
    } else {
        sanitized
    }
}

/// The spanmetrics histogram unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum HistogramUnit {
    Milliseconds,
    Seconds,
}

impl HistogramUnit {
    /// The UCUM unit on the OTel metric.
    pub fn ucum(self) -> &'static str {
        match self {
            HistogramUnit::Milliseconds => "ms",
            HistogramUnit::Seconds => "s",
        }
    }
}

/// The settings of a `spanmetrics` connector that decide names and labels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SpanMetricsNaming {
    /// `namespace`; default `traces.span.metrics` (since contrib v0.109).
    pub namespace: String,
    pub unit: HistogramUnit,
    pub histogram_disabled: bool,
    pub events_enabled: bool,
    /// `dimensions[].name`, as OTel attribute keys.
    pub dimensions: Vec<String>,
    /// `exclude_dimensions`, as OTel attribute keys.
    pub exclude_dimensions: Vec<String>,
}

impl Default for SpanMetricsNaming {
    fn default() -> Self {
        Self {
            namespace: "traces.span.metrics".to_string(),
            unit: HistogramUnit::Milliseconds,
            histogram_disabled: false,
            events_enabled: false,
            dimensions: Vec::new(),
            exclude_dimensions: Vec::new(),
        }
    }
}

/// One OTel metric as it appears after the Prometheus exporter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EmittedMetric {
    /// e.g. `traces.span.metrics.duration`
    pub otel_name: String,
    pub unit: String,
    pub kind: MetricKind,
    /// e.g. `traces_span_metrics_duration_milliseconds`
    pub prometheus_name: String,
    /// The series names a query can select: the name itself, or for a
    /// histogram `_bucket`, `_sum` and `_count`.
    pub series: Vec<String>,
    /// Prometheus label names set by the producer (`le` only on `_bucket`).
    pub labels: Vec<String>,
}

/// The four attributes spanmetrics always keys on, unless excluded.
pub const SPANMETRICS_DEFAULT_DIMENSIONS: [&str; 4] =
    ["service.name", "span.name", "span.kind", "status.code"];

/// What a `spanmetrics` connector emits once its output reaches a Prometheus
/// exporter whose `namespace` is `exporter_namespace` (suffixes on).
pub fn spanmetrics_metrics(
    config: &SpanMetricsNaming,
    exporter_namespace: &str,
) -> Vec<EmittedMetric> {
    let labels: Vec<String> = SPANMETRICS_DEFAULT_DIMENSIONS
        .iter()
        .map(|d| d.to_string())
        .filter(|d| !config.exclude_dimensions.contains(d))
        .chain(config.dimensions.iter().cloned())
        .map(|d| prometheus_label_name(&d))
        .collect();
    let full = |name: &str| {
        if config.namespace.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", config.namespace)
        }
    };
    let mut out = Vec::new();
    let mut push = |otel_name: String, unit: &str, kind: MetricKind| {
        let prometheus_name = prometheus_metric_name(&otel_name, unit, kind, exporter_namespace);
        let series = match kind {
            MetricKind::Histogram => histogram_series(&prometheus_name).to_vec(),
            _ => vec![prometheus_name.clone()],
        };
        let mut metric_labels = labels.clone();
        if kind == MetricKind::Histogram {
            metric_labels.push("le".to_string());
        }
        out.push(EmittedMetric {
            otel_name,
            unit: unit.to_string(),
            kind,
            prometheus_name,
            series,
            labels: metric_labels,
        });
    };
    push(full("calls"), "", MetricKind::MonotonicSum);
    if !config.histogram_disabled {
        push(full("duration"), config.unit.ucum(), MetricKind::Histogram);
    }
    if config.events_enabled {
        push(full("events"), "", MetricKind::MonotonicSum);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanmetrics_defaults_match_the_challenge_screenshot() {
        let metrics = spanmetrics_metrics(&SpanMetricsNaming::default(), "");
        let names: Vec<_> = metrics.iter().flat_map(|m| m.series.clone()).collect();
        assert_eq!(
            names,
            [
                "traces_span_metrics_calls_total",
                "traces_span_metrics_duration_milliseconds_bucket",
                "traces_span_metrics_duration_milliseconds_sum",
                "traces_span_metrics_duration_milliseconds_count",
            ]
        );
    }

    #[test]
    fn legacy_namespace_and_seconds() {
        let config = SpanMetricsNaming {
            namespace: String::new(),
            unit: HistogramUnit::Seconds,
            ..SpanMetricsNaming::default()
        };
        let metrics = spanmetrics_metrics(&config, "otel");
        assert_eq!(metrics[0].prometheus_name, "otel_calls_total");
        assert_eq!(metrics[1].prometheus_name, "otel_duration_seconds");
    }

    #[test]
    fn name_rules() {
        use MetricKind::*;
        assert_eq!(
            prometheus_metric_name("http.requests.total", "", MonotonicSum, ""),
            "http_requests_total"
        );
        assert_eq!(
            prometheus_metric_name("cpu.utilization", "1", Gauge, ""),
            "cpu_utilization_ratio"
        );
        assert_eq!(
            prometheus_metric_name("net.io", "By/s", NonMonotonicSum, ""),
            "net_io_bytes_per_second"
        );
        assert_eq!(
            prometheus_metric_name("queue", "{items}", Gauge, "my-ns"),
            "my_ns_queue"
        );
        assert_eq!(prometheus_metric_name("2xx", "", Gauge, ""), "_2xx");
        assert_eq!(
            prometheus_metric_name("latency.seconds", "s", Histogram, ""),
            "latency_seconds"
        );
    }

    #[test]
    fn label_rules() {
        assert_eq!(prometheus_label_name("hotrod.pod.hash"), "hotrod_pod_hash");
        assert_eq!(prometheus_label_name("1abc"), "key_1abc");
        assert_eq!(prometheus_label_name("_x"), "key_x");
        assert_eq!(prometheus_label_name("__x"), "__x");
    }

    #[test]
    fn excluded_dimensions_drop_labels() {
        let config = SpanMetricsNaming {
            exclude_dimensions: vec!["status.code".into()],
            dimensions: vec!["hotrod.pod.hash".into()],
            ..SpanMetricsNaming::default()
        };
        let labels = &spanmetrics_metrics(&config, "")[0].labels;
        assert_eq!(
            labels,
            &["service_name", "span_name", "span_kind", "hotrod_pod_hash"]
        );
    }
}
