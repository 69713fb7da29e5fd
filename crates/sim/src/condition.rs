//! Argo's measurement verdict (semantics.md §5.4): `successCondition` and
//! `failureCondition` evaluated by `canary-lab-expr` against the
//! provider's result. This module only adapts its types to the report.

use serde::Serialize;

pub use canary_lab_expr::MetricResult;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum MeasurementPhase {
    Successful,
    Failed,
    Inconclusive,
    Error,
}

impl MeasurementPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            MeasurementPhase::Successful => "Successful",
            MeasurementPhase::Failed => "Failed",
            MeasurementPhase::Inconclusive => "Inconclusive",
            MeasurementPhase::Error => "Error",
        }
    }
}

/// `measurement.value` as Argo stores it: `0.0123` or `[v1,v2]`.
pub fn value_string(result: &MetricResult) -> String {
    result.argo_value_string()
}

/// `evaluate.EvaluateResult` of Rollouts v1.8.3.
pub fn evaluate_result(
    success: Option<&str>,
    failure: Option<&str>,
    result: &MetricResult,
) -> (MeasurementPhase, Option<String>) {
    use canary_lab_expr::MeasurementPhase as Expr;
    let (phase, message) = canary_lab_expr::evaluate_result(success, failure, result);
    let phase = match phase {
        Expr::Successful => MeasurementPhase::Successful,
        Expr::Failed => MeasurementPhase::Failed,
        Expr::Inconclusive => MeasurementPhase::Inconclusive,
        Expr::Error => MeasurementPhase::Error,
    };
    (phase, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MeasurementPhase::*;

    fn v(xs: &[f64]) -> MetricResult {
        MetricResult::Vector(xs.to_vec())
    }

    #[test]
    fn argo_verdicts() {
        assert_eq!(
            evaluate_result(Some("result[0] < 0.05"), None, &v(&[0.01])),
            (Successful, None)
        );
        assert_eq!(
            evaluate_result(Some("result[0] < 0.05"), None, &v(&[0.5])),
            (Failed, None)
        );
        assert_eq!(
            evaluate_result(Some("result[0] < 1000"), None, &v(&[f64::NAN])),
            (Failed, None)
        );
        assert_eq!(
            evaluate_result(Some("result[0] < 1000"), None, &v(&[])),
            (Error, Some("reflect: slice index out of range".into()))
        );
        assert_eq!(
            evaluate_result(Some("len(result) > 0 && result[0] < 1000"), None, &v(&[])),
            (Failed, None)
        );
        assert_eq!(
            evaluate_result(Some("result[0] > 1"), Some("result[0] > 5"), &v(&[1.0])),
            (Inconclusive, None)
        );
        assert_eq!(evaluate_result(None, None, &v(&[])), (Successful, None));
        assert_eq!(
            evaluate_result(Some("result < 1000"), None, &v(&[1.0])),
            (
                Error,
                Some("invalid operation: < (mismatched types []float64 and int)".into())
            )
        );
        assert_eq!(
            evaluate_result(Some("result >= 0.05"), None, &MetricResult::Scalar(0.1)),
            (Successful, None)
        );
        assert_eq!(
            evaluate_result(Some("result[-1] == 2"), None, &v(&[1.0, 2.0])),
            (Successful, None)
        );
    }

    #[test]
    fn value_strings() {
        assert_eq!(value_string(&v(&[])), "[]");
        assert_eq!(value_string(&v(&[0.0123, f64::NAN])), "[0.0123,NaN]");
        assert_eq!(value_string(&MetricResult::Scalar(f64::INFINITY)), "+Inf");
        assert_eq!(value_string(&MetricResult::Scalar(3.0)), "3");
    }
}
