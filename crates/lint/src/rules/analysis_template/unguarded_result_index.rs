//! ARGO507

use canary_lab_expr::{indexes_result_without_len_guard, BinaryOp, NodeKind, Program, ResultShape};

use crate::context::{Context, Report};
use crate::query::{never_empty, Condition};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a condition that indexes `result` (`result[0]`) with no
    /// `len(result)` guard in front of it, on a vector query that can
    /// return no series (it does not end in `or vector(…)`).
    ///
    /// The guards recognised are comparisons of `len(result)` with a number
    /// that must hold before the index is evaluated (`len(result) > 0 &&
    /// …`, `len(result) == 0 || …`, `len(result) > 0 ? … : …`).
    ///
    /// ## Why is this bad?
    /// When the query matches no series, `result` is an empty `[]float64`
    /// and `result[0]` panics inside expr: the measurement is an Error with
    /// `reflect: slice index out of range`, not Failed. The rollout aborts
    /// after `consecutiveErrorLimit` errors with a message that reads like a
    /// broken query rather than "no data", and `failureLimit` never applies.
    ///
    /// For a `successCondition` consisting of comparisons joined by `&&`,
    /// indexing only `result[0]`, a fix prefixes `len(result) > 0 && ` (no
    /// data then fails the measurement); no fix is offered otherwise (a
    /// guard in a `failureCondition` must be `len(result) == 0 || …`, or
    /// no data would pass).
    ///
    /// ## Example
    /// ```yaml
    /// successCondition: result[0] < 1000
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// successCondition: len(result) > 0 && result[0] < 1000
    /// ```
    /// or, when 0 is the right value for "no data", append `or vector(0)`
    /// to the query.
    pub RULE {
        code: "ARGO507",
        name: "unguarded-result-index",
        group: AnalysisTemplate,
        severity: Warning,
        summary: "a condition reads `result[0]` without a `len(result)` guard",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for q in &ctx.queries {
        if q.shape != Some(ResultShape::Vector) {
            continue;
        }
        if q.parsed.as_ref().is_ok_and(never_empty) {
            continue;
        }
        for condition in q.conditions() {
            let Some(program) = condition.compiled() else {
                continue;
            };
            let Some(span) = indexes_result_without_len_guard(program) else {
                continue;
            };
            let text = &condition.text.text;
            let indexed = text.get(span.clone()).unwrap_or("result[0]");
            let written = if top_level_is_conjunction_of_comparisons(&program.root) {
                text.trim().to_string()
            } else {
                format!("({})", text.trim())
            };
            let guarded = if condition.field == "successCondition" {
                format!("len(result) > 0 && {written}")
            } else {
                format!("len(result) == 0 || {written}")
            };
            let mut report = Report::new(
                condition.text.span_of(span),
                format!(
                    "`{}` of metric `{}` reads `{indexed}` without checking `len(result)`: when the query returns no series the measurement is an Error (`reflect: slice index out of range`), not Failed",
                    condition.field, q.metric.name.value
                ),
            )
            .help(format!(
                "guard the index, `{guarded}` (no data then fails the measurement), or append `or vector(0)` to the query when 0 is the right value for \"no data\""
            ));
            if fix_is_safe(condition, program) {
                report = report.fix(
                    "guard with `len(result) > 0`",
                    vec![(
                        condition
                            .text
                            .span_of(leading_space(text)..leading_space(text)),
                        "len(result) > 0 && ".to_string(),
                    )],
                );
            }
            out.push(report);
        }
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}

fn leading_space(text: &str) -> usize {
    text.len() - text.trim_start().len()
}

/// Prefixing `len(result) > 0 && ` keeps the meaning for non-empty data
/// and turns "no data" into a failed measurement only for a success
/// condition whose top level is comparisons joined by `&&` (so the new
/// `&&` binds as intended) and whose every index is `result[0]`.
fn fix_is_safe(condition: &Condition, program: &Program) -> bool {
    if condition.field != "successCondition" || condition.has_placeholders {
        return false;
    }
    if !top_level_is_conjunction_of_comparisons(&program.root) {
        return false;
    }
    let mut only_first = true;
    program.root.walk(&mut |node| {
        if let NodeKind::Member {
            object, property, ..
        } = &node.kind
        {
            if object.is_ident("result") && !matches!(property.kind, NodeKind::Int(0)) {
                only_first = false;
            }
        }
        if let NodeKind::Slice { object, .. } = &node.kind {
            if object.is_ident("result") {
                only_first = false;
            }
        }
    });
    only_first
}

fn top_level_is_conjunction_of_comparisons(node: &canary_lab_expr::Node) -> bool {
    match &node.kind {
        NodeKind::Binary {
            op: BinaryOp::And,
            left,
            right,
            ..
        } => {
            top_level_is_conjunction_of_comparisons(left)
                && top_level_is_conjunction_of_comparisons(right)
        }
        NodeKind::Binary { op, .. } => matches!(
            op,
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Gt | BinaryOp::Le | BinaryOp::Ge
        ),
        _ => false,
    }
}
