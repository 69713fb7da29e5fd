//! Linter helpers.

use canary_lab_expr::{
    calls_env_function, guards_nan, indexes_result_without_len_guard, outcome_with_nan, parse,
    references_result, EnvFunc, ResultShape,
};

fn unguarded(src: &str) -> Option<String> {
    let p = parse(src).unwrap();
    indexes_result_without_len_guard(&p).map(|s| p.source[s].to_string())
}

#[test]
fn unguarded_indexes_are_found() {
    assert_eq!(unguarded("result[0] < 1000").as_deref(), Some("result[0]"));
    assert_eq!(
        unguarded("result[-1] < 1000").as_deref(),
        Some("result[-1]")
    );
    assert_eq!(
        unguarded("len(result) > 0 || result[0] < 1").as_deref(),
        Some("result[0]")
    );
    assert_eq!(
        unguarded("result[0] < 1 && len(result) > 0").as_deref(),
        Some("result[0]")
    );
    assert_eq!(
        unguarded("len(result) > 0 && result[1] < 1").as_deref(),
        Some("result[1]")
    );
    assert_eq!(
        unguarded("len(result) < 1 && result[0] < 1").as_deref(),
        Some("result[0]")
    );
    assert_eq!(
        unguarded("len(result) > 0 ? 1 : result[0]").as_deref(),
        Some("result[0]")
    );
    assert_eq!(
        unguarded("len(result) > 0 && (result[0] < 1 || result[2] > 1)").as_deref(),
        Some("result[2]")
    );
    assert_eq!(
        unguarded("all(result, {result[0] > #})").as_deref(),
        Some("result[0]")
    );
    assert_eq!(
        unguarded("len(result) != 1 || result[1] > 0").as_deref(),
        Some("result[1]")
    );
}

#[test]
fn recognised_guards() {
    for src in [
        "len(result) > 0 && result[0] < 1000",
        "len(result) >= 1 && result[0] < 1000",
        "len(result) == 0 || result[0] < 1000",
        "len(result) < 1 || result[0] < 1000",
        "len(result) <= 0 or result[-1] < 1000",
        "0 < len(result) and result[0] < 1000",
        "len(result) != 0 && result[0] < 1000",
        "len(result) > 1 && result[1] < result[0]",
        "len(result) == 2 && result[-2] < 1",
        "len(result) > 0 && x && result[0] < 1",
        "len(result) > 0 && y > 1 && result[0] < 1",
        "!(len(result) == 0) && result[0] < 1",
        "not (len(result) < 1) && result[0] < 1",
        "len(result) > 0 ? result[0] < 1 : false",
        "len(result) == 0 ? true : result[0] < 1",
        "(len(result) > 0 && result[0] < 1) || false",
        "result[1:] == result",
        "first(result) < 1",
        "all(result, {# < 1})",
    ] {
        assert_eq!(unguarded(src), None, "{src}");
    }
}

#[test]
fn nan_guard_detection() {
    let g = |src: &str| guards_nan(&parse(src).unwrap());
    assert!(g("!isNaN(result[0]) && result[0] < 0.05"));
    assert!(g("all(result, {!isNaN(#) && # < 1})"));
    assert!(g("isNaN(result) || result >= 0.05"));
    assert!(!g("result[0] < 0.05"));
    assert!(!g("isNaN(1) || result[0] < 0.05"));
}

#[test]
fn nan_outcome_exposes_polarity() {
    let o = |src: &str, shape| outcome_with_nan(&parse(src).unwrap(), shape).unwrap();
    assert!(!o("result[0] < 0.05", ResultShape::Vector));
    assert!(!o("result[0] >= 0.05", ResultShape::Vector));
    assert!(o(
        "isNaN(result[0]) || result[0] >= 0.05",
        ResultShape::Vector
    ));
    assert!(!o("result < 0.05", ResultShape::Scalar));
}

#[test]
fn other_helpers() {
    assert!(references_result(&parse("result[0] < 1").unwrap()));
    assert!(!references_result(&parse("1 < 2").unwrap()));
    assert!(calls_env_function(
        &parse("asFloat(result[0]) < 1").unwrap(),
        EnvFunc::AsFloat
    ));
    assert!(!calls_env_function(
        &parse("result[0] < 1").unwrap(),
        EnvFunc::IsNaN
    ));
}
