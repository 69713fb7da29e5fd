//! Where data flows inside one collector: which receivers are live, which
//! exporters a connector's output reaches, which endpoints are served.

use std::collections::BTreeSet;

use crate::model::{CollectorConfig, Component, ComponentKind, Signal, Spanned};
use crate::yaml::Node;

/// Components referenced by at least one pipeline (or `service.extensions`).
pub fn is_used(config: &CollectorConfig, component: &Component) -> bool {
    let id = component.id.value.as_str();
    match component.kind {
        ComponentKind::Extension => config
            .service
            .as_ref()
            .and_then(|s| s.extensions.as_ref())
            .is_some_and(|l| l.contains(id)),
        kind => config.pipelines().iter().any(|p| {
            let has = |mut items: Box<dyn Iterator<Item = &Spanned<String>> + '_>| {
                items.any(|i| i.value == id)
            };
            match kind {
                ComponentKind::Receiver => has(Box::new(p.receiver_ids())),
                ComponentKind::Processor => has(Box::new(p.processor_ids())),
                ComponentKind::Exporter => has(Box::new(p.exporter_ids())),
                _ => has(Box::new(p.receiver_ids())) || has(Box::new(p.exporter_ids())),
            }
        }),
    }
}

/// Exporters (of any type) that data entering through `connector_id` as a
/// receiver reaches, following further connectors. Bounded by the number
/// of pipelines (each visited once).
pub fn exporters_reached_from<'c>(
    config: &'c CollectorConfig,
    connector_id: &str,
    signal: Signal,
) -> Vec<&'c Component> {
    let mut reached = Vec::new();
    let mut visited = BTreeSet::new();
    let mut queue = vec![(connector_id.to_string(), signal)];
    while let Some((receiver, sig)) = queue.pop() {
        for (index, pipeline) in config.pipelines().iter().enumerate() {
            if pipeline.signal != Some(sig)
                || !pipeline.receiver_ids().any(|r| r.value == receiver)
                || !visited.insert(index)
            {
                continue;
            }
            for exporter in pipeline.exporter_ids() {
                if let Some(c) = config.component(ComponentKind::Exporter, &exporter.value) {
                    reached.push(c);
                } else if let Some(next) =
                    config.component(ComponentKind::Connector, &exporter.value)
                {
                    // Forwarding connectors keep the signal; others we do not follow.
                    if matches!(
                        next.type_name.as_str(),
                        "forward" | "routing" | "roundrobin" | "failover"
                    ) {
                        queue.push((next.id.value.clone(), sig));
                    }
                }
            }
        }
    }
    reached
}

/// Whether a traces pipeline with at least one receiver feeds `connector_id`.
pub fn connector_is_fed(config: &CollectorConfig, connector_id: &str) -> bool {
    config.pipelines().iter().any(|p| {
        p.signal == Some(Signal::Traces)
            && p.exporter_ids().any(|e| e.value == connector_id)
            && p.receiver_ids().next().is_some()
    })
}

/// An OTLP protocol the receiver serves.
#[derive(Clone, Debug, PartialEq)]
pub struct OtlpListener {
    pub protocol: OtlpProtocol,
    pub host: String,
    pub port: u32,
    /// The `endpoint` value, or the protocol key when the default applies.
    pub span: crate::source::Span,
    pub explicit: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtlpProtocol {
    Grpc,
    Http,
}

impl OtlpProtocol {
    pub fn as_str(self) -> &'static str {
        match self {
            OtlpProtocol::Grpc => "grpc",
            OtlpProtocol::Http => "http",
        }
    }
}

/// Listeners of an `otlp` receiver; defaults are `localhost:4317/4318`
/// since v0.104.
pub fn otlp_listeners(receiver: &Component) -> Vec<OtlpListener> {
    let Some(protocols) = receiver.config.get("protocols").and_then(Node::as_mapping) else {
        return Vec::new();
    };
    protocols
        .iter()
        .filter_map(|entry| {
            let (protocol, default_port) = match entry.key.as_scalar()? {
                "grpc" => (OtlpProtocol::Grpc, 4317),
                "http" => (OtlpProtocol::Http, 4318),
                _ => return None,
            };
            let endpoint = entry.value.get("endpoint").filter(|e| !e.is_null());
            let (host, port, span, explicit) =
                match endpoint.and_then(|e| e.as_scalar().map(|s| (s, e.span))) {
                    Some((text, span)) => {
                        let (host, port) = split_host_port(text);
                        (host, port.unwrap_or(default_port), span, true)
                    }
                    None => ("localhost".to_string(), default_port, entry.key.span, false),
                };
            Some(OtlpListener {
                protocol,
                host,
                port,
                span,
                explicit,
            })
        })
        .collect()
}

/// `host:port` → (host, port); a missing host is "" (all interfaces).
pub fn split_host_port(text: &str) -> (String, Option<u32>) {
    let text = text.trim();
    let without_scheme = text.split_once("://").map_or(text, |(_, rest)| rest);
    let authority = without_scheme.split('/').next().unwrap_or_default();
    match authority.rsplit_once(':') {
        Some((host, port)) => (host.trim_matches(['[', ']']).to_string(), port.parse().ok()),
        None => (authority.to_string(), None),
    }
}

/// Loopback hosts no other pod can reach.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.starts_with("127.") || host == "::1"
}
