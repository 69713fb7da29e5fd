//! OTEL101

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a collector config (inside a ConfigMap or a file of its own)
    /// that is not valid YAML, or whose top level is not a mapping.
    ///
    /// ## Why is this bad?
    /// The collector cannot even resolve its configuration: it exits at once
    /// and the pod crash-loops. The ConfigMap itself applies fine, so Argo CD
    /// shows nothing wrong with it.
    ///
    /// ## Example
    /// ```yaml
    /// data:
    ///   collector-config.yaml: |
    ///     receivers:
    ///       otlp:
    ///      protocols:
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// data:
    ///   collector-config.yaml: |
    ///     receivers:
    ///       otlp:
    ///         protocols:
    /// ```
    pub RULE {
        code: "OTEL101",
        name: "collector-config-unparsable",
        group: CollectorStartup,
        severity: Error,
        summary: "the collector config is not valid YAML",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_check(
        ctx,
        Check::Syntax,
        |f| format!("the collector config cannot be parsed ({})", f.message),
        "inside a block scalar (`|`) every line must keep at least the indentation of the first one",
    );
}
