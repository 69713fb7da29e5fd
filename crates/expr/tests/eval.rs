//! Type checking and evaluation against Argo's environment.

use canary_lab_expr::{
    check, eval_condition, evaluate, parse, ErrorKind, MetricResult, ResultShape, Type, Value,
};

fn vector(vs: &[f64]) -> MetricResult {
    MetricResult::Vector(vs.to_vec())
}

/// Evaluates `src` against `result` and renders the value as `%T:%v`.
fn run(src: &str, result: &MetricResult) -> String {
    let program = parse(src).unwrap_or_else(|e| panic!("{src}: parse: {e}"));
    match evaluate(&program, result) {
        Ok(v) => format!("{}:{v}", v.go_type()),
        Err(e) => panic!("{src}: {e}"),
    }
}

fn run_v(src: &str) -> String {
    run(src, &vector(&[3.0, 1.0, 2.0]))
}

fn error(src: &str, result: &MetricResult) -> (String, ErrorKind) {
    let program = parse(src).unwrap_or_else(|e| panic!("{src}: parse: {e}"));
    let e = evaluate(&program, result).expect_err(src);
    (e.message, e.kind)
}

fn type_error(src: &str, result: &MetricResult) -> String {
    let (m, k) = error(src, result);
    assert_eq!(k, ErrorKind::Type, "{src}: {m}");
    m
}

fn runtime_error(src: &str, result: &MetricResult) -> String {
    let (m, k) = error(src, result);
    assert_eq!(k, ErrorKind::Runtime, "{src}: {m}");
    m
}

#[test]
fn challenge_conditions() {
    let cases: &[(&str, MetricResult, Result<bool, &str>)] = &[
        ("result[0] < 0.05", vector(&[0.01]), Ok(true)),
        ("result[0] < 0.05", vector(&[0.5]), Ok(false)),
        (
            "result[0] < 0.05",
            vector(&[]),
            Err("reflect: slice index out of range"),
        ),
        ("result[0] < 0.05", vector(&[f64::NAN]), Ok(false)),
        ("result[0] < 1000", vector(&[0.01]), Ok(true)),
        (
            "result[0] < 1000",
            vector(&[]),
            Err("reflect: slice index out of range"),
        ),
        ("result[0] < 1000", vector(&[f64::NAN]), Ok(false)),
        ("result[0] >= 0.05", vector(&[0.01]), Ok(false)),
        (
            "result[0] >= 0.05",
            vector(&[]),
            Err("reflect: slice index out of range"),
        ),
        ("result[0] >= 0.05", vector(&[f64::NAN]), Ok(false)),
        (
            "len(result) > 0 && result[0] < 1000",
            vector(&[]),
            Ok(false),
        ),
        (
            "len(result) == 0 || result[0] < 1000",
            vector(&[]),
            Ok(true),
        ),
        ("all(result, {# < 1000})", vector(&[]), Ok(true)),
        ("any(result, {# < 1000})", vector(&[]), Ok(false)),
        ("result < 0.05", MetricResult::Scalar(0.01), Ok(true)),
        ("result < 0.05", MetricResult::Scalar(f64::NAN), Ok(false)),
        ("result >= 0.05", MetricResult::Scalar(0.5), Ok(true)),
        (
            "result[0] < 0.05",
            MetricResult::Scalar(0.01),
            Err("type float64[int] is undefined"),
        ),
        (
            "result < 1000",
            vector(&[1.0]),
            Err("invalid operation: < (mismatched types []float64 and int)"),
        ),
    ];
    for (src, result, want) in cases {
        let program = parse(src).unwrap();
        let got = eval_condition(&program, result).map_err(|e| e.message);
        assert_eq!(got, want.map_err(str::to_string), "{src} on {result:?}");
    }
}

