//! `OTEL2xx`: the collector starts, but no app can reach its receiver.

pub mod collector_service_missing_port;
pub mod otlp_endpoint_mismatch;
pub mod receiver_bound_to_localhost;

use crate::model::{CollectorConfig, CollectorSource, Service, Workload, Workspace};

/// Workloads that mount this config's ConfigMap.
pub(crate) fn collector_pods<'w>(ws: &'w Workspace, config: &CollectorConfig) -> Vec<&'w Workload> {
    let CollectorSource::ConfigMap {
        name, namespace, ..
    } = &config.source
    else {
        return Vec::new();
    };
    ws.workloads
        .iter()
        .filter(|w| {
            &w.meta.namespace == namespace
                && w.config_map_volumes.iter().any(|v| v.value == name.value)
        })
        .collect()
}

/// Services whose selector matches the workload's pod labels.
pub(crate) fn services_selecting<'w>(ws: &'w Workspace, workload: &Workload) -> Vec<&'w Service> {
    ws.services
        .iter()
        .filter(|s| {
            s.meta.namespace == workload.meta.namespace
                && !s.selector.is_empty()
                && s.selector.iter().all(|(k, v)| {
                    workload
                        .template
                        .labels
                        .get(k)
                        .is_some_and(|l| l.value == v.value)
                })
        })
        .collect()
}

/// The container port a Service port forwards to (numeric `targetPort`, else `port`).
pub(crate) fn target_port(port: &crate::model::ServicePort) -> Option<u32> {
    match &port.target_port {
        Some(t) => t.value.as_int().map(|i| i as u32),
        None => port.port.as_ref().map(|p| p.value),
    }
}
