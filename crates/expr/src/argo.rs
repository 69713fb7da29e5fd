//! Argo Rollouts v1.8.3's side: the Prometheus provider's `result` and value
//! string (`metricproviders/prometheus/prometheus.go`), the condition
//! environment's functions, and `evaluate.EvaluateResult`.

use std::rc::Rc;

use crate::env::EnvFunc;
use crate::eval::EnvRuntime;
use crate::gofmt::{format_float_f, go_int_from_float, num_error_text, parse_float, parse_int10};
use crate::types::Type;
use crate::value::Value;

/// What the Prometheus provider hands to the condition as `result`.
#[derive(Debug, Clone, PartialEq)]
pub enum MetricResult {
    /// A PromQL scalar: `result` is a `float64`.
    Scalar(f64),
    /// A PromQL vector (or a flattened matrix): `result` is a `[]float64`
    /// (never nil; an empty response gives an empty slice).
    Vector(Vec<f64>),
}

/// The static shape of `result`, for checking a condition without a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultShape {
    /// `result` is `float64`.
    Scalar,
    /// `result` is `[]float64`.
    Vector,
}

impl ResultShape {
    /// The Go type expr's checker sees for `result`.
    pub fn result_type(self) -> Type {
        match self {
            ResultShape::Scalar => Type::Float,
            ResultShape::Vector => Type::Slice(Box::new(Type::Float)),
        }
    }
}

impl MetricResult {
    /// The shape (and hence the static type) of this result.
    pub fn shape(&self) -> ResultShape {
        match self {
            MetricResult::Scalar(_) => ResultShape::Scalar,
            MetricResult::Vector(_) => ResultShape::Vector,
        }
    }

    /// `measurement.value` as Argo records it: `FormatFloat(v,'f',-1,64)` for a
    /// scalar (`0.0123`, `NaN`, `+Inf`), `[v1,v2]` for a vector (`[]` when empty).
    pub fn argo_value_string(&self) -> String {
        match self {
            MetricResult::Scalar(v) => format_float_f(*v),
            MetricResult::Vector(vs) => {
                let parts: Vec<String> = vs.iter().map(|v| format_float_f(*v)).collect();
                format!("[{}]", parts.join(","))
            }
        }
    }

    pub(crate) fn to_value(&self) -> Value {
        match self {
            MetricResult::Scalar(v) => Value::Float(*v),
            MetricResult::Vector(vs) => Value::Floats(Rc::from(vs.as_slice())),
        }
    }
}

/// Argo's environment functions, closed over the result value.
pub(crate) struct ArgoEnv {
    pub result: Value,
}

impl EnvRuntime for ArgoEnv {
    fn call(&self, f: EnvFunc, args: &[Value]) -> Result<Value, String> {
        let arg = args.first().cloned().unwrap_or(Value::Nil);
        match f {
            // expr calls these through a typed fast path that asserts float64.
            EnvFunc::IsNaN | EnvFunc::IsInf => match arg {
                Value::Float(x) => Ok(Value::Bool(if f == EnvFunc::IsNaN {
                    x.is_nan()
                } else {
                    x.is_infinite()
                })),
                other => {
                    let got = if matches!(other, Value::Nil) {
                        "nil"
                    } else {
                        other.go_type()
                    };
                    Err(format!(
                        "interface conversion: interface {{}} is {got}, not float64"
                    ))
                }
            },
            EnvFunc::AsInt => match arg {
                Value::Float(x) => Ok(Value::Int64(go_int_from_float(x))),
                Value::Int(i) | Value::Int64(i) => Ok(Value::Int64(i)),
                Value::Str(s) => parse_int10(&s)
                    .map(Value::Int64)
                    .map_err(|e| num_error_text("ParseInt", &s, e)),
                other => Err(format!(
                    "asInt() not supported on {} {other}",
                    other.go_type()
                )),
            },
            EnvFunc::AsFloat => match arg {
                Value::Float(x) => Ok(Value::Float(x)),
                Value::Int(i) | Value::Int64(i) => Ok(Value::Float(i as f64)),
                Value::Str(s) => parse_float(&s)
                    .map(Value::Float)
                    .map_err(|e| num_error_text("ParseFloat", &s, e)),
                other => Err(format!(
                    "asFloat() not supported on {} {other}",
                    other.go_type()
                )),
            },
            // The provider never passes a nil result (an empty vector is `[]float64{}`).
            EnvFunc::IsNil => Ok(Value::Bool(false)),
            EnvFunc::Default => Ok(self.result.clone()),
        }
    }
}

/// The phase of one measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum MeasurementPhase {
    Successful,
    Failed,
    Inconclusive,
    Error,
}

impl MeasurementPhase {
    /// Argo's spelling (`Successful`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            MeasurementPhase::Successful => "Successful",
            MeasurementPhase::Failed => "Failed",
            MeasurementPhase::Inconclusive => "Inconclusive",
            MeasurementPhase::Error => "Error",
        }
    }
}

/// `evaluate.EvaluateResult` (v1.8.3): evaluates the set conditions (success
/// first; an empty string counts as unset, as in Argo) and combines them.
/// For `Error` the second element is the message Argo records (expr's raw
/// message, without location or snippet).
pub fn evaluate_result(
    success: Option<&str>,
    failure: Option<&str>,
    result: &MetricResult,
) -> (MeasurementPhase, Option<String>) {
    let success = success.filter(|s| !s.is_empty());
    let failure = failure.filter(|s| !s.is_empty());
    let run = |src: &str| crate::parse(src).and_then(|p| crate::eval_condition(&p, result));

    let mut success_value = false;
    let mut failure_value = false;
    if let Some(src) = success {
        match run(src) {
            Ok(v) => success_value = v,
            Err(e) => return (MeasurementPhase::Error, Some(e.message)),
        }
    }
    if let Some(src) = failure {
        match run(src) {
            Ok(v) => failure_value = v,
            Err(e) => return (MeasurementPhase::Error, Some(e.message)),
        }
    }
    match (success.is_some(), failure.is_some()) {
        (false, false) => return (MeasurementPhase::Successful, None),
        (true, false) => failure_value = !success_value,
        (false, true) => success_value = !failure_value,
        (true, true) => {}
    }
    if failure_value {
        (MeasurementPhase::Failed, None)
    } else if !success_value {
        (MeasurementPhase::Inconclusive, None)
    } else {
        (MeasurementPhase::Successful, None)
    }
}
