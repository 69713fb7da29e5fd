//! Runs every promtool unit-test file in `tests/conformance/` through our
//! engine. The same files pass `promtool test rules` (Prometheus 2.42), so
//! agreement here means agreement with real Prometheus on these cases.

use std::path::Path;

use canary_lab_promql::unittest::{run_file, Outcome};

fn conformance_files() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("conformance directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_conformance_file_passes() {
    let files = conformance_files();
    assert!(!files.is_empty());
    let mut failed = Vec::new();
    let mut cases = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable file");
        match run_file(&text) {
            Ok(report) => {
                cases += report.cases.len();
                if !report.passed() {
                    failed.push(format!(
                        "Unit Testing:  {}\n{}",
                        f.display(),
                        report.render()
                    ));
                }
            }
            Err(e) => failed.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    assert!(cases >= 45, "only {cases} conformance cases");
    println!("{} files, {cases} cases passed", files.len());
}

/// The harness must be able to fail: a wrong expectation is a failure, with
/// promtool's wording.
#[test]
fn wrong_expectation_is_reported() {
    let text = r#"
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="api"}'
        values: '1 1 1'
    promql_expr_test:
      - expr: up
        eval_time: 1m30s
        exp_samples:
          - labels: 'up{job="api"}'
            value: 2
      - expr: up
        eval_time: 1m30s
        exp_samples:
          - labels: 'up{job="api"}'
            value: 1
"#;
    let report = run_file(text).unwrap();
    assert!(!report.passed());
    assert_eq!(report.failures().count(), 1);
    assert_eq!(
        report.render(),
        "  FAILED:\n    expr: \"up\", time: 1m30s,\n        exp: {__name__=\"up\", job=\"api\"} 2E+00\n        got: {__name__=\"up\", job=\"api\"} 1E+00\n\n"
    );
}

#[test]
fn nan_never_equals_nan_as_in_promtool() {
    let text = r#"
tests:
  - interval: 1m
    input_series:
      - series: 'x'
        values: 'NaN'
    promql_expr_test:
      - expr: x
        eval_time: 0s
        exp_samples:
          - labels: 'x'
            value: .nan
"#;
    let report = run_file(text).unwrap();
    assert!(matches!(report.cases[0].outcome, Outcome::Mismatch { .. }));
}

#[test]
fn errors_are_reported_like_promtool() {
    let text = r#"
tests:
  - interval: 1m
    promql_expr_test:
      - expr: rate(
        eval_time: 1m
      - expr: delta(x[5m])
        eval_time: 1m
"#;
    let report = run_file(text).unwrap();
    let out = report.render();
    assert!(
        out.contains(
            "    expr: \"rate(\", time: 1m, err: 1:6: parse error: unclosed left parenthesis"
        ),
        "{out}"
    );
    assert!(out.contains(r#"err: 1:1: parse error: function "delta" is not supported by Canary Lab's PromQL engine"#), "{out}");
}

#[test]
fn unsupported_file_features_are_errors() {
    assert!(run_file("rule_files: [a.yml]\ntests: []\n").is_err());
    assert!(run_file("bogus: 1\n").is_err());
    assert!(run_file(
        "tests:\n  - interval: 1m\n    input_series:\n      - series: 'x'\n        values: '1+'\n"
    )
    .is_err());
}
