//! Property tests: arbitrary input never panics, in parsing or evaluation.

use canary_lab_expr::{evaluate, evaluate_result, parse, MetricResult};
use proptest::prelude::*;

/// Fragments that make random strings look like conditions, so the parser,
/// checker and evaluator (not just the lexer) get exercised.
const FRAGMENTS: &[&str] = &[
    "result",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "#",
    "#index",
    ".",
    "?.",
    ",",
    ":",
    "?",
    "??",
    "0",
    "1",
    "-1",
    "0.05",
    "1e3",
    "'a'",
    "nil",
    "true",
    "false",
    "<",
    ">=",
    "==",
    "!=",
    "&&",
    "||",
    "and",
    "or",
    "not",
    "!",
    "in",
    "..",
    "+",
    "-",
    "*",
    "/",
    "%",
    "**",
    "^",
    "|",
    "len",
    "all",
    "any",
    "none",
    "one",
    "filter",
    "map",
    "count",
    "find",
    "sum",
    "mean",
    "median",
    "max",
    "min",
    "abs",
    "ceil",
    "floor",
    "round",
    "int",
    "float",
    "string",
    "first",
    "last",
    "isNaN",
    "isInf",
    "asInt",
    "asFloat",
    "isNil",
    "default",
    "type",
    "contains",
    "startsWith",
    " ",
];

fn results() -> impl Strategy<Value = MetricResult> {
    prop_oneof![
        prop::collection::vec(
            prop_oneof![Just(f64::NAN), Just(f64::INFINITY), -1e6..1e6f64, Just(0.0)],
            0..4
        )
        .prop_map(MetricResult::Vector),
        prop_oneof![Just(f64::NAN), -1e6..1e6f64].prop_map(MetricResult::Scalar),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(src in ".{0,64}", result in results()) {
        if let Ok(p) = parse(&src) {
            let _ = evaluate(&p, &result);
        }
    }

    #[test]
    fn token_soup_never_panics(parts in prop::collection::vec(prop::sample::select(FRAGMENTS), 0..24), result in results()) {
        let src = parts.join(" ");
        if let Ok(p) = parse(&src) {
            let _ = evaluate(&p, &result);
        }
        let _ = evaluate_result(Some(&src), Some(&src), &result);
    }
}
