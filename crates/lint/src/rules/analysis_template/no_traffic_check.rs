//! ARGO511

use std::collections::BTreeMap;

use crate::context::{Context, Report};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an AnalysisTemplate none of whose metrics checks that the
    /// canary receives traffic: a request-counter rate (no ratio, no
    /// quantile) with a lower bound such as `result[0] >= 0.05`.
    ///
    /// ## Why is this bad?
    /// Error-rate and latency checks pass on an idle canary: no requests,
    /// no errors, no slow spans (or an empty result under a guarded
    /// condition). A canary that never served anyone gets promoted.
    ///
    /// ## Example
    /// ```yaml
    /// metrics:
    ///   - name: error-rate-lt-5-percent
    ///   - name: latency-p95-lt-1s
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// metrics:
    ///   - name: traffic-detection
    ///     successCondition: result[0] >= 0.05
    ///     provider:
    ///       prometheus:
    ///         query: |
    ///           sum(rate(hotrod_requests_total{
    ///             namespace="{{args.namespace}}",
    ///             rollouts_pod_template_hash="{{args.canary-hash}}"
    ///           }[2m]))
    ///   - name: error-rate-lt-5-percent
    ///   - name: latency-p95-lt-1s
    /// ```
    pub RULE {
        code: "ARGO511",
        name: "no-traffic-check",
        group: AnalysisTemplate,
        severity: Error,
        summary: "no metric checks that the canary receives traffic (idle canary)",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut has_traffic: BTreeMap<usize, bool> = BTreeMap::new();
    for q in &ctx.queries {
        let index = ctx
            .ws
            .analysis_templates
            .iter()
            .position(|t| std::ptr::eq(t, q.template))
            .unwrap_or(0);
        let traffic = crate::query::traffic_selector(q).is_some();
        *has_traffic.entry(index).or_default() |= traffic;
    }
    let mut out = Vec::new();
    for (index, traffic) in has_traffic {
        if traffic {
            continue;
        }
        let template = &ctx.ws.analysis_templates[index];
        out.push(
            Report::new(template.meta.name.span, format!("no metric of `{}` checks that the canary receives traffic: an idle canary passes every other check and gets promoted", template.meta.name.value))
                .help("add a metric like `sum(rate(hotrod_requests_total{namespace=\"{{args.namespace}}\",rollouts_pod_template_hash=\"{{args.canary-hash}}\"}[2m]))` with `successCondition: result[0] >= 0.05`"),
        );
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
