//! The collector-contrib `prometheus` exporter (semantics.md §3): holds the
//! latest value of every series it was given, names them the OTel →
//! Prometheus way, and forgets series not updated for `metric_expiration`.

use std::cell::RefCell;
use std::collections::BTreeMap;

use canary_lab_lint::naming::{
    prometheus_label_name, prometheus_metric_name, prometheus_metric_name_without_suffixes,
    MetricKind,
};
use canary_lab_promql::Labels;

use crate::clock::Millis;
use crate::collector::spanmetrics::{SpanMetrics, SpanSeries};
use crate::scenario::{PrometheusExporterSpec, SpanMetricsSpec};

/// Which sample of a span series.
const PART_CALLS: u64 = 0;
const PART_SUM: u64 = 1;
const PART_COUNT: u64 = 2;
const PART_BUCKET: u64 = 3;

/// Encodes (connector, series, part) into one exposition key.
pub fn key(connector: usize, series: usize, part: u64) -> u64 {
    ((connector as u64) << 56) | ((series as u64) << 16) | part
}

fn unkey(key: u64) -> (usize, usize, u64) {
    (
        (key >> 56) as usize,
        ((key >> 16) & 0xFF_FFFF_FFFF) as usize,
        key & 0xFFFF,
    )
}

#[derive(Clone, Debug)]
struct Held {
    updated_ms: Millis,
    calls: u64,
    /// Cumulative, as exposed; the last is +Inf.
    cumulative: Vec<u64>,
    sum: f64,
    count: u64,
    histogram: bool,
}

#[derive(Clone, Debug)]
pub struct PrometheusExporter {
    pub spec: PrometheusExporterSpec,
    held: BTreeMap<(usize, usize), Held>,
}

impl PrometheusExporter {
    pub fn new(spec: PrometheusExporterSpec) -> Self {
        Self {
            spec,
            held: BTreeMap::new(),
        }
    }

    pub fn series_held(&self) -> usize {
        self.held.len()
    }

    /// A flush of connector `connector` at `now_ms`: every series it emits
    /// (cumulative, so all of them) is updated.
    pub fn consume(&mut self, connector: usize, metrics: &SpanMetrics, now_ms: Millis) {
        let histogram = !metrics.spec.histogram_disabled;
        for (i, s) in metrics.series().iter().enumerate() {
            let held = self.held.entry((connector, i)).or_insert_with(|| Held {
                updated_ms: now_ms,
                calls: 0,
                cumulative: vec![0; s.buckets.len()],
                sum: 0.0,
                count: 0,
                histogram,
            });
            held.updated_ms = now_ms;
            held.calls = s.calls;
            let mut running = 0;
            for (slot, b) in held.cumulative.iter_mut().zip(&s.buckets) {
                running += b;
                *slot = running;
            }
            held.sum = s.sum;
            held.count = s.count;
        }
    }

    /// What `/metrics` serves at `now_ms`, after expiring stale series.
    pub fn exposition(&mut self, now_ms: Millis, out: &mut Vec<(u64, f64)>) {
        let expiration = self.spec.metric_expiration_ms;
        self.held.retain(|_, h| now_ms - h.updated_ms < expiration);
        for (&(c, s), h) in &self.held {
            out.push((key(c, s, PART_CALLS), h.calls as f64));
            if h.histogram {
                out.push((key(c, s, PART_SUM), h.sum));
                out.push((key(c, s, PART_COUNT), h.count as f64));
                for (i, v) in h.cumulative.iter().enumerate() {
                    out.push((key(c, s, PART_BUCKET + i as u64), *v as f64));
                }
            }
        }
    }

    /// The labels of an exposition key (called once per new series).
    pub fn labels(&self, key: u64, connectors: &[SpanMetrics]) -> Labels {
        self.labeller(connectors).labels(key)
    }

    /// [`PrometheusExporter::labels`] for many keys in a row (one scrape):
    /// a span series' own labels and each metric name are worked out once,
    /// not once per bucket.
    pub fn labeller<'e>(&'e self, connectors: &'e [SpanMetrics]) -> Labeller<'e> {
        Labeller {
            exporter: self,
            connectors,
            series: RefCell::new(None),
            names: RefCell::new(BTreeMap::new()),
        }
    }

