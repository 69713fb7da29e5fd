//! The settings of the two components whose values decide what reaches
//! Prometheus: the `spanmetrics` connector and the `prometheus` exporter,
//! read once with the collector's defaults applied.
//!
//! Lint (which metric names and labels exist) and the simulator (which
//! series it produces) both read them here, so the two cannot disagree
//! about what a config means. Rules that point at a key read the span tree
//! themselves; these are plain values.

use std::time::Duration;

use crate::duration::parse_go_duration;
use crate::naming::{HistogramUnit, SpanMetricsNaming};
use crate::yaml::Node;

use super::flow::split_host_port;

/// spanmetrics' `namespace` when the key is absent (since contrib v0.109).
pub const SPANMETRICS_DEFAULT_NAMESPACE: &str = "traces.span.metrics";
/// spanmetrics' `metrics_flush_interval` default.
pub const SPANMETRICS_DEFAULT_FLUSH: Duration = Duration::from_secs(60);
/// The prometheus exporter's `metric_expiration` default.
pub const PROMETHEUS_DEFAULT_EXPIRATION: Duration = Duration::from_secs(300);

/// One `dimensions` entry of a spanmetrics connector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dimension {
    /// The span or resource attribute key.
    pub name: String,
    /// The value used when a span lacks the attribute; without one, such a
    /// span gets no label for this dimension.
    pub default: Option<String>,
}

/// A spanmetrics connector's configuration, defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanMetricsSettings {
    /// `namespace`; an explicit empty or null value means no prefix.
    pub namespace: String,
    /// `histogram.unit`: `s` (any case) means seconds, anything else ms
    /// (startup validation rejects other units before this matters).
    pub unit: HistogramUnit,
    /// `histogram.explicit.buckets`, in the order written; entries that are
    /// not Go durations are left out. `None` when not configured.
    pub explicit_buckets: Option<Vec<Duration>>,
    /// `histogram.exponential` is configured.
    pub exponential: bool,
    /// `histogram.disable: true`.
    pub histogram_disabled: bool,
    /// `events.enabled: true`.
    pub events_enabled: bool,
    /// `dimensions`, in order.
    pub dimensions: Vec<Dimension>,
    /// `exclude_dimensions`, as attribute keys.
    pub exclude_dimensions: Vec<String>,
    /// `metrics_flush_interval`; a zero or unparsable value falls back to
    /// the default.
    pub flush_interval: Duration,
}

impl SpanMetricsSettings {
    /// Reads a connector's config node (any shape: missing or mistyped
    /// keys give defaults).
    pub fn read(config: &Node) -> SpanMetricsSettings {
        let scalar = |path: &[&str]| config.path(path).and_then(Node::as_scalar);
        let dimensions = |key: &str| -> Vec<Dimension> {
            config
                .get(key)
                .and_then(Node::as_sequence)
                .unwrap_or_default()
                .iter()
                .filter_map(|d| {
                    Some(Dimension {
                        name: d.get_str("name").or_else(|| d.as_scalar())?.to_string(),
                        default: d.get_str("default").map(str::to_string),
                    })
                })
                .collect()
        };
        SpanMetricsSettings {
            namespace: match config.get("namespace") {
                Some(ns) => ns.as_scalar().unwrap_or_default().to_string(),
                None => SPANMETRICS_DEFAULT_NAMESPACE.to_string(),
            },
            unit: if scalar(&["histogram", "unit"]).is_some_and(|u| u.eq_ignore_ascii_case("s")) {
                HistogramUnit::Seconds
            } else {
                HistogramUnit::Milliseconds
            },
            explicit_buckets: config
                .path(&["histogram", "explicit", "buckets"])
                .and_then(Node::as_sequence)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|b| parse_go_duration(b.as_scalar()?).ok())
                        .collect()
                }),
            exponential: config.path(&["histogram", "exponential"]).is_some(),
            histogram_disabled: scalar(&["histogram", "disable"]) == Some("true"),
            events_enabled: scalar(&["events", "enabled"]) == Some("true"),
            dimensions: dimensions("dimensions"),
            exclude_dimensions: dimensions("exclude_dimensions")
                .into_iter()
                .map(|d| d.name)
                .collect(),
            flush_interval: duration(config.get("metrics_flush_interval"))
                .filter(|d| !d.is_zero())
                .unwrap_or(SPANMETRICS_DEFAULT_FLUSH),
        }
    }

    /// The part of the settings that decides metric and label names.
    pub fn naming(&self) -> SpanMetricsNaming {
        SpanMetricsNaming {
            namespace: self.namespace.clone(),
            unit: self.unit,
            histogram_disabled: self.histogram_disabled,
            events_enabled: self.events_enabled,
            dimensions: self.dimensions.iter().map(|d| d.name.clone()).collect(),
            exclude_dimensions: self.exclude_dimensions.clone(),
        }
    }
}

