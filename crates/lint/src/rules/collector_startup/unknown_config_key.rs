//! OTEL109

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a key the collector does not accept: at the top level, under
    /// `service` or a pipeline, or inside the config of a component we model
    /// (`otlp` receiver, `spanmetrics` connector, `prometheus`, `otlp` and
    /// `debug` exporters, `batch` and `memory_limiter` processors,
    /// `health_check` extension).
    ///
    /// ## Why is this bad?
    /// The collector decodes strictly: an unknown key stops it with
    /// `'protocols' has invalid keys: htttp`. A typo never means "ignored".
    ///
    /// ## Example
    /// ```yaml
    /// receivers:
    ///   otlp:
    ///     protocols:
    ///       htttp: {}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// receivers:
    ///   otlp:
    ///     protocols:
    ///       http: {}
    /// ```
    pub RULE {
        code: "OTEL109",
        name: "unknown-config-key",
        group: CollectorStartup,
        severity: Error,
        summary: "a collector config key is not accepted",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::UnknownKey,
        |f| {
            let key = f
                .message
                .rsplit("has invalid keys: ")
                .next()
                .unwrap_or_default();
            format!("unknown key `{key}`")
        },
        "check the spelling against the component's documentation; keys are case-sensitive",
    );
}