#[test]
fn type_errors_use_expr_texts() {
    let v = vector(&[1.0]);
    let s = MetricResult::Scalar(1.0);
    assert_eq!(type_error("foo > 1", &v), "unknown name foo");
    assert_eq!(
        type_error("result[0] < 'a'", &v),
        "invalid operation: < (mismatched types float64 and string)"
    );
    assert_eq!(
        type_error("result and true", &v),
        "invalid operation: and (mismatched types []float64 and bool)"
    );
    assert_eq!(
        type_error("result.x > 1", &v),
        "array elements can only be selected using an integer (got string)"
    );
    assert_eq!(
        type_error("result.x > 1", &s),
        "type float64[string] is undefined"
    );
    assert_eq!(
        type_error("result[0.5] > 1", &v),
        "array elements can only be selected using an integer (got float64)"
    );
    assert_eq!(
        type_error("isInf(result[0], 0)", &v),
        "too many arguments to call isInf"
    );
    assert_eq!(
        type_error("isNaN()", &v),
        "not enough arguments to call isNaN"
    );
    assert_eq!(
        type_error("isNaN(result)", &v),
        "cannot use []float64 as argument (type float64) to call isNaN "
    );
    assert_eq!(
        type_error("!result", &s),
        "invalid operation: ! (mismatched type float64)"
    );
    assert_eq!(
        type_error("not result", &s),
        "invalid operation: not (mismatched type float64)"
    );
    assert_eq!(
        type_error("-'a' == 1", &s),
        "invalid operation: - (mismatched type string)"
    );
    assert_eq!(
        type_error("result % 2 == 0", &s),
        "invalid operation: % (mismatched types float64 and int)"
    );
    assert_eq!(
        type_error("all(result, {#})", &s),
        "builtin all takes only array (got float64)"
    );
    assert_eq!(
        type_error("all(result, {# + 1})", &v),
        "predicate should return boolean (got float64)"
    );
    assert_eq!(
        type_error("all(result, {#index > 0})", &v),
        "unknown pointer #index"
    );
    assert_eq!(
        type_error("len(result) > 0", &s),
        "invalid argument for len (type float64)"
    );
    assert_eq!(
        type_error("max(result) > 0", &v),
        "invalid argument for max (type []float64)"
    );
    assert_eq!(
        type_error("max() > 0", &v),
        "not enough arguments to call max"
    );
    assert_eq!(type_error("sum(result) > 0", &s), "cannot sum float64");
    assert_eq!(type_error("mean(result) > 0", &s), "cannot avg float64");
    assert_eq!(
        type_error("first(result) > 0", &s),
        "cannot get first element from float64"
    );
    assert_eq!(
        type_error("round('a') > 0", &s),
        "invalid argument for floor (type string)"
    );
    assert_eq!(
        type_error("len(result, 1) > 0", &v),
        "invalid number of arguments (expected 1, got 2)"
    );
    assert_eq!(
        type_error("string(1, 2) == ''", &v),
        "too many arguments to call string"
    );
    assert_eq!(
        type_error("result ? 1 : 2", &s),
        "non-bool expression (type float64) used as condition"
    );
    assert_eq!(
        type_error("'a' in [1, 2]", &v),
        "cannot use string as type int in array"
    );
    assert_eq!(type_error("1 % 0 == 0", &v), "integer divide by zero");
    assert_eq!(
        type_error("isNaN < 1", &v),
        "invalid operation: < (mismatched types func(float64) bool and int)"
    );
    assert_eq!(
        type_error("result[1:'a']", &v),
        "non-integer slice index string"
    );
    assert_eq!(type_error("result[1:]", &s), "cannot slice float64");
    assert_eq!(type_error("all(result, nil)", &v), "closure cannot be nil");
    assert_eq!(type_error("result(1)", &v), "[]float64 is not callable");
}

#[test]
fn unsupported_features_say_so() {
    let v = vector(&[1.0]);
    for src in [
        "'a' matches 'a'",
        "upper('a') == 'A'",
        "now() > now()",
        "reduce(result, #acc + #) > 0",
        "$env",
    ] {
        let (m, k) = error(src, &v);
        assert_eq!(k, ErrorKind::Unsupported, "{src}: {m}");
        assert!(m.contains("not supported"), "{src}: {m}");
    }
}

