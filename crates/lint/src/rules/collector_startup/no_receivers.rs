//! OTEL103

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a collector config whose `receivers` section is missing or
    /// empty.
    ///
    /// ## Why is this bad?
    /// The collector refuses to start with
    /// `invalid configuration: no receiver configuration specified in config`
    /// and the pod crash-loops. This check runs before the pipelines are
    /// looked at, so a pipeline that names `otlp` does not help.
    ///
    /// ## Example
    /// ```yaml
    /// receivers:
    /// exporters:
    ///   debug: {}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// receivers:
    ///   otlp:
    ///     protocols:
    ///       http:
    ///         endpoint: 0.0.0.0:4318
    /// exporters:
    ///   debug: {}
    /// ```
    pub RULE {
        code: "OTEL103",
        name: "no-receivers",
        group: CollectorStartup,
        severity: Error,
        summary: "the collector config has no receivers",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::NoReceivers,
        |_| "`receivers` is empty".to_string(),
        "add the receiver your apps send to, e.g. `otlp` with `protocols: {http: {endpoint: 0.0.0.0:4318}}`",
    );
}
