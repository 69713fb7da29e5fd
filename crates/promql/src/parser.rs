//! Recursive-descent PromQL parser with precedence climbing and
//! Prometheus's static type checks.
//!
//! Precedence follows Prometheus's grammar: `or` < `and unless` <
//! comparisons < `+ -` < `* / %` < `^` (right-associative); unary minus
//! binds like `*`, so `-2 ^ 2` is `-(2 ^ 2)`. Nesting is capped so a hostile
//! query cannot overflow the stack, here or in the recursive evaluator.

use crate::ast::*;
use crate::error::ParseError;
use crate::labels::METRIC_NAME;
use crate::lexer::{lex, Tok, Token};
use crate::matcher::Matcher;

/// Maximum expression nesting depth (parentheses, operators, calls).
pub const MAX_DEPTH: usize = 128;

/// Aggregations Prometheus has but Canary Lab does not.
const UNSUPPORTED_AGGREGATIONS: &[&str] = &[
    "topk",
    "bottomk",
    "quantile",
    "count_values",
    "stddev",
    "stdvar",
    "group",
    "limitk",
    "limit_ratio",
];

/// Prometheus functions Canary Lab does not implement; named so the error can
/// say "not supported" rather than "unknown".
const UNSUPPORTED_FUNCTIONS: &[&str] = &[
    "absent",
    "absent_over_time",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atanh",
    "avg_over_time",
    "ceil",
    "changes",
    "cos",
    "cosh",
    "count_over_time",
    "days_in_month",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "deg",
    "delta",
    "deriv",
    "double_exponential_smoothing",
    "exp",
    "floor",
    "histogram_avg",
    "histogram_count",
    "histogram_fraction",
    "histogram_stddev",
    "histogram_stdvar",
    "histogram_sum",
    "holt_winters",
    "hour",
    "idelta",
    "info",
    "label_join",
    "label_replace",
    "last_over_time",
    "ln",
    "log10",
    "log2",
    "mad_over_time",
    "max_over_time",
    "min_over_time",
    "minute",
    "month",
    "pi",
    "predict_linear",
    "present_over_time",
    "quantile_over_time",
    "rad",
    "resets",
    "round",
    "sgn",
    "sin",
    "sinh",
    "sort",
    "sort_by_label",
    "sort_by_label_desc",
    "sort_desc",
    "sqrt",
    "stddev_over_time",
    "stdvar_over_time",
    "sum_over_time",
    "tan",
    "tanh",
    "time",
    "timestamp",
    "ts_of_first_over_time",
    "ts_of_last_over_time",
    "ts_of_max_over_time",
    "ts_of_min_over_time",
    "first_over_time",
    "year",
];

/// Words the lexer hands over as identifiers but that cannot start an
/// expression.
const KEYWORDS: &[&str] = &[
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "offset",
    "and",
    "or",
    "unless",
    "atan2",
];

/// Parses a PromQL query.
pub fn parse(query: &str) -> Result<Expr, ParseError> {
    let toks = lex(query)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    if p.peek() == &Tok::Eof {
        return Err(ParseError::new("no expression found in input", p.span()));
    }
    let e = p.expr(0)?;
    if p.peek() != &Tok::Eof {
        return Err(p.unexpected(""));
    }
    Ok(e)
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
}

