//! ARGO502

use crate::context::{Context, Report};
use crate::model::EmbeddedText;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `{{args.x}}` tag in a query, condition or address whose
    /// argument the template does not declare under `spec.args`, and any
    /// other `{{…}}` tag.
    ///
    /// ## Why is this bad?
    /// Argo substitutes only declared arguments. Anything else fails the
    /// run with `failed to resolve {{args.x}}`.
    ///
    /// ## Example
    /// ```yaml
    /// args:
    ///   - name: namespace
    /// metrics:
    ///   - query: up{pod_hash="{{args.canary-hash}}"}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// args:
    ///   - name: namespace
    ///   - name: canary-hash
    /// ```
    pub RULE {
        code: "ARGO502",
        name: "undeclared-argument",
        group: AnalysisTemplate,
        severity: Error,
        summary: "a `{{args.x}}` tag names an argument the template does not declare",
        check: check,
    }
}

/// `{{ … }}` tags: (byte range in the text, trimmed content).
pub(crate) fn tags(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{{").map(|i| from + i) {
        let Some(end) = text[start..].find("}}").map(|i| start + i + 2) else {
            break;
        };
        out.push((start..end, text[start + 2..end - 2].trim().to_string()));
        from = end;
    }
    out
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for template in &ctx.ws.analysis_templates {
        for metric in &template.metrics {
            let texts: Vec<&EmbeddedText> = metric
                .prometheus()
                .and_then(|p| p.query.as_ref())
                .into_iter()
                .chain(&metric.success_condition)
                .chain(&metric.failure_condition)
                .collect();
            for text in texts {
                for (range, tag) in tags(&text.text) {
                    let declared = tag
                        .strip_prefix("args.")
                        .is_some_and(|name| template.arg(name).is_some());
                    if declared {
                        continue;
                    }
                    let written = &text.text[range.clone()];
                    let message = match tag.strip_prefix("args.") {
                        Some(name) => format!("argument `{name}` is not declared in `spec.args`: the run fails with `failed to resolve {written}`"),
                        None => format!("`{written}` is not an argument tag: the run fails with `failed to resolve {written}`"),
                    };
                    out.push(
                        Report::new(text.span_of(range), message)
                            .help("declare the argument under `spec.args`, or fix its name"),
                    );
                }
            }
        }
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
