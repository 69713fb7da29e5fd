//! Precedence-climbing parser, ported from expr v1.15.5 `parser/parser.go`
//! (including its quirks), with a depth cap so hostile input cannot overflow
//! the stack.

use crate::ast::{Assoc, BinaryOp, Node, NodeKind, Program, UnaryOp};
use crate::error::{ExprError, Span};
use crate::gofmt::{num_error_text, parse_float, parse_int10, parse_int_hex};
use crate::lexer::{lex, Token, TokenKind};

/// Deepest syntax tree (and deepest parser recursion) accepted.
///
/// Parsing, checking and evaluating recurse once per level. Measured per level
/// of nested calls (`abs(abs(…))`, the costliest shape): about 2–4 KiB in a
/// release build and up to ~25 KiB in an unoptimised one, so 32 levels stay
/// inside wasm32's default 1 MiB stack even in debug builds (the
/// `deepest_accepted_inputs_fit_in_one_mebibyte_of_stack` test checks this).
/// Real analysis conditions are a handful of levels deep.
pub const MAX_DEPTH: u32 = 32;

/// Builtins the parser treats as predicates: their second argument is a closure.
const PREDICATES: &[&str] = &[
    "all",
    "none",
    "any",
    "one",
    "filter",
    "map",
    "count",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "groupBy",
    "reduce",
];

/// Every builtin name in expr v1.15.5 (`builtin.Index`): `name(` parses as a builtin call.
pub(crate) const BUILTIN_NAMES: &[&str] = &[
    "all",
    "none",
    "any",
    "one",
    "filter",
    "map",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "count",
    "groupBy",
    "reduce",
    "len",
    "type",
    "abs",
    "ceil",
    "floor",
    "round",
    "int",
    "float",
    "string",
    "trim",
    "trimPrefix",
    "trimSuffix",
    "upper",
    "lower",
    "split",
    "splitAfter",
    "replace",
    "repeat",
    "join",
    "indexOf",
    "lastIndexOf",
    "hasPrefix",
    "hasSuffix",
    "max",
    "min",
    "sum",
    "mean",
    "median",
    "toJSON",
    "fromJSON",
    "toBase64",
    "fromBase64",
    "now",
    "duration",
    "date",
    "first",
    "last",
    "get",
    "take",
    "keys",
    "values",
    "toPairs",
    "fromPairs",
    "sort",
    "sortBy",
];

type PResult<T> = Result<T, ExprError>;

/// The recursive-descent helpers are `#[inline(never)]`: merged into one
/// function their locals made every recursion level pay for all of them
/// (release builds needed twice the stack for nested parentheses).
struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// End of the last consumed token, for node spans.
    prev_end: usize,
    /// How many closures enclose the current position (`#` is legal only inside one).
    closure_depth: u32,
    /// Current `parse_expression` recursion depth.
    recursion: u32,
}

fn unary_precedence(value: &str) -> Option<(UnaryOp, u16)> {
    match value {
        "not" => Some((UnaryOp::Not { word: true }, 50)),
        "!" => Some((UnaryOp::Not { word: false }, 50)),
        "-" => Some((UnaryOp::Neg, 90)),
        "+" => Some((UnaryOp::Plus, 90)),
        _ => None,
    }
}

/// A binary operator by token value, including the pipe `|` (precedence 0).
enum Infix {
    Pipe,
    Op(BinaryOp),
}

fn infix(value: &str) -> Option<(Infix, u16)> {
    if value == "|" {
        return Some((Infix::Pipe, 0));
    }
    BinaryOp::from_token(value).map(|op| (Infix::Op(op), op.precedence()))
}

fn too_deep(span: Span) -> ExprError {
    ExprError::syntax(
        format!("expression is nested too deeply (more than {MAX_DEPTH} levels)"),
        span,
    )
}

impl Parser {
    fn current(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }

    #[cold]
    #[inline(never)]
    fn unexpected(&self) -> ExprError {
        let tok = self.current();
        ExprError::syntax(
            format!("unexpected token {}", tok.describe()),
            tok.span.clone(),
        )
    }

