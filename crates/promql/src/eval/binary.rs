//! Binary operators: scalar/scalar, vector/scalar, one-to-one vector
//! matching and the set operators, following Prometheus's `VectorBinop`,
//! `VectorscalarBinop`, `VectorAnd/Or/Unless`.

use std::collections::{BTreeMap, BTreeSet};

use super::{check_unique, drop_name, Evaluator};
use crate::ast::{BinaryExpr, BinaryOp, Span, VectorMatching};
use crate::error::EvalError;
use crate::labels::{Labels, METRIC_NAME};
use crate::value::{Sample, Value};

pub(super) fn eval(ev: &Evaluator<'_>, b: &BinaryExpr, span: &Span) -> Result<Value, EvalError> {
    let lhs = ev.eval(&b.lhs)?;
    let rhs = ev.eval(&b.rhs)?;
    let op = b.op;
    Ok(match (lhs, rhs) {
        (Value::Scalar(l), Value::Scalar(r)) => {
            let (v, keep) = elem(op, l, r);
            Value::Scalar(if op.is_comparison() { bool_f(keep) } else { v })
        }
        (Value::Vector(v), Value::Scalar(s)) => {
            Value::Vector(vector_scalar(op, v, s, false, b.return_bool, span)?)
        }
        (Value::Scalar(s), Value::Vector(v)) => {
            Value::Vector(vector_scalar(op, v, s, true, b.return_bool, span)?)
        }
        (Value::Vector(l), Value::Vector(r)) => Value::Vector(match op {
            BinaryOp::And => and(l, r, b.matching.as_ref()),
            BinaryOp::Or => or(l, r, b.matching.as_ref()),
            BinaryOp::Unless => unless(l, r, b.matching.as_ref()),
            _ => one_to_one(op, l, r, b.matching.as_ref(), b.return_bool)?,
        }),
        (l, r) => {
            return Err(EvalError::new(
                format!(
                    "operator {:?} not defined between {} and {}",
                    op.as_str(),
                    l.type_name(),
                    r.type_name()
                ),
                span.clone(),
            ))
        }
    })
}

fn bool_f(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// Prometheus's `vectorElemBinop`: the value and, for comparisons, whether
/// the element survives (the value stays the left operand's).
fn elem(op: BinaryOp, l: f64, r: f64) -> (f64, bool) {
    use BinaryOp::*;
    match op {
        Add => (l + r, true),
        Sub => (l - r, true),
        Mul => (l * r, true),
        Div => (l / r, true),
        Mod => (libm::fmod(l, r), true),
        Pow => (libm::pow(l, r), true),
        Eq => (l, l == r),
        Ne => (l, l != r),
        Gt => (l, l > r),
        Lt => (l, l < r),
        Ge => (l, l >= r),
        Le => (l, l <= r),
        And | Or | Unless => (f64::NAN, false),
    }
}

fn drops_name(op: BinaryOp) -> bool {
    !op.is_comparison() && !op.is_set()
}

fn vector_scalar(
    op: BinaryOp,
    v: Vec<Sample>,
    s: f64,
    scalar_on_left: bool,
    return_bool: bool,
    span: &Span,
) -> Result<Vec<Sample>, EvalError> {
    let mut out = Vec::with_capacity(v.len());
    for mut sample in v {
        let (l, r) = if scalar_on_left {
            (s, sample.value)
        } else {
            (sample.value, s)
        };
        let (mut value, mut keep) = elem(op, l, r);
        // A comparison keeps the vector element's value even when the
        // vector is on the right.
        if op.is_comparison() && scalar_on_left {
            value = r;
        }
        if return_bool {
            value = bool_f(keep);
            keep = true;
        }
        if keep {
            sample.value = value;
            if drops_name(op) || return_bool {
                sample.labels.0.remove(METRIC_NAME);
            }
            out.push(sample);
        }
    }
    check_unique(&out, span)?;
    Ok(out)
}

/// The matching key: `on` keeps only the listed labels; otherwise the listed
/// labels and `__name__` are removed.
fn signature(labels: &Labels, matching: Option<&VectorMatching>) -> Labels {
    match matching {
        Some(m) if m.on => Labels(
            labels
                .0
                .iter()
                .filter(|(k, _)| m.labels.iter().any(|l| l == *k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        Some(m) => {
            let mut l = drop_name(labels);
            for name in &m.labels {
                l.0.remove(name);
            }
            l
        }
        None => drop_name(labels),
    }
}

fn one_to_one(
    op: BinaryOp,
    lhs: Vec<Sample>,
    rhs: Vec<Sample>,
    matching: Option<&VectorMatching>,
    return_bool: bool,
) -> Result<Vec<Sample>, EvalError> {
    if lhs.is_empty() || rhs.is_empty() {
        return Ok(Vec::new());
    }
    let mut right: BTreeMap<Labels, &Sample> = BTreeMap::new();
    for rs in &rhs {
        let sig = signature(&rs.labels, matching);
        if let Some(dup) = right.get(&sig) {
            return Err(EvalError {
                message: format!(
                    "found duplicate series for the match group {sig} on the right hand-side of the operation: [{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
                    rs.labels, dup.labels
                ),
                span: None,
            });
        }
        right.insert(sig, rs);
    }
    let mut matched: BTreeSet<Labels> = BTreeSet::new();
    let mut out = Vec::new();
    for ls in lhs {
        let sig = signature(&ls.labels, matching);
        let Some(rs) = right.get(&sig) else { continue };
        let (mut value, keep) = elem(op, ls.value, rs.value);
        if return_bool {
            value = bool_f(keep);
        } else if !keep {
            continue;
        }
        let mut labels = ls.labels;
        if drops_name(op) || return_bool {
            labels.0.remove(METRIC_NAME);
        }
        match matching {
            Some(m) if m.on => labels.0.retain(|k, _| m.labels.iter().any(|l| l == k)),
            Some(m) => m.labels.iter().for_each(|l| {
                labels.0.remove(l);
            }),
            None => {}
        }
        if !matched.insert(sig) {
            return Err(EvalError {
                message: "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)".into(),
                span: None,
            });
        }
        out.push(Sample { labels, value });
    }
    Ok(out)
}

fn sigs(v: &[Sample], matching: Option<&VectorMatching>) -> BTreeSet<Labels> {
    v.iter().map(|s| signature(&s.labels, matching)).collect()
}

fn and(lhs: Vec<Sample>, rhs: Vec<Sample>, matching: Option<&VectorMatching>) -> Vec<Sample> {
    if lhs.is_empty() || rhs.is_empty() {
        return Vec::new();
    }
    let right = sigs(&rhs, matching);
    lhs.into_iter()
        .filter(|s| right.contains(&signature(&s.labels, matching)))
        .collect()
}

fn or(mut lhs: Vec<Sample>, rhs: Vec<Sample>, matching: Option<&VectorMatching>) -> Vec<Sample> {
    let left = sigs(&lhs, matching);
    lhs.extend(
        rhs.into_iter()
            .filter(|s| !left.contains(&signature(&s.labels, matching))),
    );
    lhs
}

fn unless(lhs: Vec<Sample>, rhs: Vec<Sample>, matching: Option<&VectorMatching>) -> Vec<Sample> {
    if rhs.is_empty() {
        return lhs;
    }
    let right = sigs(&rhs, matching);
    lhs.into_iter()
        .filter(|s| !right.contains(&signature(&s.labels, matching)))
        .collect()
}
