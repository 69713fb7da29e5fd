//! OTEL304

use crate::collector::flow::is_used;
use crate::context::{Context, Report};
use crate::model::ComponentKind;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a configured component that no pipeline uses, or an extension
    /// missing from `service.extensions`.
    ///
    /// ## Why is this bad?
    /// The collector silently ignores it: it is not built and opens no port.
    /// Usually the author meant to use it and forgot the pipeline entry.
    ///
    /// ## Example
    /// ```yaml
    /// exporters:
    ///   prometheus:
    ///     endpoint: 0.0.0.0:8889
    /// service:
    ///   pipelines:
    ///     metrics:
    ///       receivers: [spanmetrics]
    ///       exporters: [debug]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     metrics:
    ///       receivers: [spanmetrics]
    ///       exporters: [debug, prometheus]
    /// ```
    pub RULE {
        code: "OTEL304",
        name: "unused-component",
        group: MetricsPath,
        severity: Warning,
        summary: "a configured component is never used",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for config in &ctx.ws.collectors {
        for component in config.components() {
            if is_used(config, component) {
                continue;
            }
            let (word, help) = if component.kind == ComponentKind::Extension {
                (
                    "extension",
                    "list it under `service.extensions`, or remove it",
                )
            } else {
                (component.kind.word(), "list it in a pipeline, or remove it")
            };
            reports.push(
                Report::new(
                    component.id.span,
                    format!(
                        "{word} `{}` is configured but never used, so the collector ignores it",
                        component.id.value
                    ),
                )
                .help(help),
            );
        }
    }
    reports.into_iter().for_each(|r| ctx.emit(r));
}
