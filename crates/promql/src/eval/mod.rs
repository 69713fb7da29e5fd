//! Instant-query evaluation with Prometheus 3 semantics: left-open lookback
//! and range windows, staleness, `__name__` dropping, IEEE arithmetic.

mod aggregate;
mod binary;

use crate::ast::{Expr, ExprKind, Function, MatrixSelector, Span, VectorSelector};
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

impl<'a> Evaluator<'a> {
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
            ExprKind::Aggregate { op, expr, grouping } => match rate_call(expr) {
                // `sum(rate(x[2m]))` and the like: aggregate straight from
                // the stored labels instead of copying each series' labels
                // (minus `__name__`) only to group and drop them.
                Some((func, args, span)) => {
                    let input = functions::rates(self, func, args, span)?;
                    Value::Vector(aggregate::eval_labelled(
                        *op,
                        input,
                        grouping.as_ref(),
                        true,
                    ))
                }
                None => {
                    let input = self.vector(expr)?;
                    Value::Vector(aggregate::eval(*op, input, grouping.as_ref()))
                }
            },
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
    /// Series borrow their labels from the storage, sorted by them.
    pub(crate) fn matrix(&self, e: &Expr) -> Result<(Vec<RangeRef<'a>>, i64, i64), EvalError> {
        match &e.kind {
            ExprKind::Matrix(m) => {
                let end = self.t - m.selector.offset_ms;
                Ok((self.range_refs(m), end - m.range_ms, end))
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
        let name = sel.exact_name();
        let mut out = Vec::new();
        self.storage.for_each_series(name, |labels, samples| {
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
        // One metric's series arrive in label order already.
        if name.is_none() {
            out.sort_by(|a, b| a.labels.cmp(&b.labels));
        }
        debug_assert!(out.is_sorted_by(|a, b| a.labels < b.labels));
        out
    }

    /// The series a matrix selector sees, labels borrowed, sorted by labels.
    fn range_refs(&self, m: &MatrixSelector) -> Vec<RangeRef<'a>> {
        let end = self.t - m.selector.offset_ms;
        let start = end - m.range_ms;
        let name = m.selector.exact_name();
        let mut out = Vec::new();
        self.storage.for_each_series(name, |labels, samples| {
            if !selects(&m.selector, labels) {
                return;
            }
            let points = floats_in(samples, start, end);
            if !points.is_empty() {
                out.push(RangeRef { labels, points });
            }
        });
        // One metric's series arrive in label order already.
        if name.is_none() {
            out.sort_by(|a, b| a.labels.cmp(b.labels));
        }
        debug_assert!(out.is_sorted_by(|a, b| a.labels < b.labels));
        out
    }

    fn range(&self, m: &MatrixSelector) -> Vec<RangeSeries> {
        self.range_refs(m)
            .into_iter()
            .map(|r| RangeSeries {
                labels: r.labels.clone(),
                points: r.points,
            })
            .collect()
    }
}

/// A range-vector series whose labels live in the storage.
pub(crate) struct RangeRef<'a> {
    pub labels: &'a Labels,
    pub points: Vec<(i64, f64)>,
}

/// `e` (parentheses aside) as a call of `rate`, `increase` or `irate`.
fn rate_call(e: &Expr) -> Option<(Function, &[Expr], &Span)> {
    match &e.kind {
        ExprKind::Paren(inner) => rate_call(inner),
        ExprKind::Call { func, args, .. }
            if matches!(func, Function::Rate | Function::Increase | Function::Irate) =>
        {
            Some((*func, args, &e.span))
        }
        _ => None,
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
    if v.len() < 2 {
        return Ok(());
    }
    // Sort keys compare with one memcmp each; only "any duplicate?" comes
    // out of this, never an order.
    let mut keys: Vec<Vec<u8>> = v.iter().map(|s| s.labels.sort_key()).collect();
    keys.sort_unstable();
    if keys.windows(2).any(|w| w[0] == w[1]) {
        return Err(EvalError::new(
            "vector cannot contain metrics with the same labelset",
            span.clone(),
        ));
    }
    Ok(())
}

/// `labels` without `__name__`, the default matching/grouping key.
pub(crate) fn drop_name(labels: &Labels) -> Labels {
    let mut l = labels.clone();
    l.0.remove(METRIC_NAME);
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::parse;

    fn db() -> Storage {
        let mut db = Storage::new();
        let series = [
            [("__name__", "a_total"), ("job", "x"), ("le", "1")],
            [("__name__", "a_total"), ("job", "y"), ("le", "2")],
            [("__name__", "b_total"), ("job", "x"), ("le", "3")],
            [("__name__", "b_total"), ("job", "x"), ("le", "1")],
        ];
        for (i, l) in series.iter().enumerate() {
            let l = Labels::from_pairs(l.iter().copied());
            for step in 0..=12 {
                db.append(&l, step * 10_000, (step * (i as i64 + 1)) as f64 * 1.5);
            }
        }
        db
    }

    /// Aggregating a rate straight from stored labels must equal aggregating
    /// the materialised rate vector (`+ 0` forces that path).
    #[test]
    fn aggregating_rates_from_stored_labels_changes_nothing() {
        let db = db();
        for agg in [
            "sum",
            "sum by (__name__, job)",
            "avg by (le)",
            "count without (job)",
            "max by (__name__)",
            "min",
        ] {
            for f in ["rate", "increase", "irate"] {
                for sel in ["a_total", "{__name__=~\".+_total\"}", "{job=\"x\"}"] {
                    let fused = format!("{agg} ({f}({sel}[1m]))");
                    let plain = format!("{agg} (({f}({sel}[1m])) + 0)");
                    let got = eval_instant(&db, &parse(&fused).unwrap(), 120_000);
                    let want = eval_instant(&db, &parse(&plain).unwrap(), 120_000);
                    match (&got, &want) {
                        (Err(g), Err(w)) => assert_eq!(g.message, w.message, "{fused}"),
                        _ => assert_eq!(got, want, "{fused}"),
                    }
                }
            }
        }
    }

    #[test]
    fn rate_refuses_series_equal_without_their_name() {
        let db = db();
        let e = parse("sum(rate({job=\"x\", le=\"1\"}[1m]))").unwrap();
        let err = eval_instant(&db, &e, 120_000).unwrap_err();
        assert_eq!(
            err.message,
            "vector cannot contain metrics with the same labelset"
        );
    }
}
