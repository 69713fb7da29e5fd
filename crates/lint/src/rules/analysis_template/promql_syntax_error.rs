//! ARGO505

use crate::context::{Context, Report};
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
        let text = &q.query.text;
        let mut range = error.span.clone();
        // An error at the end of the query ("unclosed parenthesis") points
        // at its last character rather than past the block scalar.
        let content_end = text.trim_end().len();
        if range.start >= content_end && content_end > 0 {
            let last = text[..content_end]
                .chars()
                .next_back()
                .map_or(1, char::len_utf8);
            range = content_end - last..content_end;
        } else if range.is_empty() {
            range.end = range.start + text[range.start..].chars().next().map_or(0, char::len_utf8);
        }
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