    /// The metric name of a key's part, for a connector's spec.
    fn part_name(&self, spec: &SpanMetricsSpec, part: u64) -> String {
        let otel = |name: &str| {
            if spec.namespace.is_empty() {
                name.to_string()
            } else {
                format!("{}.{name}", spec.namespace)
            }
        };
        match part {
            PART_CALLS => self.metric_name(&otel("calls"), "", MetricKind::MonotonicSum),
            _ => {
                let base = self.metric_name(
                    &otel("duration"),
                    if spec.unit_seconds { "s" } else { "ms" },
                    MetricKind::Histogram,
                );
                match part {
                    PART_SUM => format!("{base}_sum"),
                    PART_COUNT => format!("{base}_count"),
                    _ => format!("{base}_bucket"),
                }
            }
        }
    }

    fn metric_name(&self, otel: &str, unit: &str, kind: MetricKind) -> String {
        if self.spec.add_metric_suffixes {
            prometheus_metric_name(otel, unit, kind, &self.spec.namespace)
        } else {
            prometheus_metric_name_without_suffixes(otel, &self.spec.namespace)
        }
    }

    fn series_labels(&self, series: &SpanSeries, resource: &[(String, String)]) -> Labels {
        let mut labels = Labels::new();
        let get = |k: &str| {
            resource
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        if self.spec.resource_to_telemetry {
            for (k, v) in resource {
                labels.insert(&prometheus_label_name(k), v);
            }
        }
        for (k, v) in &series.attributes {
            labels.insert(&prometheus_label_name(k), v);
        }
        if let Some(service) = get("service.name") {
            let job = match get("service.namespace") {
                Some(ns) => format!("{ns}/{service}"),
                None => service.to_string(),
            };
            labels.insert("job", &job);
        }
        if let Some(instance) = get("service.instance.id") {
            labels.insert("instance", instance);
        }
        labels.insert("otel_scope_name", "spanmetricsconnector");
        for (k, v) in &self.spec.const_labels {
            labels.insert(k, v);
        }
        labels
    }
}

/// A part's metric name and, for a bucket, its `le` text.
type PartName = (String, Option<String>);

/// Labels of exposition keys during one scrape (see
/// [`PrometheusExporter::labeller`]); the connectors must not change while it
/// lives, which borrowing them guarantees.
pub struct Labeller<'e> {
    exporter: &'e PrometheusExporter,
    connectors: &'e [SpanMetrics],
    /// The last span series asked about, `(connector, series)`, and its
    /// labels without `__name__` and `le` (keys come series by series).
    series: RefCell<Option<((usize, usize), Labels)>>,
    /// `(connector, part)` → metric name and `le` text; parts past
    /// `PART_BUCKET` are buckets, all sharing one name.
    names: RefCell<BTreeMap<(usize, u64), PartName>>,
}

impl Labeller<'_> {
    /// The labels of an exposition key, exactly as
    /// [`PrometheusExporter::labels`] gives them.
    pub fn labels(&self, key: u64) -> Labels {
        let (c, s, part) = unkey(key);
        let Some(metrics) = self.connectors.get(c) else {
            return Labels::new();
        };
        let Some(series) = metrics.series().get(s) else {
            return Labels::new();
        };
        let mut labels = {
            let mut cached = self.series.borrow_mut();
            match &*cached {
                Some((at, labels)) if *at == (c, s) => labels.clone(),
                _ => {
                    let labels = self
                        .exporter
                        .series_labels(series, metrics.resource(series.resource_id));
                    *cached = Some(((c, s), labels.clone()));
                    labels
                }
            }
        };
        let spec = &metrics.spec;
        let mut names = self.names.borrow_mut();
        let (name, le) = names.entry((c, part)).or_insert_with(|| {
            let le = (part >= PART_BUCKET).then(|| {
                let i = (part - PART_BUCKET) as usize;
                spec.buckets
                    .get(i)
                    .map_or("+Inf".to_string(), |b| prometheus3_float(*b))
            });
            (self.exporter.part_name(spec, part), le)
        });
        labels.insert("__name__", name);
        if let Some(le) = le {
            labels.insert("le", le);
        }
        labels
    }
}

/// Prometheus 3 stores `le` as float text: `2` → `2.0`, `0.1` stays.
pub fn prometheus3_float(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn le_text_is_normalised() {
        assert_eq!(prometheus3_float(2.0), "2.0");
        assert_eq!(prometheus3_float(15000.0), "15000.0");
        assert_eq!(prometheus3_float(0.1), "0.1");
        assert_eq!(prometheus3_float(f64::INFINITY), "+Inf");
    }

    #[test]
    fn keys_round_trip() {
        assert_eq!(unkey(key(3, 70_000, 19)), (3, 70_000, 19));
    }
}
