//! Evaluator behaviour not expressible in promtool files: runtime errors,
//! result types, staleness and window edges at exact timestamps.

use canary_lab_promql::{eval_instant, parse, Labels, Storage, Value};

fn l(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

fn eval(db: &Storage, q: &str, t: i64) -> Result<Value, String> {
    eval_instant(db, &parse(q).unwrap(), t).map_err(|e| e.message)
}

fn vector(db: &Storage, q: &str, t: i64) -> Vec<(String, f64)> {
    match eval(db, q, t).unwrap() {
        Value::Vector(v) => v
            .into_iter()
            .map(|s| (s.labels.to_string(), s.value))
            .collect(),
        other => panic!("{q}: {other:?}"),
    }
}

fn db() -> Storage {
    let mut db = Storage::new();
    for (i, t) in (0..=10).map(|i| (i, i * 10_000)) {
        db.append(
            &l(&[("__name__", "a"), ("job", "x"), ("i", "1")]),
            t,
            i as f64,
        );
        db.append(
            &l(&[("__name__", "a"), ("job", "x"), ("i", "2")]),
            t,
            2.0 * i as f64,
        );
        db.append(&l(&[("__name__", "b"), ("job", "x")]), t, 1.0);
    }
    db
}

#[test]
fn windows_are_left_open_at_exact_edges() {
    let db = db();
    // Samples every 10s; [20s] at t=100s holds 90s and 100s, not 80s.
    let Value::Matrix(m) = eval(&db, "a{i=\"1\"}[20s]", 100_000).unwrap() else {
        panic!()
    };
    assert_eq!(m[0].points, vec![(90_000, 9.0), (100_000, 10.0)]);
    // Lookback: the last sample (100s) is visible until 400s, gone at 400s.
    assert_eq!(vector(&db, "b", 399_999).len(), 1);
    assert!(vector(&db, "b", 400_000).is_empty());
}

#[test]
fn staleness_marker_hides_the_series() {
    let mut db = db();
    db.append_stale(&l(&[("__name__", "b"), ("job", "x")]), 110_000);
    assert!(vector(&db, "b", 115_000).is_empty());
    assert_eq!(vector(&db, "b", 105_000).len(), 1);
    // Markers are not samples of a range.
    let Value::Matrix(m) = eval(&db, "b[30s]", 115_000).unwrap() else {
        panic!()
    };
    assert_eq!(m[0].points.len(), 2);
}

#[test]
fn matching_errors_use_prometheus_wording() {
    let mut db = db();
    db.append(&l(&[("__name__", "c"), ("job", "x")]), 50_000, 3.0);
    assert_eq!(
        eval(&db, "b / on(job) a", 50_000).unwrap_err(),
        "found duplicate series for the match group {job=\"x\"} on the right hand-side of the operation: \
         [{__name__=\"a\", i=\"2\", job=\"x\"}, {__name__=\"a\", i=\"1\", job=\"x\"}];\
         many-to-many matching not allowed: matching labels must be unique on one side"
    );
    assert_eq!(
        eval(&db, "a / on(job) b", 50_000).unwrap_err(),
        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
    );
    assert_eq!(
        eval(&db, "{__name__=~\"b|c\"} * 2", 50_000).unwrap_err(),
        "vector cannot contain metrics with the same labelset"
    );
    // Comparisons keep __name__, so the same selector filters fine.
    assert_eq!(vector(&db, "{__name__=~\"b|c\"} > 0", 50_000).len(), 2);
}

#[test]
fn result_types() {
    let db = db();
    assert_eq!(eval(&db, "1 + 1", 0).unwrap(), Value::Scalar(2.0));
    assert_eq!(eval(&db, "\"hi\"", 0).unwrap(), Value::String("hi".into()));
    assert_eq!(eval(&db, "scalar(b)", 50_000).unwrap(), Value::Scalar(1.0));
    assert!(matches!(eval(&db, "scalar(a)", 50_000).unwrap(), Value::Scalar(v) if v.is_nan()));
    assert_eq!(vector(&db, "sum(a) + 1", 50_000), vec![("{}".into(), 16.0)]);
    // Sorted by labels for deterministic output.
    assert_eq!(
        vector(&db, "a", 50_000),
        vec![
            ("{__name__=\"a\", i=\"1\", job=\"x\"}".into(), 5.0),
            ("{__name__=\"a\", i=\"2\", job=\"x\"}".into(), 10.0)
        ]
    );
}

#[test]
fn rate_and_friends() {
    let db = db();
    // a{i="1"} grows 1 per 10s: rate 0.1/s, increase over 1m = 6.
    let r = vector(&db, "rate(a{i=\"1\"}[1m])", 95_000);
    assert_eq!(r.len(), 1);
    assert!((r[0].1 - 0.1).abs() < 1e-12, "{r:?}");
    let inc = vector(&db, "increase(a{i=\"2\"}[1m])", 95_000);
    assert!((inc[0].1 - 12.0).abs() < 1e-9);
    assert_eq!(vector(&db, "irate(a{i=\"2\"}[1m])", 95_000)[0].1, 0.2);
    assert!(vector(&db, "rate(a[1m])", 0).is_empty());
}

#[test]
fn retain_after_bounds_memory_without_changing_recent_answers() {
    let mut db = db();
    let before = vector(&db, "rate(a[30s])", 100_000);
    db.retain_after(60_000);
    assert_eq!(vector(&db, "rate(a[30s])", 100_000), before);
    assert_eq!(db.series_count(), 3);
    assert_eq!(db.sample_count(), 12);
}
