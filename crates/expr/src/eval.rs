//! Tree-walking evaluator with the runtime semantics of expr v1.15.5's VM
//! (`vm/vm.go`, `vm/runtime`): short-circuit `&&`/`||`, Go's int/float mixing,
//! reflect-style index errors, and the VM's memory budget.

use std::cmp::Ordering;
use std::rc::Rc;

use crate::ast::{BinaryOp, Node, NodeKind, UnaryOp};
use crate::builtins::{self, compare, Builtin};
use crate::check::CheckOutput;
use crate::env::EnvFunc;
use crate::error::ExprError;
use crate::value::Value;

/// expr's `vm.MemoryBudget`: total elements the VM may allocate in one run.
const MEMORY_BUDGET: u64 = 1_000_000;

/// How environment functions behave at runtime (Argo's closures over the result).
pub(crate) trait EnvRuntime {
    fn call(&self, f: EnvFunc, args: &[Value]) -> Result<Value, String>;
}

pub(crate) struct Evaluator<'a> {
    pub result: Value,
    pub env: &'a dyn EnvRuntime,
    pub checked: &'a CheckOutput,
    scopes: Vec<(Value, usize)>,
    memory: u64,
}

type EResult = Result<Value, ExprError>;

fn fail(message: impl Into<String>, node: &Node) -> ExprError {
    ExprError::runtime(message, node.span.clone())
}

/// Go's failed type assertion `x.(T)` on an `interface {}`.
fn assertion(v: &Value, want: &str) -> String {
    let got = match v {
        Value::Nil => "nil",
        other => other.go_type(),
    };
    format!("interface conversion: interface {{}} is {got}, not {want}")
}

fn as_bool(v: &Value, node: &Node) -> Result<bool, ExprError> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Err(fail(assertion(other, "bool"), node)),
    }
}

/// Go's `runtime.ToInt`.
fn to_int(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) | Value::Int64(i) => Ok(*i),
        Value::Float(f) => Ok(crate::gofmt::go_int_from_float(*f)),
        other => Err(format!("invalid operation: int({})", other.go_type())),
    }
}

/// Go's `runtime.Equal` (numbers across types, then nil, then `reflect.DeepEqual`).
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
        return x == y;
    }
    if let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) {
        return x == y;
    }
    deep_equal(a, b)
}

fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        // DeepEqual short-circuits on the same backing array (so `result == result`
        // holds even with NaN inside).
        (Value::Floats(x), Value::Floats(y)) => Rc::ptr_eq(x, y) || x[..] == y[..],
        (Value::Ints(x), Value::Ints(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            Rc::ptr_eq(x, y)
                || (x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q)))
        }
        _ => false,
    }
}

fn arith(op: BinaryOp, a: &Value, b: &Value) -> Result<Value, String> {
    let symbol = match op {
        BinaryOp::Mod => "%",
        other => other.symbol(),
    };
    let mismatch = || {
        format!(
            "invalid operation: {} {symbol} {}",
            a.go_type(),
            b.go_type()
        )
    };
    match op {
        BinaryOp::Add => {
            if let (Value::Str(x), Value::Str(y)) = (a, b) {
                return Ok(Value::Str(Rc::from(format!("{x}{y}"))));
            }
            int_or_float(a, b, i64::wrapping_add, |x, y| x + y).ok_or_else(mismatch)
        }
        BinaryOp::Sub => int_or_float(a, b, i64::wrapping_sub, |x, y| x - y).ok_or_else(mismatch),
        BinaryOp::Mul => int_or_float(a, b, i64::wrapping_mul, |x, y| x * y).ok_or_else(mismatch),
        BinaryOp::Div => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => Ok(Value::Float(x / y)),
            _ => Err(mismatch()),
        },
        BinaryOp::Mod => match (a.as_int(), b.as_int()) {
            (Some(_), Some(0)) => Err("runtime error: integer divide by zero".into()),
            (Some(x), Some(y)) => Ok(Value::Int(x.wrapping_rem(y))),
            _ => Err(mismatch()),
        },
        BinaryOp::Pow => {
            let f = |v: &Value| {
                v.as_f64()
                    .ok_or_else(|| format!("invalid operation: float({})", v.go_type()))
            };
            Ok(Value::Float(libm::pow(f(a)?, f(b)?)))
        }
        _ => Err(mismatch()),
    }
}

/// Integer arithmetic yields Go `int` (whatever the integer widths); any float makes it float64.
fn int_or_float(
    a: &Value,
    b: &Value,
    int_op: fn(i64, i64) -> i64,
    float_op: fn(f64, f64) -> f64,
) -> Option<Value> {
    if let (Some(x), Some(y)) = (a.as_int(), b.as_int()) {
        return Some(Value::Int(int_op(x, y)));
    }
    let (x, y) = (a.as_f64()?, b.as_f64()?);
    Some(Value::Float(float_op(x, y)))
}

