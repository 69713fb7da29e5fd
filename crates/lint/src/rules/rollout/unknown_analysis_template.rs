//! ARGO601

use crate::context::{Context, Report};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an analysis (inline step or background) whose `templateName`
    /// matches no AnalysisTemplate in the Rollout's namespace (or no
    /// ClusterAnalysisTemplate with `clusterScope: true`).
    ///
    /// ## Why is this bad?
    /// The Rollout is invalid (`AnalysisTemplate '<name>' not found`), is
    /// marked Degraded, and never progresses.
    ///
    /// ## Example
    /// ```yaml
    /// templates:
    ///   - templateName: hotrod-analysys
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// templates:
    ///   - templateName: hotrod-analysis
    /// ```
    pub RULE {
        code: "ARGO601",
        name: "unknown-analysis-template",
        group: Rollout,
        severity: Error,
        summary: "an analysis names a template that does not exist",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for rollout in &ctx.ws.rollouts {
        for analysis in rollout.analyses() {
            for reference in &analysis.templates {
                let name = &reference.name.value;
                let ns = &rollout.meta.namespace;
                if ctx
                    .ws
                    .analysis_template(name, ns, reference.cluster_scope)
                    .is_some()
                {
                    continue;
                }
                let kind = if reference.cluster_scope {
                    "ClusterAnalysisTemplate"
                } else {
                    "AnalysisTemplate"
                };
                let known: Vec<String> = ctx
                    .ws
                    .analysis_templates
                    .iter()
                    .filter(|t| {
                        t.cluster_scoped == reference.cluster_scope
                            && (reference.cluster_scope || &t.meta.namespace == ns)
                    })
                    .map(|t| format!("`{}`", t.meta.name.value))
                    .collect();
                let help = if known.is_empty() {
                    format!("no {kind} exists in namespace `{ns}`")
                } else {
                    format!("templates in namespace `{ns}`: {}", known.join(", "))
                };
                out.push(Report::new(reference.name.span, format!("{kind} `{name}` does not exist: the Rollout is invalid (`{kind} '{name}' not found`)")).help(help));
            }
        }
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