#[test]
fn static_types() {
    let t = |src: &str, shape| check(&parse(src).unwrap(), shape).unwrap();
    assert_eq!(
        t("result", ResultShape::Vector),
        Type::Slice(Box::new(Type::Float))
    );
    assert_eq!(t("result[0]", ResultShape::Vector), Type::Float);
    assert_eq!(t("1 / 2", ResultShape::Vector), Type::Float);
    assert_eq!(t("1 + 2", ResultShape::Vector), Type::Int);
    assert_eq!(t("asInt('1') + 1", ResultShape::Vector), Type::Int);
    assert_eq!(
        t("asInt('1') * asInt('2')", ResultShape::Vector),
        Type::Int64
    );
    assert_eq!(t("sum(result)", ResultShape::Vector), Type::Any);
    assert_eq!(
        t("filter(result, # > 1)", ResultShape::Vector),
        Type::Slice(Box::new(Type::Float))
    );
    assert_eq!(
        t("map(result, # > 1)", ResultShape::Vector),
        Type::Slice(Box::new(Type::Bool))
    );
    assert_eq!(
        t("1..3", ResultShape::Vector),
        Type::Slice(Box::new(Type::Int))
    );
    assert_eq!(
        t("default(result, 0)", ResultShape::Scalar).to_string(),
        "interface {}"
    );
}

#[test]
fn arithmetic_mixes_ints_and_floats_like_go() {
    assert_eq!(run_v("1 + 2"), "int:3");
    assert_eq!(run_v("1 + 2.5"), "float64:3.5");
    assert_eq!(run_v("7 / 2"), "float64:3.5");
    assert_eq!(run_v("1 / 0"), "float64:+Inf");
    assert_eq!(run_v("7 % 3"), "int:1");
    assert_eq!(run_v("-7 % 3"), "int:-1");
    assert_eq!(run_v("2 ** 10"), "float64:1024");
    assert_eq!(run_v("2 ^ 0.5 > 1.414"), "bool:true");
    assert_eq!(run_v("9223372036854775807 + 1"), "int:-9223372036854775808");
    assert_eq!(run_v("3 * 2 - 1"), "int:5");
    assert_eq!(run_v("-result[0]"), "float64:-3");
    assert_eq!(run_v("+result[0]"), "float64:3");
    assert_eq!(run_v("'a' + 'b'"), "string:ab");
    assert_eq!(run_v("result[0] * 2"), "float64:6");
    assert_eq!(run_v("asInt('5') + asInt('2')"), "int:7");
    assert_eq!(
        runtime_error("asInt('5') % 0 == 0", &vector(&[])),
        "runtime error: integer divide by zero"
    );
}

#[test]
fn comparisons_and_logic() {
    assert_eq!(run_v("1 == 1.0"), "bool:true");
    assert_eq!(run_v("1 != 2"), "bool:true");
    assert_eq!(run_v("result[1] <= 1"), "bool:true");
    assert_eq!(run_v("result[1] >= 1.5"), "bool:false");
    assert_eq!(run_v("2 > 1 and 1 > 2"), "bool:false");
    assert_eq!(run_v("2 > 1 or 1 > 2"), "bool:true");
    assert_eq!(run_v("not (1 > 2)"), "bool:true");
    assert_eq!(run_v("!true"), "bool:false");
    assert_eq!(run_v("'abc' < 'abd'"), "bool:true");
    assert_eq!(run_v("'hello' contains 'ell'"), "bool:true");
    assert_eq!(run_v("'hello' startsWith 'he'"), "bool:true");
    assert_eq!(run_v("'hello' endsWith 'lo'"), "bool:true");
    assert_eq!(run_v("'hello' not endsWith 'lo'"), "bool:false");
    assert_eq!(run_v("2 in result"), "bool:true");
    assert_eq!(run_v("5 not in result"), "bool:true");
    assert_eq!(run_v("2 in 1..3"), "bool:true");
    assert_eq!(run_v("nil ?? 5"), "int:5");
    assert_eq!(run_v("result[0] ?? 5"), "float64:3");
    assert_eq!(run_v("result[0] > 2 ? 'hi' : 'lo'"), "string:hi");
    assert_eq!(run_v("result == result"), "bool:true");
    assert_eq!(run_v("nil == nil"), "bool:true");
    assert_eq!(run_v("[1, 'a'] == [1, 'a']"), "bool:true");
    assert_eq!(run_v("[1] == [1.0]"), "bool:false");
    let nan = MetricResult::Scalar(f64::NAN);
    for src in [
        "result < 1",
        "result > 1",
        "result <= 1",
        "result >= 1",
        "result == result",
    ] {
        assert_eq!(run(src, &nan), "bool:false", "{src}");
    }
    assert_eq!(run("result != result", &nan), "bool:true");
    // The right side of && passes through unchecked, as in expr's VM.
    assert_eq!(run("true && default(result, 0)", &nan), "float64:NaN");
}

