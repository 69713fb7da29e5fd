//! The typed, span-carrying model of everything `parse_workspace` recognised.
//!
//! Every value keeps the span of the YAML it came from (a byte range in the
//! OUTER file), so rules and the simulator can point at it. Maps are
//! `BTreeMap` so iteration order never depends on hashing.

mod analysis;
mod collector;
mod k8s;
mod rollout;

use std::collections::BTreeMap;

use serde::Serialize;

pub use analysis::{AnalysisTemplate, Metric, PrometheusProvider, Provider, TemplateArg};
pub use collector::{
    CollectorConfig, CollectorSource, Component, ComponentKind, ComponentList, ComponentSection,
    DecodeIssue, Pipeline, PipelinesSection, ServiceConfig, Signal,
};
pub use k8s::{ApplicationSet, Service, ServicePort, Workload, WorkloadKind};
pub use rollout::{
    ArgValue, CanaryStep, CanaryStrategy, Rollout, RolloutAnalysis, RolloutArg, StepKind,
    TemplateRef,
};

use crate::source::{FileId, Span};
use crate::yaml::OffsetMap;

/// A value with the span of the YAML node it was read from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

/// A Kubernetes integer-or-string field (`count: 3`, `count: "{{args.n}}"`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum IntOrString {
    Int(i64),
    String(String),
}

impl IntOrString {
    pub fn as_int(&self) -> Option<i64> {
        match self {
            IntOrString::Int(i) => Some(*i),
            IntOrString::String(s) => s.trim().parse().ok(),
        }
    }
}

/// A string whose characters can be traced back to the outer file, e.g. a
/// PromQL query in a block scalar: `offsets` maps byte offsets of `text` to
/// byte offsets of the file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmbeddedText {
    pub text: String,
    /// The whole YAML scalar (including a block header or quotes).
    pub span: Span,
    pub offsets: OffsetMap,
}

impl EmbeddedText {
    /// The outer-file span of a byte range of `text`.
    pub fn span_of(&self, range: std::ops::Range<usize>) -> Span {
        let start = self.offsets.to_outer(range.start);
        let end = if range.end > range.start {
            self.offsets.to_outer(range.end - 1) + 1
        } else {
            start
        };
        Span::new(self.span.file, start, end)
    }
}

/// Where an object's namespace came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NamespaceSource {
    /// `metadata.namespace`
    Metadata,
    /// The first directory of the file path (the challenge's ApplicationSet
    /// creates one namespace per top-level folder).
    Directory,
    Default,
}

/// The parts of `metadata` we use, plus where the object lives.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectMeta {
    pub kind: Spanned<String>,
    pub api_version: Option<Spanned<String>>,
    /// Empty (with the span of `kind`) when `metadata.name` is missing.
    pub name: Spanned<String>,
    pub namespace: String,
    pub namespace_source: NamespaceSource,
    pub labels: BTreeMap<String, Spanned<String>>,
    pub annotations: BTreeMap<String, Spanned<String>>,
    pub file: FileId,
    /// Index of the YAML document within the file.
    pub document: usize,
    /// The whole document.
    pub span: Span,
}

/// `spec.template` of a workload.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PodTemplate {
    pub labels: BTreeMap<String, Spanned<String>>,
    pub annotations: BTreeMap<String, Spanned<String>>,
    pub containers: Vec<Container>,
}

impl PodTemplate {
    /// `prometheus.io/scrape: "true"`.
    pub fn scraped(&self) -> bool {
        self.annotations
            .get("prometheus.io/scrape")
            .is_some_and(|v| v.value == "true")
    }

    /// `prometheus.io/port`, when it is a number.
    pub fn scrape_port(&self) -> Option<Spanned<u32>> {
        let port = self.annotations.get("prometheus.io/port")?;
        let value = port.value.trim().parse().ok()?;
        Some(Spanned::new(value, port.span))
    }

    pub fn env(&self, name: &str) -> Option<&EnvVar> {
        self.containers
            .iter()
            .flat_map(|c| &c.env)
            .find(|e| e.name.value == name)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Container {
    pub name: Spanned<String>,
    pub image: Option<Spanned<String>>,
    pub args: Vec<Spanned<String>>,
    pub ports: Vec<ContainerPort>,
    pub env: Vec<EnvVar>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContainerPort {
    pub name: Option<Spanned<String>>,
    pub container_port: Option<Spanned<u32>>,
    pub protocol: Option<Spanned<String>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EnvVar {
    pub name: Spanned<String>,
    pub value: Option<Spanned<String>>,
    pub value_from: Option<EnvSource>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum EnvSource {
    /// `valueFrom.fieldRef.fieldPath`
    FieldRef(Spanned<String>),
    /// Any other source (`secretKeyRef`, `configMapKeyRef`, …), by key.
    Other(Spanned<String>),
}

/// Something the parser could not read as the model expects; the YAML rules
/// turn these into diagnostics.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParseIssue {
    pub kind: ParseIssueKind,
    pub message: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ParseIssueKind {
    /// A YAML syntax error in a manifest.
    Syntax,
    /// A nesting or alias-expansion limit was hit.
    Limit,
    /// A field of a recognised kind has the wrong shape or type.
    FieldType,
    /// A document that is not a mapping, or has no `kind`.
    NotAnObject,
}

/// Everything recognised in a set of files.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Workspace {
    /// Paths, indexed by [`FileId`].
    pub paths: Vec<String>,
    pub collectors: Vec<CollectorConfig>,
    pub rollouts: Vec<Rollout>,
    pub analysis_templates: Vec<AnalysisTemplate>,
    pub services: Vec<Service>,
    /// DaemonSets and Deployments.
    pub workloads: Vec<Workload>,
    pub application_sets: Vec<ApplicationSet>,
    pub issues: Vec<ParseIssue>,
}

impl Workspace {
    pub fn path(&self, file: FileId) -> &str {
        self.paths.get(file.index()).map_or("", String::as_str)
    }

    /// The template a Rollout's `templateName` refers to: a namespaced
    /// AnalysisTemplate in `namespace`, or a ClusterAnalysisTemplate when
    /// `cluster_scope` is set.
    pub fn analysis_template(
        &self,
        name: &str,
        namespace: &str,
        cluster_scope: bool,
    ) -> Option<&AnalysisTemplate> {
        self.analysis_templates.iter().find(|t| {
            t.meta.name.value == name
                && t.cluster_scoped == cluster_scope
                && (cluster_scope || t.meta.namespace == namespace)
        })
    }

    /// Every pod template with its owner's namespace and kind, for rules
    /// that reason about all pods alike.
    pub fn pod_templates(&self) -> impl Iterator<Item = (&ObjectMeta, &PodTemplate)> {
        self.rollouts
            .iter()
            .map(|r| (&r.meta, &r.template))
            .chain(self.workloads.iter().map(|w| (&w.meta, &w.template)))
    }
}
