//! ARGO510

use crate::context::{Context, Report};
use crate::model::StepKind;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a metric with an `interval` but no `count` in a template used
    /// by an inline `analysis` step.
    ///
    /// ## Why is this bad?
    /// Such a metric measures forever. The step would never complete, so
    /// Argo rejects the Rollout: `AnalysisTemplate <t> has metric <m> which
    /// runs indefinitely. Invalid value for count: <nil>`. (Background
    /// analysis may run indefinitely.)
    ///
    /// ## Example
    /// ```yaml
    /// - name: error-rate
    ///   interval: 10s
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// - name: error-rate
    ///   interval: 10s
    ///   count: 3
    /// ```
    pub RULE {
        code: "ARGO510",
        name: "metric-runs-forever",
        group: AnalysisTemplate,
        severity: Error,
        summary: "a metric of an inline analysis step has no `count`",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for rollout in &ctx.ws.rollouts {
        let steps = rollout.canary.iter().flat_map(|c| &c.steps);
        for step in steps {
            let StepKind::Analysis(analysis) = &step.kind else {
                continue;
            };
            for reference in &analysis.templates {
                let Some(template) = ctx.ws.analysis_template(
                    &reference.name.value,
                    &rollout.meta.namespace,
                    reference.cluster_scope,
                ) else {
                    continue;
                };
                for metric in &template.metrics {
                    let count = metric
                        .count
                        .as_ref()
                        .and_then(|c| c.value.as_int())
                        .unwrap_or(0);
                    if metric.interval.is_some() && count == 0 {
                        out.push(
                            Report::new(metric.name.span, format!("metric `{}` has an `interval` but no `count`, so it runs forever: Argo rejects the Rollout with `AnalysisTemplate {} has metric {} which runs indefinitely. Invalid value for count: <nil>`", metric.name.value, template.meta.name.value, metric.name.value))
                                .label(reference.name.span, format!("used by an inline analysis step of Rollout `{}`", rollout.meta.name.value))
                                .help("add `count:` (e.g. `count: 3`)"),
                        );
                    }
                }
            }
        }
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