#[test]
fn short_circuit_skips_errors() {
    let empty = vector(&[]);
    assert_eq!(run("false && result[0] > 1", &empty), "bool:false");
    assert_eq!(run("true || result[0] > 1", &empty), "bool:true");
    assert_eq!(run("len(result) > 0 ? result[0] : -1", &empty), "int:-1");
    assert_eq!(
        runtime_error("true && result[0] > 1", &empty),
        "reflect: slice index out of range"
    );
}

#[test]
fn indexing_and_slicing() {
    assert_eq!(run_v("result[-1]"), "float64:2");
    assert_eq!(run_v("result[-3]"), "float64:3");
    assert_eq!(
        runtime_error("result[-4] > 0", &vector(&[3.0, 1.0, 2.0])),
        "reflect: slice index out of range"
    );
    assert_eq!(
        runtime_error("result[3] > 0", &vector(&[3.0, 1.0, 2.0])),
        "reflect: slice index out of range"
    );
    assert_eq!(run_v("result[1:]"), "[]float64:[1 2]");
    assert_eq!(run_v("result[:2]"), "[]float64:[3 1]");
    assert_eq!(run_v("result[-2:]"), "[]float64:[1 2]");
    assert_eq!(run_v("result[5:10]"), "[]float64:[]");
    assert_eq!(run_v("result[2:1]"), "[]float64:[]");
    assert_eq!(run_v("[1, 2, 3][1]"), "int:2");
    assert_eq!(run_v("(1..5)[1:3]"), "[]int:[2 3]");
    assert_eq!(
        runtime_error("default(result, 0).x > 1", &vector(&[1.0])),
        "invalid operation: int(string)"
    );
    assert_eq!(
        runtime_error("default(result, 0)[0] > 1", &MetricResult::Scalar(1.0)),
        "cannot fetch 0 from float64"
    );
}

