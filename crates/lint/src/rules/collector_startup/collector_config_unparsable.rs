//! OTEL101

use crate::collector::Check;
use crate::context::Context;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a collector config (inside a ConfigMap or a file of its own)
    /// that the collector's YAML library refuses: a syntax error, a key
    /// written twice in one mapping (two `exporters:` sections, say), or a
    /// top level that is not a mapping. The message quotes what the
    /// collector prints, with the line counted inside the config text as the
    /// collector counts it, and points at the cause: the bracket or quote
    /// that is never closed, the repeated key.
    ///
    /// ## Why is this bad?
    /// The collector cannot even resolve its configuration: it exits at once
    /// and the pod crash-loops with `retrieved value (type=string) cannot be
    /// used as a Conf`, because text that is not YAML is kept as a string.
    /// The ConfigMap itself applies fine, so Argo CD shows nothing wrong
    /// with it, and many YAML tools accept a repeated key silently.
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
        |f| match &f.explanation {
            Some(failure) => format!("the collector cannot read its config as YAML: {}", failure.detail),
            None => "the collector config's top level is not a mapping".to_string(),
        },
        "write the config as `key: value` sections (`receivers:`, `exporters:`, `service:`, …); a block scalar (`|`) keeps the indentation of its first line",
    );
}
