//! OTEL112

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports component settings the collector validates and refuses: an
    /// `otlp` exporter without `endpoint`, a `prometheus` exporter without
    /// `endpoint`, a `spanmetrics` unit other than `ms`/`s` or a duplicate
    /// dimension, `debug` verbosity `none`, or a connector ID also used by an
    /// exporter or receiver.
    ///
    /// ## Why is this bad?
    /// The collector exits during validation or while building pipelines,
    /// e.g. `failed to create "prometheus" exporter for data type "metrics": expecting a non-blank address to run the Prometheus metrics handler`.
    ///
    /// ## Example
    /// ```yaml
    /// exporters:
    ///   prometheus: {}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// exporters:
    ///   prometheus:
    ///     endpoint: 0.0.0.0:8889
    /// ```
    pub RULE {
        code: "OTEL112",
        name: "invalid-component-settings",
        group: CollectorStartup,
        severity: Error,
        summary: "a component's settings fail the collector's validation",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::ComponentInvalid,
        |f| {
            let id = f
                .message
                .split('"')
                .nth(1)
                .or_else(|| {
                    f.message
                        .split("::")
                        .nth(1)
                        .and_then(|s| s.split(':').next())
                })
                .unwrap_or_default();
            format!("component `{id}` has invalid settings")
        },
        "see the component's README in collector-contrib for required fields",
    );
}
