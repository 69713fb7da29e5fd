//! YAML003

use crate::context::Context;
use crate::model::ParseIssueKind;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a field of a recognised object (Rollout, AnalysisTemplate,
    /// Service, DaemonSet, Deployment, ConfigMap, ApplicationSet) whose value
    /// has the wrong shape: a list where a mapping belongs, text where a
    /// number belongs, an unparsable duration, a document with no `kind`.
    ///
    /// ## Why is this bad?
    /// The Kubernetes API server rejects the object, or the controller reads
    /// the field as absent.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   replicas: two
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// spec:
    ///   replicas: 2
    /// ```
    pub RULE {
        code: "YAML003",
        name: "field-type-mismatch",
        group: Yaml,
        severity: Error,
        summary: "a field has the wrong type or shape",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_issues(
        ctx,
        ParseIssueKind::FieldType,
        "see the object's API reference for the expected type",
    );
    super::report_issues(
        ctx,
        ParseIssueKind::NotAnObject,
        "every document must be a mapping with `apiVersion` and `kind`",
    );
}
