//! OTEL202

use super::{collector_pods, services_selecting, target_port};
use crate::collector::flow::{is_used, otlp_listeners, split_host_port, OtlpProtocol};
use crate::context::{Context, Report};
use crate::model::{
    CollectorConfig, ComponentKind, ObjectMeta, PodTemplate, Service, Spanned, Workspace,
};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reads each pod's `OTEL_EXPORTER_OTLP_ENDPOINT` (and
    /// `OTEL_EXPORTER_OTLP_PROTOCOL`), follows it through the collector's
    /// Service, and checks that an `otlp` receiver in a pipeline serves that
    /// protocol on that port. OTLP/HTTP is the default protocol (HotROD
    /// speaks OTLP/HTTP on 4318); gRPC uses 4317.
    ///
    /// ## Why is this bad?
    /// A receiver that serves only gRPC, or listens on another port, never
    /// gets the app's spans: no traces in Jaeger, no span metrics, and every
    /// analysis built on them sees an empty result.
    ///
    /// ## Example
    /// ```yaml
    /// # app: OTEL_EXPORTER_OTLP_ENDPOINT=http://collector.otel.svc.cluster.local:4318
    /// receivers:
    ///   otlp:
    ///     protocols:
    ///       grpc:
    ///         endpoint: 0.0.0.0:4317
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// receivers:
    ///   otlp:
    ///     protocols:
    ///       http:
    ///         endpoint: 0.0.0.0:4318
    /// ```
    pub RULE {
        code: "OTEL202",
        name: "otlp-endpoint-mismatch",
        group: CollectorReachability,
        severity: Error,
        summary: "the app's OTLP endpoint is not served by any OTLP receiver",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    let routes = routes(ctx.ws);
    for (meta, pod) in ctx.ws.pod_templates() {
        let Some(env) = pod
            .env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .or_else(|| pod.env("OTEL_EXPORTER_OTLP_ENDPOINT"))
        else {
            continue;
        };
        let Some(value) = &env.value else { continue };
        let protocol = protocol_of(pod);
        let (host, port) = split_host_port(&value.value);
        let port = port.unwrap_or(if protocol == OtlpProtocol::Grpc {
            4317
        } else {
            4318
        });
        let Some((config, container_port)) = resolve(&routes, meta, &host, port) else {
            continue;
        };
        if config.root.is_none() {
            continue;
        }
        let served = config
            .components_of(ComponentKind::Receiver)
            .iter()
            .filter(|r| r.type_name == "otlp" && is_used(config, r))
            .flat_map(otlp_listeners)
            .collect::<Vec<_>>();
        if served
            .iter()
            .any(|l| l.protocol == protocol && l.port == container_port)
        {
            continue;
        }
        let word = if protocol == OtlpProtocol::Grpc {
            "OTLP/gRPC"
        } else {
            "OTLP/HTTP"
        };
        let mut report = Report::new(
            value.span,
            format!("{} `{}` sends {word} to port {container_port}, but no `otlp` receiver in a pipeline of `{}` serves {word} there", meta.kind.value, meta.name.value, config.display_name()),
        );
        if let Some(other) = served.first() {
            report = report.label(
                other.span,
                format!(
                    "the receiver serves {} on port {}",
                    other.protocol.as_str(),
                    other.port
                ),
            );
        }
        let key = if protocol == OtlpProtocol::Grpc {
            "grpc"
        } else {
            "http"
        };
        reports.push(report.help(format!("add `{key}: {{endpoint: 0.0.0.0:{container_port}}}` under the `otlp` receiver's `protocols`, and use the receiver in the traces pipeline")));
    }
    reports.into_iter().for_each(|r| ctx.emit(r));
}

fn protocol_of(pod: &PodTemplate) -> OtlpProtocol {
    let explicit = pod
        .env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        .or_else(|| pod.env("OTEL_EXPORTER_OTLP_PROTOCOL"))
        .and_then(|e| e.value.as_ref())
        .map(|v: &Spanned<String>| v.value.as_str());
    if explicit == Some("grpc") {
        OtlpProtocol::Grpc
    } else {
        OtlpProtocol::Http
    }
}

/// Every Service in front of collector pods, with the config those pods
/// mount; computed once per run (manifests can hold thousands of objects).
fn routes(ws: &Workspace) -> Vec<(&Service, &CollectorConfig)> {
    let mut out = Vec::new();
    for config in &ws.collectors {
        for pod in collector_pods(ws, config) {
            for service in services_selecting(ws, pod) {
                out.push((service, config));
            }
        }
    }
    out
}

/// The collector config behind `host:port` and the container port it
/// reaches: through a Service `name[.namespace[.svc…]]` selecting pods that
/// mount the config.
fn resolve<'w>(
    routes: &[(&'w Service, &'w CollectorConfig)],
    meta: &ObjectMeta,
    host: &str,
    port: u32,
) -> Option<(&'w CollectorConfig, u32)> {
    let mut parts = host.split('.');
    let name = parts.next()?;
    let namespace = parts.next().unwrap_or(&meta.namespace);
    let (service, config) = routes
        .iter()
        .find(|(s, _)| s.meta.name.value == name && s.meta.namespace == namespace)?;
    let target = service
        .ports
        .iter()
        .find(|p| p.port.as_ref().is_some_and(|x| x.value == port))
        .and_then(target_port)
        .unwrap_or(port);
    Some((config, target))
}
