//! YAML001

use crate::context::Context;
use crate::model::ParseIssueKind;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a manifest that is not valid YAML, at the position where the
    /// parser gave up.
    ///
    /// ## Why is this bad?
    /// Argo CD cannot apply a file it cannot parse: the application stays
    /// out of sync and nothing in the file takes effect.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: hotrod
    ///    labels: {}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// metadata:
    ///   name: hotrod
    ///   labels: {}
    /// ```
    pub RULE {
        code: "YAML001",
        name: "yaml-syntax-error",
        group: Yaml,
        severity: Error,
        summary: "the file is not valid YAML",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_issues(
        ctx,
        ParseIssueKind::Syntax,
        "check the indentation and quoting on this line and the one above",
    );
}
