//! `OTEL3xx`: the collector starts, but span metrics never reach Prometheus.

pub mod no_prometheus_exporter;
pub mod prometheus_port_mismatch;
pub mod span_metrics_not_exported;
pub mod unused_component;
