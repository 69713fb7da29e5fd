//! Structural questions the linter asks about a condition. Pure functions over
//! the syntax tree (plus one that runs the condition on a NaN sample).
//!
//! # Length guards recognised by [`indexes_result_without_len_guard`]
//!
//! An index `result[i]` with a constant `i` needs `len(result) >= i + 1`
//! (`i >= 0`) or `len(result) >= -i` (`i < 0`); a non-constant index needs
//! `len(result) >= 1`. The needed length is *known* from the comparisons that
//! must hold for evaluation to reach the index through a short-circuiting
//! operator:
//!
//! - right operand of `&&`/`and`: the left operand was **true**;
//! - right operand of `||`/`or`: the left operand was **false**;
//! - `then` branch of `c ? a : b`: `c` was true; `otherwise` branch: `c` was false.
//!
//! Atoms (either operand order; `k` an integer or float literal, optionally negated):
//!
//! | atom | true ⇒ len ≥ | false ⇒ len ≥ |
//! |---|---|---|
//! | `len(result) > k` | ⌊k⌋+1 | 0 |
//! | `len(result) >= k` | ⌈k⌉ | 0 |
//! | `len(result) == k` | k | 1 if k = 0 |
//! | `len(result) != k` | 1 if k = 0 | k |
//! | `len(result) < k` | 0 | ⌈k⌉ |
//! | `len(result) <= k` | 0 | ⌊k⌋+1 |
//!
//! They combine through `&&` (true: max, false: min), `||` (true: min,
//! false: max) and `!`/`not` (swaps true and false). Anything else (for
//! example `count(result, true) > 0`, `isNil(result)`, or a guard placed in a
//! separate condition) is not recognised.

use crate::argo::{MetricResult, ResultShape};
use crate::ast::{BinaryOp, Node, NodeKind, Program, UnaryOp};
use crate::env::EnvFunc;
use crate::error::{ExprError, Span};

/// The span of the first `result[...]` index (in source order) that is not
/// protected by a recognised length guard (see the module docs), or `None`.
/// Slices (`result[1:]`), `first(result)` and `last(result)` never fail on an
/// empty vector and are not reported.
pub fn indexes_result_without_len_guard(program: &Program) -> Option<Span> {
    find_unguarded(&program.root, 0.0)
}

fn find_unguarded(node: &Node, known_len: f64) -> Option<Span> {
    match &node.kind {
        NodeKind::Member {
            object, property, ..
        } if object.is_ident("result") && !matches!(property.kind, NodeKind::Str(_)) => {
            let needed = match const_number(property) {
                Some(i) if i >= 0.0 => i.trunc() + 1.0,
                Some(i) => -(i.trunc()),
                None => 1.0,
            };
            if known_len < needed {
                return Some(node.span.clone());
            }
            find_unguarded(property, known_len)
        }
        NodeKind::Binary {
            op: BinaryOp::And,
            left,
            right,
            ..
        } => find_unguarded(left, known_len)
            .or_else(|| find_unguarded(right, known_len.max(len_if(left, true)))),
        NodeKind::Binary {
            op: BinaryOp::Or,
            left,
            right,
            ..
        } => find_unguarded(left, known_len)
            .or_else(|| find_unguarded(right, known_len.max(len_if(left, false)))),
        NodeKind::Conditional {
            cond,
            then,
            otherwise,
        } => find_unguarded(cond, known_len)
            .or_else(|| find_unguarded(then, known_len.max(len_if(cond, true))))
            .or_else(|| find_unguarded(otherwise, known_len.max(len_if(cond, false)))),
        _ => node
            .children()
            .into_iter()
            .find_map(|child| find_unguarded(child, known_len)),
    }
}

/// A numeric literal, possibly behind unary `-`/`+`.
fn const_number(node: &Node) -> Option<f64> {
    match &node.kind {
        NodeKind::Int(i) => Some(*i as f64),
        NodeKind::Float(f) if f.is_finite() => Some(*f),
        NodeKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => const_number(operand).map(|v| -v),
        NodeKind::Unary {
            op: UnaryOp::Plus,
            operand,
        } => const_number(operand),
        _ => None,
    }
}

fn is_len_of_result(node: &Node) -> bool {
    matches!(&node.kind, NodeKind::Builtin { name, args }
        if name == "len" && args.len() == 1 && args[0].is_ident("result"))
}

