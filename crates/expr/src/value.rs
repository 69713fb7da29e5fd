//! Runtime values, with Go's `%T` names and `%v` formatting, because both leak
//! into messages Argo records (`expected bool, but got float64`).

use std::fmt;
use std::rc::Rc;

use crate::gofmt::format_float_v;

/// A runtime value. Variants correspond to the dynamic Go types expr produces.
#[derive(Debug, Clone)]
pub enum Value {
    Nil,
    Bool(bool),
    /// Go `int` (64-bit on the platforms Argo ships for).
    Int(i64),
    /// Go `int64`, produced only by Argo's `asInt`.
    Int64(i64),
    Float(f64),
    Str(Rc<str>),
    /// `[]float64`: the Prometheus `result`, or a slice of it.
    Floats(Rc<[f64]>),
    /// `[]int`: produced by the `..` range operator.
    Ints(Rc<[i64]>),
    /// `[]interface {}`: array literals, `filter`, `map`.
    List(Rc<[Value]>),
}

impl Value {
    /// Go's `%T` of the value.
    pub fn go_type(&self) -> &'static str {
        match self {
            Value::Nil => "<nil>",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::Floats(_) => "[]float64",
            Value::Ints(_) => "[]int",
            Value::List(_) => "[]interface {}",
        }
    }

    /// The `reflect.Kind` name Go prints for this value (`cannot sum string`).
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Floats(_) | Value::Ints(_) | Value::List(_) => "slice",
            other => other.go_type(),
        }
    }

    /// Length and element access for the slice-like variants.
    pub(crate) fn as_slice(&self) -> Option<SliceRef<'_>> {
        match self {
            Value::Floats(v) => Some(SliceRef::Floats(v)),
            Value::Ints(v) => Some(SliceRef::Ints(v)),
            Value::List(v) => Some(SliceRef::List(v)),
            _ => None,
        }
    }

    /// Numeric value as f64 for int/int64/float (Go's `ToFloat64`).
    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) | Value::Int64(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(i) | Value::Int64(i) => Some(*i),
            _ => None,
        }
    }
}

/// A borrowed view of a slice value.
pub(crate) enum SliceRef<'a> {
    Floats(&'a Rc<[f64]>),
    Ints(&'a Rc<[i64]>),
    List(&'a Rc<[Value]>),
}

impl SliceRef<'_> {
    pub(crate) fn len(&self) -> usize {
        match self {
            SliceRef::Floats(v) => v.len(),
            SliceRef::Ints(v) => v.len(),
            SliceRef::List(v) => v.len(),
        }
    }

    pub(crate) fn get(&self, i: usize) -> Option<Value> {
        match self {
            SliceRef::Floats(v) => v.get(i).map(|f| Value::Float(*f)),
            SliceRef::Ints(v) => v.get(i).map(|n| Value::Int(*n)),
            SliceRef::List(v) => v.get(i).cloned(),
        }
    }

    /// The same slice type restricted to `a..b` (Go's `reflect.Value.Slice`).
    pub(crate) fn sub(&self, a: usize, b: usize) -> Value {
        match self {
            SliceRef::Floats(v) => Value::Floats(v[a..b].into()),
            SliceRef::Ints(v) => Value::Ints(v[a..b].into()),
            SliceRef::List(v) => Value::List(v[a..b].into()),
        }
    }
}

/// Go's `%v`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list<T>(
            f: &mut fmt::Formatter<'_>,
            items: &[T],
            each: impl Fn(&T) -> String,
        ) -> fmt::Result {
            f.write_str("[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                f.write_str(&each(item))?;
            }
            f.write_str("]")
        }
        match self {
            Value::Nil => f.write_str("<nil>"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) | Value::Int64(i) => write!(f, "{i}"),
            Value::Float(x) => f.write_str(&format_float_v(*x)),
            Value::Str(s) => f.write_str(s),
            Value::Floats(v) => list(f, v, |x| format_float_v(*x)),
            Value::Ints(v) => list(f, v, |x| x.to_string()),
            Value::List(v) => list(f, v, |x| x.to_string()),
        }
    }
}
