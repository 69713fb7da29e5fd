//! OTEL303

use crate::collector::flow::{is_used, split_host_port};
use crate::context::{Context, Report};
use crate::model::{CollectorSource, ComponentKind};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Compares the port of each `prometheus` exporter in use with the pods
    /// that run the collector: their `prometheus.io/port` annotation and
    /// their container ports.
    ///
    /// ## Why is this bad?
    /// Prometheus scrapes the port in the annotation. An exporter listening
    /// elsewhere is never scraped, so span metrics never arrive, and a port
    /// missing from the container spec is a sign of the same mismatch.
    ///
    /// ## Example
    /// ```yaml
    /// # DaemonSet: prometheus.io/port: "8889"
    /// exporters:
    ///   prometheus:
    ///     endpoint: 0.0.0.0:9090
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// exporters:
    ///   prometheus:
    ///     endpoint: 0.0.0.0:8889
    /// ```
    pub RULE {
        code: "OTEL303",
        name: "prometheus-port-mismatch",
        group: MetricsPath,
        severity: Error,
        summary: "the prometheus exporter's port is not the one the collector pod is scraped on",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for config in &ctx.ws.collectors {
        let CollectorSource::ConfigMap {
            name, namespace, ..
        } = &config.source
        else {
            continue;
        };
        let pods: Vec<_> = ctx
            .ws
            .workloads
            .iter()
            .filter(|w| {
                &w.meta.namespace == namespace
                    && w.config_map_volumes.iter().any(|v| v.value == name.value)
            })
            .collect();
        for exporter in config.components_of(ComponentKind::Exporter) {
            if exporter.type_name != "prometheus" || !is_used(config, exporter) {
                continue;
            }
            let Some(endpoint) = exporter
                .config
                .get("endpoint")
                .filter(|e| e.as_scalar().is_some())
            else {
                continue;
            };
            let Some(port) = split_host_port(endpoint.as_scalar().unwrap_or_default()).1 else {
                continue;
            };
            for pod in &pods {
                let workload = format!("{} `{}`", pod.meta.kind.value, pod.meta.name.value);
                if let Some(annotated) = pod
                    .template
                    .scrape_port()
                    .filter(|_| pod.template.scraped())
                {
                    if annotated.value != port {
                        let fixed = endpoint
                            .as_scalar()
                            .unwrap_or_default()
                            .replace(&format!(":{port}"), &format!(":{}", annotated.value));
                        reports.push(
                            Report::new(endpoint.span, format!("exporter `{}` listens on port {port}, but {workload} is scraped on port {}", exporter.id.value, annotated.value))
                                .label(annotated.span, "Prometheus scrapes this port")
                                .help("use the port of the `prometheus.io/port` annotation, or change the annotation")
                                .fix(format!("listen on port {}", annotated.value), vec![(endpoint.span, format!("\"{fixed}\""))]),
                        );
                        continue;
                    }
                }
                let ports: Vec<u32> = pod
                    .template
                    .containers
                    .iter()
                    .flat_map(|c| &c.ports)
                    .filter_map(|p| p.container_port.as_ref().map(|s| s.value))
                    .collect();
                if !ports.is_empty() && !ports.contains(&port) {
                    reports.push(
                        Report::new(endpoint.span, format!("exporter `{}` listens on port {port}, which {workload} does not declare as a container port", exporter.id.value))
                            .label(pod.meta.name.span, "collector pods")
                            .help("declare the port in the container's `ports`, or use one that is declared"),
                    );
                }
            }
        }
    }
    reports.into_iter().for_each(|r| ctx.emit(r));
}
