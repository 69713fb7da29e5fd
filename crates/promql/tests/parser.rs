//! Parser behaviour: spans, precedence, Prometheus-like errors, limits.

use canary_lab_promql::{
    parse, selectors, AggregateOp, BinaryOp, Expr, ExprKind, MatchOp, MAX_DEPTH,
};

/// Renders the tree with explicit parentheses to check grouping.
fn shape(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number(v) => format!("{v}"),
        ExprKind::String(s) => format!("{s:?}"),
        ExprKind::Vector(v) => v.name.clone().unwrap_or_else(|| "{..}".into()),
        ExprKind::Matrix(m) => format!(
            "{}[{}]",
            m.selector.name.clone().unwrap_or_default(),
            m.range_ms
        ),
        ExprKind::Paren(i) => shape(i),
        ExprKind::Unary { negate, expr } => {
            format!("({}{})", if *negate { "-" } else { "+" }, shape(expr))
        }
        ExprKind::Binary(b) => format!("({} {} {})", shape(&b.lhs), b.op.as_str(), shape(&b.rhs)),
        ExprKind::Call { func, args, .. } => {
            format!(
                "{}({})",
                func.name(),
                args.iter().map(shape).collect::<Vec<_>>().join(", ")
            )
        }
        ExprKind::Aggregate { op, expr, .. } => format!("{}({})", op.as_str(), shape(expr)),
    }
}

fn p(q: &str) -> String {
    shape(&parse(q).unwrap_or_else(|e| panic!("{q}: {e}")))
}

fn err(q: &str) -> (String, std::ops::Range<usize>) {
    let e = parse(q).expect_err(q);
    (e.message, e.span)
}

#[test]
fn precedence_and_associativity() {
    assert_eq!(p("a + b * c"), "(a + (b * c))");
    assert_eq!(p("a - b - c"), "((a - b) - c)");
    assert_eq!(p("a ^ b ^ c"), "(a ^ (b ^ c))");
    assert_eq!(p("-a ^ b"), "(-(a ^ b))");
    assert_eq!(p("-a * b"), "((-a) * b)");
    assert_eq!(p("a > b + 1"), "(a > (b + 1))");
    assert_eq!(p("a or b and c unless d"), "(a or ((b and c) unless d))");
    assert_eq!(p("a == b or c != d"), "((a == b) or (c != d))");
    assert_eq!(p("a % b / c * d"), "(((a % b) / c) * d)");
    assert_eq!(p("-1"), "-1");
    assert_eq!(
        p("2 * -3 ^ 2"),
        "(2 * -9)".replace("-9", "(-(3 ^ 2))").as_str()
    );
}

#[test]
fn literals_comments_and_whitespace() {
    assert_eq!(p("# leading comment\n  1e3 # trailing\n"), "1000");
    assert_eq!(p("Inf"), "inf");
    assert!(matches!(parse("NaN").unwrap().kind, ExprKind::Number(v) if v.is_nan()));
    assert_eq!(p("0x10"), "16");
    assert_eq!(p("'single' "), "\"single\"");
    assert_eq!(p("rate(\n  x[1h30m]\n)"), "rate(x[5400000])");
}

#[test]
fn aggregation_forms() {
    for q in [
        "sum by (le) (x)",
        "sum(x) by (le)",
        "SUM BY (le) (x)",
        "sum by (le,) (x)",
    ] {
        let e = parse(q).unwrap();
        let ExprKind::Aggregate { op, grouping, .. } = e.kind else {
            panic!("{q}")
        };
        assert_eq!(op, AggregateOp::Sum);
        let g = grouping.unwrap();
        assert!(!g.without);
        assert_eq!(g.labels, vec!["le".to_string()]);
        assert_eq!(e.span, 0..q.len(), "{q}");
    }
    let ExprKind::Aggregate { grouping, .. } = parse("count without (a, b) (x)").unwrap().kind
    else {
        panic!()
    };
    assert!(grouping.unwrap().without);
}

#[test]
fn binary_modifiers() {
    let ExprKind::Binary(b) = parse("a > bool on(x, y) b").unwrap().kind else {
        panic!()
    };
    assert!(b.return_bool);
    let m = b.matching.unwrap();
    assert!(m.on);
    assert_eq!(m.labels, vec!["x", "y"]);
    assert_eq!(b.op, BinaryOp::Gt);
    let ExprKind::Binary(b) = parse("a / ignoring(code) b").unwrap().kind else {
        panic!()
    };
    assert!(!b.matching.unwrap().on);
}

#[test]
fn spans_point_at_the_source() {
    let q = "sum(rate(m{job=\"api\", code=~\"5..\"}[2m] offset 1m)) / 2";
    let e = parse(q).unwrap();
    assert_eq!(e.span, 0..q.len());
    let sels = selectors(&e);
    assert_eq!(sels.len(), 1);
    let s = &sels[0];
    assert_eq!(s.metric.as_deref(), Some("m"));
    assert_eq!(&q[s.name_span.clone().unwrap()], "m");
    assert_eq!(
        &q[s.span.clone()],
        "m{job=\"api\", code=~\"5..\"}[2m] offset 1m"
    );
    assert_eq!(s.range_ms, Some(120_000));
    assert_eq!(s.offset_ms, 60_000);
    assert_eq!(&q[s.matchers[1].span.clone()], "code=~\"5..\"");
    assert_eq!(&q[s.matchers[1].name_span.clone()], "code");
    assert_eq!(&q[s.matchers[1].value_span.clone()], "\"5..\"");
    assert_eq!(s.matchers[1].op, MatchOp::Regex);
    assert_eq!(s.matchers[1].value, "5..");
}

