//! OTEL110

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a collector config section of the wrong shape: a list where a
    /// map belongs (`receivers: [otlp]`), a map where a list belongs
    /// (`receivers: {otlp: {}}` inside a pipeline), or an unknown pipeline
    /// signal.
    ///
    /// ## Why is this bad?
    /// The collector cannot decode its config and exits, e.g. with
    /// `'service.pipelines[traces].receivers' source data must be an array or slice, got map`.
    ///
    /// ## Example
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     traces:
    ///       receivers: otlp
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// service:
    ///   pipelines:
    ///     traces:
    ///       receivers: [otlp]
    /// ```
    pub RULE {
        code: "OTEL110",
        name: "invalid-config-structure",
        group: CollectorStartup,
        severity: Error,
        summary: "a collector config section has the wrong shape",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::Structure,
        |f| f.message.replace('\'', "`").replacen("` ", "`: ", 1),
        "components are maps of ID → config; pipeline entries are lists of IDs",
    );
}