fn unsupported(what: &str) -> String {
    format!("{what} is not supported by Canary Lab's PromQL engine")
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].tok
    }

    fn peek_at(&self, n: usize) -> &Tok {
        &self.toks[(self.pos + n).min(self.toks.len() - 1)].tok
    }

    fn span(&self) -> Span {
        self.toks[self.pos].span.clone()
    }

    fn prev_end(&self) -> usize {
        self.pos.checked_sub(1).map_or(0, |i| self.toks[i].span.end)
    }

    fn bump(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn peek_keyword(&self) -> Option<String> {
        match self.peek() {
            Tok::Ident(s) => Some(s.to_ascii_lowercase()),
            _ => None,
        }
    }

    fn unexpected(&self, context: &str) -> ParseError {
        let what = match self.peek() {
            Tok::Ident(s) if KEYWORDS.contains(&s.to_ascii_lowercase().as_str()) => {
                format!("keyword {:?}", s.to_ascii_lowercase())
            }
            t => t.describe(),
        };
        ParseError::new(format!("unexpected {what}{context}"), self.span())
    }

    fn expect(&mut self, tok: Tok, context: &str) -> Result<Token, ParseError> {
        if self.peek() == &tok {
            Ok(self.bump())
        } else {
            Err(self.unexpected(context))
        }
    }

    /// Counts one more level of nesting; callers restore `depth` on return.
    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::new(
                format!("expression is nested too deeply (more than {MAX_DEPTH} levels)"),
                self.span(),
            ));
        }
        Ok(())
    }

    fn peek_binop(&self) -> Option<BinaryOp> {
        Some(match self.peek() {
            Tok::Add => BinaryOp::Add,
            Tok::Sub => BinaryOp::Sub,
            Tok::Mul => BinaryOp::Mul,
            Tok::Div => BinaryOp::Div,
            Tok::Mod => BinaryOp::Mod,
            Tok::Pow => BinaryOp::Pow,
            Tok::EqlC => BinaryOp::Eq,
            Tok::Neq => BinaryOp::Ne,
            Tok::Gt => BinaryOp::Gt,
            Tok::Lt => BinaryOp::Lt,
            Tok::Ge => BinaryOp::Ge,
            Tok::Le => BinaryOp::Le,
            Tok::Ident(s) => match s.to_ascii_lowercase().as_str() {
                "and" => BinaryOp::And,
                "or" => BinaryOp::Or,
                "unless" => BinaryOp::Unless,
                _ => return None,
            },
            _ => return None,
        })
    }

    /// An expression whose binary operators all bind at least `min_prec`.
    fn expr(&mut self, min_prec: u8) -> Result<Expr, ParseError> {
        let saved = self.depth;
        self.enter()?;
        let mut lhs = self.unary()?;
        loop {
            if self.peek_keyword().as_deref() == Some("atan2") {
                return Err(ParseError::new(
                    unsupported("binary operator \"atan2\""),
                    self.span(),
                ));
            }
            let Some(op) = self.peek_binop() else { break };
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            // Each chained operator deepens the (left-leaning) tree.
            self.enter()?;
            let op_span = self.bump().span;
            let return_bool = self.peek_keyword().as_deref() == Some("bool");
            if return_bool {
                self.bump();
            }
            let matching = self.vector_matching()?;
            let next_min = if op == BinaryOp::Pow { prec } else { prec + 1 };
            let rhs = self.expr(next_min)?;
            lhs = make_binary(op, op_span, lhs, rhs, return_bool, matching)?;
        }
        self.depth = saved;
        Ok(lhs)
    }

    fn vector_matching(&mut self) -> Result<Option<VectorMatching>, ParseError> {
        let on = match self.peek_keyword().as_deref() {
            Some("on") => true,
            Some("ignoring") => false,
            Some(k @ ("group_left" | "group_right")) => {
                return Err(ParseError::new(
                    format!("{k} must follow on(...) or ignoring(...)"),
                    self.span(),
                ))
            }
            _ => return Ok(None),
        };
        self.bump();
        let labels = self.label_list(" in grouping opts, expected label")?;
        if let Some(k @ ("group_left" | "group_right")) = self.peek_keyword().as_deref() {
            return Err(ParseError::new(
                format!(
                    "{} (only one-to-one vector matching is implemented)",
                    unsupported(k)
                ),
                self.span(),
            ));
        }
        Ok(Some(VectorMatching { on, labels }))
    }

    /// `( name, name, … )`, trailing comma allowed.
    fn label_list(&mut self, context: &str) -> Result<Vec<String>, ParseError> {
        self.expect(Tok::LParen, context)?;
        let mut labels = Vec::new();
        loop {
            match self.peek().clone() {
                Tok::RParen => {
                    self.bump();
                    return Ok(labels);
                }
                Tok::Ident(s) if !s.contains(':') => {
                    self.bump();
                    labels.push(s);
                    match self.peek() {
                        Tok::Comma => {
                            self.bump();
                        }
                        Tok::RParen => {}
                        _ => {
                            return Err(
                                self.unexpected(" in grouping opts, expected \",\" or \")\"")
                            )
                        }
                    }
                }
                _ => return Err(self.unexpected(context)),
            }
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        let negate = match self.peek() {
            Tok::Sub => true,
            Tok::Add => false,
            _ => {
                let e = self.primary()?;
                return self.postfix(e);
            }
        };
        let op_span = self.bump().span;
        let operand = self.expr(BinaryOp::Pow.precedence())?;
        let span = op_span.start..operand.span.end;
        let t = operand.value_type();
        if t != ValueType::Scalar && t != ValueType::Vector {
            return Err(ParseError::new(
                format!(
                    "unary expression only allowed on expressions of type scalar or instant vector, got {:?}",
                    t.describe()
                ),
                span,
            ));
        }
        if let ExprKind::Number(v) = operand.kind {
            let v = if negate { -v } else { v };
            return Ok(Expr {
                kind: ExprKind::Number(v),
                span,
            });
        }
        Ok(Expr {
            kind: ExprKind::Unary {
                negate,
                expr: Box::new(operand),
            },
            span,
        })
    }

    fn postfix(&mut self, mut e: Expr) -> Result<Expr, ParseError> {
        loop {
            match self.peek() {
                Tok::LBracket => e = self.range(e)?,
                Tok::At => return Err(ParseError::new(unsupported("the @ modifier"), self.span())),
                Tok::Ident(s) if s.eq_ignore_ascii_case("offset") => e = self.offset(e)?,
                _ => return Ok(e),
            }
        }
    }

    fn range(&mut self, e: Expr) -> Result<Expr, ParseError> {
        let open = self.bump().span;
        let is_subquery = matches!(self.peek(), Tok::Duration(_)) && self.peek_at(1) == &Tok::Colon
            || self.peek() == &Tok::Colon;
        if is_subquery {
            return Err(ParseError::new(
                unsupported("subquery"),
                open.start..self.span().end,
            ));
        }
        let ExprKind::Vector(sel) = e.kind else {
            return Err(ParseError::new(
                "ranges only allowed for vector selectors",
                open,
            ));
        };
        if sel.offset_span.is_some() {
            return Err(ParseError::new(
                "no offset modifiers allowed before range",
                open,
            ));
        }
        let range_ms = match self.peek() {
            Tok::Duration(ms) => *ms,
            _ => return Err(self.unexpected(" in range, expected duration")),
        };
        let dur_span = self.bump().span;
        if range_ms <= 0 {
            return Err(ParseError::new("range must be greater than 0", dur_span));
        }
        let close = self
            .expect(Tok::RBracket, " in range, expected \"]\"")?
            .span;
        Ok(Expr {
            span: e.span.start..close.end,
            kind: ExprKind::Matrix(MatrixSelector {
                selector: sel,
                range_ms,
                range_span: open.start..close.end,
            }),
        })
    }

    fn offset(&mut self, mut e: Expr) -> Result<Expr, ParseError> {
        let kw = self.bump().span;
        let sign = if self.peek() == &Tok::Sub {
            self.bump();
            -1
        } else {
            1
        };
        let ms = match self.peek() {
            Tok::Duration(ms) => *ms,
            _ => return Err(self.unexpected(" in offset, expected duration")),
        };
        let end = self.bump().span.end;
        let sel = match &mut e.kind {
            ExprKind::Vector(s) => s,
            ExprKind::Matrix(m) => &mut m.selector,
            _ => {
                return Err(ParseError::new(
                    "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                    kw.start..end,
                ))
            }
        };
        if sel.offset_span.is_some() {
            return Err(ParseError::new(
                "offset may not be set multiple times",
                kw.start..end,
            ));
        }
        sel.offset_ms = sign * ms;
        sel.offset_span = Some(kw.start..end);
        e.span.end = end;
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let span = self.span();
        match self.peek().clone() {
            Tok::Number(v) => {
                self.bump();
                Ok(Expr {
                    kind: ExprKind::Number(v),
                    span,
                })
            }
            Tok::Str(s) => {
                self.bump();
                Ok(Expr {
                    kind: ExprKind::String(s),
                    span,
                })
            }
            Tok::LParen => {
                self.bump();
                let inner = self.expr(0)?;
                if self.peek() != &Tok::RParen {
                    if self.peek() == &Tok::Eof {
                        return Err(ParseError::new("unclosed left parenthesis", self.span()));
                    }
                    return Err(self.unexpected(", expected \")\""));
                }
                let close = self.bump().span;
                Ok(Expr {
                    kind: ExprKind::Paren(Box::new(inner)),
                    span: span.start..close.end,
                })
            }
            Tok::LBrace => self.selector(None, span.start),
            Tok::Ident(name) => self.identifier(name, span),
            Tok::Eof => Err(ParseError::new("unexpected end of input", span)),
            _ => Err(self.unexpected("")),
        }
    }

    fn identifier(&mut self, name: String, span: Span) -> Result<Expr, ParseError> {
        let lower = name.to_ascii_lowercase();
        let next = self.peek_at(1).clone();
        let opens_call = next == Tok::LParen
            || matches!(&next, Tok::Ident(k) if k.eq_ignore_ascii_case("by") || k.eq_ignore_ascii_case("without"));
        if opens_call {
            let agg = match lower.as_str() {
                "sum" => Some(AggregateOp::Sum),
                "avg" => Some(AggregateOp::Avg),
                "min" => Some(AggregateOp::Min),
                "max" => Some(AggregateOp::Max),
                "count" => Some(AggregateOp::Count),
                _ => None,
            };
            if let Some(op) = agg {
                return self.aggregate(op, span);
            }
            if UNSUPPORTED_AGGREGATIONS.contains(&lower.as_str()) {
                return Err(ParseError::new(
                    unsupported(&format!("aggregation {lower:?}")),
                    span,
                ));
            }
        }
        if KEYWORDS.contains(&lower.as_str()) {
            return Err(self.unexpected(""));
        }
        if next == Tok::LParen {
            return match Function::from_name(&name) {
                Some(f) => self.call(f, span),
                None if UNSUPPORTED_FUNCTIONS.contains(&name.as_str()) => Err(ParseError::new(
                    unsupported(&format!("function {name:?}")),
                    span,
                )),
                None => Err(ParseError::new(
                    format!("unknown function with name {name:?}"),
                    span,
                )),
            };
        }
        self.bump();
        if self.peek() == &Tok::LBrace {
            return self.selector(Some((name, span.clone())), span.start);
        }
        finish_selector(
            VectorSelector {
                name: Some(name),
                name_span: Some(span.clone()),
                matchers: vec![],
                offset_ms: 0,
                offset_span: None,
            },
            span,
        )
    }

    fn selector(&mut self, name: Option<(String, Span)>, start: usize) -> Result<Expr, ParseError> {
        self.expect(Tok::LBrace, "")?;
        let mut matchers = Vec::new();
        loop {
            let name_tok = self.span();
            let label = match self.peek().clone() {
                Tok::RBrace => break,
                Tok::Ident(s) if !s.contains(':') => s,
                Tok::Str(_) => {
                    return Err(ParseError::new(
                        unsupported("a quoted (UTF-8) metric or label name"),
                        name_tok,
                    ))
                }
                _ => return Err(self.unexpected(" in label matching, expected label")),
            };
            self.bump();
            let op = match self.peek() {
                Tok::Assign => MatchOp::Equal,
                Tok::Neq => MatchOp::NotEqual,
                Tok::EqRegex => MatchOp::Regex,
                Tok::NeqRegex => MatchOp::NotRegex,
                _ => {
                    return Err(
                        self.unexpected(" in label matching, expected label matching operator")
                    )
                }
            };
            self.bump();
            let value_span = self.span();
            let Tok::Str(value) = self.peek().clone() else {
                return Err(self.unexpected(" in label matching, expected string"));
            };
            self.bump();
            let matcher =
                Matcher::new(op, &value).map_err(|m| ParseError::new(m, value_span.clone()))?;
            matchers.push(LabelMatcher {
                name: label,
                op,
                value,
                span: name_tok.start..value_span.end,
                name_span: name_tok,
                value_span,
                matcher,
            });
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RBrace => {}
                _ => return Err(self.unexpected(" in label matching, expected \",\" or \"}\"")),
            }
        }
        let end = self.bump().span.end;
        let (name, name_span) = match name {
            Some((n, s)) => (Some(n), Some(s)),
            None => (None, None),
        };
        finish_selector(
            VectorSelector {
                name,
                name_span,
                matchers,
                offset_ms: 0,
                offset_span: None,
            },
            start..end,
        )
    }

    fn aggregate(&mut self, op: AggregateOp, name_span: Span) -> Result<Expr, ParseError> {
        self.bump();
        let saved = self.depth;
        self.enter()?;
        let mut grouping = self.grouping()?;
        if self.peek() != &Tok::LParen {
            return Err(self.unexpected(" in aggregation, expected \"(\""));
        }
        let (args, close) = self.arguments()?;
        let mut end = close;
        if grouping.is_none() {
            grouping = self.grouping()?;
            if grouping.is_some() {
                end = self.prev_end();
            }
        }
        self.depth = saved;
        let span = name_span.start..end;
        if args.len() != 1 {
            return Err(ParseError::new(
                format!(
                    "wrong number of arguments for aggregate expression provided, expected 1, got {}",
                    args.len()
                ),
                span,
            ));
        }
        let arg = args.into_iter().next().expect("one argument");
        if arg.value_type() != ValueType::Vector {
            return Err(ParseError::new(
                format!(
                    "expected type instant vector in aggregation expression, got {}",
                    arg.value_type().describe()
                ),
                arg.span,
            ));
        }
        Ok(Expr {
            kind: ExprKind::Aggregate {
                op,
                expr: Box::new(arg),
                grouping,
            },
            span,
        })
    }

    fn grouping(&mut self) -> Result<Option<Grouping>, ParseError> {
        let without = match self.peek_keyword().as_deref() {
            Some("by") => false,
            Some("without") => true,
            _ => return Ok(None),
        };
        self.bump();
        let labels = self.label_list(" in grouping opts, expected label")?;
        Ok(Some(Grouping { without, labels }))
    }

    /// `( expr, expr )`; returns the arguments and the end of `)`.
    fn arguments(&mut self) -> Result<(Vec<Expr>, usize), ParseError> {
        self.expect(Tok::LParen, "")?;
        let mut args = Vec::new();
        match self.peek() {
            Tok::RParen => return Ok((args, self.bump().span.end)),
            Tok::Eof => return Err(ParseError::new("unclosed left parenthesis", self.span())),
            _ => {}
        }
        loop {
            args.push(self.expr(0)?);
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                Tok::RParen => return Ok((args, self.bump().span.end)),
                Tok::Eof => return Err(ParseError::new("unclosed left parenthesis", self.span())),
                _ => return Err(self.unexpected(" in argument list, expected \",\" or \")\"")),
            }
        }
    }

    fn call(&mut self, func: Function, name_span: Span) -> Result<Expr, ParseError> {
        self.bump();
        let saved = self.depth;
        self.enter()?;
        let (args, end) = self.arguments()?;
        self.depth = saved;
        let span = name_span.start..end;
        let want = func.arg_types();
        if args.len() != want.len() {
            return Err(ParseError::new(
                format!(
                    "expected {} argument(s) in call to {:?}, got {}",
                    want.len(),
                    func.name(),
                    args.len()
                ),
                span,
            ));
        }
        for (arg, &t) in args.iter().zip(want) {
            if arg.value_type() != t {
                return Err(ParseError::new(
                    format!(
                        "expected type {} in call to function {:?}, got {}",
                        t.describe(),
                        func.name(),
                        arg.value_type().describe()
                    ),
                    arg.span.clone(),
                ));
            }
        }
        Ok(Expr {
            kind: ExprKind::Call {
                func,
                name_span,
                args,
            },
            span,
        })
    }
}

