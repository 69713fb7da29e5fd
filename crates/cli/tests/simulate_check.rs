//! `canary-lab simulate` and `canary-lab check` on the challenge and the course.

use std::process::Command;

fn canary_lab(args: &[&str]) -> (i32, String) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let out = Command::new(env!("CARGO_BIN_EXE_canary-lab"))
        .args(args)
        .current_dir(root)
        .output()
        .expect("the binary runs");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code().unwrap_or(-1), text)
}

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out) = canary_lab(args);
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

#[test]
fn the_broken_challenge_aborts_with_the_walkthroughs_messages() {
    let report = json(&[
        "simulate",
        "fixtures/challenge/broken",
        "--stable-image",
        "jaegertracing/example-hotrod:1.75.0",
        "--format",
        "json",
    ]);
    assert_eq!(report["collector"]["status"], "CrashLoopBackOff");
    assert_eq!(
        report["collector"]["message"],
        "invalid configuration: no receiver configuration specified in config"
    );
    assert_eq!(report["outcome"]["aborted"], true);
    assert_eq!(report["outcome"]["phase"], "Degraded");
    assert!(report["outcome"]["stable_image"]
        .as_str()
        .unwrap()
        .ends_with("1.75.0"));
    let message = report["outcome"]["message"].as_str().unwrap();
    assert!(
        message.contains(r#"Metric "latency-p95-lt-1s" assessed Error due to consecutiveErrors (3) > consecutiveErrorLimit (2): "Error Message: reflect: slice index out of range""#),
        "{message}"
    );
    let run = &report["analysis_runs"][0];
    let metrics = run["metrics"].as_array().unwrap();
    let error_rate = metrics
        .iter()
        .find(|m| m["name"] == "error-rate-lt-5-percent")
        .unwrap();
    assert!(error_rate["measurements"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["phase"] == "Successful"));
    assert!(report["events"].as_array().unwrap().len() > 10);
}

#[test]
fn the_fixed_challenge_promotes_1_76_0() {
    let report = json(&[
        "simulate",
        "fixtures/challenge/fixed",
        "--stable-image",
        "jaegertracing/example-hotrod:1.75.0",
        "--seed",
        "7",
        "--until",
        "10m",
        "--format",
        "json",
    ]);
    assert_eq!(report["collector"]["status"], "Running");
    assert_eq!(report["outcome"]["phase"], "Healthy");
    assert_eq!(report["outcome"]["aborted"], false);
    assert!(report["outcome"]["stable_image"]
        .as_str()
        .unwrap()
        .ends_with("1.76.0"));
    assert_eq!(report["analysis_runs"][0]["phase"], "Successful");
}

#[test]
fn text_output_tells_the_story() {
    let (code, out) = canary_lab(&[
        "simulate",
        "fixtures/challenge/broken",
        "--stable-image",
        "1.75.0",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("no receiver configuration specified in config"),
        "{out}"
    );
    assert!(out.contains("RolloutAborted"), "{out}");
}

#[test]
fn simulate_usage_errors_exit_two() {
    assert_eq!(canary_lab(&["simulate"]).0, 2);
    assert_eq!(canary_lab(&["simulate", "fixtures/challenge/fixed"]).0, 2);
    assert_eq!(
        canary_lab(&[
            "simulate",
            "fixtures/challenge/fixed",
            "--stable-image",
            "x",
            "--until",
            "soon"
        ])
        .0,
        2
    );
    assert_eq!(
        canary_lab(&["simulate", "/nonexistent", "--stable-image", "x"]).0,
        2
    );
}

#[test]
fn check_fails_the_start_and_passes_the_solution() {
    let (code, out) = canary_lab(&["check", "lessons/01-collector-wont-start"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("[FAIL] The collector starts"), "{out}");
    let (code, out) = canary_lab(&["check", "lessons/01-collector-wont-start", "--solution"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("5 passed, 0 failed"), "{out}");
}

#[test]
fn check_reports_a_malformed_lesson_with_its_position() {
    let dir = std::env::temp_dir().join(format!("canary-lab-check-{}", std::process::id()));
    let lesson = dir.join("99-broken");
    std::fs::create_dir_all(lesson.join("start")).unwrap();
    std::fs::write(lesson.join("lesson.yaml"), "id: 99-broken\ntitle: [oops\n").unwrap();
    let (code, out) = canary_lab(&["check", lesson.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("99-broken/lesson.yaml:"), "{out}");
}

#[test]
fn a_reader_that_stops_early_is_not_a_crash() {
    use std::io::Read;
    use std::process::Stdio;
    // Far more output than a pipe buffers (64 KiB), so the writer does hit
    // the closed pipe: the broken collector config, a hundred times.
    let dir = std::env::temp_dir().join(format!("canary-lab-pipe-{}", std::process::id()));
    let config = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/challenge/broken/otel/config.yaml"
    ))
    .unwrap();
    for i in 0..100 {
        std::fs::create_dir_all(dir.join(format!("c{i}"))).unwrap();
        std::fs::write(dir.join(format!("c{i}/config.yaml")), &config).unwrap();
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_canary-lab"))
        .args(["lint", dir.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe closes here, like `| head -c 16`.
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Lint found errors, so 1; what matters is that a closed pipe is neither
    // a panic nor an I/O error (2).
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}
