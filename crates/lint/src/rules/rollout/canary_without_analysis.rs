//! ARGO602

use crate::context::{Context, Report};
use crate::model::StepKind;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Points out a canary strategy with steps but no analysis: no
    /// `analysis` step and no background `analysis`.
    ///
    /// ## Why is this bad?
    /// Nothing checks the canary: it is promoted when the steps (and
    /// pauses) run out, whatever it does. That may be intended, so this is
    /// information, not an error.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - setWeight: 50
    ///   - pause: {duration: 60s}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// steps:
    ///   - setWeight: 50
    ///   - analysis:
    ///       templates: [{templateName: hotrod-analysis}]
    /// ```
    pub RULE {
        code: "ARGO602",
        name: "canary-without-analysis",
        group: Rollout,
        severity: Info,
        summary: "canary steps with no analysis gate",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for rollout in &ctx.ws.rollouts {
        let Some(canary) = &rollout.canary else {
            continue;
        };
        let gated = canary.background_analysis.is_some()
            || canary
                .steps
                .iter()
                .any(|s| matches!(s.kind, StepKind::Analysis(_)));
        if canary.steps.is_empty() || gated {
            continue;
        }
        out.push(
            Report::new(canary.steps[0].span, format!("the canary of Rollout `{}` has no analysis: it is promoted when its steps run out, whatever it does", rollout.meta.name.value))
                .help("add an `analysis` step (or `strategy.canary.analysis`) with an AnalysisTemplate"),
        );
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