/// A prometheus exporter's configuration, defaults applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrometheusExporterSettings {
    /// Host of `endpoint` ("" for all interfaces or no endpoint).
    pub host: String,
    /// Port of `endpoint`, when it has a valid one.
    pub port: Option<u32>,
    /// `namespace`, prefixed to every metric name.
    pub namespace: String,
    /// `const_labels`, in the order written.
    pub const_labels: Vec<(String, String)>,
    /// `metric_expiration`.
    pub metric_expiration: Duration,
    /// Whether type and unit suffixes (`_total`, `_milliseconds`) are added:
    /// `translation_strategy` decides when set, else `add_metric_suffixes`.
    pub add_metric_suffixes: bool,
    /// `resource_to_telemetry_conversion.enabled: true`.
    pub resource_to_telemetry: bool,
}

impl PrometheusExporterSettings {
    /// Reads an exporter's config node (any shape).
    pub fn read(config: &Node) -> PrometheusExporterSettings {
        let (host, port) = config
            .get_str("endpoint")
            .map_or((String::new(), None), split_host_port);
        let strategy = config.get_str("translation_strategy").unwrap_or_default();
        PrometheusExporterSettings {
            host,
            port,
            namespace: config.get_str("namespace").unwrap_or_default().to_string(),
            const_labels: config
                .get("const_labels")
                .and_then(Node::as_mapping)
                .unwrap_or_default()
                .iter()
                .filter_map(|e| {
                    Some((
                        e.key.as_scalar()?.to_string(),
                        e.value.as_scalar().unwrap_or_default().to_string(),
                    ))
                })
                .collect(),
            metric_expiration: duration(config.get("metric_expiration"))
                .unwrap_or(PROMETHEUS_DEFAULT_EXPIRATION),
            add_metric_suffixes: if strategy.is_empty() {
                config.get_str("add_metric_suffixes") != Some("false")
            } else {
                strategy.ends_with("WithSuffixes")
            },
            resource_to_telemetry: config
                .path(&["resource_to_telemetry_conversion", "enabled"])
                .and_then(Node::as_scalar)
                == Some("true"),
        }
    }
}

fn duration(node: Option<&Node>) -> Option<Duration> {
    parse_go_duration(node?.as_scalar()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{load_documents, Limits};

    fn node(text: &str) -> Node {
        let (mut documents, error) = load_documents(text, FileId(0), None, Limits::default());
        assert!(error.is_none(), "{error:?}");
        documents.remove(0)
    }

    #[test]
    fn spanmetrics_defaults() {
        let s = SpanMetricsSettings::read(&node("{}"));
        assert_eq!(s.namespace, "traces.span.metrics");
        assert_eq!(s.unit, HistogramUnit::Milliseconds);
        assert_eq!(s.explicit_buckets, None);
        assert_eq!(s.flush_interval, Duration::from_secs(60));
        assert!(s.dimensions.is_empty() && !s.histogram_disabled && !s.events_enabled);
    }

    #[test]
    fn spanmetrics_as_written() {
        let s = SpanMetricsSettings::read(&node(
            "namespace: \"\"\nhistogram:\n  unit: S\n  explicit:\n    buckets: [100ms, nope, 1s]\n\
             dimensions:\n  - name: hotrod.pod.hash\n  - name: http.method\n    default: GET\n\
             exclude_dimensions: [status.code]\nmetrics_flush_interval: 0s\nevents:\n  enabled: true\n",
        ));
        assert_eq!(s.namespace, "");
        assert_eq!(s.unit, HistogramUnit::Seconds);
        assert_eq!(
            s.explicit_buckets,
            Some(vec![Duration::from_millis(100), Duration::from_secs(1)])
        );
        assert_eq!(
            s.dimensions,
            [
                Dimension {
                    name: "hotrod.pod.hash".into(),
                    default: None
                },
                Dimension {
                    name: "http.method".into(),
                    default: Some("GET".into())
                }
            ]
        );
        assert_eq!(s.exclude_dimensions, ["status.code"]);
        assert_eq!(s.flush_interval, Duration::from_secs(60), "0s falls back");
        assert!(s.events_enabled);
        assert_eq!(s.naming().dimensions, ["hotrod.pod.hash", "http.method"]);
    }

    #[test]
    fn prometheus_suffixes_follow_the_translation_strategy_first() {
        let read = |t: &str| PrometheusExporterSettings::read(&node(t));
        assert!(read("endpoint: 0.0.0.0:8889").add_metric_suffixes);
        assert!(!read("add_metric_suffixes: false").add_metric_suffixes);
        assert!(
            read(
                "add_metric_suffixes: false\ntranslation_strategy: UnderscoreEscapingWithSuffixes"
            )
            .add_metric_suffixes
        );
        assert!(!read("translation_strategy: NoUTF8EscapingWithoutSuffixes").add_metric_suffixes);
        let e = read("endpoint: 0.0.0.0:8889\nnamespace: hotrod\nmetric_expiration: 1m\nconst_labels: {a: b}");
        assert_eq!((e.host.as_str(), e.port), ("0.0.0.0", Some(8889)));
        assert_eq!(e.namespace, "hotrod");
        assert_eq!(e.metric_expiration, Duration::from_secs(60));
        assert_eq!(e.const_labels, [("a".to_string(), "b".to_string())]);
    }
}
