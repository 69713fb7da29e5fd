//! A small, faithful implementation of the subset of [expr] v1.15.5 that Argo
//! Rollouts v1.8.3 uses for AnalysisTemplate `successCondition` /
//! `failureCondition`, in plain Rust so it runs identically natively and in
//! wasm32.
//!
//! The pipeline mirrors expr's: [`parse`] (lexer + parser, syntax errors with
//! spans), then [`check`] against the environment Argo builds (`result` is
//! `[]float64` for a vector, `float64` for a scalar; `asInt`, `asFloat`,
//! `isNaN`, `isInf`, `isNil`, `default`), then evaluation ([`evaluate`],
//! [`eval_condition`], [`evaluate_result`]).
//!
//! Messages were ported from expr v1.15.5's `parser`, `checker`, `builtin` and
//! `vm/runtime` sources and Argo v1.8.3's `utils/evaluate/evaluate.go`; Go
//! runtime texts (`reflect: slice index out of range`, `interface conversion:
//! …`, `strconv.ParseFloat: …`) are reproduced from Go's behaviour.
//!
//! Not implemented, reported as [`ErrorKind::Unsupported`] with a span: map
//! literals, `let`, `$env`, `matches`, method calls, functions used as values,
//! string indexing, and the builtins `groupBy`, `reduce`, string, JSON,
//! base64, date/time, `get`, `take`, `keys`, `values`, `toPairs`,
//! `fromPairs`, `sort`, `sortBy` (see [`Builtin::SUPPORTED`] for the rest).
//!
//! [expr]: https://github.com/expr-lang/expr

mod argo;
mod ast;
mod builtins;
mod check;
mod env;
mod error;
mod eval;
mod gofmt;
mod introspect;
mod lexer;
mod parser;
mod types;
mod value;

pub use argo::{evaluate_result, MeasurementPhase, MetricResult, ResultShape};
pub use ast::{Assoc, BinaryOp, Node, NodeKind, Program, UnaryOp};
pub use builtins::Builtin;
pub use env::EnvFunc;
pub use error::{ErrorKind, ExprError, Span};
pub use gofmt::{format_float_f, format_float_v};
pub use introspect::{
    calls_env_function, guards_nan, indexes_result_without_len_guard, outcome_with_nan,
    references_result,
};
pub use lexer::{lex, Token, TokenKind};
pub use parser::{parse, MAX_DEPTH};
pub use types::{Kind, Type};
pub use value::Value;

/// Type-checks a parsed condition as expr's `Compile` would with Argo's
/// environment, returning the static type of the whole expression.
pub fn check(program: &Program, shape: ResultShape) -> Result<Type, ExprError> {
    check::check(program, &shape.result_type()).map(|(t, _)| t)
}

/// Checks and runs a condition, returning whatever value it produces.
pub fn evaluate(program: &Program, result: &MetricResult) -> Result<Value, ExprError> {
    let (_, checked) = check::check(program, &result.shape().result_type())?;
    let value = result.to_value();
    let env = argo::ArgoEnv {
        result: value.clone(),
    };
    eval::Evaluator::new(value, &env, &checked).eval(&program.root)
}

/// Argo's `EvalCondition`: type check, run, and require a bool
/// (`expected bool, but got <T>` otherwise, with Go's `%T`).
pub fn eval_condition(program: &Program, result: &MetricResult) -> Result<bool, ExprError> {
    match evaluate(program, result)? {
        Value::Bool(b) => Ok(b),
        other => Err(ExprError {
            message: format!("expected bool, but got {}", other.go_type()),
            span: Some(program.root.span.clone()),
            kind: ErrorKind::Result,
        }),
    }
}
