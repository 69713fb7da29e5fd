//! ARGO512

use crate::context::{Context, Report};
use crate::query::{excludes_scrapes, traffic_selector};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a traffic check on HotROD's `hotrod_requests_total` (or
    /// `hotrod_http_requests_total`) that does not exclude
    /// `endpoint="/metrics"`. Regex matchers are run the way Prometheus runs
    /// them (anchored), so `endpoint=~".*dispatch.*"` is enough and
    /// `endpoint=~"/.*"` is not.
    ///
    /// ## Why is this bad?
    /// HotROD serves `/metrics` on its traced HTTP mux, so every Prometheus
    /// scrape (every 10s) counts as a request: about 0.1 req/s per pod with
    /// no user traffic at all, enough to pass a `>= 0.05` threshold. The
    /// idle-canary check then passes on an idle canary.
    ///
    /// ## Example
    /// ```yaml
    /// query: sum(rate(hotrod_requests_total{rollouts_pod_template_hash="{{args.canary-hash}}"}[2m]))
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// query: sum(rate(hotrod_requests_total{endpoint!="/metrics", rollouts_pod_template_hash="{{args.canary-hash}}"}[2m]))
    /// ```
    pub RULE {
        code: "ARGO512",
        name: "traffic-query-counts-scrapes",
        group: AnalysisTemplate,
        severity: Warning,
        summary: "a traffic check also counts Prometheus's scrapes of `/metrics`",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for q in &ctx.queries {
        let Some(selector) = traffic_selector(q) else {
            continue;
        };
        let metric = selector.metric.as_deref().unwrap_or_default();
        if !matches!(
            metric,
            "hotrod_requests_total" | "hotrod_http_requests_total"
        ) {
            continue;
        }
        if excludes_scrapes(&selector) {
            continue;
        }
        let name_range = selector.name_span.clone().unwrap_or(selector.span.clone());
        let after_name = &q.query.text[name_range.end..];
        let (insert_at, text) = match after_name.find(|c: char| !c.is_whitespace()) {
            Some(i) if after_name[i..].starts_with('{') => (
                name_range.end + i + 1,
                "endpoint!=\"/metrics\", ".to_string(),
            ),
            _ => (name_range.end, "{endpoint!=\"/metrics\"}".to_string()),
        };
        let insert = q.query.span_of(insert_at..insert_at);
        out.push(
            Report::new(q.query.span_of(name_range), format!("traffic check `{}` also counts Prometheus's scrapes of HotROD's `/metrics` (about 0.1 req/s per pod), so an idle canary can pass it", q.metric.name.value))
                .help("exclude the scrape endpoint with `endpoint!=\"/metrics\"`")
                .fix("exclude `endpoint=\"/metrics\"`", vec![(insert, text)]),
        );
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
