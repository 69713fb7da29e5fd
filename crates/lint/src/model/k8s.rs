//! Plain Kubernetes and Argo CD objects: Service, DaemonSet/Deployment, ApplicationSet.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{IntOrString, ObjectMeta, PodTemplate, Spanned};
use crate::source::Span;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Service {
    pub meta: ObjectMeta,
    pub selector: BTreeMap<String, Spanned<String>>,
    pub ports: Vec<ServicePort>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServicePort {
    pub name: Option<Spanned<String>>,
    pub port: Option<Spanned<u32>>,
    pub target_port: Option<Spanned<IntOrString>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum WorkloadKind {
    DaemonSet,
    Deployment,
}

/// A DaemonSet or Deployment.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Workload {
    pub meta: ObjectMeta,
    pub kind: WorkloadKind,
    /// Deployments only; a DaemonSet runs one pod per node.
    pub replicas: Option<Spanned<i64>>,
    pub selector: BTreeMap<String, Spanned<String>>,
    pub template: super::PodTemplate,
    /// ConfigMaps mounted as volumes, by name.
    pub config_map_volumes: Vec<Spanned<String>>,
}

impl Workload {
    pub fn pod(&self) -> &PodTemplate {
        &self.template
    }
}

/// An Argo CD ApplicationSet (kept for its generator directories).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApplicationSet {
    pub meta: ObjectMeta,
    /// `spec.generators[].git.directories[]`: (path, exclude).
    pub directories: Vec<(Spanned<String>, bool)>,
    /// `spec.template.spec.destination.namespace`
    pub destination_namespace: Option<Spanned<String>>,
}
