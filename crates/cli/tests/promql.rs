//! `canary-lab promql test`: our engine over promtool's unit-test format.

use std::process::Command;

fn canary_lab(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_canary-lab"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

const PASSING: &str = "
tests:
  - interval: 10s
    input_series:
      - series: 'requests_total{pod=\"a\"}'
        values: '0+5x30'
    promql_expr_test:
      - expr: sum(rate(requests_total[1m]))
        eval_time: 2m5s
        exp_samples:
          - labels: '{}'
            value: 0.5
";

#[test]
fn a_passing_file_reports_success_and_exits_zero() {
    let dir = std::env::temp_dir().join(format!("canary-lab-promql-pass-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ok.yml");
    std::fs::write(&file, PASSING).unwrap();
    let (code, out) = canary_lab(&["promql", "test", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("SUCCESS"), "{out}");
}

#[test]
fn a_wrong_expectation_is_reported_with_expected_and_got() {
    let dir = std::env::temp_dir().join(format!("canary-lab-promql-fail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wrong.yml");
    std::fs::write(&file, PASSING.replace("value: 0.5", "value: 0.7")).unwrap();
    let (code, out) = canary_lab(&["promql", "test", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAILED"), "{out}");
    assert!(out.contains("exp: {} 7E-01"), "{out}");
    assert!(out.contains("got: {} 5E-01"), "{out}");
}

#[test]
fn the_conformance_suite_passes_under_our_engine() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../promql/tests/conformance");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    let mut args = vec!["promql", "test"];
    args.extend(files.iter().map(String::as_str));
    let (code, out) = canary_lab(&args);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn usage_errors_exit_two() {
    assert_eq!(canary_lab(&["promql"]).0, 2);
    assert_eq!(canary_lab(&["promql", "test"]).0, 2);
    assert_eq!(canary_lab(&["promql", "frobnicate"]).0, 2);
    assert_eq!(
        canary_lab(&["promql", "test", "/nonexistent/file.yml"]).0,
        2
    );
}
