//! Compile-time type checking against Argo's environment, ported from expr
//! v1.15.5 `checker/checker.go` (messages verbatim), plus the one compile-time
//! error the optimizer can raise (`integer divide by zero` on constant `%`).

use crate::ast::{BinaryOp, Node, NodeKind, Program, UnaryOp};
use crate::builtins::{self, Builtin};
use crate::env::{EnvFunc, BUILTIN_FUNCTION_TYPE};
use crate::error::{ExprError, Span};
use crate::parser::BUILTIN_NAMES;
use crate::types::{combined, either_any, is_comparable, Kind, Type};

/// What the checker learned that evaluation needs.
#[derive(Debug, Clone, Default)]
pub(crate) struct CheckOutput {
    /// Arguments whose integer literals expr rewrites to floats because the
    /// parameter is `float64` (`isNaN(1)`), identified by span.
    pub coerce_to_float: Vec<Span>,
}

/// Type plus expr's `info.elem` (element type of an array literal whose items agree).
struct Info {
    t: Type,
    elem: Option<Type>,
}

impl Info {
    fn of(t: Type) -> Self {
        Info { t, elem: None }
    }
}

struct Scope {
    collection: Type,
    /// `#index` is declared only inside `map` in v1.15.5.
    has_index: bool,
}

struct Checker<'a> {
    result: &'a Type,
    scopes: Vec<Scope>,
    out: CheckOutput,
}

type CResult = Result<Info, ExprError>;

fn err(message: String, node: &Node) -> ExprError {
    ExprError::typ(message, node.span.clone())
}

/// Type-checks `program` with `result` typed as `result_type`.
pub(crate) fn check(
    program: &Program,
    result_type: &Type,
) -> Result<(Type, CheckOutput), ExprError> {
    let mut checker = Checker {
        result: result_type,
        scopes: Vec::new(),
        out: CheckOutput::default(),
    };
    let info = checker.visit(&program.root)?;
    constant_modulo_by_zero(&program.root)?;
    Ok((info.t, checker.out))
}

