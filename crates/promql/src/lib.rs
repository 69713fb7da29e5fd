//! Canary Lab's PromQL engine: a small parser, an instant-query evaluator
//! and an in-memory TSDB, in plain Rust so it runs natively and in
//! `wasm32-unknown-unknown` with bit-identical results.
//!
//! It implements the subset the playground teaches (selectors, `rate`,
//! `irate`, `increase`, `histogram_quantile`, `sum`/`avg`/`min`/`max`/`count`,
//! arithmetic, comparisons, set operators, one-to-one vector matching) with
//! Prometheus 3 semantics, and reports everything else as a clear,
//! positioned error.
//!
//! ```
//! use canary_lab_promql::{eval_instant, parse, Labels, Storage, Value};
//!
//! let mut db = Storage::new();
//! let s = Labels::from_pairs([("__name__", "hotrod_requests_total"), ("error", "false")]);
//! for i in 0..=12 {
//!     db.append(&s, i * 10_000, (i * 5) as f64);
//! }
//! let q = parse("sum(rate(hotrod_requests_total[2m]))").unwrap();
//! let Value::Vector(v) = eval_instant(&db, &q, 125_000).unwrap() else { panic!() };
//! assert_eq!(v[0].value, 0.5);
//! ```

mod ast;
mod error;
mod eval;
mod format;
mod functions;
mod labels;
mod lexer;
mod matcher;
mod parser;
mod quantile;
mod selectors;
#[cfg(feature = "unittest")]
mod series_notation;
mod storage;
#[cfg(feature = "unittest")]
pub mod unittest;
mod value;

pub use ast::{
    AggregateOp, BinaryExpr, BinaryOp, Expr, ExprKind, Function, Grouping, LabelMatcher, MatchOp,
    MatrixSelector, Span, ValueType, VectorMatching, VectorSelector,
};
pub use error::{line_col, EvalError, ParseError};
pub use eval::{eval_instant, LOOKBACK_DELTA_MS};
pub use format::{format_duration, go_float_e};
pub use labels::{Labels, METRIC_NAME};
pub use parser::{parse, MAX_DEPTH};
pub use quantile::{bucket_quantile, Bucket};
pub use selectors::{selectors, MatcherInfo, SelectorInfo};
pub use storage::{SeriesId, Storage};
pub use value::{RangeSeries, Sample, Value};
