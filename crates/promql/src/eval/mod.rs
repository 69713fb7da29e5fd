//! Instant-query evaluation with Prometheus 3 semantics: left-open lookback
//! and range windows, staleness, `__name__` dropping, IEEE arithmetic.

mod aggregate;
mod binary;

use std::collections::BTreeSet;

use crate::ast::{Expr, ExprKind, MatrixSelector, Span, VectorSelector};
use crate::error::EvalError;
use crate::functions;
use crate::labels::{Labels, METRIC_NAME};
use crate::storage::{floats_in, newest_in, Storage, StoredValue};
use crate::value::{RangeSeries, Sample, Value};

/// How far back an instant selector looks for a sample (Prometheus default).
pub const LOOKBACK_DELTA_MS: i64 = 5 * 60_000;

/// Evaluates `expr` at `t_ms` against `storage`. Vectors and matrices in the
/// result are sorted by labels.
pub fn eval_instant(storage: &Storage, expr: &Expr, t_ms: i64) -> Result<Value, EvalError> {
    let ev = Evaluator { storage, t: t_ms };
    Ok(match ev.eval(expr)? {
        Value::Vector(mut v) => {
            v.sort_by(|a, b| a.labels.cmp(&b.labels));
            Value::Vector(v)
        }
        Value::Matrix(mut m) => {
            m.sort_by(|a, b| a.labels.cmp(&b.labels));
            Value::Matrix(m)
        }
        other => other,
    })
}

pub(crate) struct Evaluator<'a> {
    storage: &'a Storage,
    t: i64,
}

impl Evaluator<'_> {
    pub(crate) fn eval(&self, e: &Expr) -> Result<Value, EvalError> {
        Ok(match &e.kind {
            ExprKind::Number(v) => Value::Scalar(*v),
            ExprKind::String(s) => Value::String(s.clone()),
            ExprKind::Vector(sel) => Value::Vector(self.instant(sel)),
            ExprKind::Matrix(m) => Value::Matrix(self.range(m)),
            ExprKind::Paren(inner) => self.eval(inner)?,
            ExprKind::Unary { negate, expr } => match self.eval(expr)? {
                Value::Scalar(v) if *negate => Value::Scalar(-v),
                Value::Vector(v) if *negate => {
                    let out: Vec<Sample> = v
                        .into_iter()
                        .map(|s| Sample {
                            labels: s.labels.without_metric_name(),
                            value: -s.value,
                        })
                        .collect();
                    check_unique(&out, &e.span)?;
                    Value::Vector(out)
                }
                other => other,
            },
            ExprKind::Binary(b) => binary::eval(self, b, &e.span)?,
            ExprKind::Call { func, args, .. } => functions::call(self, *func, args, &e.span)?,
            ExprKind::Aggregate { op, expr, grouping } => {
                let input = self.vector(expr)?;
                Value::Vector(aggregate::eval(*op, input, grouping.as_ref()))
            }
        })
    }

    /// Evaluates an expression the parser typed as an instant vector.
    pub(crate) fn vector(&self, e: &Expr) -> Result<Vec<Sample>, EvalError> {
        match self.eval(e)? {
            Value::Vector(v) => Ok(v),
            other => Err(type_error("instant vector", &other, e)),
        }
    }

    /// Evaluates an expression the parser typed as a scalar.
    pub(crate) fn scalar(&self, e: &Expr) -> Result<f64, EvalError> {
        match self.eval(e)? {
            Value::Scalar(v) => Ok(v),
            other => Err(type_error("scalar", &other, e)),
        }
    }

    /// Evaluates a range-vector argument, returning its window bounds too.
    pub(crate) fn matrix(&self, e: &Expr) -> Result<(Vec<RangeSeries>, i64, i64), EvalError> {
        match &e.kind {
            ExprKind::Matrix(m) => {
                let end = self.t - m.selector.offset_ms;
                Ok((self.range(m), end - m.range_ms, end))
            }
            ExprKind::Paren(inner) => self.matrix(inner),
            _ => Err(EvalError::new(
                "expected a range vector selector",
                e.span.clone(),
            )),
        }
    }

    fn instant(&self, sel: &VectorSelector) -> Vec<Sample> {
        let end = self.t - sel.offset_ms;
        let start = end - LOOKBACK_DELTA_MS;
        let mut out = Vec::new();
        self.storage
            .for_each_series(sel.exact_name(), |labels, samples| {
                if !selects(sel, labels) {
                    return;
                }
                if let Some(s) = newest_in(samples, start, end) {
                    if let StoredValue::Float(v) = s.v {
                        out.push(Sample {
                            labels: labels.clone(),
                            value: v,
                        });
                    }
                }
            });
        out.sort_by(|a, b| a.labels.cmp(&b.labels));
        out
    }

    fn range(&self, m: &MatrixSelector) -> Vec<RangeSeries> {
        let end = self.t - m.selector.offset_ms;
        let start = end - m.range_ms;
        let mut out = Vec::new();
        self.storage
            .for_each_series(m.selector.exact_name(), |labels, samples| {
                if !selects(&m.selector, labels) {
                    return;
                }
                let points = floats_in(samples, start, end);
                if !points.is_empty() {
                    out.push(RangeSeries {
                        labels: labels.clone(),
                        points,
                    });
                }
            });
        out.sort_by(|a, b| a.labels.cmp(&b.labels));
        out
    }
}

fn selects(sel: &VectorSelector, labels: &Labels) -> bool {
    if let Some(n) = &sel.name {
        if labels.metric_name() != Some(n.as_str()) {
            return false;
        }
    }
    sel.matchers
        .iter()
        .all(|m| m.matches(labels.get(&m.name).unwrap_or("")))
}

fn type_error(want: &str, got: &Value, e: &Expr) -> EvalError {
    EvalError::new(
        format!("expected {want}, got {}", got.type_name()),
        e.span.clone(),
    )
}

/// Prometheus refuses a vector whose elements share a label set, which can
/// happen once `__name__` is dropped.
pub(crate) fn check_unique(v: &[Sample], span: &Span) -> Result<(), EvalError> {
    let mut seen = BTreeSet::new();
    for s in v {
        if !seen.insert(&s.labels) {
            return Err(EvalError::new(
                "vector cannot contain metrics with the same labelset",
                span.clone(),
            ));
        }
    }
    Ok(())
}

/// `labels` without `__name__`, the default matching/grouping key.
pub(crate) fn drop_name(labels: &Labels) -> Labels {
    let mut l = labels.clone();
    l.0.remove(METRIC_NAME);
    l
}
