//! Query results.

use crate::labels::Labels;

/// One element of an instant vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The series' labels (`__name__` dropped where Prometheus drops it).
    pub labels: Labels,
    /// The value.
    pub value: f64,
}

/// One series of a range vector: its samples inside the window, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeSeries {
    /// The series' labels.
    pub labels: Labels,
    /// `(timestamp in ms, value)` pairs, ascending; staleness markers excluded.
    pub points: Vec<(i64, f64)>,
}

/// The result of evaluating an expression. Vectors and matrices are sorted by
/// labels so output is deterministic.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A single number.
    Scalar(f64),
    /// An instant vector.
    Vector(Vec<Sample>),
    /// A range vector (only a bare `x[5m]` query yields one).
    Matrix(Vec<RangeSeries>),
    /// A string literal.
    String(String),
}

impl Value {
    /// The Prometheus name of the value's type (`scalar`, `vector`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Scalar(_) => "scalar",
            Value::Vector(_) => "vector",
            Value::Matrix(_) => "matrix",
            Value::String(_) => "string",
        }
    }
}
