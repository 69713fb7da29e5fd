//! ARGO503

use crate::context::{Context, Report};
use crate::model::ArgValue;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a template argument with no default `value` that a Rollout's
    /// analysis (inline step or background) references the template from
    /// but does not supply, or supplies with neither `value` nor `valueFrom`.
    ///
    /// ## Why is this bad?
    /// Argo cannot build the AnalysisRun: the Rollout is invalid
    /// (`args.<name> was not resolved`) and never progresses.
    ///
    /// ## Example
    /// ```yaml
    /// # template: args: [{name: namespace}, {name: canary-hash}]
    /// - analysis:
    ///     templates: [{templateName: hotrod-analysis}]
    ///     args:
    ///       - name: namespace
    ///         valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// - analysis:
    ///     templates: [{templateName: hotrod-analysis}]
    ///     args:
    ///       - name: namespace
    ///         valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
    ///       - name: canary-hash
    ///         valueFrom: {podTemplateHashValue: Latest}
    /// ```
    pub RULE {
        code: "ARGO503",
        name: "missing-argument",
        group: AnalysisTemplate,
        severity: Error,
        summary: "a Rollout does not supply an argument the template needs",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for rollout in &ctx.ws.rollouts {
        for analysis in rollout.analyses() {
            for reference in &analysis.templates {
                let Some(template) = ctx.ws.analysis_template(
                    &reference.name.value,
                    &rollout.meta.namespace,
                    reference.cluster_scope,
                ) else {
                    continue;
                };
                for arg in &template.args {
                    if arg.value.is_some() || arg.value_from {
                        continue;
                    }
                    let supplied = analysis
                        .args
                        .iter()
                        .find(|a| a.name.value == arg.name.value);
                    let (span, how) = match supplied {
                        None => (reference.name.span, "does not supply it"),
                        Some(a) if matches!(a.value, ArgValue::Missing) => {
                            (a.name.span, "gives it neither `value` nor `valueFrom`")
                        }
                        Some(_) => continue,
                    };
                    out.push(
                        Report::new(span, format!("template `{}` needs argument `{}` and Rollout `{}` {how}: the Rollout is invalid (`args.{} was not resolved`)", template.meta.name.value, arg.name.value, rollout.meta.name.value, arg.name.value))
                            .label(arg.name.span, "declared here without a default")
                            .help(format!("add `- name: {}` with a `value` or `valueFrom` to the analysis `args`", arg.name.value)),
                    );
                }
            }
        }
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
