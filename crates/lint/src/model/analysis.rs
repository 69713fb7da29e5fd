//! Argo Rollouts `AnalysisTemplate` / `ClusterAnalysisTemplate`.

use std::time::Duration;

use serde::Serialize;

use super::{EmbeddedText, IntOrString, ObjectMeta, Spanned};
use crate::source::Span;
use crate::yaml::Node;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnalysisTemplate {
    pub meta: ObjectMeta,
    pub cluster_scoped: bool,
    pub args: Vec<TemplateArg>,
    pub metrics: Vec<Metric>,
    /// The `spec` node, for schema checks.
    pub spec: Option<Node>,
}

impl AnalysisTemplate {
    pub fn arg(&self, name: &str) -> Option<&TemplateArg> {
        self.args.iter().find(|a| a.name.value == name)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateArg {
    pub name: Spanned<String>,
    /// A default `value`.
    pub value: Option<Spanned<String>>,
    /// `valueFrom` is set (secretKeyRef / fieldRef).
    pub value_from: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metric {
    pub name: Spanned<String>,
    pub span: Span,
    pub interval: Option<Spanned<Duration>>,
    pub initial_delay: Option<Spanned<Duration>>,
    pub count: Option<Spanned<IntOrString>>,
    pub failure_limit: Option<Spanned<IntOrString>>,
    pub inconclusive_limit: Option<Spanned<IntOrString>>,
    pub consecutive_error_limit: Option<Spanned<IntOrString>>,
    pub consecutive_success_limit: Option<Spanned<IntOrString>>,
    pub success_condition: Option<EmbeddedText>,
    pub failure_condition: Option<EmbeddedText>,
    pub provider: Option<Provider>,
}

impl Metric {
    pub fn prometheus(&self) -> Option<&PrometheusProvider> {
        self.provider.as_ref()?.prometheus.as_ref()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Provider {
    pub span: Span,
    pub prometheus: Option<PrometheusProvider>,
    /// Other providers (`web`, `datadog`, …), by key.
    pub others: Vec<Spanned<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrometheusProvider {
    pub span: Span,
    pub address: Option<Spanned<String>>,
    /// The query text with a map from its byte offsets to the file.
    pub query: Option<EmbeddedText>,
    /// Seconds.
    pub timeout: Option<Spanned<i64>>,
}
