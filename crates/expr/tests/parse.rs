//! Parser behaviour: precedence, spans, and expr's syntax-error texts.

use canary_lab_expr::{parse, BinaryOp, ErrorKind, Node, NodeKind, UnaryOp, MAX_DEPTH};

/// Renders the tree fully parenthesised, to assert precedence and associativity.
fn sexpr(node: &Node) -> String {
    match &node.kind {
        NodeKind::Nil => "nil".into(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(f) => format!("{f:?}"),
        NodeKind::Str(s) => format!("{s:?}"),
        NodeKind::Ident(n) => n.clone(),
        NodeKind::Pointer(n) => format!("#{n}"),
        NodeKind::Unary { op, operand } => {
            let o = match op {
                UnaryOp::Not { .. } => "!",
                UnaryOp::Neg => "-",
                UnaryOp::Plus => "+",
            };
            format!("({o} {})", sexpr(operand))
        }
        NodeKind::Binary {
            op, left, right, ..
        } => format!("({} {} {})", sexpr(left), op.symbol(), sexpr(right)),
        NodeKind::Member {
            object, property, ..
        } => format!("{}[{}]", sexpr(object), sexpr(property)),
        NodeKind::Slice { object, from, to } => format!(
            "{}[{}:{}]",
            sexpr(object),
            from.as_deref().map(sexpr).unwrap_or_default(),
            to.as_deref().map(sexpr).unwrap_or_default()
        ),
        NodeKind::Call { callee, args } => format!(
            "{}({})",
            sexpr(callee),
            args.iter().map(sexpr).collect::<Vec<_>>().join(", ")
        ),
        NodeKind::Builtin { name, args } => format!(
            "{name}({})",
            args.iter().map(sexpr).collect::<Vec<_>>().join(", ")
        ),
        NodeKind::Closure(body) => format!("{{{}}}", sexpr(body)),
        NodeKind::Conditional {
            cond,
            then,
            otherwise,
        } => format!("({} ? {} : {})", sexpr(cond), sexpr(then), sexpr(otherwise)),
        NodeKind::Array(items) => format!(
            "[{}]",
            items.iter().map(sexpr).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn p(src: &str) -> String {
    sexpr(&parse(src).unwrap_or_else(|e| panic!("{src}: {e}")).root)
}

fn perr(src: &str) -> String {
    parse(src).expect_err(src).message
}

#[test]
fn precedence_follows_expr_table() {
    assert_eq!(p("a || b && c"), "(a || (b && c))");
    assert_eq!(p("a or b and c"), "(a || (b && c))");
    assert_eq!(p("a && b == c"), "(a && (b == c))");
    assert_eq!(p("1 + 2 * 3"), "(1 + (2 * 3))");
    assert_eq!(p("1 - 2 - 3"), "((1 - 2) - 3)");
    assert_eq!(p("2 ** 3 ** 2"), "(2 ** (3 ** 2))");
    assert_eq!(p("2 ^ 3 * 4"), "((2 ** 3) * 4)");
    assert_eq!(p("1..2 == x"), "((1 .. 2) == x)");
    assert_eq!(p("1 + 2 .. 3"), "((1 + 2) .. 3)");
    assert_eq!(p("a ?? b ?? c"), "((a ?? b) ?? c)");
    assert_eq!(p("(a ?? b) + 1"), "((a ?? b) + 1)");
    assert_eq!(p("x in [1, 2] || y"), "((x in [1, 2]) || y)");
}

#[test]
fn unary_operators() {
    assert_eq!(p("-2 ** 2"), "(- (2 ** 2))");
    assert_eq!(p("!a == b"), "((! a) == b)");
    assert_eq!(p("not a && b"), "((! a) && b)");
    assert_eq!(p("-result[0]"), "(- result[0])");
    assert_eq!(p("+1"), "(+ 1)");
    assert_eq!(p("x not in y"), "(! (x in y))");
}

#[test]
fn postfix_calls_closures_and_conditionals() {
    assert_eq!(p("result[-1]"), "result[(- 1)]");
    assert_eq!(p("result[1:2]"), "result[1:2]");
    assert_eq!(p("result[:2]"), "result[:2]");
    assert_eq!(p("result[1:]"), "result[1:]");
    assert_eq!(p("isNaN(result[0])"), "isNaN(result[0])");
    assert_eq!(p("all(result, {# < 1000})"), "all(result, {(# < 1000)})");
    assert_eq!(p("all(result, # < 1000)"), "all(result, {(# < 1000)})");
    assert_eq!(p("map(result, #index)"), "map(result, {#index})");
    assert_eq!(p("result | all(# > 0)"), "all(result, {(# > 0)})");
    assert_eq!(p("a ? b : c ? d : e"), "(a ? b : (c ? d : e))");
    assert_eq!(p("a ?: b"), "(a ? a : b)");
    assert_eq!(p("[1, 2,]"), "[1, 2]");
    assert_eq!(
        p("1e3 + 0.05 + .5 + 0x1F + 1_000"),
        "((((1000.0 + 0.05) + 0.5) + 31) + 1000)"
    );
}

#[test]
fn spans_cover_source_text() {
    let prog = parse("len(result) > 0 && result[0] < 1000").unwrap();
    let NodeKind::Binary {
        op,
        left,
        right,
        op_span,
        ..
    } = &prog.root.kind
    else {
        panic!("not binary")
    };
    assert_eq!(*op, BinaryOp::And);
    assert_eq!(prog.root.span, 0..35);
    assert_eq!(*op_span, 16..18);
    assert_eq!(&prog.source[left.span.clone()], "len(result) > 0");
    assert_eq!(&prog.source[right.span.clone()], "result[0] < 1000");
    let NodeKind::Binary { left: idx, .. } = &right.kind else {
        panic!()
    };
    assert_eq!(&prog.source[idx.span.clone()], "result[0]");
    let paren = parse("(a + b) * c").unwrap();
    let NodeKind::Binary { left, .. } = &paren.root.kind else {
        panic!()
    };
    assert_eq!(left.span, 0..7);
}

#[test]
fn syntax_errors_use_expr_messages_and_spans() {
    assert_eq!(perr("result[0] <"), "unexpected token EOF");
    assert_eq!(perr("result[0] < < 1"), "unexpected token Operator(\"<\")");
    assert_eq!(perr("(result[0] < 1"), "unexpected token EOF");
    assert_eq!(perr("result[0] < 1)"), "unexpected token Bracket(\")\")");
    assert_eq!(perr("all(result)"), "unexpected token Bracket(\")\")");
    assert_eq!(perr("# > 1"), "cannot use pointer accessor outside closure");
    assert_eq!(perr("result."), "unexpected end of expression");
    assert_eq!(perr("result.1"), "unexpected token Number(\".1\")");
    assert_eq!(
        perr("a ?? b || c"),
        "Operator (||) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses."
    );
    // expr forbids mixing ?? with any other operator without parentheses.
    assert_eq!(
        perr("a ?? b + 1"),
        "Operator (+) and coalesce expressions (??) cannot be mixed. Wrap either by parentheses."
    );
    assert_eq!(
        perr("0o17"),
        "invalid integer literal: strconv.ParseInt: parsing \"0o17\": invalid syntax"
    );
    assert_eq!(
        perr("1e"),
        "invalid float literal: strconv.ParseFloat: parsing \"1e\": invalid syntax"
    );
    assert_eq!(
        perr("99999999999999999999"),
        "invalid integer literal: strconv.ParseInt: parsing \"99999999999999999999\": value out of range"
    );
    assert_eq!(perr("'abc'[0]"), "unexpected token Bracket(\"[\")");
    assert_eq!(perr("result = 1"), "unexpected token Operator(\"=\")");
    let e = parse("result[0] < < 1").unwrap_err();
    assert_eq!(e.span, Some(12..13));
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.to_string(), "unexpected token Operator(\"<\")");
}

#[test]
fn unsupported_syntax_is_reported_with_span() {
    let e = parse("{a: 1}").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unsupported);
    assert_eq!(e.span, Some(0..1));
    let e = parse("let x = 1; x").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unsupported);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = "(".repeat(10_000) + "1" + &")".repeat(10_000);
    let e = parse(&deep).unwrap_err();
    assert!(e.message.contains("nested too deeply"), "{}", e.message);
    let unary = "-".repeat(10_000) + "1";
    assert!(parse(&unary)
        .unwrap_err()
        .message
        .contains("nested too deeply"));
    let chain = vec!["1"; 10_000].join(" + ");
    assert!(parse(&chain)
        .unwrap_err()
        .message
        .contains("nested too deeply"));
    let postfix = "result".to_string() + &"[0]".repeat(10_000);
    assert!(parse(&postfix)
        .unwrap_err()
        .message
        .contains("nested too deeply"));
    let n = MAX_DEPTH as usize - 2;
    let ok = "(".repeat(n) + "1" + &")".repeat(n);
    assert!(parse(&ok).is_ok());
    let too_many = "(".repeat(MAX_DEPTH as usize + 1) + "1" + &")".repeat(MAX_DEPTH as usize + 1);
    assert!(parse(&too_many).is_err());
    let long_chain = vec!["true"; MAX_DEPTH as usize - 1].join(" && ");
    assert!(parse(&long_chain).is_ok());
}

/// The deepest accepted inputs must fit a small stack (wasm32's default is 1 MiB),
/// even in unoptimised builds.
#[test]
fn deepest_accepted_inputs_fit_in_one_mebibyte_of_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            use canary_lab_expr::{evaluate, MetricResult};
            let r = MetricResult::Vector(vec![1.0]);
            let n = MAX_DEPTH as usize - 2;
            let inputs = [
                "abs(".repeat(n) + "1" + &")".repeat(n),
                "(".repeat(n) + "1" + &")".repeat(n),
                "-".repeat(n) + "1",
                vec!["1"; n].join(" + "),
                "all(result, ".repeat(n / 2) + "true" + &")".repeat(n / 2),
                "[".repeat(n) + "1" + &"]".repeat(n),
                vec!["true"; n].join(" ? 1 : ") + " ? 1 : 2",
            ];
            for src in inputs {
                let program = parse(&src).unwrap_or_else(|e| panic!("{}: {e}", &src[..20]));
                let _ = evaluate(&program, &r);
                let _ = canary_lab_expr::indexes_result_without_len_guard(&program);
            }
        })
        .unwrap();
    handle.join().expect("ran out of stack");
}
