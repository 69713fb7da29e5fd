//! Builder for `AnalysisTemplate` / `ClusterAnalysisTemplate`.

use super::fields::Reader;
use crate::model::{
    AnalysisTemplate, Metric, ObjectMeta, PrometheusProvider, Provider, Spanned, TemplateArg,
};
use crate::yaml::Node;

pub(crate) fn build(reader: &mut Reader, meta: ObjectMeta, doc: &Node) -> AnalysisTemplate {
    let spec = doc.get("spec");
    let args = reader
        .sequence(spec.and_then(|s| s.get("args")), "spec.args")
        .iter()
        .filter_map(|a| {
            Some(TemplateArg {
                name: reader.string(a.get("name"), "spec.args[].name")?,
                value: reader.string(a.get("value"), "spec.args[].value"),
                value_from: a.get("valueFrom").is_some_and(|v| !v.is_null()),
                span: a.span,
            })
        })
        .collect();
    let metrics = reader
        .sequence(spec.and_then(|s| s.get("metrics")), "spec.metrics")
        .iter()
        .map(|m| metric(reader, m))
        .collect();
    AnalysisTemplate {
        cluster_scoped: meta.kind.value == "ClusterAnalysisTemplate",
        meta,
        args,
        metrics,
        spec: spec.cloned(),
    }
}

fn metric(reader: &mut Reader, node: &Node) -> Metric {
    let provider = node.get("provider").filter(|p| !p.is_null()).map(|p| {
        let mut others = Vec::new();
        let mut prometheus = None;
        for entry in reader.mapping(Some(p), "provider") {
            match entry.key.as_scalar() {
                Some("prometheus") => {
                    let prom = &entry.value;
                    reader.mapping(Some(prom), "provider.prometheus");
                    prometheus = Some(PrometheusProvider {
                        span: entry.key.span.cover(prom.span),
                        address: reader.string(prom.get("address"), "prometheus.address"),
                        query: reader.embedded(prom.get("query"), "prometheus.query"),
                        timeout: reader.int(prom.get("timeout"), "prometheus.timeout"),
                    });
                }
                Some(other) => others.push(Spanned::new(other.to_string(), entry.key.span)),
                None => {}
            }
        }
        Provider {
            span: p.span,
            prometheus,
            others,
        }
    });
    Metric {
        name: reader
            .string(node.get("name"), "metrics[].name")
            .unwrap_or_else(|| Spanned::new(String::new(), node.span)),
        span: node.span,
        interval: reader.duration(node.get("interval"), "interval"),
        initial_delay: reader.duration(node.get("initialDelay"), "initialDelay"),
        count: reader.int_or_string(node.get("count"), "count"),
        failure_limit: reader.int_or_string(node.get("failureLimit"), "failureLimit"),
        inconclusive_limit: reader
            .int_or_string(node.get("inconclusiveLimit"), "inconclusiveLimit"),
        consecutive_error_limit: reader
            .int_or_string(node.get("consecutiveErrorLimit"), "consecutiveErrorLimit"),
        consecutive_success_limit: reader.int_or_string(
            node.get("consecutiveSuccessLimit"),
            "consecutiveSuccessLimit",
        ),
        success_condition: reader.embedded(node.get("successCondition"), "successCondition"),
        failure_condition: reader.embedded(node.get("failureCondition"), "failureCondition"),
        provider,
    }
}
