//! Why a query came back empty or NaN: each vector selector is evaluated on
//! its own, then with one matcher dropped at a time, to find what empties
//! it, and the producer that should have made the series is named, with
//! the lint rule that predicts the problem.

use std::collections::{BTreeMap, BTreeSet};

use canary_lab_lint::naming::{
    prometheus_label_name, spanmetrics_metrics, HistogramUnit, SpanMetricsNaming,
};
use canary_lab_promql::{
    eval_instant, format_duration, parse, selectors, Expr, MatchOp, MatcherInfo, SelectorInfo,
    Value,
};

use crate::clock::Millis;
use crate::scenario::Scenario;
use crate::timeline::Explanation;
use crate::tsdb::Tsdb;

const LOOKBACK_MS: Millis = 5 * 60_000;

/// What the manifests say each series' producer is.
#[derive(Clone, Debug, Default)]
pub struct ProducerFacts {
    span_metric_names: BTreeSet<String>,
    /// Prometheus label → the spanmetrics dimension that sets it.
    dimension_labels: BTreeMap<String, String>,
    dimensions: Vec<String>,
    flush_interval_ms: Option<Millis>,
}

impl ProducerFacts {
    pub fn of(scenario: &Scenario) -> Self {
        let mut facts = ProducerFacts::default();
        let collector = scenario.collector.as_ref();
        let exporter_ns = collector
            .and_then(|c| c.exporters.first())
            .map(|e| e.namespace.clone())
            .unwrap_or_default();
        let mut namings = vec![SpanMetricsNaming::default()];
        for s in collector.iter().flat_map(|c| &c.spanmetrics) {
            facts
                .dimensions
                .extend(s.dimensions.iter().map(|d| d.name.clone()));
            facts.flush_interval_ms = Some(s.flush_interval_ms);
            namings.push(SpanMetricsNaming {
                namespace: s.namespace.clone(),
                unit: if s.unit_seconds {
                    HistogramUnit::Seconds
                } else {
                    HistogramUnit::Milliseconds
                },
                histogram_disabled: false,
                events_enabled: false,
                dimensions: s.dimensions.iter().map(|d| d.name.clone()).collect(),
                exclude_dimensions: s.exclude_dimensions.clone(),
            });
        }
        for naming in &namings {
            for metric in spanmetrics_metrics(naming, &exporter_ns)
                .into_iter()
                .chain(spanmetrics_metrics(naming, ""))
            {
                facts.span_metric_names.extend(metric.series);
            }
        }
        for d in &facts.dimensions {
            facts
                .dimension_labels
                .insert(prometheus_label_name(d), d.clone());
        }
        facts
    }
}

fn op_text(op: MatchOp) -> &'static str {
    match op {
        MatchOp::Equal => "=",
        MatchOp::NotEqual => "!=",
        MatchOp::Regex => "=~",
        MatchOp::NotRegex => "!~",
    }
}

fn matcher_text(m: &MatcherInfo) -> String {
    format!("{}{}{:?}", m.name, op_text(m.op), m.value)
}

fn selector_text(name: Option<&str>, matchers: &[&MatcherInfo]) -> String {
    let inner: Vec<String> = matchers
        .iter()
        .filter(|m| !(m.name == "__name__" && name.is_some()))
        .map(|m| matcher_text(m))
        .collect();
    format!("{}{{{}}}", name.unwrap_or(""), inner.join(","))
}

fn eval_vector(tsdb: &mut Tsdb, text: &str, now_ms: Millis) -> Option<Vec<f64>> {
    let expr = parse(text).ok()?;
    crate::engine::sync_for(tsdb, &expr, now_ms);
    match eval_instant(tsdb.query_storage(), &expr, now_ms).ok()? {
        Value::Vector(v) => Some(v.iter().map(|s| s.value).collect()),
        _ => None,
    }
}

/// Explanations for an empty or NaN result of `expr` at `now_ms`.
/// `blocker` is why span metrics are missing right now, if they are.
pub fn explain(
    expr: &Expr,
    now_ms: Millis,
    tsdb: &mut Tsdb,
    facts: &ProducerFacts,
    blocker: Option<(String, Option<String>)>,
) -> Vec<Explanation> {
    let mut out = Vec::new();
    for selector in selectors(expr) {
        let all: Vec<&MatcherInfo> = selector.matchers.iter().collect();
        let text = selector_text(selector.metric.as_deref(), &all);
        match eval_vector(tsdb, &text, now_ms) {
            Some(v) if !v.is_empty() => {
                out.extend(explain_flat(&selector, &text, now_ms, tsdb, facts, expr))
            }
            _ => out.push(explain_empty(
                &selector,
                &text,
                now_ms,
                tsdb,
                facts,
                blocker.clone(),
            )),
        }
    }
    out
}

