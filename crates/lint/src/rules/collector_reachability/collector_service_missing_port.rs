//! OTEL203

use super::{collector_pods, services_selecting, target_port};
use crate::collector::flow::{is_loopback, is_used, otlp_listeners};
use crate::context::{Context, Report};
use crate::model::ComponentKind;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an OTLP receiver port that the Service in front of the
    /// collector pods does not expose.
    ///
    /// ## Why is this bad?
    /// Apps address the collector through its Service
    /// (`collector.otel.svc.cluster.local:4318`). A port the Service does not
    /// list is unreachable through that name, even though the receiver
    /// listens on it.
    ///
    /// ## Example
    /// ```yaml
    /// # receiver: otlp http on 0.0.0.0:4318
    /// kind: Service
    /// spec:
    ///   ports:
    ///     - port: 4317
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   ports:
    ///     - name: otlp-http
    ///       port: 4318
    ///       targetPort: 4318
    /// ```
    pub RULE {
        code: "OTEL203",
        name: "collector-service-missing-port",
        group: CollectorReachability,
        severity: Error,
        summary: "the collector's Service does not expose a receiver port",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for config in &ctx.ws.collectors {
        let listeners: Vec<_> = config
            .components_of(ComponentKind::Receiver)
            .iter()
            .filter(|r| r.type_name == "otlp" && is_used(config, r))
            .flat_map(|r| otlp_listeners(r).into_iter().map(move |l| (r, l)))
            .filter(|(_, l)| !is_loopback(&l.host))
            .collect();
        for pod in collector_pods(ctx.ws, config) {
            for service in services_selecting(ctx.ws, pod) {
                for (receiver, listener) in &listeners {
                    if service
                        .ports
                        .iter()
                        .any(|p| target_port(p) == Some(listener.port))
                    {
                        continue;
                    }
                    reports.push(
                        Report::new(service.meta.name.span, format!("Service `{}` does not expose port {} where receiver `{}` listens ({})", service.meta.name.value, listener.port, receiver.id.value, listener.protocol.as_str()))
                            .label(listener.span, "the receiver listens here")
                            .help(format!("add `- port: {0}` with `targetPort: {0}` to the Service's `ports`", listener.port)),
                    );
                }
            }
        }
    }
    reports.into_iter().for_each(|r| ctx.emit(r));
}
