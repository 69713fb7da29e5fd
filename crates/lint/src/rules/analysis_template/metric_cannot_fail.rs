//! ARGO509

use crate::context::{Context, Report};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a metric whose `failureLimit` is at least its `count`.
    ///
    /// ## Why is this bad?
    /// A metric fails when failed measurements exceed `failureLimit`. With
    /// `count: 3` and `failureLimit: 3`, even three failures out of three
    /// pass: the gate can never close.
    ///
    /// ## Example
    /// ```yaml
    /// count: 3
    /// failureLimit: 3
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// count: 3
    /// failureLimit: 1
    /// ```
    pub RULE {
        code: "ARGO509",
        name: "metric-cannot-fail",
        group: AnalysisTemplate,
        severity: Warning,
        summary: "`failureLimit` is so high that the metric can never fail",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for template in &ctx.ws.analysis_templates {
        for metric in &template.metrics {
            let (Some(count), Some(limit)) = (&metric.count, &metric.failure_limit) else {
                continue;
            };
            let (Some(n), Some(f)) = (count.value.as_int(), limit.value.as_int()) else {
                continue;
            };
            if n > 0 && f >= n {
                out.push(
                    Report::new(limit.span, format!("metric `{}` takes {n} measurements but fails only after more than {f} failures, so it can never fail", metric.name.value))
                        .label(count.span, "number of measurements")
                        .help(format!("use a `failureLimit` below {n}")),
                );
            }
        }
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
