//! The spanmetrics connector (contrib 0.142, semantics.md §2.2): keys each
//! span by service, name, kind, status and the configured dimensions
//! (span attribute, then resource attribute, then `default`, else omitted),
//! and keeps cumulative calls and a duration histogram per key. Nothing is
//! stored per span: memory is bounded by the number of series.

use std::collections::BTreeMap;

use crate::scenario::SpanMetricsSpec;
use crate::span::{Resource, SpanTemplate, TEMPLATE_COUNT};

const UNCACHED: u32 = u32::MAX;

/// One metric key of one resource.
#[derive(Clone, Debug, PartialEq)]
pub struct SpanSeries {
    pub resource_id: usize,
    /// The key's attributes as OTel keys and values, in key order.
    pub attributes: Vec<(String, String)>,
    pub calls: u64,
    /// Per bucket, not cumulative; the last is +Inf.
    pub buckets: Vec<u64>,
    pub sum: f64,
    pub count: u64,
}

#[derive(Clone, Debug)]
pub struct SpanMetrics {
    pub spec: SpanMetricsSpec,
    series: Vec<SpanSeries>,
    index: BTreeMap<(usize, Vec<String>), u32>,
    /// (resource, template, error) → series: a span's key depends only on
    /// these, so the lookup runs once per combination.
    cache: Vec<u32>,
    resources: BTreeMap<usize, Vec<(String, String)>>,
    spans: u64,
}

impl SpanMetrics {
    pub fn new(spec: SpanMetricsSpec) -> Self {
        Self {
            spec,
            series: Vec::new(),
            index: BTreeMap::new(),
            cache: Vec::new(),
            resources: BTreeMap::new(),
            spans: 0,
        }
    }

    pub fn series(&self) -> &[SpanSeries] {
        &self.series
    }

    pub fn spans_seen(&self) -> u64 {
        self.spans
    }

    pub fn resource(&self, id: usize) -> &[(String, String)] {
        self.resources.get(&id).map_or(&[], Vec::as_slice)
    }

    #[inline]
    pub fn record(
        &mut self,
        resource: &Resource,
        template: &'static SpanTemplate,
        error: bool,
        duration_ms: f64,
    ) {
        self.spans += 1;
        let slot = (resource.id * TEMPLATE_COUNT + template.id) * 2 + usize::from(error);
        if slot >= self.cache.len() {
            self.cache.resize(slot + 1, UNCACHED);
        }
        let mut index = self.cache[slot];
        if index == UNCACHED {
            index = self.lookup(resource, template, error);
            self.cache[slot] = index;
        }
        let bounds = &self.spec.buckets;
        let value = if self.spec.unit_seconds {
            duration_ms / 1000.0
        } else {
            duration_ms
        }
        .max(0.0);
        let histogram = !self.spec.histogram_disabled;
        let s = &mut self.series[index as usize];
        s.calls += 1;
        if histogram {
            // sort.SearchFloat64s: the first bound >= value, so `le` holds.
            let bucket = bounds.partition_point(|b| *b < value);
            s.buckets[bucket] += 1;
            s.sum += value;
            s.count += 1;
        }
    }

    /// The connector's own key building (`buildKey` + dimension lookup).
    fn lookup(&mut self, resource: &Resource, template: &'static SpanTemplate, error: bool) -> u32 {
        let status = if error {
            "STATUS_CODE_ERROR"
        } else {
            "STATUS_CODE_UNSET"
        };
        let defaults = [
            ("service.name", resource.service.name()),
            ("span.name", template.name),
            ("span.kind", template.kind.otel()),
            ("status.code", status),
        ];
        let mut attributes: Vec<(String, String)> = defaults
            .iter()
            .filter(|(k, _)| !self.spec.exclude_dimensions.iter().any(|e| e == k))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for dim in &self.spec.dimensions {
            let value = template
                .attributes
                .iter()
                .find(|(k, _)| *k == dim.name)
                .map(|(_, v)| v.to_string())
                .or_else(|| resource.get(&dim.name).map(str::to_string))
                .or_else(|| dim.default.clone());
            if let Some(v) = value {
                attributes.push((dim.name.clone(), v));
            }
        }
        self.resources
            .entry(resource.id)
            .or_insert_with(|| resource.attributes.clone());
        let key = (
            resource.id,
            attributes
                .iter()
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>(),
        );
        if let Some(i) = self.index.get(&key) {
            return *i;
        }
        let i = self.series.len() as u32;
        self.series.push(SpanSeries {
            resource_id: resource.id,
            attributes,
            calls: 0,
            buckets: vec![0; self.spec.buckets.len() + 1],
            sum: 0.0,
            count: 0,
        });
        self.index.insert(key, i);
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DimensionSpec, DEFAULT_BUCKETS_MS};
    use crate::span::{self, Service};

    fn spec(dimensions: &[(&str, Option<&str>)]) -> SpanMetricsSpec {
        SpanMetricsSpec {
            id: "spanmetrics".into(),
            namespace: "traces.span.metrics".into(),
            unit_seconds: false,
            buckets: DEFAULT_BUCKETS_MS.to_vec(),
            histogram_disabled: false,
            dimensions: dimensions
                .iter()
                .map(|(n, d)| DimensionSpec {
                    name: n.to_string(),
                    default: d.map(str::to_string),
                })
                .collect(),
            exclude_dimensions: vec![],
            flush_interval_ms: 60_000,
            exporters: vec![],
        }
    }

    fn resource() -> Resource {
        Resource {
            id: 0,
            service: Service::Frontend,
            attributes: vec![
                ("service.name".into(), "frontend".into()),
                ("hotrod.pod.hash".into(), "abc".into()),
            ],
        }
    }

    #[test]
    fn dimensions_come_from_span_then_resource_then_default_else_omitted() {
        let mut sm = SpanMetrics::new(spec(&[
            ("http.method", None),
            ("hotrod.pod.hash", None),
            ("missing", None),
            ("zone", Some("z1")),
        ]));
        sm.record(&resource(), &span::DISPATCH, false, 700.0);
        let keys: Vec<_> = sm.series()[0]
            .attributes
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        assert_eq!(
            keys,
            [
                "service.name=frontend",
                "span.name=/dispatch",
                "span.kind=SPAN_KIND_SERVER",
                "status.code=STATUS_CODE_UNSET",
                "http.method=GET",
                "hotrod.pod.hash=abc",
                "zone=z1"
            ]
        );
    }

    #[test]
    fn buckets_follow_le_semantics() {
        let mut sm = SpanMetrics::new(spec(&[]));
        for d in [2.0, 2.5, 800.0, 20_000.0] {
            sm.record(&resource(), &span::DISPATCH, false, d);
        }
        let s = &sm.series()[0];
        assert_eq!(s.buckets[0], 1, "2ms is in le=2");
        assert_eq!(s.buckets[1], 1);
        assert_eq!(s.buckets[9], 1, "800 is in le=800");
        assert_eq!(s.buckets[16], 1, "+Inf");
        assert_eq!((s.calls, s.count), (4, 4));
    }

    #[test]
    fn errors_get_their_own_series() {
        let mut sm = SpanMetrics::new(spec(&[]));
        sm.record(&resource(), &span::GET_DRIVER, false, 10.0);
        sm.record(&resource(), &span::GET_DRIVER, true, 20.0);
        sm.record(&resource(), &span::GET_DRIVER, false, 10.0);
        assert_eq!(sm.series().len(), 2);
        assert_eq!(sm.series()[0].calls, 2);
    }
}
