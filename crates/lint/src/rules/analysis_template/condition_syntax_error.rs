//! ARGO506

use canary_lab_expr::{ErrorKind, ResultShape};

use crate::context::{Context, Report};
use crate::query::visible_range;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Compiles each `successCondition` and `failureCondition` of a
    /// Prometheus metric the way Argo Rollouts v1.8.3 does (expr v1.15.5):
    /// syntax errors, and type errors against `result`'s type, which the
    /// query decides: `[]float64` for an instant (or range) vector,
    /// `float64` for a scalar query such as `scalar(…)` or a number. The
    /// finding points at the error inside the condition.
    ///
    /// Not reported: a condition with `{{args.x}}` tags (what Argo compiles
    /// depends on the value), a type error when the query itself does not
    /// parse (ARGO505; the type of `result` is then unknown), and valid expr
    /// that Canary Lab's expr engine does not implement (map literals,
    /// `let`, `matches`, date and string builtins, …): such a condition is
    /// skipped, not flagged.
    ///
    /// ## Why is this bad?
    /// Argo compiles the condition for every measurement. A compile error
    /// makes each measurement an Error with expr's message, and after
    /// `consecutiveErrorLimit` errors the rollout aborts, whatever the canary
    /// does. A classic: `result < 0.05` on a vector query fails with
    /// `invalid operation: < (mismatched types []float64 and float64)`.
    ///
    /// ## Example
    /// ```yaml
    /// successCondition: result < 0.05
    /// provider:
    ///   prometheus:
    ///     query: sum(rate(hotrod_requests_total{error="true"}[2m]))
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// successCondition: len(result) > 0 && result[0] < 0.05
    /// provider:
    ///   prometheus:
    ///     query: sum(rate(hotrod_requests_total{error="true"}[2m]))
    /// ```
    pub RULE {
        code: "ARGO506",
        name: "condition-syntax-error",
        group: AnalysisTemplate,
        severity: Error,
        summary: "a `successCondition`/`failureCondition` does not compile",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for q in &ctx.queries {
        for condition in q.conditions() {
            if condition.has_placeholders {
                continue;
            }
            let error = match (&condition.parsed, &condition.type_error) {
                (Err(error), _) => error,
                (Ok(_), Some(error)) => error,
                (Ok(_), None) => continue,
            };
            let help = match (error.kind, q.shape) {
                (ErrorKind::Syntax, _) => "Argo cannot compile the condition, so every measurement of this metric is an Error with this message".to_string(),
                (ErrorKind::Type, Some(ResultShape::Vector)) => "this query returns a vector, so `result` is a `[]float64`: compare an element with a length guard (`len(result) > 0 && result[0] < 0.05`) or every element (`all(result, {# < 0.05})`)".to_string(),
                (ErrorKind::Type, Some(ResultShape::Scalar)) => "this query returns a scalar, so `result` is a `float64`: compare it directly (`result < 0.05`)".to_string(),
                // Runtime/Result errors are not compile errors; Unsupported
                // is valid expr this engine does not implement: skipped.
                _ => continue,
            };
            let text = &condition.text.text;
            let range = match &error.span {
                Some(span) => visible_range(text, span.clone()),
                None => 0..text.len(),
            };
            out.push(
                Report::new(
                    condition.text.span_of(range),
                    format!("`{}` does not compile: {}", condition.field, error.message),
                )
                .help(help),
            );
        }
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
