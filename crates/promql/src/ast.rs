//! The parsed query. Every node carries its byte span in the query text so
//! errors and lint findings can point at the exact column.

use std::ops::Range;

use crate::matcher::Matcher;

/// A byte range into the query string.
pub type Span = Range<usize>;

/// A parsed PromQL expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Bytes of the query this node covers.
    pub span: Span,
}

/// The static type of an expression, as Prometheus's parser checks it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    /// A number.
    Scalar,
    /// An instant vector.
    Vector,
    /// A range vector.
    Matrix,
    /// A string.
    String,
}

impl ValueType {
    /// Prometheus's wording in type errors ("instant vector", …).
    pub fn describe(self) -> &'static str {
        match self {
            ValueType::Scalar => "scalar",
            ValueType::Vector => "instant vector",
            ValueType::Matrix => "range vector",
            ValueType::String => "string",
        }
    }
}

/// Expression variants.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `1`, `-2.5e3`, `Inf`, `NaN`.
    Number(f64),
    /// `"text"`.
    String(String),
    /// `metric{a="b"} offset 5m`.
    Vector(VectorSelector),
    /// `metric{a="b"}[2m] offset 5m`.
    Matrix(MatrixSelector),
    /// `( expr )`.
    Paren(Box<Expr>),
    /// `-expr` / `+expr`.
    Unary {
        /// Negation if true; unary plus otherwise.
        negate: bool,
        /// The operand.
        expr: Box<Expr>,
    },
    /// `lhs op [bool] [on(..)|ignoring(..)] rhs`.
    Binary(Box<BinaryExpr>),
    /// `rate(x[2m])`, …
    Call {
        /// The function.
        func: Function,
        /// Span of the function name.
        name_span: Span,
        /// Arguments in order.
        args: Vec<Expr>,
    },
    /// `sum by (le) (x)`, …
    Aggregate {
        /// The aggregation.
        op: AggregateOp,
        /// The aggregated expression.
        expr: Box<Expr>,
        /// `by`/`without` labels, if given.
        grouping: Option<Grouping>,
    },
}

/// A binary operation.
#[derive(Clone, Debug, PartialEq)]
pub struct BinaryExpr {
    /// The operator.
    pub op: BinaryOp,
    /// Span of the operator token.
    pub op_span: Span,
    /// Left operand.
    pub lhs: Expr,
    /// Right operand.
    pub rhs: Expr,
    /// `bool` modifier on a comparison.
    pub return_bool: bool,
    /// `on(...)` / `ignoring(...)`, if given.
    pub matching: Option<VectorMatching>,
}

/// `on(labels)` or `ignoring(labels)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VectorMatching {
    /// True for `on`, false for `ignoring`.
    pub on: bool,
    /// The label names listed.
    pub labels: Vec<String>,
}

/// `by(labels)` or `without(labels)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grouping {
    /// True for `without`, false for `by`.
    pub without: bool,
    /// The label names listed.
    pub labels: Vec<String>,
}

/// An instant vector selector.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorSelector {
    /// The metric name written before the braces, if any.
    pub name: Option<String>,
    /// Span of that name.
    pub name_span: Option<Span>,
    /// Label matchers inside the braces (the bare name is not repeated here).
    pub matchers: Vec<LabelMatcher>,
    /// `offset` in ms (positive looks back).
    pub offset_ms: i64,
    /// Span of the `offset <duration>` clause, if any.
    pub offset_span: Option<Span>,
}

impl VectorSelector {
    /// The exact metric name the selector pins, from the bare name or a
    /// `__name__="x"` matcher.
    pub fn exact_name(&self) -> Option<&str> {
        self.name.as_deref().or_else(|| {
            self.matchers
                .iter()
                .find(|m| m.name == crate::labels::METRIC_NAME && m.op == MatchOp::Equal)
                .map(|m| m.value.as_str())
        })
    }
}

/// A range vector selector.
#[derive(Clone, Debug, PartialEq)]
pub struct MatrixSelector {
    /// The underlying selector (its offset applies to the window).
    pub selector: VectorSelector,
    /// The window length in ms.
    pub range_ms: i64,
    /// Span of the `[2m]` part.
    pub range_span: Span,
}

/// One `name op "value"` matcher.
#[derive(Clone, Debug, PartialEq)]
pub struct LabelMatcher {
    /// Label name.
    pub name: String,
    /// Operator.
    pub op: MatchOp,
    /// The (unescaped) value.
    pub value: String,
    /// Span of the whole matcher.
    pub span: Span,
    /// Span of the label name.
    pub name_span: Span,
    /// Span of the quoted value, quotes included.
    pub value_span: Span,
    pub(crate) matcher: Matcher,
}

impl LabelMatcher {
    /// Whether a label value (empty when the label is absent) satisfies this.
    pub fn matches(&self, value: &str) -> bool {
        self.matcher.matches(value)
    }
}

/// Label matching operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchOp {
    /// `=`
    Equal,
    /// `!=`
    NotEqual,
    /// `=~`
    Regex,
    /// `!~`
    NotRegex,
}

