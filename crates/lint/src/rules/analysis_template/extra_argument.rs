//! ARGO504

use crate::context::{Context, Report};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an argument a Rollout's analysis passes that none of the
    /// referenced templates declares.
    ///
    /// ## Why is this bad?
    /// Argo ignores it. Usually it is a misspelling of a declared argument,
    /// which then has no value (see ARGO503), or the template forgot to
    /// declare it.
    ///
    /// ## Example
    /// ```yaml
    /// args:
    ///   - name: canary_hash
    ///     valueFrom: {podTemplateHashValue: Latest}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// args:
    ///   - name: canary-hash
    ///     valueFrom: {podTemplateHashValue: Latest}
    /// ```
    pub RULE {
        code: "ARGO504",
        name: "extra-argument",
        group: AnalysisTemplate,
        severity: Warning,
        summary: "a Rollout passes an argument no referenced template declares",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for rollout in &ctx.ws.rollouts {
        for analysis in rollout.analyses() {
            let templates: Vec<_> = analysis
                .templates
                .iter()
                .filter_map(|r| {
                    ctx.ws.analysis_template(
                        &r.name.value,
                        &rollout.meta.namespace,
                        r.cluster_scope,
                    )
                })
                .collect();
            if templates.len() != analysis.templates.len() {
                continue;
            }
            for arg in &analysis.args {
                if templates.iter().any(|t| t.arg(&arg.name.value).is_some()) {
                    continue;
                }
                let names: Vec<String> = templates
                    .iter()
                    .map(|t| format!("`{}`", t.meta.name.value))
                    .collect();
                out.push(
                    Report::new(arg.name.span, format!("argument `{}` is not declared by {}, so Argo ignores it", arg.name.value, names.join(", ")))
                        .help("fix the name to match a declared argument, or declare it in the template's `spec.args`"),
                );
            }
        }
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
