//! The OpenTelemetry Collector pod: started from the learner's config (or
//! crash-looping with the exact error lint computes), routing spans from
//! its OTLP listeners to spanmetrics connectors and Jaeger, and flushing
//! connectors into Prometheus exporters.

pub mod exporter;
pub mod spanmetrics;

use std::collections::BTreeSet;

use serde::Serialize;

use crate::clock::Millis;
use crate::scenario::CollectorSpec;
use crate::span::{Resource, SpanSink, SpanTemplate};
use exporter::PrometheusExporter;
use spanmetrics::SpanMetrics;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum CollectorStatus {
    NotDeployed,
    Running,
    CrashLoopBackOff { message: String },
}

#[derive(Clone, Debug)]
pub struct Collector {
    pub spec: CollectorSpec,
    pub status: CollectorStatus,
    pub connectors: Vec<SpanMetrics>,
    pub exporters: Vec<PrometheusExporter>,
    pub jaeger_spans: u64,
    pub jaeger_traces: u64,
    pub jaeger_services: BTreeSet<&'static str>,
    pub spans_received: u64,
}

impl Collector {
    pub fn new(spec: CollectorSpec) -> Self {
        let status = match &spec.startup_error {
            Some(failure) => CollectorStatus::CrashLoopBackOff {
                message: failure.message.clone(),
            },
            None => CollectorStatus::Running,
        };
        Self {
            connectors: spec
                .spanmetrics
                .iter()
                .cloned()
                .map(SpanMetrics::new)
                .collect(),
            exporters: spec
                .exporters
                .iter()
                .cloned()
                .map(PrometheusExporter::new)
                .collect(),
            spec,
            status,
            jaeger_spans: 0,
            jaeger_traces: 0,
            jaeger_services: BTreeSet::new(),
            spans_received: 0,
        }
    }

    pub fn running(&self) -> bool {
        self.status == CollectorStatus::Running
    }

    /// A span sink for traces arriving on listener `listener`.
    pub fn ingest(&mut self, listener: usize) -> Ingest<'_> {
        Ingest {
            collector: self,
            listener,
        }
    }

    /// The flush ticker of connector `connector` fired.
    pub fn flush(&mut self, connector: usize, now_ms: Millis) -> usize {
        let Some(metrics) = self.connectors.get(connector) else {
            return 0;
        };
        for &e in &metrics.spec.exporters {
            if let Some(exporter) = self.exporters.get_mut(e) {
                exporter.consume(connector, metrics, now_ms);
            }
        }
        metrics.series().len()
    }

    /// The exporter serving `/metrics` on `port` to other pods.
    pub fn exporter_on_port(&self, port: u32) -> Option<usize> {
        self.exporters
            .iter()
            .position(|e| e.spec.port == Some(port) && !crate::adapter::is_loopback(&e.spec.host))
    }

    /// An exporter bound to `port` on loopback only (for explanations).
    pub fn loopback_exporter_on_port(&self, port: u32) -> Option<&PrometheusExporter> {
        self.exporters
            .iter()
            .find(|e| e.spec.port == Some(port) && crate::adapter::is_loopback(&e.spec.host))
    }
}

pub struct Ingest<'a> {
    collector: &'a mut Collector,
    listener: usize,
}

impl SpanSink for Ingest<'_> {
    #[inline]
    fn span(
        &mut self,
        resource: &Resource,
        template: &'static SpanTemplate,
        error: bool,
        duration_ms: f64,
    ) {
        let c = &mut *self.collector;
        c.spans_received += 1;
        let Some(listener) = c.spec.listeners.get(self.listener) else {
            return;
        };
        for &i in &listener.spanmetrics {
            if let Some(connector) = c.connectors.get_mut(i) {
                connector.record(resource, template, error, duration_ms);
            }
        }
        if listener.jaeger {
            c.jaeger_spans += 1;
            c.jaeger_services.insert(resource.service.name());
        }
    }

    fn trace(&mut self) {
        let jaeger = self
            .collector
            .spec
            .listeners
            .get(self.listener)
            .is_some_and(|l| l.jaeger);
        if jaeger {
            self.collector.jaeger_traces += 1;
        }
    }
}