/// A selector that matches but whose range holds no increase (NaN from
/// histogram_quantile or 0/0).
fn explain_flat(
    selector: &SelectorInfo,
    text: &str,
    now_ms: Millis,
    tsdb: &mut Tsdb,
    facts: &ProducerFacts,
    expr: &Expr,
) -> Option<Explanation> {
    let range_ms = selector.range_ms?;
    let range = format_duration(range_ms);
    let increases = eval_vector(tsdb, &format!("increase({text}[{range}])"), now_ms)?;
    let name = selector.metric.as_deref().unwrap_or_default();
    let quantile = format!("{expr:?}").contains("HistogramQuantile")
        || format!("{expr:?}").contains("histogram_quantile");
    let reason = if increases.is_empty() {
        format!("{text} has fewer than two samples in the last {range}, so rate() has nothing to compute")
    } else if increases.iter().all(|v| *v == 0.0) {
        let mut r = format!("{text} did not increase in the last {range}");
        if facts.span_metric_names.contains(name) {
            if let Some(f) = facts.flush_interval_ms {
                r.push_str(&format!(
                    ": spanmetrics only updates these series when it flushes (every {}s), and the first flush only creates them, so rate() needs a second flush inside the window",
                    f / 1000
                ));
            }
        }
        if quantile {
            r.push_str("; histogram_quantile over all-zero rates is NaN");
        }
        r
    } else {
        return None;
    };
    Some(Explanation {
        selector: Some(text.to_string()),
        matcher: None,
        reason,
        lint_code: None,
    })
}

fn explain_empty(
    selector: &SelectorInfo,
    text: &str,
    now_ms: Millis,
    tsdb: &mut Tsdb,
    facts: &ProducerFacts,
    blocker: Option<(String, Option<String>)>,
) -> Explanation {
    let name = selector.metric.as_deref();
    let explanation = |reason: String, matcher: Option<String>, code: Option<&str>| Explanation {
        selector: Some(text.to_string()),
        matcher,
        reason,
        lint_code: code.map(str::to_string),
    };
    if let Some(name) = name {
        if !tsdb.name_seen(name, now_ms) {
            let is_span_metric = facts.span_metric_names.contains(name);
            let is_hotrod = name.starts_with("hotrod_");
            let (why, code) = match (is_span_metric, blocker) {
                (true, Some((why, code))) => (why, code),
                (true, None) => (
                    "span metrics appear only after the connector's first flush and the next scrape of the collector".to_string(),
                    None,
                ),
                (false, _) if is_hotrod => ("no HotROD pod has been scraped yet".to_string(), None),
                (false, _) => (
                    format!("no producer in these manifests emits {name} (span metrics here are named {})", {
                        let names: Vec<&str> = facts.span_metric_names.iter().map(String::as_str).collect();
                        names.join(", ")
                    }),
                    Some("PROM401".to_string()),
                ),
            };
            return explanation(
                format!("no series named {name} exists: {why}"),
                None,
                code.as_deref(),
            );
        }
    }
    // Drop one matcher at a time: the one whose removal brings series back
    // is the one that empties the selector.
    for (i, m) in selector.matchers.iter().enumerate() {
        if m.name == "__name__" {
            continue;
        }
        let rest: Vec<&MatcherInfo> = selector
            .matchers
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, m)| m)
            .collect();
        let without = selector_text(name, &rest);
        if eval_vector(tsdb, &without, now_ms).is_none_or(|v| v.is_empty()) {
            continue;
        }
        let values: BTreeSet<&str> = tsdb
            .latest(now_ms)
            .filter(|(l, s)| {
                name.is_none_or(|n| l.metric_name() == Some(n))
                    && s.is_some_and(|(t, _)| t > now_ms - LOOKBACK_MS)
            })
            .filter_map(|(l, _)| l.get(&m.name))
            .collect();
        let subject = name.unwrap_or("the selected series");
        if values.is_empty() {
            let mut reason = format!("label {} is not set by any series of {subject}", m.name);
            if name.is_some_and(|n| facts.span_metric_names.contains(n)) {
                match facts.dimension_labels.get(&m.name) {
                    Some(dim) => reason.push_str(&format!(
                        ": spanmetrics has the dimension {dim}, but no span or resource attribute {dim} reached it (check OTEL_RESOURCE_ATTRIBUTES)"
                    )),
                    None => reason.push_str(&format!(
                        ": spanmetrics has no dimension {} (configured: {})",
                        m.name.replace('_', "."),
                        if facts.dimensions.is_empty() { "none".to_string() } else { facts.dimensions.join(", ") }
                    )),
                }
            }
            return explanation(reason, Some(matcher_text(m)), Some("PROM402"));
        }
        let shown: Vec<String> = values.iter().take(6).map(|v| format!("{v:?}")).collect();
        let mut reason = format!(
            "no series of {subject} has {}; values seen: {}",
            matcher_text(m),
            shown.join(", ")
        );
        if m.name == "le"
            && values.iter().any(|v| v.ends_with(".0"))
            && !m.value.contains('.')
            && m.value != "+Inf"
        {
            reason.push_str(" (Prometheus 3 stores le as float text: use le=\"");
            reason.push_str(&m.value);
            reason.push_str(".0\")");
        }
        return explanation(reason, Some(matcher_text(m)), None);
    }
    let recent = tsdb.latest(now_ms).any(|(l, s)| {
        name.is_some_and(|n| l.metric_name() == Some(n))
            && s.is_some_and(|(t, _)| t > now_ms - LOOKBACK_MS)
    });
    let reason = if recent {
        "the matchers together select nothing, though each alone matches series".to_string()
    } else {
        format!(
            "{} existed but has no sample in the last 5m (the target went away, or the exporter expired the series)",
            name.unwrap_or("the series")
        )
    };
    explanation(reason, None, None)
}