#[test]
fn selectors_finds_every_selector_in_order() {
    let q = "histogram_quantile(0.95, sum by (le) (rate(b{hotrod_pod_hash=\"x\"}[2m]))) / {__name__=\"a\"}";
    let sels = selectors(&parse(q).unwrap());
    assert_eq!(sels.len(), 2);
    assert_eq!(sels[0].metric.as_deref(), Some("b"));
    assert_eq!(sels[0].matchers[0].name, "hotrod_pod_hash");
    assert_eq!(&q[sels[0].matchers[0].name_span.clone()], "hotrod_pod_hash");
    assert_eq!(sels[1].metric.as_deref(), Some("a"));
    assert!(sels[1].name_span.is_none());
}

#[test]
fn unsupported_features_are_named() {
    assert_eq!(
        err("foo(x)"),
        ("unknown function with name \"foo\"".into(), 0..3)
    );
    let (m, s) = err("1 + delta(x[5m])");
    assert_eq!(
        m,
        "function \"delta\" is not supported by Canary Lab's PromQL engine"
    );
    assert_eq!(s, 4..9);
    assert!(err("topk(3, x)")
        .0
        .contains("aggregation \"topk\" is not supported"));
    assert!(err("quantile by (a) (0.5, x)").0.contains("not supported"));
    assert!(err("rate(x[5m:1m])")
        .0
        .contains("subquery is not supported"));
    assert!(err("x @ 100").0.contains("@ modifier is not supported"));
    assert!(err("a * on(b) group_left c")
        .0
        .contains("group_left is not supported"));
    assert!(err("a atan2 b").0.contains("atan2"));
    assert!(err("{\"utf8.name\"}").0.contains("not supported"));
}

#[test]
fn prometheus_like_errors() {
    assert_eq!(err("").0, "no expression found in input");
    assert_eq!(err("sum(x").0, "unclosed left parenthesis");
    assert_eq!(err("(1 + 2").0, "unclosed left parenthesis");
    assert_eq!(
        err("rate(x)").0,
        "expected type range vector in call to function \"rate\", got instant vector"
    );
    assert_eq!(
        err("rate(x[5m], 1)").0,
        "expected 1 argument(s) in call to \"rate\", got 2"
    );
    assert_eq!(
        err("sum(x[5m])").0,
        "expected type instant vector in aggregation expression, got range vector"
    );
    assert_eq!(
        err("1 > 2").0,
        "comparisons between scalars must use BOOL modifier"
    );
    assert_eq!(
        err("a + bool b").0,
        "bool modifier can only be used on comparison operators"
    );
    assert_eq!(
        err("a and 1").0,
        "set operator \"and\" not allowed in binary scalar expression"
    );
    assert_eq!(
        err("1 + on(a) b").0,
        "vector matching only allowed between instant vectors"
    );
    assert_eq!(
        err("x[5m] + 1").0,
        "binary expression must contain only scalar and instant vector types"
    );
    assert_eq!(err("(x)[5m]").0, "ranges only allowed for vector selectors");
    assert_eq!(
        err("sum(x) offset 5m").0.split(" must").next(),
        Some("offset modifier")
    );
    assert_eq!(
        err("x offset 1m offset 2m").0,
        "offset may not be set multiple times"
    );
    assert_eq!(
        err("{a=\"\"}").0,
        "vector selector must contain at least one non-empty matcher"
    );
    assert_eq!(
        err("x{__name__=\"y\"}").0,
        "metric name must not be set twice: \"x\" or \"y\""
    );
    assert!(err("x{a=~\"(\"}")
        .0
        .starts_with("invalid regular expression"));
    assert_eq!(err("x{a=\"b\" c=\"d\"}").1, 8..9);
    assert!(err("x[5]").0.contains("expected duration"));
    assert!(err("1 +").0.contains("end of input"));
    assert!(err("sum by (a) (x) by (b)").0.contains("unexpected"));
    assert!(err("-\"s\"").0.starts_with("unary expression only allowed"));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(err(&deep).0.contains("nested too deeply"));
    let long_chain = vec!["1"; 10_000].join(" + ");
    assert!(err(&long_chain).0.contains("nested too deeply"));
    let unary = format!("{}1", "-".repeat(10_000));
    assert!(err(&unary).0.contains("nested too deeply"));
    let ok = format!(
        "{}1{}",
        "(".repeat(MAX_DEPTH / 2),
        ")".repeat(MAX_DEPTH / 2)
    );
    assert!(parse(&ok).is_ok());
}

mod fuzz {
    use proptest::prelude::*;

    const ALPHABET: &[&str] = &[
        "sum",
        "rate",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "x",
        "le",
        "=",
        "=~",
        "!=",
        "\"a\"",
        "5m",
        "1",
        "-",
        "+",
        "*",
        "/",
        "^",
        ",",
        "by",
        "on",
        "bool",
        "and",
        "or",
        "offset",
        "#c\n",
        " ",
        ":",
        "@",
        "histogram_quantile",
        "0.5",
        "'",
        "`",
        "\\",
        "é",
        "inf",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn parse_never_panics_on_arbitrary_text(s in "\\PC{0,80}") {
            let _ = canary_lab_promql::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_token_soup(parts in proptest::collection::vec(0..ALPHABET.len(), 0..40)) {
            let q: String = parts.iter().map(|&i| ALPHABET[i]).collect();
            if let Err(e) = canary_lab_promql::parse(&q) {
                prop_assert!(e.span.start <= e.span.end && e.span.end <= q.len(), "{q:?}: {e:?}");
                prop_assert!(q.is_char_boundary(e.span.start) && q.is_char_boundary(e.span.end));
            }
        }
    }
}
