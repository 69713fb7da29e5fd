//! Introspection for the linter: every vector selector in a query, with the
//! spans of its metric name, matchers and values.

use crate::ast::{Expr, ExprKind, MatchOp, Span, VectorSelector};
use crate::matcher::Matcher;

/// One vector selector found in a query.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectorInfo {
    /// The metric name, from the bare name or an `__name__="…"` matcher.
    pub metric: Option<String>,
    /// Span of the bare metric name, if written that way.
    pub name_span: Option<Span>,
    /// The label matchers inside the braces, in source order.
    pub matchers: Vec<MatcherInfo>,
    /// Span of the whole selector, range and offset included.
    pub span: Span,
    /// The range in ms for `x[2m]`, else `None`.
    pub range_ms: Option<i64>,
    /// The offset in ms (0 if none).
    pub offset_ms: i64,
}

/// One label matcher of a selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatcherInfo {
    /// Label name.
    pub name: String,
    /// Operator.
    pub op: MatchOp,
    /// Value, unescaped.
    pub value: String,
    /// Span of `name op "value"`.
    pub span: Span,
    /// Span of the label name.
    pub name_span: Span,
    /// Span of the quoted value.
    pub value_span: Span,
    matcher: Matcher,
}

impl MatcherInfo {
    /// Whether a label value (empty when the label is absent) satisfies the
    /// matcher, with the engine's own anchored regex semantics, so that the
    /// linter judges a selector the way the simulator evaluates it.
    pub fn matches(&self, value: &str) -> bool {
        self.matcher.matches(value)
    }
}

/// Lists the vector selectors of `expr` in source order.
pub fn selectors(expr: &Expr) -> Vec<SelectorInfo> {
    let mut out = Vec::new();
    expr.walk(&mut |e| match &e.kind {
        ExprKind::Vector(sel) => out.push(info(sel, e.span.clone(), None)),
        ExprKind::Matrix(m) => out.push(info(&m.selector, e.span.clone(), Some(m.range_ms))),
        _ => {}
    });
    out.sort_by_key(|s| s.span.start);
    out
}

fn info(sel: &VectorSelector, span: Span, range_ms: Option<i64>) -> SelectorInfo {
    SelectorInfo {
        metric: sel.exact_name().map(str::to_string),
        name_span: sel.name_span.clone(),
        matchers: sel
            .matchers
            .iter()
            .map(|m| MatcherInfo {
                name: m.name.clone(),
                op: m.op,
                value: m.value.clone(),
                span: m.span.clone(),
                name_span: m.name_span.clone(),
                value_span: m.value_span.clone(),
                matcher: m.matcher.clone(),
            })
            .collect(),
        span,
        range_ms,
        offset_ms: sel.offset_ms,
    }
}
