//! `ARGO5xx`: AnalysisTemplate problems: schema, arguments, queries,
//! conditions, limits, and what the analysis fails to check.

pub mod analysis_template_schema;
pub mod extra_argument;
pub mod metric_cannot_fail;
pub mod metric_runs_forever;
pub mod missing_argument;
pub mod no_traffic_check;
pub mod promql_syntax_error;
pub mod traffic_query_counts_scrapes;
pub mod undeclared_argument;

use canary_lab_promql::{selectors, BinaryOp, ExprKind, SelectorInfo};

use crate::query::AnalysisQuery;

/// A metric that checks the canary gets traffic: a request counter's rate,
/// no ratio, no quantile, and a lower bound in the success condition.
/// Returns the counter's selector.
pub(crate) fn traffic_selector(q: &AnalysisQuery) -> Option<SelectorInfo> {
    let expr = q.parsed.as_ref().ok()?;
    let mut ratio_or_quantile = false;
    expr.walk(&mut |e| match &e.kind {
        ExprKind::Binary(b) if b.op == BinaryOp::Div => ratio_or_quantile = true,
        ExprKind::Call { func, .. } if format!("{func:?}").to_lowercase().contains("quantile") => {
            ratio_or_quantile = true
        }
        _ => {}
    });
    let lower_bound = q
        .metric
        .success_condition
        .as_ref()
        .is_some_and(|c| c.text.contains('>'));
    if ratio_or_quantile || !lower_bound {
        return None;
    }
    selectors(expr).into_iter().find(|s| {
        s.metric
            .as_deref()
            .is_some_and(|m| m.ends_with("_total") || m.ends_with("_count"))
    })
}
