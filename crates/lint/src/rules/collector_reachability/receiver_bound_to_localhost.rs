//! OTEL201

use crate::collector::flow::{is_loopback, is_used, otlp_listeners};
use crate::context::{Context, Report};
use crate::model::ComponentKind;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an OTLP receiver protocol that listens on `localhost`, either
    /// written so or left to the default (`localhost:4317` / `localhost:4318`
    /// since collector v0.104).
    ///
    /// ## Why is this bad?
    /// In Kubernetes a `localhost` listener is reachable only from inside the
    /// collector's own pod. Apps in other pods get "connection refused"
    /// while the collector looks healthy.
    ///
    /// ## Example
    /// ```yaml
    /// receivers:
    ///   otlp:
    ///     protocols:
    ///       http:
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
        code: "OTEL201",
        name: "receiver-bound-to-localhost",
        group: CollectorReachability,
        severity: Error,
        summary: "an OTLP receiver listens on localhost only",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for config in &ctx.ws.collectors {
        for receiver in config.components_of(ComponentKind::Receiver) {
            if receiver.type_name != "otlp" || !is_used(config, receiver) {
                continue;
            }
            for listener in otlp_listeners(receiver) {
                if !is_loopback(&listener.host) {
                    continue;
                }
                let protocol = listener.protocol.as_str();
                let good = format!("0.0.0.0:{}", listener.port);
                let mut report = if listener.explicit {
                    Report::new(listener.span, format!("receiver `{}` ({protocol}) listens on `{}`, which no other pod can reach", receiver.id.value, ctx.text(listener.span)))
                        .fix(format!("listen on `{good}`"), vec![(listener.span, good.clone())])
                } else {
                    Report::new(listener.span, format!("receiver `{}` ({protocol}) has no `endpoint`, so it listens on the default `localhost:{}`, which no other pod can reach", receiver.id.value, listener.port))
                };
                report = report.help(format!(
                    "set `endpoint: {good}` so pods outside the collector can send to it"
                ));
                reports.push(report);
            }
        }
    }
    reports.into_iter().for_each(|r| ctx.emit(r));
}