/// The smallest `len(result)` guaranteed when `node` evaluates to `outcome`.
fn len_if(node: &Node, outcome: bool) -> f64 {
    match &node.kind {
        NodeKind::Unary {
            op: UnaryOp::Not { .. },
            operand,
        } => len_if(operand, !outcome),
        NodeKind::Binary {
            op: BinaryOp::And,
            left,
            right,
            ..
        } => {
            let (l, r) = (len_if(left, outcome), len_if(right, outcome));
            if outcome {
                l.max(r)
            } else {
                l.min(r)
            }
        }
        NodeKind::Binary {
            op: BinaryOp::Or,
            left,
            right,
            ..
        } => {
            let (l, r) = (len_if(left, outcome), len_if(right, outcome));
            if outcome {
                l.min(r)
            } else {
                l.max(r)
            }
        }
        NodeKind::Binary {
            op, left, right, ..
        } => {
            // Normalise to `len(result) <op> k`.
            let (op, k) = if is_len_of_result(left) {
                match const_number(right) {
                    Some(k) => (*op, k),
                    None => return 0.0,
                }
            } else if is_len_of_result(right) {
                let Some(k) = const_number(left) else {
                    return 0.0;
                };
                let flipped = match op {
                    BinaryOp::Lt => BinaryOp::Gt,
                    BinaryOp::Gt => BinaryOp::Lt,
                    BinaryOp::Le => BinaryOp::Ge,
                    BinaryOp::Ge => BinaryOp::Le,
                    other => *other,
                };
                (flipped, k)
            } else {
                return 0.0;
            };
            // A false comparison is the true comparison of the complementary operator.
            let op = if outcome {
                op
            } else {
                match op {
                    BinaryOp::Gt => BinaryOp::Le,
                    BinaryOp::Ge => BinaryOp::Lt,
                    BinaryOp::Lt => BinaryOp::Ge,
                    BinaryOp::Le => BinaryOp::Gt,
                    BinaryOp::Eq => BinaryOp::Ne,
                    BinaryOp::Ne => BinaryOp::Eq,
                    _ => return 0.0,
                }
            };
            let bound = match op {
                BinaryOp::Gt => k.floor() + 1.0,
                BinaryOp::Ge => k.ceil(),
                BinaryOp::Eq if k.fract() == 0.0 => k,
                BinaryOp::Ne if k == 0.0 => 1.0,
                _ => 0.0,
            };
            bound.max(0.0)
        }
        _ => 0.0,
    }
}

/// True when the condition calls `isNaN(...)` on something derived from the
/// data: an argument that mentions `result` or a closure's `#` element.
///
/// This is a syntactic test. Whether NaN can *fool* a condition depends on its
/// polarity (every comparison with NaN is false: a `successCondition` then
/// fails closed, a `failureCondition` silently passes); use
/// [`outcome_with_nan`] for that.
pub fn guards_nan(program: &Program) -> bool {
    let mut found = false;
    program.root.walk(&mut |node| {
        if let NodeKind::Call { callee, args } = &node.kind {
            if callee.is_ident("isNaN") && args.iter().any(mentions_data) {
                found = true;
            }
        }
    });
    found
}

fn mentions_data(node: &Node) -> bool {
    let mut found = false;
    node.walk(&mut |n| {
        if n.is_ident("result") || matches!(n.kind, NodeKind::Pointer(_)) {
            found = true;
        }
    });
    found
}

/// True when `result` appears anywhere in the condition.
pub fn references_result(program: &Program) -> bool {
    let mut found = false;
    program.root.walk(&mut |n| found |= n.is_ident("result"));
    found
}

/// True when the condition calls the named environment function (`isNaN`, `asFloat`, …).
pub fn calls_env_function(program: &Program, f: EnvFunc) -> bool {
    let mut found = false;
    program.root.walk(&mut |n| {
        if let NodeKind::Call { callee, .. } = &n.kind {
            found |=
                matches!(&callee.kind, NodeKind::Ident(name) if EnvFunc::by_name(name) == Some(f));
        }
    });
    found
}

/// Runs the condition on a single NaN sample (`[NaN]` for a vector, `NaN` for
/// a scalar): what a measurement would decide when the query divides 0 by 0.
pub fn outcome_with_nan(program: &Program, shape: ResultShape) -> Result<bool, ExprError> {
    let sample = match shape {
        ResultShape::Scalar => MetricResult::Scalar(f64::NAN),
        ResultShape::Vector => MetricResult::Vector(vec![f64::NAN]),
    };
    crate::eval_condition(program, &sample)
}