    fn next(&mut self) -> PResult<()> {
        self.prev_end = self.current().span.end;
        self.pos += 1;
        if self.pos >= self.tokens.len() {
            let end = self.prev_end;
            return Err(ExprError::syntax("unexpected end of expression", end..end));
        }
        Ok(())
    }

    fn expect(&mut self, kind: TokenKind, value: &str) -> PResult<()> {
        if self.current().is(kind, value) {
            self.next()
        } else {
            Err(self.unexpected())
        }
    }

    fn node(&self, kind: NodeKind, span: Span) -> PResult<Node> {
        let node = Node::new(kind, span);
        if node.depth > MAX_DEPTH {
            return Err(too_deep(node.span));
        }
        Ok(node)
    }

    fn parse_expression(&mut self, precedence: u16) -> PResult<Node> {
        self.recursion += 1;
        if self.recursion > MAX_DEPTH {
            return Err(too_deep(self.current().span.clone()));
        }
        let result = self.parse_expression_inner(precedence);
        self.recursion -= 1;
        result
    }

    #[inline(never)]
    fn parse_expression_inner(&mut self, precedence: u16) -> PResult<Node> {
        if precedence == 0 && self.current().is(TokenKind::Operator, "let") {
            return Err(ExprError::unsupported(
                "`let` variable declarations are not supported by Canary Lab's expr subset",
                self.current().span.clone(),
            ));
        }
        let mut left = self.parse_primary()?;
        let mut prev_operator: Option<String> = None;
        let mut op_token = self.current().clone();
        while op_token.kind == TokenKind::Operator {
            let mut not_token: Option<Token> = None;
            if op_token.is(TokenKind::Operator, "not") {
                // `a not in b`: expr looks the following token up by value only.
                self.next()?;
                not_token = Some(op_token.clone());
                op_token = self.current().clone();
            }
            let Some((op, op_precedence)) = infix(&op_token.value) else {
                break;
            };
            if op_precedence < precedence {
                break;
            }
            self.next()?;
            match op {
                Infix::Pipe => left = self.parse_pipe(left)?,
                Infix::Op(op) => {
                    if prev_operator.as_deref() == Some("??")
                        && op_token.value != "??"
                        && !op_token.is(TokenKind::Bracket, "(")
                    {
                        return Err(ExprError::syntax(
                            format!(
                                "Operator ({}) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses.",
                                op_token.value
                            ),
                            op_token.span.clone(),
                        ));
                    }
                    let right = match op.assoc() {
                        Assoc::Left => self.parse_expression(op_precedence + 1)?,
                        Assoc::Right => self.parse_expression(op_precedence)?,
                    };
                    let span = left.span.start..right.span.end;
                    left = self.node(
                        NodeKind::Binary {
                            op,
                            written: op_token.value.clone(),
                            op_span: op_token.span.clone(),
                            left: Box::new(left),
                            right: Box::new(right),
                        },
                        span,
                    )?;
                    if let Some(not_token) = &not_token {
                        let span = left.span.clone();
                        let _ = not_token;
                        left = self.node(
                            NodeKind::Unary {
                                op: UnaryOp::Not { word: true },
                                operand: Box::new(left),
                            },
                            span,
                        )?;
                    }
                }
            }
            prev_operator = Some(op_token.value.clone());
            op_token = self.current().clone();
        }
        if precedence == 0 {
            left = self.parse_conditional(left)?;
        }
        Ok(left)
    }

    #[inline(never)]
    fn parse_conditional(&mut self, mut node: Node) -> PResult<Node> {
        while self.current().is(TokenKind::Operator, "?") {
            self.next()?;
            let (then, otherwise) = if !self.current().is(TokenKind::Operator, ":") {
                let then = self.parse_expression(0)?;
                self.expect(TokenKind::Operator, ":")?;
                (then, self.parse_expression(0)?)
            } else {
                self.next()?;
                (node.clone(), self.parse_expression(0)?)
            };
            let span = node.span.start..otherwise.span.end;
            node = self.node(
                NodeKind::Conditional {
                    cond: Box::new(node),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                },
                span,
            )?;
        }
        Ok(node)
    }