impl MatchOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::Regex => "=~",
            MatchOp::NotRegex => "!~",
        }
    }
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    And,
    Or,
    Unless,
}

impl BinaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        use BinaryOp::*;
        match self {
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
            Pow => "^",
            Eq => "==",
            Ne => "!=",
            Gt => ">",
            Lt => "<",
            Ge => ">=",
            Le => "<=",
            And => "and",
            Or => "or",
            Unless => "unless",
        }
    }

    /// Binding strength, higher binds tighter (Prometheus's yacc table).
    pub fn precedence(self) -> u8 {
        use BinaryOp::*;
        match self {
            Or => 1,
            And | Unless => 2,
            Eq | Ne | Gt | Lt | Ge | Le => 3,
            Add | Sub => 4,
            Mul | Div | Mod => 5,
            Pow => 6,
        }
    }

    /// `== != > < >= <=`.
    pub fn is_comparison(self) -> bool {
        use BinaryOp::*;
        matches!(self, Eq | Ne | Gt | Lt | Ge | Le)
    }

    /// `and or unless`.
    pub fn is_set(self) -> bool {
        matches!(self, BinaryOp::And | BinaryOp::Or | BinaryOp::Unless)
    }
}

/// Supported aggregations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum AggregateOp {
    Sum,
    Avg,
    Min,
    Max,
    Count,
}

impl AggregateOp {
    /// The aggregation's name.
    pub fn as_str(self) -> &'static str {
        match self {
            AggregateOp::Sum => "sum",
            AggregateOp::Avg => "avg",
            AggregateOp::Min => "min",
            AggregateOp::Max => "max",
            AggregateOp::Count => "count",
        }
    }
}

/// Supported functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Function {
    Rate,
    Irate,
    Increase,
    HistogramQuantile,
    Vector,
    Scalar,
    Abs,
    ClampMin,
    ClampMax,
    Clamp,
}

impl Function {
    /// Looks a supported function up by name.
    pub fn from_name(name: &str) -> Option<Function> {
        use Function::*;
        Some(match name {
            "rate" => Rate,
            "irate" => Irate,
            "increase" => Increase,
            "histogram_quantile" => HistogramQuantile,
            "vector" => Vector,
            "scalar" => Scalar,
            "abs" => Abs,
            "clamp_min" => ClampMin,
            "clamp_max" => ClampMax,
            "clamp" => Clamp,
            _ => return None,
        })
    }

    /// The function's name.
    pub fn name(self) -> &'static str {
        use Function::*;
        match self {
            Rate => "rate",
            Irate => "irate",
            Increase => "increase",
            HistogramQuantile => "histogram_quantile",
            Vector => "vector",
            Scalar => "scalar",
            Abs => "abs",
            ClampMin => "clamp_min",
            ClampMax => "clamp_max",
            Clamp => "clamp",
        }
    }

    /// Argument types, in order.
    pub fn arg_types(self) -> &'static [ValueType] {
        use Function::*;
        use ValueType as T;
        match self {
            Rate | Irate | Increase => &[T::Matrix],
            HistogramQuantile => &[T::Scalar, T::Vector],
            Vector => &[T::Scalar],
            Scalar | Abs => &[T::Vector],
            ClampMin | ClampMax => &[T::Vector, T::Scalar],
            Clamp => &[T::Vector, T::Scalar, T::Scalar],
        }
    }

    /// Result type.
    pub fn return_type(self) -> ValueType {
        match self {
            Function::Scalar => ValueType::Scalar,
            _ => ValueType::Vector,
        }
    }
}

impl Expr {
    /// The static type of the expression.
    pub fn value_type(&self) -> ValueType {
        match &self.kind {
            ExprKind::Number(_) => ValueType::Scalar,
            ExprKind::String(_) => ValueType::String,
            ExprKind::Vector(_) => ValueType::Vector,
            ExprKind::Matrix(_) => ValueType::Matrix,
            ExprKind::Paren(e) | ExprKind::Unary { expr: e, .. } => e.value_type(),
            ExprKind::Binary(b) => {
                if b.lhs.value_type() == ValueType::Scalar
                    && b.rhs.value_type() == ValueType::Scalar
                {
                    ValueType::Scalar
                } else {
                    ValueType::Vector
                }
            }
            ExprKind::Call { func, .. } => func.return_type(),
            ExprKind::Aggregate { .. } => ValueType::Vector,
        }
    }

    /// Calls `f` on this node and every descendant, parents first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Paren(e) | ExprKind::Unary { expr: e, .. } => e.walk(f),
            ExprKind::Aggregate { expr, .. } => expr.walk(f),
            ExprKind::Binary(b) => {
                b.lhs.walk(f);
                b.rhs.walk(f);
            }
            ExprKind::Call { args, .. } => args.iter().for_each(|a| a.walk(f)),
            ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Vector(_)
            | ExprKind::Matrix(_) => {}
        }
    }
}
