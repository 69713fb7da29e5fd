//! PROM402

use canary_lab_promql::{selectors, MatchOp};

use crate::context::{Context, Report};
use crate::query::empty_result_consequence;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks each label matcher of a query against the labels the metric's
    /// producers set. Span metrics carry `service_name`, `span_name`,
    /// `span_kind`, `status_code`, the connector's dimensions with dots
    /// turned into underscores (`hotrod.pod.hash` → `hotrod_pod_hash`), and
    /// the collector pod's scrape labels. Scraped pods add `namespace`,
    /// `pod`, `node`, `job`, `instance` and their pod labels
    /// (`app`, `rollouts_pod_template_hash`).
    ///
    /// ## Why is this bad?
    /// A matcher on a label no series has (`=`, or a regex that cannot match
    /// the empty string) selects nothing: the query returns an empty vector
    /// and `result[0]` fails with `reflect: slice index out of range`.
    ///
    /// ## Example
    /// ```yaml
    /// query: sum(rate(traces_span_metrics_calls_total{hotrod.pod.hash="{{args.canary-hash}}"}[2m]))
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// query: sum(rate(traces_span_metrics_calls_total{hotrod_pod_hash="{{args.canary-hash}}"}[2m]))
    /// ```
    pub RULE {
        code: "PROM402",
        name: "label-never-set",
        group: QueryProducer,
        severity: Error,
        summary: "a query filters on a label no producer sets",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut reports = Vec::new();
    for q in &ctx.queries {
        let Ok(expr) = &q.parsed else { continue };
        for selector in selectors(expr) {
            let Some(name) = &selector.metric else {
                continue;
            };
            let Some(producers) = ctx.telemetry.series.get(name) else {
                continue;
            };
            if producers.iter().any(|p| p.labels.is_none()) {
                continue;
            }
            for matcher in &selector.matchers {
                let can_match_absent = match matcher.op {
                    MatchOp::Equal => matcher.value.is_empty(),
                    MatchOp::Regex => matches!(matcher.value.as_str(), "" | ".*"),
                    MatchOp::NotEqual | MatchOp::NotRegex => true,
                };
                if matcher.name == "__name__" || can_match_absent {
                    continue;
                }
                let set = producers
                    .iter()
                    .any(|p| p.labels.as_ref().is_some_and(|l| l.contains(&matcher.name)));
                if set {
                    continue;
                }
                let available: Vec<&str> = producers
                    .iter()
                    .flat_map(|p| p.labels.iter().flatten())
                    .map(String::as_str)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                reports.push(
                    Report::new(
                        q.query.span_of(matcher.name_span.clone()),
                        format!(
                            "no producer of `{name}` sets label `{}`: {}",
                            matcher.name,
                            empty_result_consequence(q.metric)
                        ),
                    )
                    .label(
                        producers[0].span,
                        format!("produced by {}", producers[0].producer),
                    )
                    .help(format!("labels on `{name}`: {}", available.join(", "))),
                );
            }
        }
    }
    reports.into_iter().for_each(|r| ctx.emit(r));
}