    #[inline(never)]
    fn parse_primary(&mut self) -> PResult<Node> {
        let token = self.current().clone();
        if token.kind == TokenKind::Operator {
            if let Some((op, precedence)) = unary_precedence(&token.value) {
                self.next()?;
                let operand = self.parse_expression(precedence)?;
                let span = token.span.start..operand.span.end;
                let node = self.node(
                    NodeKind::Unary {
                        op,
                        operand: Box::new(operand),
                    },
                    span,
                )?;
                return self.parse_postfix(node);
            }
        }
        if token.is(TokenKind::Bracket, "(") {
            self.next()?;
            let mut expr = self.parse_expression(0)?;
            self.expect(TokenKind::Bracket, ")")?;
            // Widen to include the parentheses so highlights cover what was written.
            expr.span = token.span.start..self.prev_end;
            return self.parse_postfix(expr);
        }
        let is_pointer = token.is(TokenKind::Operator, "#") || token.is(TokenKind::Operator, ".");
        if is_pointer {
            if self.closure_depth == 0 {
                return Err(ExprError::syntax(
                    "cannot use pointer accessor outside closure",
                    token.span.clone(),
                ));
            }
            let mut name = String::new();
            if token.value == "#" {
                self.next()?;
                if self.current().kind == TokenKind::Identifier {
                    name = self.current().value.clone();
                    self.next()?;
                }
            }
            // A bare `.` is a pointer too: `{.x}` is read as `#.x` by the postfix loop.
            let end = if token.value == "#" {
                self.prev_end
            } else {
                token.span.start
            };
            let node = self.node(NodeKind::Pointer(name), token.span.start..end)?;
            return self.parse_postfix(node);
        }
        self.parse_secondary()
    }

    #[inline(never)]
    fn parse_secondary(&mut self) -> PResult<Node> {
        let token = self.current().clone();
        match token.kind {
            TokenKind::Identifier => {
                self.next()?;
                match token.value.as_str() {
                    // Literals return before the postfix loop, as in expr.
                    "true" => self.node(NodeKind::Bool(true), token.span),
                    "false" => self.node(NodeKind::Bool(false), token.span),
                    "nil" => self.node(NodeKind::Nil, token.span),
                    _ => {
                        let node = self.parse_call(token)?;
                        self.parse_postfix(node)
                    }
                }
            }
            TokenKind::Number => {
                self.next()?;
                let kind = number_literal(&token)?;
                self.node(kind, token.span)
            }
            TokenKind::String => {
                self.next()?;
                self.node(NodeKind::Str(token.value.clone()), token.span)
            }
            _ if token.is(TokenKind::Bracket, "[") => {
                let node = self.parse_array(&token)?;
                self.parse_postfix(node)
            }
            _ if token.is(TokenKind::Bracket, "{") => Err(ExprError::unsupported(
                "map literals are not supported by Canary Lab's expr subset",
                token.span,
            )),
            _ => Err(self.unexpected()),
        }
    }

    #[inline(never)]
    fn parse_call(&mut self, token: Token) -> PResult<Node> {
        if !self.current().is(TokenKind::Bracket, "(") {
            return self.node(NodeKind::Ident(token.value.clone()), token.span);
        }
        let name = token.value.as_str();
        if PREDICATES.contains(&name) {
            self.expect(TokenKind::Bracket, "(")?;
            let mut args = vec![self.parse_expression(0)?];
            self.expect(TokenKind::Operator, ",")?;
            args.push(self.parse_closure()?);
            if name == "reduce" && self.current().is(TokenKind::Operator, ",") {
                self.next()?;
                args.push(self.parse_expression(0)?);
            }
            self.expect(TokenKind::Bracket, ")")?;
            let span = token.span.start..self.prev_end;
            self.node(
                NodeKind::Builtin {
                    name: name.to_string(),
                    args,
                },
                span,
            )
        } else if BUILTIN_NAMES.contains(&name) {
            let args = self.parse_arguments()?;
            let span = token.span.start..self.prev_end;
            self.node(
                NodeKind::Builtin {
                    name: name.to_string(),
                    args,
                },
                span,
            )
        } else {
            let callee = self.node(NodeKind::Ident(name.to_string()), token.span.clone())?;
            let args = self.parse_arguments()?;
            let span = token.span.start..self.prev_end;
            self.node(
                NodeKind::Call {
                    callee: Box::new(callee),
                    args,
                },
                span,
            )
        }
    }

