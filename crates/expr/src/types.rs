//! Static types, mirroring the Go `reflect.Type`s expr's checker reasons about,
//! and printed the way Go prints them (`[]float64`, `interface {}`).

use std::fmt;

/// A static type as seen by expr's checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// The type of `nil` (Go prints a nil `reflect.Type` as `<nil>`).
    Nil,
    Bool,
    Int,
    /// Only `asInt` produces it (Argo's `asInt` returns `int64`).
    Int64,
    Float,
    String,
    /// `interface {}`: unknown until runtime.
    Any,
    Slice(Box<Type>),
    /// A function value, printed with its Go signature.
    Func(&'static str),
    /// The type of a predicate closure: `func(interface {}) T`.
    Closure(Box<Type>),
}

/// Go's `reflect.Kind`, which drives most of the checker's decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Invalid,
    Bool,
    Int,
    Int64,
    Float64,
    String,
    Interface,
    Slice,
    Func,
}

impl Type {
    /// The Go kind of this type (`Invalid` for nil).
    pub fn kind(&self) -> Kind {
        match self {
            Type::Nil => Kind::Invalid,
            Type::Bool => Kind::Bool,
            Type::Int => Kind::Int,
            Type::Int64 => Kind::Int64,
            Type::Float => Kind::Float64,
            Type::String => Kind::String,
            Type::Any => Kind::Interface,
            Type::Slice(_) => Kind::Slice,
            Type::Func(_) | Type::Closure(_) => Kind::Func,
        }
    }

    pub(crate) fn is_nil(&self) -> bool {
        *self == Type::Nil
    }
    pub(crate) fn is_any(&self) -> bool {
        *self == Type::Any
    }
    pub(crate) fn is_integer(&self) -> bool {
        matches!(self, Type::Int | Type::Int64)
    }
    pub(crate) fn is_float(&self) -> bool {
        *self == Type::Float
    }
    pub(crate) fn is_number(&self) -> bool {
        self.is_integer() || self.is_float()
    }
    pub(crate) fn is_bool(&self) -> bool {
        *self == Type::Bool
    }
    pub(crate) fn is_string(&self) -> bool {
        *self == Type::String
    }
    pub(crate) fn is_array(&self) -> bool {
        matches!(self, Type::Slice(_))
    }

    /// Element type of a slice.
    pub(crate) fn elem(&self) -> Option<&Type> {
        match self {
            Type::Slice(e) => Some(e),
            _ => None,
        }
    }

    /// Go's `AssignableTo` for the types we model: identical, or into `interface {}`.
    pub(crate) fn assignable_to(&self, target: &Type) -> bool {
        self == target || target.is_any()
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Nil => f.write_str("<nil>"),
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Int64 => f.write_str("int64"),
            Type::Float => f.write_str("float64"),
            Type::String => f.write_str("string"),
            Type::Any => f.write_str("interface {}"),
            Type::Slice(e) => write!(f, "[]{e}"),
            Type::Func(sig) => f.write_str(sig),
            Type::Closure(out) => write!(f, "func(interface {{}}) {out}"),
        }
    }
}

/// expr's `combined`: the result type of arithmetic on two numbers.
pub(crate) fn combined(a: &Type, b: &Type) -> Type {
    if a.kind() == b.kind() {
        a.clone()
    } else if a.is_float() || b.is_float() {
        Type::Float
    } else {
        Type::Int
    }
}

/// expr's `isComparable` (for `==`, `!=`, `in`).
pub(crate) fn is_comparable(l: &Type, r: &Type) -> bool {
    l.is_nil()
        || r.is_nil()
        || l.kind() == r.kind()
        || (l.is_number() && r.is_number())
        || l.is_any()
        || r.is_any()
}

/// expr's `or(l, r, fns...)`: one side is `interface {}` and the other passes a test.
pub(crate) fn either_any(l: &Type, r: &Type, test: impl Fn(&Type) -> bool) -> bool {
    (l.is_any() && r.is_any()) || (l.is_any() && test(r)) || (r.is_any() && test(l))
}
