//! The challenge's broken and fixed manifests, end to end.

mod common;

use canary_lab_sim::{EventKind, Explanation};
use common::*;

fn explanations(report: &canary_lab_sim::SimReport, metric: &str) -> Vec<Explanation> {
    report
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Measurement {
                metric: m,
                explanations,
                ..
            } if m == metric => Some(explanations.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn broken_start_crash_loops_errors_on_latency_and_aborts() {
    let report = run(&challenge("broken"));
    assert_eq!(report.collector.status, "CrashLoopBackOff");
    assert_eq!(
        report.collector.message.as_deref(),
        Some("invalid configuration: no receiver configuration specified in config")
    );
    let error_rate = metric(&report, "error-rate-lt-5-percent");
    assert_eq!(error_rate.phase, "Successful");
    assert!(error_rate
        .measurements
        .iter()
        .all(|m| m.phase == "Successful" && m.value.as_deref() == Some("[0]")));
    let latency = metric(&report, "latency-p95-lt-1s");
    assert_eq!(latency.phase, "Error");
    let times: Vec<f64> = latency.measurements.iter().map(|m| m.time_s).collect();
    assert_eq!(latency.measurements.len(), 3);
    assert!((times[2] - times[0] - 20.0).abs() < 1e-9, "{times:?}");
    assert!(latency
        .measurements
        .iter()
        .all(|m| m.message.as_deref() == Some("reflect: slice index out of range")));
    let run = &report.analysis_runs[0];
    assert_eq!(
        run.message,
        "Metric \"latency-p95-lt-1s\" assessed Error due to consecutiveErrors (3) > consecutiveErrorLimit (2): \"Error Message: reflect: slice index out of range\""
    );
    // The run errors about 110 s after it starts (walkthrough, challenge.md §7).
    let lasted = run.finished_s.unwrap() - run.started_s;
    assert!((105.0..=115.0).contains(&lasted), "{lasted}");
    assert_eq!(report.outcome.phase.as_deref(), Some("Degraded"));
    assert!(report.outcome.aborted);
    assert_eq!(
        report.outcome.stable_image.as_deref(),
        Some("jaegertracing/example-hotrod:1.75.0")
    );
    assert!(report.outcome.message.starts_with(
        "RolloutAborted: Rollout aborted update to revision 2: Metric \"latency-p95-lt-1s\""
    ));
    let why = explanations(&report, "latency-p95-lt-1s");
    assert!(why[0].reason.starts_with("no series named traces_span_metrics_duration_milliseconds_bucket exists: the collector is crash-looping"), "{why:?}");
    assert_eq!(why[0].lint_code.as_deref(), Some("OTEL103"));
}

#[test]
fn fixed_manifests_promote_1_76_0_after_about_130_seconds_of_analysis() {
    let report = run(&challenge("fixed"));
    assert_eq!(report.collector.status, "Running");
    let run = &report.analysis_runs[0];
    assert_eq!(run.phase, "Successful", "{}", report.render_text());
    for name in [
        "traffic-detection",
        "error-rate-lt-5-percent",
        "latency-p95-lt-1s",
    ] {
        assert_eq!(metric(&report, name).phase, "Successful", "{name}");
    }
    // One early latency failure (no second flush yet) is tolerated.
    let latency = metric(&report, "latency-p95-lt-1s");
    assert_eq!(latency.measurements[0].phase, "Failed");
    assert_eq!(latency.measurements[0].value.as_deref(), Some("[NaN]"));
    let p95: f64 = latency.measurements[2]
        .value
        .as_deref()
        .unwrap()
        .trim_matches(['[', ']'])
        .parse()
        .unwrap();
    assert!((250.0..1000.0).contains(&p95), "{p95}");
    let lasted = run.finished_s.unwrap() - run.started_s;
    assert!((125.0..=135.0).contains(&lasted), "{lasted}");
    assert_eq!(report.outcome.phase.as_deref(), Some("Healthy"));
    assert!(!report.outcome.aborted);
    assert_eq!(
        report.outcome.stable_image.as_deref(),
        Some("jaegertracing/example-hotrod:1.76.0")
    );
    let traffic = metric(&report, "traffic-detection");
    let rate: f64 = traffic.measurements[0]
        .value
        .as_deref()
        .unwrap()
        .trim_matches(['[', ']'])
        .parse()
        .unwrap();
    assert!(
        (2.0..8.0).contains(&rate),
        "canary gets about half of ~1 dispatch/s × 13 server spans: {rate}"
    );
    assert_eq!(
        report.jaeger.services,
        [
            "customer",
            "driver",
            "frontend",
            "mysql",
            "redis-manual",
            "route"
        ]
    );
}

#[test]
fn same_seed_same_report_and_another_seed_differs() {
    let files = challenge("fixed");
    let a = serde_json::to_string(&run(&files)).unwrap();
    let b = serde_json::to_string(&run(&files)).unwrap();
    assert_eq!(a, b);
    let mut other = options();
    other.seed = 7;
    let c = serde_json::to_string(&canary_lab_sim::simulate(&scenario(&files), &other)).unwrap();
    assert_ne!(a, c);
}

#[test]
fn golden_summary_of_the_fixed_run() {
    let report = run(&challenge("fixed"));
    insta::assert_snapshot!("fixed_summary", canary_lab_sim::summary::summary(&report));
}

#[test]
fn storage_answers_queries_at_any_time() {
    let sim = canary_lab_sim::run(&scenario(&challenge("fixed")), &options());
    let storage = sim.storage();
    let q = canary_lab_promql::parse("sum(up)").unwrap();
    let canary_lab_promql::Value::Vector(v) =
        canary_lab_promql::eval_instant(&storage, &q, 300_000).unwrap()
    else {
        panic!()
    };
    assert_eq!(v[0].value, 3.0, "two HotROD pods and the collector are up");
}