    #[inline(never)]
    fn parse_closure(&mut self) -> PResult<Node> {
        let start = self.current().span.start;
        let braced = self.current().is(TokenKind::Bracket, "{");
        if braced {
            self.next()?;
        }
        self.closure_depth += 1;
        let body = self.parse_expression(0);
        self.closure_depth -= 1;
        let body = body?;
        if braced {
            self.expect(TokenKind::Bracket, "}")?;
        }
        let end = if braced { self.prev_end } else { body.span.end };
        self.node(NodeKind::Closure(Box::new(body)), start..end)
    }

    #[inline(never)]
    fn parse_array(&mut self, token: &Token) -> PResult<Node> {
        let mut items = Vec::new();
        self.expect(TokenKind::Bracket, "[")?;
        while !self.current().is(TokenKind::Bracket, "]") {
            if !items.is_empty() {
                self.expect(TokenKind::Operator, ",")?;
                if self.current().is(TokenKind::Bracket, "]") {
                    break;
                }
            }
            items.push(self.parse_expression(0)?);
        }
        self.expect(TokenKind::Bracket, "]")?;
        self.node(NodeKind::Array(items), token.span.start..self.prev_end)
    }

    #[inline(never)]
    fn parse_arguments(&mut self) -> PResult<Vec<Node>> {
        self.expect(TokenKind::Bracket, "(")?;
        let mut args = Vec::new();
        while !self.current().is(TokenKind::Bracket, ")") {
            if !args.is_empty() {
                self.expect(TokenKind::Operator, ",")?;
            }
            args.push(self.parse_expression(0)?);
        }
        self.expect(TokenKind::Bracket, ")")?;
        Ok(args)
    }

    #[inline(never)]
    fn parse_postfix(&mut self, mut node: Node) -> PResult<Node> {
        loop {
            let token = self.current().clone();
            if token.kind != TokenKind::Operator && token.kind != TokenKind::Bracket {
                break;
            }
            if token.value == "." || token.value == "?." {
                self.next()?;
                let property = self.current().clone();
                self.next()?;
                let valid_name = property.kind == TokenKind::Identifier
                    || (property.kind == TokenKind::Operator
                        && is_valid_identifier(&property.value));
                if !valid_name {
                    return Err(ExprError::syntax(
                        "expected name",
                        self.current().span.clone(),
                    ));
                }
                let start = node.span.start;
                let prop =
                    self.node(NodeKind::Str(property.value.clone()), property.span.clone())?;
                let member = self.node(
                    NodeKind::Member {
                        object: Box::new(node),
                        property: Box::new(prop),
                        optional: token.value == "?.",
                    },
                    start..property.span.end,
                )?;
                node = if self.current().is(TokenKind::Bracket, "(") {
                    let args = self.parse_arguments()?;
                    self.node(
                        NodeKind::Call {
                            callee: Box::new(member),
                            args,
                        },
                        start..self.prev_end,
                    )?
                } else {
                    member
                };
            } else if token.value == "[" {
                self.next()?;
                let start = node.span.start;
                let from = if self.current().is(TokenKind::Operator, ":") {
                    None
                } else {
                    Some(self.parse_expression(0)?)
                };
                if self.current().is(TokenKind::Operator, ":") {
                    self.next()?;
                    let to = if self.current().is(TokenKind::Bracket, "]") {
                        None
                    } else {
                        Some(Box::new(self.parse_expression(0)?))
                    };
                    self.expect(TokenKind::Bracket, "]")?;
                    node = self.node(
                        NodeKind::Slice {
                            object: Box::new(node),
                            from: from.map(Box::new),
                            to,
                        },
                        start..self.prev_end,
                    )?;
                } else {
                    // `from` is Some here: a leading `:` always takes the slice branch.
                    let Some(index) = from else {
                        return Err(self.unexpected());
                    };
                    self.expect(TokenKind::Bracket, "]")?;
                    node = self.node(
                        NodeKind::Member {
                            object: Box::new(node),
                            property: Box::new(index),
                            optional: false,
                        },
                        start..self.prev_end,
                    )?;
                }
            } else {
                break;
            }
        }
        Ok(node)
    }

