//! Analysis queries prepared for parsing: `{{args.x}}` placeholders are
//! replaced by text of the SAME length, so byte offsets in the parsed query
//! are offsets in the written query, which [`EmbeddedText`] maps to the file.

use canary_lab_promql::{parse, Expr, ParseError};

use crate::model::{AnalysisTemplate, EmbeddedText, Metric, Workspace};

/// Replaces each `{{…}}` with a same-length stand-in that keeps the query
/// parsable: letters inside quotes, a duration after `[`, else a number.
pub fn substitute_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut in_quotes = false;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}").map(|i| i + 2) else {
            break;
        };
        let before = &rest[..start];
        in_quotes ^= before.matches('"').count() % 2 == 1;
        out.push_str(before);
        let prev = out.trim_end().chars().last();
        let stand_in = if in_quotes {
            "x".repeat(len)
        } else if prev == Some('[') || prev == Some(':') {
            format!("{}1m", "0".repeat(len - 2))
        } else {
            format!("{}1", "0".repeat(len - 1))
        };
        out.push_str(&stand_in);
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// One Prometheus metric of an analysis template, with its parsed query.
pub struct AnalysisQuery<'w> {
    pub template: &'w AnalysisTemplate,
    pub metric: &'w Metric,
    pub query: &'w EmbeddedText,
    pub parsed: Result<Expr, ParseError>,
}

/// Every Prometheus query in the workspace's analysis templates.
pub fn analysis_queries(ws: &Workspace) -> Vec<AnalysisQuery<'_>> {
    ws.analysis_templates
        .iter()
        .flat_map(|template| {
            template
                .metrics
                .iter()
                .map(move |metric| (template, metric))
        })
        .filter_map(|(template, metric)| {
            let query = metric.prometheus()?.query.as_ref()?;
            Some(AnalysisQuery {
                template,
                metric,
                query,
                parsed: parse(&substitute_placeholders(&query.text)),
            })
        })
        .collect()
}

/// What an empty result does to the metric's success condition, for messages.
pub fn empty_result_consequence(metric: &Metric) -> &'static str {
    let indexes = metric
        .success_condition
        .iter()
        .chain(&metric.failure_condition)
        .any(|c| c.text.contains("result[0]"));
    if indexes {
        "the query can only return an empty vector, so `result[0]` fails with `reflect: slice index out of range`"
    } else {
        "the query can only return an empty vector"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_keep_offsets_and_parse() {
        let q = "rate(x{ns=\"{{args.namespace}}\"}[{{args.w}}]) > {{args.t}}";
        let s = substitute_placeholders(q);
        assert_eq!(s.len(), q.len());
        assert!(parse(&s).is_ok(), "{s}");
    }
}
