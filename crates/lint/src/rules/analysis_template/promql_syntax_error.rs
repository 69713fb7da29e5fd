//! ARGO505

use crate::context::{Context, Report};
use crate::query::visible_range;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Parses each Prometheus query (with `{{args.x}}` replaced by a
    /// stand-in of the same length) and reports syntax errors at their
    /// position inside the query.
    ///
    /// ## Why is this bad?
    /// Prometheus answers `bad_data: parse error`, every measurement is an
    /// Error, and after `consecutiveErrorLimit` errors the rollout aborts.
    ///
    /// ## Example
    /// ```yaml
    /// query: sum(rate(hotrod_requests_total[2m])
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// query: sum(rate(hotrod_requests_total[2m]))
    /// ```
    pub RULE {
        code: "ARGO505",
        name: "promql-syntax-error",
        group: AnalysisTemplate,
        severity: Error,
        summary: "a Prometheus query does not parse",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for q in &ctx.queries {
        let Err(error) = &q.parsed else { continue };
        let range = visible_range(&q.query.text, error.span.clone());
        out.push(
            Report::new(
                q.query.span_of(range),
                format!(
                    "invalid PromQL in metric `{}`: {}",
                    q.metric.name.value, error.message
                ),
            )
            .help("Prometheus rejects the query with `bad_data`, so every measurement is an Error"),
        );
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