impl Checker<'_> {
    fn visit(&mut self, node: &Node) -> CResult {
        match &node.kind {
            NodeKind::Nil => Ok(Info::of(Type::Nil)),
            NodeKind::Bool(_) => Ok(Info::of(Type::Bool)),
            NodeKind::Int(_) => Ok(Info::of(Type::Int)),
            NodeKind::Float(_) => Ok(Info::of(Type::Float)),
            NodeKind::Str(_) => Ok(Info::of(Type::String)),
            NodeKind::Ident(name) => self.identifier(name, node),
            NodeKind::Pointer(name) => self.pointer(name, node),
            NodeKind::Unary { op, operand } => self.unary(*op, operand, node),
            NodeKind::Binary {
                op,
                written,
                left,
                right,
                ..
            } => self.binary(*op, written, left, right, node),
            NodeKind::Member {
                object, property, ..
            } => self.member(object, property, node),
            NodeKind::Slice { object, from, to } => {
                let t = self.visit(object)?.t;
                if !matches!(t.kind(), Kind::Interface | Kind::String | Kind::Slice) {
                    return Err(err(format!("cannot slice {t}"), node));
                }
                for bound in [from, to].into_iter().flatten() {
                    let bt = self.visit(bound)?.t;
                    if !bt.is_integer() && !bt.is_any() {
                        return Err(err(format!("non-integer slice index {bt}"), bound));
                    }
                }
                Ok(Info::of(t))
            }
            NodeKind::Call { callee, args } => self.call(callee, args, node),
            NodeKind::Builtin { name, args } => self.builtin(name, args, node),
            NodeKind::Closure(body) => {
                let t = self.visit(body)?.t;
                if t.is_nil() {
                    return Err(err("closure cannot be nil".into(), body));
                }
                Ok(Info::of(Type::Closure(Box::new(t))))
            }
            NodeKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                let c = self.visit(cond)?.t;
                if !c.is_bool() && !c.is_any() {
                    return Err(err(
                        format!("non-bool expression (type {c}) used as condition"),
                        cond,
                    ));
                }
                let t1 = self.visit(then)?.t;
                let t2 = self.visit(otherwise)?.t;
                Ok(Info::of(match (t1.is_nil(), t2.is_nil()) {
                    (true, false) => t2,
                    (false, true) | (true, true) => t1,
                    (false, false) if t1.assignable_to(&t2) => t1,
                    _ => Type::Any,
                }))
            }
            NodeKind::Array(items) => {
                let mut prev: Option<Type> = None;
                let mut same = true;
                for (i, item) in items.iter().enumerate() {
                    let cur = self.visit(item)?.t;
                    if i > 0 {
                        match &prev {
                            Some(p) if !p.is_nil() && !cur.is_nil() && p.kind() == cur.kind() => {}
                            _ => same = false,
                        }
                    }
                    prev = Some(cur);
                }
                let elem = match prev {
                    Some(p) if same && !p.is_nil() => Some(p),
                    _ => None,
                };
                Ok(Info {
                    t: Type::Slice(Box::new(Type::Any)),
                    elem,
                })
            }
        }
    }

    fn identifier(&mut self, name: &str, node: &Node) -> CResult {
        if BUILTIN_NAMES.contains(&name) {
            return Ok(Info::of(Type::Func(BUILTIN_FUNCTION_TYPE)));
        }
        if name == "result" {
            return Ok(Info::of(self.result.clone()));
        }
        if let Some(f) = EnvFunc::by_name(name) {
            return Ok(Info::of(Type::Func(f.signature())));
        }
        if name == "$env" {
            return Err(ExprError::unsupported(
                "`$env` is not supported by Canary Lab's expr subset",
                node.span.clone(),
            ));
        }
        Err(err(format!("unknown name {name}"), node))
    }

    fn pointer(&mut self, name: &str, node: &Node) -> CResult {
        let Some(scope) = self.scopes.last() else {
            return Err(err(
                "cannot use pointer accessor outside closure".into(),
                node,
            ));
        };
        if name.is_empty() {
            return match &scope.collection {
                Type::Any => Ok(Info::of(Type::Any)),
                Type::Slice(e) => Ok(Info::of((**e).clone())),
                other => Err(err(format!("cannot use {other} as array"), node)),
            };
        }
        if name == "index" && scope.has_index {
            return Ok(Info::of(Type::Int));
        }
        Err(err(format!("unknown pointer #{name}"), node))
    }

    fn unary(&mut self, op: UnaryOp, operand: &Node, node: &Node) -> CResult {
        let t = self.visit(operand)?.t;
        let symbol = match op {
            UnaryOp::Not { word: true } => "not",
            UnaryOp::Not { word: false } => "!",
            UnaryOp::Neg => "-",
            UnaryOp::Plus => "+",
        };
        match op {
            UnaryOp::Not { .. } if t.is_bool() || t.is_any() => Ok(Info::of(Type::Bool)),
            UnaryOp::Neg | UnaryOp::Plus if t.is_number() || t.is_any() => Ok(Info::of(t)),
            _ => Err(err(
                format!("invalid operation: {symbol} (mismatched type {t})"),
                node,
            )),
        }
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        written: &str,
        left: &Node,
        right: &Node,
        node: &Node,
    ) -> CResult {
        let l = self.visit(left)?.t;
        let right_info = self.visit(right)?;
        let r = right_info.t;
        let ok = |t: Type| Ok(Info::of(t));
        match op {
            BinaryOp::Eq | BinaryOp::Ne => {
                if is_comparable(&l, &r) {
                    return ok(Type::Bool);
                }
            }
            BinaryOp::Or | BinaryOp::And => {
                if (l.is_bool() && r.is_bool()) || either_any(&l, &r, Type::is_bool) {
                    return ok(Type::Bool);
                }
            }
            BinaryOp::Lt | BinaryOp::Gt | BinaryOp::Le | BinaryOp::Ge => {
                if (l.is_number() && r.is_number())
                    || (l.is_string() && r.is_string())
                    || either_any(&l, &r, |t| t.is_number() || t.is_string())
                {
                    return ok(Type::Bool);
                }
            }
            BinaryOp::Sub | BinaryOp::Mul => {
                if l.is_number() && r.is_number() {
                    return ok(combined(&l, &r));
                }
                if either_any(&l, &r, Type::is_number) {
                    return ok(Type::Any);
                }
            }
            BinaryOp::Div | BinaryOp::Pow => {
                if (l.is_number() && r.is_number()) || either_any(&l, &r, Type::is_number) {
                    return ok(Type::Float);
                }
            }
            BinaryOp::Mod => {
                if l.is_integer() && r.is_integer() {
                    return ok(combined(&l, &r));
                }
                if either_any(&l, &r, Type::is_integer) {
                    return ok(Type::Any);
                }
            }
            BinaryOp::Add => {
                if l.is_number() && r.is_number() {
                    return ok(combined(&l, &r));
                }
                if l.is_string() && r.is_string() {
                    return ok(Type::String);
                }
                if either_any(&l, &r, |t| t.is_number() || t.is_string()) {
                    return ok(Type::Any);
                }
            }
            BinaryOp::In => {
                if let Some(elem) = r.elem() {
                    if l.is_nil() {
                        return ok(Type::Bool);
                    }
                    if !is_comparable(&l, elem) {
                        return Err(err(format!("cannot use {l} as type {elem} in array"), node));
                    }
                    if let Some(e) = &right_info.elem {
                        if !is_comparable(&l, e) {
                            return Err(err(format!("cannot use {l} as type {e} in array"), node));
                        }
                    }
                    return ok(Type::Bool);
                }
                if (l.is_any() && (r.is_string() || r.is_array())) || r.is_any() {
                    return ok(Type::Bool);
                }
            }
            BinaryOp::Matches => {
                return Err(ExprError::unsupported(
                    "the `matches` operator (regular expressions) is not supported by Canary Lab's expr subset",
                    node.span.clone(),
                ));
            }
            BinaryOp::Contains | BinaryOp::StartsWith | BinaryOp::EndsWith => {
                if (l.is_string() && r.is_string()) || either_any(&l, &r, Type::is_string) {
                    return ok(Type::Bool);
                }
            }
            BinaryOp::Range => {
                if (l.is_integer() && r.is_integer()) || either_any(&l, &r, Type::is_integer) {
                    return ok(Type::Slice(Box::new(Type::Int)));
                }
            }
            BinaryOp::Coalesce => {
                return ok(match (l.is_nil(), r.is_nil()) {
                    (true, false) => r,
                    (false, true) => l,
                    (true, true) => Type::Nil,
                    (false, false) if r.assignable_to(&l) => l,
                    _ => Type::Any,
                });
            }
        }
        Err(err(
            format!("invalid operation: {written} (mismatched types {l} and {r})"),
            node,
        ))
    }

    fn member(&mut self, object: &Node, property: &Node, node: &Node) -> CResult {
        let base = self.visit(object)?.t;
        let prop = self.visit(property)?.t;
        let named = matches!(property.kind, NodeKind::Str(_));
        if named && base.is_nil() {
            if let NodeKind::Str(name) = &property.kind {
                return Err(err(format!("type {base} has no field {name}"), node));
            }
        }
        match base.kind() {
            Kind::Interface => Ok(Info::of(Type::Any)),
            Kind::Slice => {
                if !prop.is_integer() && !prop.is_any() {
                    return Err(err(
                        format!(
                            "array elements can only be selected using an integer (got {prop})"
                        ),
                        property,
                    ));
                }
                Ok(Info::of(base.elem().cloned().unwrap_or(Type::Any)))
            }
            _ => Err(err(format!("type {base}[{prop}] is undefined"), node)),
        }
    }

    fn call(&mut self, callee: &Node, args: &[Node], node: &Node) -> CResult {
        let fn_type = self.visit(callee)?.t;
        let fn_name = match &callee.kind {
            NodeKind::Ident(name) => name.clone(),
            NodeKind::Member { property, .. } => match &property.kind {
                NodeKind::Str(name) => name.clone(),
                _ => "function".into(),
            },
            _ => "function".into(),
        };
        match fn_type.kind() {
            Kind::Invalid => Err(err(
                format!("{fn_name} is nil; cannot call nil as function"),
                node,
            )),
            Kind::Interface => Ok(Info::of(Type::Any)),
            Kind::Func => {
                let Some(f) = EnvFunc::by_name(&fn_name).filter(|_| callee.is_ident(&fn_name))
                else {
                    return Err(ExprError::unsupported(
                        format!("calling `{fn_name}` this way is not supported by Canary Lab's expr subset"),
                        node.span.clone(),
                    ));
                };
                self.check_arguments(&fn_name, &f.params(), f.output(), args, node)
            }
            _ => Err(err(format!("{fn_type} is not callable"), node)),
        }
    }

    /// expr's `checkArguments` for a non-variadic Go function.
    fn check_arguments(
        &mut self,
        name: &str,
        params: &[Type],
        output: Type,
        args: &[Node],
        node: &Node,
    ) -> CResult {
        if args.len() > params.len() {
            return Err(err(format!("too many arguments to call {name}"), node));
        }
        if args.len() < params.len() {
            return Err(err(format!("not enough arguments to call {name}"), node));
        }
        for (arg, param) in args.iter().zip(params) {
            let t = self.visit(arg)?.t;
            if param.is_float() && t.is_integer() {
                self.out.coerce_to_float.push(arg.span.clone());
                continue;
            }
            if t.is_nil() {
                continue;
            }
            if !t.assignable_to(param) && t.kind() != Kind::Interface {
                // The trailing space is in expr's format string.
                return Err(err(
                    format!("cannot use {t} as argument (type {param}) to call {name} "),
                    arg,
                ));
            }
        }
        Ok(Info::of(output))
    }

    fn predicate(
        &mut self,
        name: &str,
        args: &[Node],
        has_index: bool,
    ) -> Result<(Type, Type), ExprError> {
        let collection = self.visit(&args[0])?.t;
        if !collection.is_array() && !collection.is_any() {
            return Err(err(
                format!("builtin {name} takes only array (got {collection})"),
                &args[0],
            ));
        }
        self.scopes.push(Scope {
            collection: collection.clone(),
            has_index,
        });
        let closure = self.visit(&args[1]);
        self.scopes.pop();
        let out = match closure?.t {
            Type::Closure(out) => *out,
            other => other,
        };
        Ok((collection, out))
    }

    fn builtin(&mut self, name: &str, args: &[Node], node: &Node) -> CResult {
        let Some(builtin) = Builtin::by_name(name) else {
            return Err(ExprError::unsupported(
                format!("builtin `{name}` is not supported by Canary Lab's expr subset"),
                node.span.clone(),
            ));
        };
        if builtin.is_predicate() {
            let (collection, out) = self.predicate(name, args, builtin == Builtin::Map)?;
            let needs_bool = builtin != Builtin::Map;
            if needs_bool && !out.is_bool() && !out.is_any() {
                return Err(err(
                    format!("predicate should return boolean (got {out})"),
                    &args[1],
                ));
            }
            let elem_or_any = || collection.elem().cloned().unwrap_or(Type::Any);
            return Ok(Info::of(match builtin {
                Builtin::Filter => Type::Slice(Box::new(elem_or_any())),
                Builtin::Map => Type::Slice(Box::new(out)),
                Builtin::Count | Builtin::FindIndex | Builtin::FindLastIndex => Type::Int,
                Builtin::Find | Builtin::FindLast => elem_or_any(),
                _ => Type::Bool,
            }));
        }
        if matches!(builtin, Builtin::Type | Builtin::String) {
            // Typed as `func(any) string`: arity is checked before arguments are visited.
            return self.check_arguments(name, &[Type::Any], Type::String, args, node);
        }
        let mut types = Vec::with_capacity(args.len());
        for arg in args {
            types.push(self.visit(arg)?.t);
        }
        builtins::validate(builtin, &types)
            .map(Info::of)
            .map_err(|m| err(m, node))
    }
}

