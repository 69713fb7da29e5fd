//! The expr v1.15.5 builtins this crate implements: compile-time validation
//! (`builtin/builtin.go` `Validate`) and runtime behaviour (`builtin/func.go`),
//! with expr's messages. Predicates (`all`, `filter`, …) run in `eval.rs`
//! because they evaluate closures.

use std::rc::Rc;

use crate::gofmt::{go_int_from_float, parse_float, parse_int10};
use crate::types::{Kind, Type};
use crate::value::Value;

/// A supported builtin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    All,
    None,
    Any,
    One,
    Filter,
    Map,
    Count,
    Find,
    FindIndex,
    FindLast,
    FindLastIndex,
    Len,
    Type,
    Abs,
    Ceil,
    Floor,
    Round,
    Int,
    Float,
    String,
    Max,
    Min,
    Sum,
    Mean,
    Median,
    First,
    Last,
}

impl Builtin {
    /// Every builtin this crate implements, by expr name.
    pub const SUPPORTED: &'static [(&'static str, Builtin)] = &[
        ("all", Builtin::All),
        ("none", Builtin::None),
        ("any", Builtin::Any),
        ("one", Builtin::One),
        ("filter", Builtin::Filter),
        ("map", Builtin::Map),
        ("count", Builtin::Count),
        ("find", Builtin::Find),
        ("findIndex", Builtin::FindIndex),
        ("findLast", Builtin::FindLast),
        ("findLastIndex", Builtin::FindLastIndex),
        ("len", Builtin::Len),
        ("type", Builtin::Type),
        ("abs", Builtin::Abs),
        ("ceil", Builtin::Ceil),
        ("floor", Builtin::Floor),
        ("round", Builtin::Round),
        ("int", Builtin::Int),
        ("float", Builtin::Float),
        ("string", Builtin::String),
        ("max", Builtin::Max),
        ("min", Builtin::Min),
        ("sum", Builtin::Sum),
        ("mean", Builtin::Mean),
        ("median", Builtin::Median),
        ("first", Builtin::First),
        ("last", Builtin::Last),
    ];

    /// Looks a supported builtin up by name.
    pub fn by_name(name: &str) -> Option<Self> {
        Self::SUPPORTED
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| *b)
    }

    /// Builtins whose second argument is a closure over the elements.
    pub fn is_predicate(self) -> bool {
        matches!(
            self,
            Self::All
                | Self::None
                | Self::Any
                | Self::One
                | Self::Filter
                | Self::Map
                | Self::Count
                | Self::Find
                | Self::FindIndex
                | Self::FindLast
                | Self::FindLastIndex
        )
    }
}

fn is_numeric_kind(k: Kind) -> bool {
    matches!(k, Kind::Int | Kind::Int64 | Kind::Float64)
}

/// Compile-time check of a non-predicate builtin (except `type`/`string`,
/// which the checker types as `func(any) string`). Returns the result type.
pub(crate) fn validate(b: Builtin, args: &[Type]) -> Result<Type, String> {
    let one = || {
        if args.len() != 1 {
            Err(format!(
                "invalid number of arguments (expected 1, got {})",
                args.len()
            ))
        } else {
            Ok(&args[0])
        }
    };
    match b {
        Builtin::Len => {
            let a = one()?;
            match a.kind() {
                Kind::Slice | Kind::String | Kind::Interface => Ok(Type::Int),
                _ => Err(format!("invalid argument for len (type {a})")),
            }
        }
        Builtin::Abs | Builtin::Ceil | Builtin::Floor | Builtin::Round => {
            let a = one()?;
            // expr's `round` validator reports itself as `floor`.
            let label = match b {
                Builtin::Abs => "abs",
                Builtin::Ceil => "ceil",
                _ => "floor",
            };
            if is_numeric_kind(a.kind()) || a.kind() == Kind::Interface {
                Ok(if b == Builtin::Abs {
                    a.clone()
                } else {
                    Type::Float
                })
            } else {
                Err(format!("invalid argument for {label} (type {a})"))
            }
        }
        Builtin::Int | Builtin::Float => {
            let a = one()?;
            let k = a.kind();
            if is_numeric_kind(k) || k == Kind::Interface || k == Kind::String {
                Ok(if b == Builtin::Int {
                    Type::Int
                } else {
                    Type::Float
                })
            } else {
                let label = if b == Builtin::Int { "int" } else { "float" };
                Err(format!("invalid argument for {label} (type {a})"))
            }
        }
        Builtin::Max | Builtin::Min => {
            let label = if b == Builtin::Max { "max" } else { "min" };
            if args.is_empty() {
                return Err(format!("not enough arguments to call {label}"));
            }
            for a in args {
                match a.kind() {
                    Kind::Interface => return Ok(Type::Any),
                    k if is_numeric_kind(k) => {}
                    _ => return Err(format!("invalid argument for {label} (type {a})")),
                }
            }
            Ok(args[0].clone())
        }
        Builtin::Sum | Builtin::Mean | Builtin::Median => {
            let a = one()?;
            if !matches!(a.kind(), Kind::Interface | Kind::Slice) {
                // `mean` says "avg" in v1.15.5.
                let verb = match b {
                    Builtin::Sum => "sum",
                    Builtin::Mean => "avg",
                    _ => "median",
                };
                return Err(format!("cannot {verb} {a}"));
            }
            Ok(if b == Builtin::Sum {
                Type::Any
            } else {
                Type::Float
            })
        }
        Builtin::First | Builtin::Last => {
            let a = one()?;
            match a {
                Type::Any => Ok(Type::Any),
                Type::Slice(e) => Ok((**e).clone()),
                _ => {
                    let which = if b == Builtin::First { "first" } else { "last" };
                    Err(format!("cannot get {which} element from {a}"))
                }
            }
        }
        // Predicates, `type` and `string` are checked by the checker itself.
        _ => Ok(Type::Any),
    }
}

