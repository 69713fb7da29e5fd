//! Argo Rollouts `Rollout` (canary strategy).

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use super::{ObjectMeta, PodTemplate, Spanned};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rollout {
    pub meta: ObjectMeta,
    pub replicas: Option<Spanned<i64>>,
    pub selector: BTreeMap<String, Spanned<String>>,
    pub template: PodTemplate,
    /// `spec.strategy.canary`; `None` for blue-green or no strategy.
    pub canary: Option<CanaryStrategy>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CanaryStrategy {
    pub span: Span,
    pub steps: Vec<CanaryStep>,
    /// `spec.strategy.canary.analysis` (background analysis).
    pub background_analysis: Option<RolloutAnalysis>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CanaryStep {
    pub index: usize,
    pub span: Span,
    pub kind: StepKind,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum StepKind {
    SetWeight(Spanned<i64>),
    /// `pause: {}` waits for a manual promote; `duration` is parsed from an
    /// int (seconds) or a Go-style string.
    Pause {
        duration: Option<Spanned<Duration>>,
    },
    Analysis(RolloutAnalysis),
    /// Any other step (`experiment`, `setCanaryScale`, …), by key.
    Other(Spanned<String>),
}

/// An inline `analysis` step or the background analysis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RolloutAnalysis {
    pub span: Span,
    pub templates: Vec<TemplateRef>,
    pub args: Vec<RolloutArg>,
    /// Background analysis only.
    pub starting_step: Option<Spanned<i64>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TemplateRef {
    pub name: Spanned<String>,
    pub cluster_scope: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RolloutArg {
    pub name: Spanned<String>,
    pub value: ArgValue,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum ArgValue {
    Value(Spanned<String>),
    /// `valueFrom.fieldRef.fieldPath`
    FieldRef(Spanned<String>),
    /// `valueFrom.podTemplateHashValue` (`Latest` or `Stable`)
    PodTemplateHash(Spanned<String>),
    /// Some other `valueFrom` (e.g. `secretKeyRef`).
    Other(Spanned<String>),
    /// Neither `value` nor `valueFrom`.
    Missing,
}

impl Rollout {
    /// Every analysis of this rollout: inline steps first, then background.
    pub fn analyses(&self) -> impl Iterator<Item = &RolloutAnalysis> {
        let canary = self.canary.as_ref();
        canary
            .into_iter()
            .flat_map(|c| &c.steps)
            .filter_map(|s| match &s.kind {
                StepKind::Analysis(a) => Some(a),
                _ => None,
            })
            .chain(canary.and_then(|c| c.background_analysis.as_ref()))
    }
}