/// The optimizer folds constant integer `%` and rejects a zero divisor at compile time.
fn constant_modulo_by_zero(node: &Node) -> Result<(), ExprError> {
    if let NodeKind::Binary {
        op: BinaryOp::Mod,
        left,
        right,
        ..
    } = &node.kind
    {
        if const_int(left).is_some() && const_int(right) == Some(0) {
            return Err(ExprError::typ("integer divide by zero", node.span.clone()));
        }
    }
    for child in node.children() {
        constant_modulo_by_zero(child)?;
    }
    Ok(())
}

/// Integer value of a subtree the optimizer would fold to an integer literal.
fn const_int(node: &Node) -> Option<i64> {
    match &node.kind {
        NodeKind::Int(v) => Some(*v),
        NodeKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => const_int(operand).map(i64::wrapping_neg),
        NodeKind::Unary {
            op: UnaryOp::Plus,
            operand,
        } => const_int(operand),
        NodeKind::Binary {
            op, left, right, ..
        } => {
            let (a, b) = (const_int(left)?, const_int(right)?);
            match op {
                BinaryOp::Add => Some(a.wrapping_add(b)),
                BinaryOp::Sub => Some(a.wrapping_sub(b)),
                BinaryOp::Mul => Some(a.wrapping_mul(b)),
                BinaryOp::Mod if b != 0 => Some(a.wrapping_rem(b)),
                _ => None,
            }
        }
        _ => None,
    }
}