#[test]
fn predicates() {
    assert_eq!(run_v("all(result, {# > 0})"), "bool:true");
    assert_eq!(run_v("all(result, {# > 1})"), "bool:false");
    assert_eq!(run_v("any(result, {# > 2})"), "bool:true");
    assert_eq!(run_v("none(result, {# > 5})"), "bool:true");
    assert_eq!(run_v("one(result, {# > 2})"), "bool:true");
    assert_eq!(run_v("one(result, {# > 1})"), "bool:false");
    assert_eq!(run_v("filter(result, {# > 1})"), "[]interface {}:[3 2]");
    assert_eq!(run_v("map(result, {# * 2})"), "[]interface {}:[6 2 4]");
    assert_eq!(run_v("map(result, {#index})"), "[]interface {}:[0 1 2]");
    assert_eq!(run_v("count(result, {# >= 2})"), "int:2");
    assert_eq!(run_v("find(result, {# < 3})"), "float64:1");
    assert_eq!(run_v("findIndex(result, {# < 3})"), "int:1");
    assert_eq!(run_v("findLast(result, {# > 1})"), "float64:2");
    assert_eq!(run_v("findLastIndex(result, {# > 1})"), "int:2");
    assert_eq!(run_v("find(result, {# > 9})"), "<nil>:<nil>");
    assert_eq!(run_v("filter(result, # > 9)"), "[]interface {}:[]");
    assert_eq!(run_v("all(map(result, # > 0), #)"), "bool:true");
    assert_eq!(run_v("any([1, 2], {any(result, {# == 2})})"), "bool:true");
    assert_eq!(run_v("result | filter(# > 1) | len()"), "int:2");
    let empty = vector(&[]);
    assert_eq!(run("all(result, {# < 1000})", &empty), "bool:true");
    assert_eq!(run("any(result, {# < 1000})", &empty), "bool:false");
    assert_eq!(run("none(result, {# < 1000})", &empty), "bool:true");
    assert_eq!(run("one(result, {# < 1000})", &empty), "bool:false");
    assert_eq!(run("count(result, {# < 1000})", &empty), "int:0");
    // filter(...)[0] on no match fails like a plain index (expr's filter_first optimisation).
    assert_eq!(
        runtime_error("filter(result, # > 0)[0] > 1", &empty),
        "reflect: slice index out of range"
    );
    assert_eq!(
        runtime_error(
            "all(default(result, 0), {# > 0})",
            &MetricResult::Scalar(1.0)
        ),
        "reflect: call of reflect.Value.Len on float64 Value"
    );
}

#[test]
fn numeric_builtins() {
    assert_eq!(run_v("len(result)"), "int:3");
    assert_eq!(run_v("len('héllo')"), "int:6");
    assert_eq!(run_v("abs(-2)"), "int:2");
    assert_eq!(run_v("abs(-2.5)"), "float64:2.5");
    assert_eq!(run_v("ceil(1.2)"), "float64:2");
    assert_eq!(run_v("floor(-1.2)"), "float64:-2");
    assert_eq!(run_v("round(2.5)"), "float64:3");
    assert_eq!(run_v("round(-2.5)"), "float64:-3");
    assert_eq!(run_v("ceil(3)"), "float64:3");
    assert_eq!(run_v("int(2.9)"), "int:2");
    assert_eq!(run_v("int('42')"), "int:42");
    assert_eq!(run_v("float('0.5')"), "float64:0.5");
    assert_eq!(run_v("float(2)"), "float64:2");
    assert_eq!(run_v("string(result)"), "string:[3 1 2]");
    assert_eq!(run_v("string(1234567.0)"), "string:1.234567e+06");
    assert_eq!(run_v("string(nil)"), "string:<nil>");
    assert_eq!(run_v("type(result)"), "string:array");
    assert_eq!(run_v("max(1, 2.5, 2)"), "float64:2.5");
    assert_eq!(run_v("min(3, 1, 2)"), "int:1");
    assert_eq!(run_v("sum(result)"), "float64:6");
    assert_eq!(run_v("sum([1, 2])"), "int:3");
    assert_eq!(run_v("sum([1, 2.5])"), "float64:3.5");
    assert_eq!(run_v("mean(result)"), "float64:2");
    assert_eq!(run_v("median(result)"), "float64:2");
    assert_eq!(run_v("median([4, 1, 3, 2])"), "float64:2.5");
    assert_eq!(run_v("first(result)"), "float64:3");
    assert_eq!(run_v("last(result)"), "float64:2");
    let empty = vector(&[]);
    assert_eq!(run("sum(result)", &empty), "int:0");
    assert_eq!(run("mean(result)", &empty), "float64:0");
    assert_eq!(run("median(result)", &empty), "float64:0");
    assert_eq!(run("first(result)", &empty), "<nil>:<nil>");
    assert_eq!(
        runtime_error("first(result) < 1000", &empty),
        "invalid operation: <nil> < int"
    );
    assert_eq!(
        runtime_error("int('x') > 0", &empty),
        "invalid operation: int(x)"
    );
    assert_eq!(
        runtime_error("float('x') > 0", &empty),
        "invalid operation: float(x)"
    );
    assert_eq!(runtime_error("sum(['a']) > 0", &empty), "cannot sum string");
    assert_eq!(
        runtime_error("max(1, default(result, 0)) > 0", &empty),
        "invalid operation: int < []float64"
    );
}