/// Go's runtime `Less` (`a < b`), shared by `<` and `max`/`min`.
pub(crate) fn less(a: &Value, b: &Value, symbol: &str) -> Result<bool, String> {
    compare(a, b, symbol).map(|o| o == Some(std::cmp::Ordering::Less))
}

/// Ordering of two values as Go's generated comparison helpers see it; `None`
/// means unordered (NaN). Errors with `invalid operation: T <op> T`.
pub(crate) fn compare(
    a: &Value,
    b: &Value,
    symbol: &str,
) -> Result<Option<std::cmp::Ordering>, String> {
    if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
        return Ok(Some(x.cmp(&y)));
    }
    if let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) {
        return Ok(x.partial_cmp(&y));
    }
    if let (Value::Str(x), Value::Str(y)) = (a, b) {
        return Ok(Some(x.as_bytes().cmp(y.as_bytes())));
    }
    Err(format!(
        "invalid operation: {} {symbol} {}",
        a.go_type(),
        b.go_type()
    ))
}

/// Runtime of a non-predicate builtin. `Err` carries expr's panic text.
pub(crate) fn call(b: Builtin, args: &[Value]) -> Result<Value, String> {
    let arg = || args.first().cloned().unwrap_or(Value::Nil);
    match b {
        Builtin::Len => match arg() {
            Value::Str(s) => Ok(Value::Int(s.len() as i64)),
            v => match v.as_slice() {
                Some(s) => Ok(Value::Int(s.len() as i64)),
                None => Err(format!("invalid argument for len (type {})", v.go_type())),
            },
        },
        Builtin::Type => Ok(Value::Str(Rc::from(match arg() {
            Value::Nil => "nil",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Int64(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "string",
            Value::Floats(_) | Value::Ints(_) | Value::List(_) => "array",
        }))),
        Builtin::Abs => match arg() {
            Value::Float(f) => Ok(Value::Float(if f < 0.0 { -f } else { f })),
            Value::Int(i) => Ok(Value::Int(if i < 0 { i.wrapping_neg() } else { i })),
            Value::Int64(i) => Ok(Value::Int64(if i < 0 { i.wrapping_neg() } else { i })),
            v => Err(format!("invalid argument for abs (type {})", v.go_type())),
        },
        Builtin::Ceil | Builtin::Floor | Builtin::Round => {
            let v = arg();
            match v {
                Value::Float(f) => Ok(Value::Float(match b {
                    Builtin::Ceil => f.ceil(),
                    Builtin::Floor => f.floor(),
                    // Go's math.Round rounds half away from zero, like Rust's.
                    _ => f.round(),
                })),
                Value::Int(i) | Value::Int64(i) => Ok(Value::Float(i as f64)),
                _ => {
                    let label = match b {
                        Builtin::Ceil => "ceil",
                        Builtin::Floor => "floor",
                        _ => "round",
                    };
                    Err(format!(
                        "invalid argument for {label} (type {})",
                        v.go_type()
                    ))
                }
            }
        }
        Builtin::Int => match arg() {
            Value::Float(f) => Ok(Value::Int(go_int_from_float(f))),
            Value::Int(i) | Value::Int64(i) => Ok(Value::Int(i)),
            Value::Str(s) => parse_int10(&s)
                .map(Value::Int)
                .map_err(|_| format!("invalid operation: int({s})")),
            v => Err(format!("invalid operation: int({})", v.go_type())),
        },
        Builtin::Float => match arg() {
            Value::Float(f) => Ok(Value::Float(f)),
            Value::Int(i) | Value::Int64(i) => Ok(Value::Float(i as f64)),
            Value::Str(s) => parse_float(&s)
                .map(Value::Float)
                .map_err(|_| format!("invalid operation: float({s})")),
            v => Err(format!("invalid operation: float({})", v.go_type())),
        },
        Builtin::String => Ok(Value::Str(Rc::from(arg().to_string()))),
        Builtin::Max | Builtin::Min => {
            let mut best: Option<Value> = None;
            for a in args {
                best = Some(match best {
                    None => a.clone(),
                    Some(cur) => {
                        let replace = if b == Builtin::Max {
                            less(&cur, a, "<")?
                        } else {
                            compare(&cur, a, ">")? == Some(std::cmp::Ordering::Greater)
                        };
                        if replace {
                            a.clone()
                        } else {
                            cur
                        }
                    }
                });
            }
            Ok(best.unwrap_or(Value::Nil))
        }
        Builtin::Sum | Builtin::Mean | Builtin::Median => aggregate(b, &arg()),
        Builtin::First | Builtin::Last => {
            // expr recovers from the index panic and returns nil.
            let v = arg();
            Ok(match v.as_slice() {
                Some(s) if s.len() > 0 => {
                    let i = if b == Builtin::First { 0 } else { s.len() - 1 };
                    s.get(i).unwrap_or(Value::Nil)
                }
                _ => Value::Nil,
            })
        }
        _ => Err(format!("builtin {b:?} is a predicate")),
    }
}

/// Numbers in a slice for `sum`/`mean`/`median`; `Err(kind)` names the first non-number.
fn numbers(v: &Value, verb: &str) -> Result<Vec<Value>, String> {
    let Some(s) = v.as_slice() else {
        return Err(format!("cannot {verb} {}", v.kind_name()));
    };
    let mut out = Vec::with_capacity(s.len());
    for i in 0..s.len() {
        let item = s.get(i).unwrap_or(Value::Nil);
        match item {
            Value::Int(_) | Value::Int64(_) | Value::Float(_) => out.push(item),
            // A nil inside []interface{} has reflect kind "interface".
            Value::Nil => return Err(format!("cannot {verb} interface")),
            other => return Err(format!("cannot {verb} {}", other.kind_name())),
        }
    }
    Ok(out)
}

fn aggregate(b: Builtin, v: &Value) -> Result<Value, String> {
    match b {
        Builtin::Sum => {
            let items = numbers(v, "sum")?;
            // expr sums as int until it meets the first float.
            let mut int_sum: i64 = 0;
            let mut float_sum: Option<f64> = None;
            for item in items {
                match (item, &mut float_sum) {
                    (Value::Float(f), None) => float_sum = Some(int_sum as f64 + f),
                    (Value::Float(f), Some(acc)) => *acc += f,
                    (Value::Int(i) | Value::Int64(i), None) => int_sum = int_sum.wrapping_add(i),
                    (Value::Int(i) | Value::Int64(i), Some(acc)) => *acc += i as f64,
                    _ => {}
                }
            }
            Ok(float_sum.map_or(Value::Int(int_sum), Value::Float))
        }
        Builtin::Mean => {
            let items = numbers(v, "mean")?;
            if items.is_empty() {
                return Ok(Value::Float(0.0));
            }
            let sum: f64 = items
                .iter()
                .filter_map(Value::as_f64)
                .fold(0.0, |a, x| a + x);
            Ok(Value::Float(sum / items.len() as f64))
        }
        _ => {
            let items = numbers(v, "median")?;
            if items.is_empty() {
                return Ok(Value::Float(0.0));
            }
            let mut s: Vec<f64> = items.iter().filter_map(Value::as_f64).collect();
            // sort.Float64s orders NaN before every other value.
            s.sort_by(|a, b| match (a.is_nan(), b.is_nan()) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) => std::cmp::Ordering::Less,
                (false, true) => std::cmp::Ordering::Greater,
                _ => a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal),
            });
            let n = s.len();
            Ok(Value::Float(if n.is_multiple_of(2) {
                (s[n / 2 - 1] + s[n / 2]) / 2.0
            } else {
                s[n / 2]
            }))
        }
    }
}