fn finish_selector(sel: VectorSelector, span: Span) -> Result<Expr, ParseError> {
    if let Some(name) = &sel.name {
        if let Some(m) = sel.matchers.iter().find(|m| m.name == METRIC_NAME) {
            return Err(ParseError::new(
                format!(
                    "metric name must not be set twice: {:?} or {:?}",
                    name, m.value
                ),
                span,
            ));
        }
    }
    if sel.name.is_none() && sel.matchers.iter().all(|m| m.matches("")) {
        return Err(ParseError::new(
            "vector selector must contain at least one non-empty matcher",
            span,
        ));
    }
    Ok(Expr {
        kind: ExprKind::Vector(sel),
        span,
    })
}

fn make_binary(
    op: BinaryOp,
    op_span: Span,
    lhs: Expr,
    rhs: Expr,
    return_bool: bool,
    matching: Option<VectorMatching>,
) -> Result<Expr, ParseError> {
    let span = lhs.span.start..rhs.span.end;
    let (lt, rt) = (lhs.value_type(), rhs.value_type());
    let ok = |t: ValueType| t == ValueType::Scalar || t == ValueType::Vector;
    for (t, side) in [(lt, &lhs), (rt, &rhs)] {
        if !ok(t) {
            return Err(ParseError::new(
                "binary expression must contain only scalar and instant vector types",
                side.span.clone(),
            ));
        }
    }
    let scalar_side = lt == ValueType::Scalar || rt == ValueType::Scalar;
    if return_bool && !op.is_comparison() {
        return Err(ParseError::new(
            "bool modifier can only be used on comparison operators",
            op_span,
        ));
    }
    if op.is_comparison() && lt == ValueType::Scalar && rt == ValueType::Scalar && !return_bool {
        return Err(ParseError::new(
            "comparisons between scalars must use BOOL modifier",
            op_span,
        ));
    }
    if op.is_set() && scalar_side {
        return Err(ParseError::new(
            format!(
                "set operator {:?} not allowed in binary scalar expression",
                op.as_str()
            ),
            op_span,
        ));
    }
    if matching.is_some() && scalar_side {
        return Err(ParseError::new(
            "vector matching only allowed between instant vectors",
            op_span,
        ));
    }
    Ok(Expr {
        kind: ExprKind::Binary(Box::new(BinaryExpr {
            op,
            op_span,
            lhs,
            rhs,
            return_bool,
            matching,
        })),
        span,
    })
}