    #[inline(never)]
    fn parse_pipe(&mut self, left: Node) -> PResult<Node> {
        let ident = self.current().clone();
        self.expect_kind(TokenKind::Identifier)?;
        let name = ident.value.as_str();
        let start = left.span.start;
        let mut args = vec![left];
        if PREDICATES.contains(&name) {
            self.expect(TokenKind::Bracket, "(")?;
            if name == "reduce" {
                args.push(self.parse_closure()?);
                if self.current().is(TokenKind::Operator, ",") {
                    self.next()?;
                    args.push(self.parse_expression(0)?);
                }
            } else {
                args.push(self.parse_closure()?);
            }
            self.expect(TokenKind::Bracket, ")")?;
            self.node(
                NodeKind::Builtin {
                    name: name.to_string(),
                    args,
                },
                start..self.prev_end,
            )
        } else if BUILTIN_NAMES.contains(&name) {
            args.extend(self.parse_arguments()?);
            self.node(
                NodeKind::Builtin {
                    name: name.to_string(),
                    args,
                },
                start..self.prev_end,
            )
        } else {
            let callee = self.node(NodeKind::Ident(name.to_string()), ident.span.clone())?;
            args.extend(self.parse_arguments()?);
            self.node(
                NodeKind::Call {
                    callee: Box::new(callee),
                    args,
                },
                start..self.prev_end,
            )
        }
    }

    fn expect_kind(&mut self, kind: TokenKind) -> PResult<()> {
        if self.current().kind == kind {
            self.next()
        } else {
            Err(self.unexpected())
        }
    }
}

/// expr's `utils.IsValidIdentifier`: operators such as `not` or `matches` may be property names.
fn is_valid_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c == '_' || c == '$' || c.is_alphabetic() => {}
        _ => return false,
    }
    chars.all(|c| c == '_' || c == '$' || c.is_alphanumeric())
}

/// Number literal rules of `parseSecondary`: underscores dropped; an `x` means
/// hex; `.`/`e`/`E` means float; anything else is a base-10 int (so `0o17` and
/// `0b1` are rejected, exactly as in v1.15.5).
fn number_literal(token: &Token) -> PResult<NodeKind> {
    let value = token.value.replace('_', "");
    let span = token.span.clone();
    if value.contains('x') {
        parse_int_hex(&value).map(NodeKind::Int).map_err(|e| {
            ExprError::syntax(
                format!(
                    "invalid hex literal: {}",
                    num_error_text("ParseInt", &value, e)
                ),
                span,
            )
        })
    } else if value.contains(['.', 'e', 'E']) {
        parse_float(&value).map(NodeKind::Float).map_err(|e| {
            ExprError::syntax(
                format!(
                    "invalid float literal: {}",
                    num_error_text("ParseFloat", &value, e)
                ),
                span,
            )
        })
    } else {
        parse_int10(&value).map(NodeKind::Int).map_err(|e| {
            ExprError::syntax(
                format!(
                    "invalid integer literal: {}",
                    num_error_text("ParseInt", &value, e)
                ),
                span,
            )
        })
    }
}

/// Parses a condition. Syntax errors carry expr's message and the offending span.
pub fn parse(src: &str) -> Result<Program, ExprError> {
    let tokens = lex(src)?;
    let mut parser = Parser {
        tokens,
        pos: 0,
        prev_end: 0,
        closure_depth: 0,
        recursion: 0,
    };
    let root = parser.parse_expression(0)?;
    if parser.current().kind != TokenKind::Eof {
        return Err(parser.unexpected());
    }
    Ok(Program {
        source: src.to_string(),
        root,
    })
}
