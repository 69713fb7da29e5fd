//! Argo's measurement evaluation and value strings.

use canary_lab_expr::{evaluate_result, MeasurementPhase as P, MetricResult};

fn vector(vs: &[f64]) -> MetricResult {
    MetricResult::Vector(vs.to_vec())
}

#[test]
fn value_strings_match_the_prometheus_provider() {
    assert_eq!(MetricResult::Scalar(0.0123).argo_value_string(), "0.0123");
    assert_eq!(MetricResult::Scalar(f64::NAN).argo_value_string(), "NaN");
    assert_eq!(
        MetricResult::Scalar(f64::INFINITY).argo_value_string(),
        "+Inf"
    );
    assert_eq!(
        MetricResult::Scalar(f64::NEG_INFINITY).argo_value_string(),
        "-Inf"
    );
    assert_eq!(
        MetricResult::Scalar(1e21).argo_value_string(),
        "1000000000000000000000"
    );
    assert_eq!(MetricResult::Scalar(1e-7).argo_value_string(), "0.0000001");
    assert_eq!(MetricResult::Scalar(3.0).argo_value_string(), "3");
    assert_eq!(vector(&[]).argo_value_string(), "[]");
    assert_eq!(
        vector(&[0.01, f64::NAN, 2.5]).argo_value_string(),
        "[0.01,NaN,2.5]"
    );
    assert_eq!(vector(&[1e-7]).argo_value_string(), "[0.0000001]");
}

#[test]
fn only_success_condition() {
    let s = Some("result[0] < 0.05");
    assert_eq!(
        evaluate_result(s, None, &vector(&[0.01])),
        (P::Successful, None)
    );
    assert_eq!(evaluate_result(s, None, &vector(&[0.5])), (P::Failed, None));
    assert_eq!(
        evaluate_result(s, None, &vector(&[f64::NAN])),
        (P::Failed, None)
    );
    assert_eq!(
        evaluate_result(s, None, &vector(&[])),
        (P::Error, Some("reflect: slice index out of range".into()))
    );
}

#[test]
fn only_failure_condition() {
    let f = Some("result[0] >= 0.05");
    assert_eq!(
        evaluate_result(None, f, &vector(&[0.01])),
        (P::Successful, None)
    );
    assert_eq!(evaluate_result(None, f, &vector(&[0.5])), (P::Failed, None));
    // NaN slips through a failure condition: the comparison is false.
    assert_eq!(
        evaluate_result(None, f, &vector(&[f64::NAN])),
        (P::Successful, None)
    );
    assert_eq!(
        evaluate_result(None, f, &vector(&[])),
        (P::Error, Some("reflect: slice index out of range".into()))
    );
}

#[test]
fn both_conditions() {
    let s = Some("result[0] < 0.01");
    let f = Some("result[0] > 0.05");
    assert_eq!(
        evaluate_result(s, f, &vector(&[0.001])),
        (P::Successful, None)
    );
    assert_eq!(evaluate_result(s, f, &vector(&[0.1])), (P::Failed, None));
    assert_eq!(
        evaluate_result(s, f, &vector(&[0.03])),
        (P::Inconclusive, None)
    );
    assert_eq!(
        evaluate_result(s, f, &vector(&[f64::NAN])),
        (P::Inconclusive, None)
    );
    // Failed wins when both hold.
    assert_eq!(
        evaluate_result(Some("true"), Some("true"), &vector(&[])),
        (P::Failed, None)
    );
}

#[test]
fn neither_condition_is_successful() {
    assert_eq!(
        evaluate_result(None, None, &vector(&[])),
        (P::Successful, None)
    );
    assert_eq!(
        evaluate_result(Some(""), Some(""), &vector(&[])),
        (P::Successful, None)
    );
}

#[test]
fn error_paths_keep_raw_messages() {
    let v = vector(&[1.0]);
    assert_eq!(
        evaluate_result(Some("result < 1000"), None, &v),
        (
            P::Error,
            Some("invalid operation: < (mismatched types []float64 and int)".into())
        )
    );
    assert_eq!(
        evaluate_result(Some("result[0] <"), None, &v),
        (P::Error, Some("unexpected token EOF".into()))
    );
    assert_eq!(
        evaluate_result(Some("result[0]"), None, &v),
        (P::Error, Some("expected bool, but got float64".into()))
    );
    assert_eq!(
        evaluate_result(Some("result[0] < 1"), Some("foo"), &v),
        (P::Error, Some("unknown name foo".into()))
    );
    // The success condition is evaluated first; its error wins.
    assert_eq!(
        evaluate_result(Some("bar"), Some("foo"), &v),
        (P::Error, Some("unknown name bar".into()))
    );
    assert_eq!(
        evaluate_result(Some("result[0] < 1"), None, &MetricResult::Scalar(0.5)),
        (P::Error, Some("type float64[int] is undefined".into()))
    );
    assert_eq!(P::Inconclusive.as_str(), "Inconclusive");
}
