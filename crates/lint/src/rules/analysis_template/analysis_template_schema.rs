//! ARGO501

use crate::context::{Context, Report};
use crate::duration::parse_go_duration;
use crate::model::IntOrString;
use crate::registry::declare_rule;
use crate::yaml::Node;

declare_rule! {
    /// ## What it does
    /// Checks an AnalysisTemplate's shape the way Argo Rollouts validates an
    /// AnalysisRun: at least one metric, each with a unique `name` and
    /// exactly one provider, a Prometheus `query`, Go durations for
    /// `interval`/`initialDelay`, an `interval` when `count > 1`, and no
    /// unknown fields.
    ///
    /// ## Why is this bad?
    /// The AnalysisRun ends in phase Error (`Analysis spec invalid: …`) and
    /// the rollout aborts; an unknown field is dropped by the API server, so
    /// a misspelt `failureLimt` silently keeps the default of 0.
    ///
    /// ## Example
    /// ```yaml
    /// metrics:
    ///   - name: latency
    ///     interval: 10
    ///     count: 3
    ///     failureLimt: 2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// metrics:
    ///   - name: latency
    ///     interval: 10s
    ///     count: 3
    ///     failureLimit: 2
    ///     provider:
    ///       prometheus:
    ///         address: http://prometheus-server.prometheus.svc.cluster.local
    ///         query: …
    /// ```
    pub RULE {
        code: "ARGO501",
        name: "analysis-template-schema",
        group: AnalysisTemplate,
        severity: Error,
        summary: "an AnalysisTemplate field is missing, unknown or malformed",
        check: check,
    }
}

const SPEC_KEYS: &[&str] = &[
    "metrics",
    "args",
    "dryRun",
    "measurementRetention",
    "templates",
];
const METRIC_KEYS: &[&str] = &[
    "name",
    "interval",
    "initialDelay",
    "count",
    "successCondition",
    "failureCondition",
    "failureLimit",
    "inconclusiveLimit",
    "consecutiveErrorLimit",
    "consecutiveSuccessLimit",
    "provider",
];
const PROMETHEUS_KEYS: &[&str] = &[
    "address",
    "query",
    "timeout",
    "insecure",
    "headers",
    "authentication",
    "rangeQuery",
];
const ARG_KEYS: &[&str] = &["name", "value", "valueFrom"];

fn unknown_keys(node: &Node, allowed: &[&str], what: &str, out: &mut Vec<Report>) {
    for entry in node.as_mapping().unwrap_or_default() {
        let key = entry.key.as_scalar().unwrap_or_default();
        if !allowed.contains(&key) {
            out.push(
                Report::new(entry.key.span, format!("unknown field `{key}` in {what}"))
                    .help(format!("known fields: {}", allowed.join(", "))),
            );
        }
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for template in &ctx.ws.analysis_templates {
        let Some(spec) = &template.spec else {
            out.push(Report::new(
                template.meta.kind.span,
                "AnalysisTemplate has no `spec`: the run fails with `no metrics specified`",
            ));
            continue;
        };
        unknown_keys(spec, SPEC_KEYS, "the template spec", &mut out);
        for arg in spec
            .get("args")
            .and_then(Node::as_sequence)
            .unwrap_or_default()
        {
            unknown_keys(arg, ARG_KEYS, "an argument", &mut out);
        }
        let metrics = spec
            .get("metrics")
            .and_then(Node::as_sequence)
            .unwrap_or_default();
        if metrics.is_empty() {
            out.push(Report::new(
                spec.entry("metrics")
                    .map_or(template.meta.name.span, |e| e.key.span),
                "the template has no metrics: the run fails with `no metrics specified`",
            ));
        }
        for (index, node) in metrics.iter().enumerate() {
            check_metric(node, index, &mut out);
        }
        for (index, metric) in template.metrics.iter().enumerate() {
            if template.metrics[..index]
                .iter()
                .any(|m| m.name.value == metric.name.value)
            {
                out.push(Report::new(metric.name.span, format!("duplicate metric name `{}`: the run fails with `metrics[{index}]: duplicate name '{}'`", metric.name.value, metric.name.value)));
            }
            let count = metric
                .count
                .as_ref()
                .and_then(|c| c.value.as_int())
                .unwrap_or(0);
            if count > 1 && metric.interval.is_none() && node_has_no_interval(metrics.get(index)) {
                let span = metric.count.as_ref().map_or(metric.name.span, |c| c.span);
                out.push(Report::new(span, format!("`count` is {count} but no `interval` is set: the run fails with `metrics[{index}]: interval must be specified when count > 1`")).help("add `interval: 10s`"));
            }
        }
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}

fn node_has_no_interval(node: Option<&Node>) -> bool {
    node.is_none_or(|n| n.get("interval").is_none_or(Node::is_null))
}

fn check_metric(node: &Node, index: usize, out: &mut Vec<Report>) {
    unknown_keys(node, METRIC_KEYS, "a metric", out);
    if node.get_str("name").is_none() {
        out.push(Report::new(
            node.span,
            format!("metric {index} has no `name`"),
        ));
    }
    for field in ["interval", "initialDelay"] {
        let Some(value) = node.get(field) else {
            continue;
        };
        let Some(text) = value.as_scalar() else {
            continue;
        };
        if text.contains("{{") {
            continue;
        }
        if let Err(e) = parse_go_duration(text) {
            let word = if field == "interval" {
                "interval"
            } else {
                "startDelay"
            };
            out.push(Report::new(value.span, format!("`{field}` is not a Go duration: the run fails with `metrics[{index}]: invalid {word} string: {e}`")).help("write durations with a unit: `30s`, `1m30s`, `500ms`"));
        }
    }
    for field in [
        "count",
        "failureLimit",
        "inconclusiveLimit",
        "consecutiveErrorLimit",
        "consecutiveSuccessLimit",
    ] {
        let Some(value) = node.get(field).filter(|v| !v.is_null()) else {
            continue;
        };
        let ok = value.as_scalar().is_some_and(|s| {
            s.contains("{{") || IntOrString::String(s.to_string()).as_int().is_some()
        });
        if !ok {
            out.push(Report::new(
                value.span,
                format!("`{field}` must be an integer"),
            ));
        }
    }
    let Some(provider) = node.get("provider").filter(|p| !p.is_null()) else {
        out.push(Report::new(node.get("name").map_or(node.span, |n| n.span), format!("metric has no `provider`: the run fails with `metrics[{index}]: no provider specified`")).help("add `provider: {prometheus: {address: …, query: …}}`"));
        return;
    };
    let providers = provider.as_mapping().unwrap_or_default();
    if providers.len() > 1 {
        out.push(Report::new(provider.span, format!("metric has several providers: the run fails with `metrics[{index}]: multiple providers specified`")));
    }
    if let Some(prometheus) = provider.get("prometheus") {
        unknown_keys(prometheus, PROMETHEUS_KEYS, "the prometheus provider", out);
        if prometheus.get_str("query").is_none() {
            out.push(Report::new(
                provider
                    .entry("prometheus")
                    .map_or(provider.span, |e| e.key.span),
                "the prometheus provider has no `query`",
            ));
        }
    }
}
