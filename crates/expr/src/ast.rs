//! The syntax tree. Every node carries the byte span of its whole source text,
//! so linters can underline exactly what they complain about.

use crate::error::Span;

/// A prefix operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!` or `not` (`word` is true for `not`).
    Not { word: bool },
    /// `-x`
    Neg,
    /// `+x` (a no-op at runtime, like expr).
    Plus,
}

/// An infix operator, in expr v1.15.5's precedence table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    In,
    Matches,
    Contains,
    StartsWith,
    EndsWith,
    Range,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Coalesce,
}

/// How an infix operator associates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assoc {
    Left,
    Right,
}

impl BinaryOp {
    /// Looks up an operator token (`"||"`, `"or"`, …); `|` (pipe) is not listed here.
    pub fn from_token(value: &str) -> Option<Self> {
        Some(match value {
            "or" | "||" => Self::Or,
            "and" | "&&" => Self::And,
            "==" => Self::Eq,
            "!=" => Self::Ne,
            "<" => Self::Lt,
            ">" => Self::Gt,
            "<=" => Self::Le,
            ">=" => Self::Ge,
            "in" => Self::In,
            "matches" => Self::Matches,
            "contains" => Self::Contains,
            "startsWith" => Self::StartsWith,
            "endsWith" => Self::EndsWith,
            ".." => Self::Range,
            "+" => Self::Add,
            "-" => Self::Sub,
            "*" => Self::Mul,
            "/" => Self::Div,
            "%" => Self::Mod,
            "**" | "^" => Self::Pow,
            "??" => Self::Coalesce,
            _ => return None,
        })
    }

    /// Binding strength from `parser/operator/operator.go`.
    pub fn precedence(self) -> u16 {
        match self {
            Self::Or => 10,
            Self::And => 15,
            Self::Eq
            | Self::Ne
            | Self::Lt
            | Self::Gt
            | Self::Le
            | Self::Ge
            | Self::In
            | Self::Matches
            | Self::Contains
            | Self::StartsWith
            | Self::EndsWith => 20,
            Self::Range => 25,
            Self::Add | Self::Sub => 30,
            Self::Mul | Self::Div | Self::Mod => 60,
            Self::Pow => 100,
            Self::Coalesce => 500,
        }
    }

    /// Only `**`/`^` associate to the right.
    pub fn assoc(self) -> Assoc {
        if self == Self::Pow {
            Assoc::Right
        } else {
            Assoc::Left
        }
    }

    /// The canonical spelling expr uses in messages (`&&` and `and` differ there,
    /// so the node also keeps the spelling that was written).
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Or => "||",
            Self::And => "&&",
            Self::Eq => "==",
            Self::Ne => "!=",
            Self::Lt => "<",
            Self::Gt => ">",
            Self::Le => "<=",
            Self::Ge => ">=",
            Self::In => "in",
            Self::Matches => "matches",
            Self::Contains => "contains",
            Self::StartsWith => "startsWith",
            Self::EndsWith => "endsWith",
            Self::Range => "..",
            Self::Add => "+",
            Self::Sub => "-",
            Self::Mul => "*",
            Self::Div => "/",
            Self::Mod => "%",
            Self::Pow => "**",
            Self::Coalesce => "??",
        }
    }
}

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A name from the environment (`result`, `isNaN`, …) or an unknown name.
    Ident(String),
    /// `#` (empty name) or `#index` inside a predicate closure.
    Pointer(String),
    Unary {
        op: UnaryOp,
        operand: Box<Node>,
    },
    Binary {
        op: BinaryOp,
        /// The operator as written (`and` vs `&&`), for messages.
        written: String,
        /// Span of the operator token itself.
        op_span: Span,
        left: Box<Node>,
        right: Box<Node>,
    },
    /// `object[property]`, or `object.name` / `object?.name` (property is a `Str`).
    Member {
        object: Box<Node>,
        property: Box<Node>,
        optional: bool,
    },
    /// `object[from:to]`
    Slice {
        object: Box<Node>,
        from: Option<Box<Node>>,
        to: Option<Box<Node>>,
    },
    /// A call of an environment function (`isNaN(x)`) or a method-style callee.
    Call {
        callee: Box<Node>,
        args: Vec<Node>,
    },
    /// A call of one of expr's builtins (`len`, `all`, …); predicate arguments are `Closure`s.
    Builtin {
        name: String,
        args: Vec<Node>,
    },
    /// The `{ … }` (or bare) predicate body of `all`, `filter`, ….
    Closure(Box<Node>),
    /// `cond ? then : otherwise` (and the `a ?: b` short form, where `then` is `cond`).
    Conditional {
        cond: Box<Node>,
        then: Box<Node>,
        otherwise: Box<Node>,
    },
    /// `[a, b, c]`
    Array(Vec<Node>),
}

/// A syntax-tree node with the byte span of its source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub span: Span,
    /// Height of this subtree (a leaf is 1); bounded by the parser.
    pub(crate) depth: u32,
}

impl Node {
    pub(crate) fn new(kind: NodeKind, span: Span) -> Self {
        let mut depth = 0;
        for child in kind_children(&kind) {
            depth = depth.max(child.depth);
        }
        Node {
            kind,
            span,
            depth: depth + 1,
        }
    }

    /// Height of the subtree rooted here (a leaf is 1).
    pub fn depth(&self) -> u32 {
        self.depth
    }

    /// Direct children in source order.
    pub fn children(&self) -> Vec<&Node> {
        kind_children(&self.kind)
    }

    /// Pre-order traversal (a node before its children, children in source order).
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Node)) {
        visit(self);
        for child in self.children() {
            child.walk(visit);
        }
    }

    /// True when this node is the bare identifier `name`.
    pub fn is_ident(&self, name: &str) -> bool {
        matches!(&self.kind, NodeKind::Ident(n) if n == name)
    }
}

fn kind_children(kind: &NodeKind) -> Vec<&Node> {
    match kind {
        NodeKind::Nil
        | NodeKind::Bool(_)
        | NodeKind::Int(_)
        | NodeKind::Float(_)
        | NodeKind::Str(_)
        | NodeKind::Ident(_)
        | NodeKind::Pointer(_) => Vec::new(),
        NodeKind::Unary { operand, .. } => vec![operand],
        NodeKind::Binary { left, right, .. } => vec![left, right],
        NodeKind::Member {
            object, property, ..
        } => vec![object, property],
        NodeKind::Slice { object, from, to } => {
            let mut v: Vec<&Node> = vec![object];
            v.extend(from.as_deref());
            v.extend(to.as_deref());
            v
        }
        NodeKind::Call { callee, args } => {
            let mut v: Vec<&Node> = vec![callee];
            v.extend(args.iter());
            v
        }
        NodeKind::Builtin { args, .. } => args.iter().collect(),
        NodeKind::Array(items) => items.iter().collect(),
        NodeKind::Closure(body) => vec![body],
        NodeKind::Conditional {
            cond,
            then,
            otherwise,
        } => vec![cond, then, otherwise],
    }
}

/// A parsed condition: the source text and its syntax tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// The condition source as given to [`crate::parse`].
    pub source: String,
    /// The root of the syntax tree.
    pub root: Node,
}