impl<'a> Evaluator<'a> {
    pub(crate) fn new(result: Value, env: &'a dyn EnvRuntime, checked: &'a CheckOutput) -> Self {
        Evaluator {
            result,
            env,
            checked,
            scopes: Vec::new(),
            memory: 0,
        }
    }

    fn grow(&mut self, size: u64, node: &Node) -> Result<(), ExprError> {
        self.memory = self.memory.saturating_add(size);
        if self.memory >= MEMORY_BUDGET {
            return Err(fail("memory budget exceeded", node));
        }
        Ok(())
    }

    pub(crate) fn eval(&mut self, node: &Node) -> EResult {
        match &node.kind {
            NodeKind::Nil => Ok(Value::Nil),
            NodeKind::Bool(b) => Ok(Value::Bool(*b)),
            NodeKind::Int(i) => Ok(Value::Int(*i)),
            NodeKind::Float(f) => Ok(Value::Float(*f)),
            NodeKind::Str(s) => Ok(Value::Str(Rc::from(s.as_str()))),
            NodeKind::Ident(name) => {
                if name == "result" {
                    Ok(self.result.clone())
                } else {
                    Err(ExprError::unsupported(
                        format!("using the function `{name}` as a value is not supported by Canary Lab's expr subset"),
                        node.span.clone(),
                    ))
                }
            }
            NodeKind::Pointer(name) => {
                let Some((collection, index)) = self.scopes.last() else {
                    return Err(fail("cannot use pointer accessor outside closure", node));
                };
                if name == "index" {
                    return Ok(Value::Int(*index as i64));
                }
                Ok(collection
                    .as_slice()
                    .and_then(|s| s.get(*index))
                    .unwrap_or(Value::Nil))
            }
            NodeKind::Unary { op, operand } => {
                let v = self.eval(operand)?;
                match op {
                    UnaryOp::Not { .. } => Ok(Value::Bool(!as_bool(&v, node)?)),
                    UnaryOp::Plus => Ok(v),
                    UnaryOp::Neg => match v {
                        Value::Int(i) => Ok(Value::Int(i.wrapping_neg())),
                        Value::Int64(i) => Ok(Value::Int64(i.wrapping_neg())),
                        Value::Float(f) => Ok(Value::Float(-f)),
                        other => Err(fail(
                            format!("invalid operation: - {}", other.go_type()),
                            node,
                        )),
                    },
                }
            }
            NodeKind::Binary {
                op, left, right, ..
            } => self.binary(*op, left, right, node),
            NodeKind::Member {
                object,
                property,
                optional,
            } => {
                let base = self.eval(object)?;
                if *optional && matches!(base, Value::Nil) {
                    return Ok(Value::Nil);
                }
                let key = self.eval(property)?;
                self.fetch(&base, &key, node)
            }
            NodeKind::Slice { object, from, to } => {
                let base = self.eval(object)?;
                let to = match to {
                    Some(t) => self.eval(t)?,
                    None => builtins::call(Builtin::Len, std::slice::from_ref(&base))
                        .map_err(|m| fail(m, node))?,
                };
                let from = match from {
                    Some(f) => self.eval(f)?,
                    None => Value::Int(0),
                };
                self.slice(&base, &from, &to, node)
            }
            NodeKind::Call { callee, args } => {
                let f = match &callee.kind {
                    NodeKind::Ident(name) => EnvFunc::by_name(name),
                    _ => None,
                };
                let Some(f) = f else {
                    return Err(ExprError::unsupported(
                        "this call is not supported by Canary Lab's expr subset",
                        node.span.clone(),
                    ));
                };
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    values.push(if self.checked.coerce_to_float.contains(&arg.span) {
                        self.eval_float_literals(arg)?
                    } else {
                        self.eval(arg)?
                    });
                }
                self.env.call(f, &values).map_err(|m| fail(m, node))
            }
            NodeKind::Builtin { name, args } => {
                let Some(b) = Builtin::by_name(name) else {
                    return Err(ExprError::unsupported(
                        format!("builtin `{name}` is not supported by Canary Lab's expr subset"),
                        node.span.clone(),
                    ));
                };
                if b.is_predicate() {
                    return self.predicate(b, args, node);
                }
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    values.push(self.eval(arg)?);
                }
                builtins::call(b, &values).map_err(|m| fail(m, node))
            }
            NodeKind::Closure(body) => self.eval(body),
            NodeKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                let c = self.eval(cond)?;
                if as_bool(&c, cond)? {
                    self.eval(then)
                } else {
                    self.eval(otherwise)
                }
            }
            NodeKind::Array(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(self.eval(item)?);
                }
                self.grow(values.len() as u64, node)?;
                Ok(Value::List(values.into()))
            }
        }
    }

    /// Evaluates an argument after expr's checker rewrote its integer literals
    /// to float64 (only through unary operators and `+ - *`).
    fn eval_float_literals(&mut self, node: &Node) -> EResult {
        match &node.kind {
            NodeKind::Int(i) => Ok(Value::Float(*i as f64)),
            NodeKind::Unary { op, operand } => {
                let v = self.eval_float_literals(operand)?;
                match (op, v) {
                    (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
                    (UnaryOp::Plus, v) => Ok(v),
                    _ => self.eval(node),
                }
            }
            NodeKind::Binary {
                op: op @ (BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul),
                left,
                right,
                ..
            } => {
                let a = self.eval_float_literals(left)?;
                let b = self.eval_float_literals(right)?;
                arith(*op, &a, &b).map_err(|m| fail(m, node))
            }
            _ => self.eval(node),
        }
    }

    fn binary(&mut self, op: BinaryOp, left: &Node, right: &Node, node: &Node) -> EResult {
        // Short-circuit operators only assert the left side; the right passes through.
        match op {
            BinaryOp::And => {
                let l = self.eval(left)?;
                return if as_bool(&l, node)? {
                    self.eval(right)
                } else {
                    Ok(l)
                };
            }
            BinaryOp::Or => {
                let l = self.eval(left)?;
                return if as_bool(&l, node)? {
                    Ok(l)
                } else {
                    self.eval(right)
                };
            }
            BinaryOp::Coalesce => {
                let l = self.eval(left)?;
                return if matches!(l, Value::Nil) {
                    self.eval(right)
                } else {
                    Ok(l)
                };
            }
            _ => {}
        }
        let a = self.eval(left)?;
        let b = self.eval(right)?;
        let cmp = |symbol: &str| compare(&a, &b, symbol).map_err(|m| fail(m, node));
        match op {
            BinaryOp::Eq => Ok(Value::Bool(equal(&a, &b))),
            BinaryOp::Ne => Ok(Value::Bool(!equal(&a, &b))),
            BinaryOp::Lt => Ok(Value::Bool(cmp("<")? == Some(Ordering::Less))),
            BinaryOp::Gt => Ok(Value::Bool(cmp(">")? == Some(Ordering::Greater))),
            BinaryOp::Le => Ok(Value::Bool(matches!(
                cmp("<=")?,
                Some(Ordering::Less | Ordering::Equal)
            ))),
            BinaryOp::Ge => Ok(Value::Bool(matches!(
                cmp(">=")?,
                Some(Ordering::Greater | Ordering::Equal)
            ))),
            BinaryOp::In => match (&a, &b) {
                (_, Value::Nil) => Ok(Value::Bool(false)),
                (_, haystack) => match haystack.as_slice() {
                    Some(s) => Ok(Value::Bool(
                        (0..s.len()).any(|i| s.get(i).is_some_and(|v| equal(&v, &a))),
                    )),
                    None => Err(fail(
                        format!("operator \"in\" not defined on {}", haystack.go_type()),
                        node,
                    )),
                },
            },
            BinaryOp::Contains | BinaryOp::StartsWith | BinaryOp::EndsWith => {
                let (Value::Str(x), Value::Str(y)) = (&a, &b) else {
                    let bad = if matches!(a, Value::Str(_)) { &b } else { &a };
                    return Err(fail(assertion(bad, "string"), node));
                };
                Ok(Value::Bool(match op {
                    BinaryOp::Contains => x.contains(&**y),
                    BinaryOp::StartsWith => x.starts_with(&**y),
                    _ => x.ends_with(&**y),
                }))
            }
            BinaryOp::Range => {
                let lo = to_int(&a).map_err(|m| fail(m, node))?;
                let hi = to_int(&b).map_err(|m| fail(m, node))?;
                let size = (hi as i128 - lo as i128 + 1).max(0);
                self.grow(u64::try_from(size).unwrap_or(u64::MAX), node)?;
                Ok(Value::Ints((lo..=hi).collect::<Vec<_>>().into()))
            }
            BinaryOp::Matches => Err(ExprError::unsupported(
                "the `matches` operator is not supported by Canary Lab's expr subset",
                node.span.clone(),
            )),
            _ => arith(op, &a, &b).map_err(|m| fail(m, node)),
        }
    }

    /// Go's `runtime.Fetch` for the values we model.
    fn fetch(&self, base: &Value, key: &Value, node: &Node) -> EResult {
        if let Some(s) = base.as_slice() {
            let mut index = to_int(key).map_err(|m| fail(m, node))?;
            if index < 0 {
                index += s.len() as i64;
            }
            return usize::try_from(index)
                .ok()
                .and_then(|i| s.get(i))
                .ok_or_else(|| fail("reflect: slice index out of range", node));
        }
        if let Value::Str(_) = base {
            return Err(ExprError::unsupported(
                "indexing a string is not supported by Canary Lab's expr subset",
                node.span.clone(),
            ));
        }
        Err(fail(
            format!("cannot fetch {key} from {}", base.go_type()),
            node,
        ))
    }

    /// Go's `runtime.Slice`: clamps both bounds instead of failing.
    fn slice(&self, base: &Value, from: &Value, to: &Value, node: &Node) -> EResult {
        let len = match base {
            Value::Str(s) => s.len() as i64,
            other => match other.as_slice() {
                Some(s) => s.len() as i64,
                None => return Err(fail(format!("cannot slice {from}"), node)),
            },
        };
        let mut a = to_int(from).map_err(|m| fail(m, node))?;
        let mut b = to_int(to).map_err(|m| fail(m, node))?;
        if a < 0 {
            a = a.saturating_add(len).max(0);
        }
        if b < 0 {
            b = b.saturating_add(len).max(0);
        }
        b = b.min(len);
        a = a.min(b);
        let (a, b) = (a as usize, b as usize);
        match base {
            Value::Str(s) => Ok(Value::Str(Rc::from(
                String::from_utf8_lossy(&s.as_bytes()[a..b]).as_ref(),
            ))),
            other => Ok(other.as_slice().map(|s| s.sub(a, b)).unwrap_or(Value::Nil)),
        }
    }

    fn predicate(&mut self, b: Builtin, args: &[Node], node: &Node) -> EResult {
        let collection = self.eval(&args[0])?;
        let len = match collection.as_slice() {
            Some(s) => s.len(),
            None => {
                return Err(match &collection {
                    Value::Nil => fail("reflect: call of reflect.Value.Len on zero Value", node),
                    Value::Str(_) => ExprError::unsupported(
                        "iterating over a string is not supported by Canary Lab's expr subset",
                        node.span.clone(),
                    ),
                    other => fail(
                        format!(
                            "reflect: call of reflect.Value.Len on {} Value",
                            other.go_type()
                        ),
                        node,
                    ),
                })
            }
        };
        let closure = &args[1];
        self.scopes.push((collection.clone(), 0));
        let outcome = self.run_predicate(b, closure, len, node);
        self.scopes.pop();
        outcome
    }

    fn run_predicate(&mut self, b: Builtin, closure: &Node, len: usize, node: &Node) -> EResult {
        let element = |this: &Self, i: usize| {
            this.scopes
                .last()
                .and_then(|(c, _)| c.as_slice().and_then(|s| s.get(i)))
                .unwrap_or(Value::Nil)
        };
        let order: Vec<usize> = if matches!(b, Builtin::FindLast | Builtin::FindLastIndex) {
            (0..len).rev().collect()
        } else {
            (0..len).collect()
        };
        let mut count: i64 = 0;
        let mut mapped = Vec::new();
        for i in order {
            if let Some(scope) = self.scopes.last_mut() {
                scope.1 = i;
            }
            let out = self.eval(closure)?;
            if b == Builtin::Map {
                mapped.push(out);
                continue;
            }
            let hit = as_bool(&out, closure)?;
            match b {
                Builtin::All if !hit => return Ok(Value::Bool(false)),
                Builtin::None if hit => return Ok(Value::Bool(false)),
                Builtin::Any if hit => return Ok(Value::Bool(true)),
                Builtin::Find | Builtin::FindLast if hit => return Ok(element(self, i)),
                Builtin::FindIndex | Builtin::FindLastIndex if hit => {
                    return Ok(Value::Int(i as i64))
                }
                Builtin::One | Builtin::Count if hit => count += 1,
                Builtin::Filter if hit => {
                    count += 1;
                    mapped.push(element(self, i));
                }
                _ => {}
            }
        }
        Ok(match b {
            Builtin::All | Builtin::None => Value::Bool(true),
            Builtin::Any => Value::Bool(false),
            Builtin::One => Value::Bool(count == 1),
            Builtin::Count => Value::Int(count),
            Builtin::Filter | Builtin::Map => {
                self.grow(mapped.len() as u64, node)?;
                Value::List(mapped.into())
            }
            _ => Value::Nil,
        })
    }
}