#[test]
fn argo_environment_functions() {
    let nan = vector(&[f64::NAN]);
    assert_eq!(run("isNaN(result[0])", &nan), "bool:true");
    assert_eq!(run("isNaN(1)", &nan), "bool:false");
    assert_eq!(run("isInf(1 / 0)", &nan), "bool:true");
    assert_eq!(run("isInf(result[0])", &nan), "bool:false");
    assert_eq!(run("asInt('12')", &nan), "int64:12");
    assert_eq!(run("asInt(2.9)", &nan), "int64:2");
    assert_eq!(run("asFloat('1e3')", &nan), "float64:1000");
    assert_eq!(run("asFloat(2)", &nan), "float64:2");
    assert_eq!(run("isNil(result)", &vector(&[])), "bool:false");
    assert_eq!(run("default(result, [1])", &vector(&[])), "[]float64:[]");
    assert_eq!(
        runtime_error("asInt('x') > 0", &nan),
        "strconv.ParseInt: parsing \"x\": invalid syntax"
    );
    assert_eq!(
        runtime_error("asFloat('x') > 0", &nan),
        "strconv.ParseFloat: parsing \"x\": invalid syntax"
    );
    assert_eq!(
        runtime_error("asInt(true) > 0", &nan),
        "asInt() not supported on bool true"
    );
    assert_eq!(
        runtime_error("asFloat(nil) > 0", &nan),
        "asFloat() not supported on <nil> <nil>"
    );
    // The checker lets an int expression through to a float64 parameter; the VM then asserts.
    assert_eq!(
        runtime_error("isNaN(len(result))", &nan),
        "interface conversion: interface {} is int, not float64"
    );
}

#[test]
fn non_bool_results_use_argo_message() {
    let msg = |src: &str, r: &MetricResult| {
        let e = eval_condition(&parse(src).unwrap(), r).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Result);
        e.message
    };
    assert_eq!(
        msg("result[0]", &vector(&[1.0])),
        "expected bool, but got float64"
    );
    assert_eq!(
        msg("result", &vector(&[1.0])),
        "expected bool, but got []float64"
    );
    assert_eq!(
        msg("len(result)", &vector(&[1.0])),
        "expected bool, but got int"
    );
    assert_eq!(msg("nil", &vector(&[1.0])), "expected bool, but got <nil>");
    assert_eq!(
        msg("asInt('1')", &vector(&[1.0])),
        "expected bool, but got int64"
    );
    assert_eq!(
        msg("filter(result, true)", &vector(&[1.0])),
        "expected bool, but got []interface {}"
    );
}

#[test]
fn runtime_type_assertions() {
    let v = vector(&[1.0]);
    assert_eq!(
        runtime_error("default(result, 0) ? 1 : 2", &v),
        "interface conversion: interface {} is []float64, not bool"
    );
    assert_eq!(
        runtime_error("!default(result, 0)", &v),
        "interface conversion: interface {} is []float64, not bool"
    );
    assert_eq!(
        runtime_error("all(result, default(result, 0))", &v),
        "interface conversion: interface {} is []float64, not bool"
    );
    assert_eq!(runtime_error("1..2000000", &v), "memory budget exceeded");
}

#[test]
fn evaluate_returns_values_for_display() {
    let v = evaluate(&parse("map(result, # * 2)").unwrap(), &vector(&[0.5])).unwrap();
    assert!(matches!(v, Value::List(ref items) if items.len() == 1));
    assert_eq!(v.to_string(), "[1]");
}
