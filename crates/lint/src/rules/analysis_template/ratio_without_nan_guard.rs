//! ARGO508

use canary_lab_expr::{
    evaluate_result, guards_nan, outcome_with_nan, MeasurementPhase, MetricResult, ResultShape,
};

use crate::context::{Context, Report};
use crate::query::vector_division;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a query that divides one instant vector by another (an
    /// error-rate ratio, say) when no condition of the metric tests for NaN
    /// (`isNaN(result[0])`). The finding points at the division and says
    /// what a NaN result does to the measurement, found by running the
    /// conditions on a NaN sample the way Argo does.
    ///
    /// Not reported: a division under a filtering comparison (`a / b > 0.1`
    /// drops NaN samples), by `clamp_min(…, c)` with `c > 0`, or by a
    /// filter `(… > c)` with `c >= 0` (the denominator is never 0), and
    /// conditions with `{{args.x}}` tags.
    ///
    /// ## Why is this bad?
    /// When the window holds no requests, both sums are 0 and the ratio is
    /// NaN (0/0). Every comparison with NaN is false, so `result[0] < 0.05`
    /// fails the measurement: an idle window is reported as a bad canary.
    /// Worse, a `failureCondition` such as `result[0] > 0.05` is false too,
    /// so the measurement passes: a canary that serves nobody can never fail
    /// the check.
    ///
    /// ## Example
    /// ```yaml
    /// successCondition: result[0] < 0.05
    /// query: |
    ///   sum(rate(hotrod_requests_total{error="true"}[2m]))
    ///   /
    ///   sum(rate(hotrod_requests_total[2m]))
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # No traffic passes here: the traffic check catches an idle canary.
    /// successCondition: isNaN(result[0]) || result[0] < 0.05
    /// ```
    pub RULE {
        code: "ARGO508",
        name: "ratio-without-nan-guard",
        group: AnalysisTemplate,
        severity: Warning,
        summary: "a ratio query's conditions cannot tell NaN (0/0, no traffic) from a value",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    let mut out = Vec::new();
    for q in &ctx.queries {
        let (Ok(expr), Some(shape)) = (&q.parsed, q.shape) else {
            continue;
        };
        let Some(division) = vector_division(expr) else {
            continue;
        };
        let conditions: Vec<_> = q.conditions().collect();
        let mut programs = Vec::new();
        for c in &conditions {
            match c.compiled() {
                Some(program) if !c.has_placeholders => programs.push(program),
                _ => break,
            }
        }
        if programs.is_empty()
            || programs.len() != conditions.len()
            || programs.iter().any(|p| guards_nan(p))
        {
            continue;
        }
        let nan = match shape {
            ResultShape::Scalar => MetricResult::Scalar(f64::NAN),
            ResultShape::Vector => MetricResult::Vector(vec![f64::NAN]),
        };
        let text = |field: &str| {
            conditions
                .iter()
                .find(|c| c.field == field)
                .map(|c| c.text.text.as_str())
        };
        let success = text("successCondition");
        let failure = text("failureCondition");
        let (phase, _) = evaluate_result(success, failure, &nan);
        let consequence = match phase {
            MeasurementPhase::Failed => "fails the measurement",
            MeasurementPhase::Inconclusive => "makes the measurement Inconclusive",
            MeasurementPhase::Successful => {
                "passes the measurement, which is worse: a canary that serves nobody can never fail this check"
            }
            MeasurementPhase::Error => continue,
        };
        let value = match shape {
            ResultShape::Scalar => "result",
            ResultShape::Vector => "result[0]",
        };
        let help = match (success, failure) {
            (Some(s), _) if phase != MeasurementPhase::Successful => format!(
                "say what no traffic means: `isNaN({value}) || {}` passes it (the traffic check then catches an idle canary), or keep the denominator from being 0, e.g. `clamp_min(…, 1e-9)`",
                s.trim()
            ),
            (_, Some(f)) => format!(
                "fail on no traffic explicitly: `isNaN({value}) || {}`, or keep the denominator from being 0, e.g. `clamp_min(…, 1e-9)`",
                f.trim()
            ),
            _ => format!(
                "test for NaN explicitly with `isNaN({value})`, or keep the denominator from being 0"
            ),
        };
        let mut report = Report::new(
            q.query.span_of(division),
            format!(
                "metric `{}` divides two vectors and no condition tests for NaN: a NaN result (no requests in the window: 0/0) {consequence}",
                q.metric.name.value
            ),
        )
        .help(help);
        for (c, program) in conditions.iter().zip(&programs) {
            if let Ok(outcome) = outcome_with_nan(program, shape) {
                report = report.label(c.text.span, format!("`{}` is {outcome} for NaN", c.field));
            }
        }
        out.push(report);
    }
    out.into_iter().for_each(|r| ctx.emit(r));
}
