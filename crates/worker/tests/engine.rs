//! The worker's answers, natively: the same code runs in the browser.

use canary_lab_lessons::bundled;
use canary_lab_worker::engine::Session;
use canary_lab_worker::protocol::{Request, Response, RunResult};

fn lesson_files(id: &str, solved: bool) -> Vec<(String, String)> {
    let lesson = bundled()
        .into_iter()
        .filter_map(Result::ok)
        .find(|l| l.manifest.id == id)
        .expect("lesson exists");
    if solved {
        lesson.solved_files()
    } else {
        lesson.start_files()
    }
}

fn run(session: &mut Session, id: &str, solved: bool) -> RunResult {
    let request = Request::Run {
        lesson: id.into(),
        files: lesson_files(id, solved),
    };
    // Through JSON both ways, as in the browser.
    match Response::from_json(&session.handle_json(&request.to_json())) {
        Response::Ran(result) => *result,
        other => panic!("expected a run, got {other:?}"),
    }
}

const CHALLENGE: &str = "05-hyperspace-operations";

#[test]
fn the_solved_challenge_promotes_and_the_frames_follow_the_rollout() {
    let mut session = Session::new();
    let result = run(&mut session, CHALLENGE, true);
    assert!(result.promoted, "{}", result.verdict);
    assert!(result.verdict.contains("1.76.0"), "{}", result.verdict);
    assert!(
        result.objectives.iter().all(|o| o.passed),
        "{:?}",
        result.objectives
    );
    assert_eq!(result.frames.len(), result.events.len());
    let last = result.frames.last().unwrap();
    assert_eq!(last.phase, "Healthy");
    assert_eq!(last.weight, 100);
    assert_eq!(last.canary_pods, 0, "{last:?}");
    assert!(last.stable_pods > 0);
    assert_eq!(last.steps_done, last.total_steps);
    assert_eq!(last.collector, "Running");
    // Half-way through, the canary is at its first weight with a pod.
    let mid = result
        .frames
        .iter()
        .find(|f| f.steps_done == 1)
        .expect("a frame after the first step");
    assert_eq!(mid.weight, 50);
    assert_eq!(mid.canary_pods, 1);
    assert_eq!(mid.phase, "Progressing");
    // Frames never go back in time.
    assert!(result.frames.windows(2).all(|w| w[0].t_s <= w[1].t_s));
}

#[test]
fn each_metric_gets_a_chart_with_its_threshold_and_measurements() {
    let mut session = Session::new();
    let result = run(&mut session, CHALLENGE, true);
    let metrics: usize = result.analysis.iter().map(|r| r.metrics.len()).sum();
    assert_eq!(result.charts.len(), metrics);
    assert!(metrics >= 3);
    for chart in &result.charts {
        assert!(
            chart.threshold.is_some(),
            "{} has no threshold line",
            chart.metric
        );
        assert!(!chart.measurements.is_empty());
        assert!(
            chart.line.iter().any(|(_, v)| v.is_some()),
            "{} has no data",
            chart.metric
        );
    }
    let traffic = result
        .charts
        .iter()
        .find(|c| c.threshold.as_ref().is_some_and(|t| t.value == 0.05))
        .expect("the traffic check is charted");
    assert!(traffic
        .measurements
        .iter()
        .all(|m| m.value.unwrap_or(0.0) > 0.05));
}

#[test]
fn the_broken_challenge_crash_loops_and_fails_its_objectives() {
    let mut session = Session::new();
    let result = run(&mut session, CHALLENGE, false);
    assert!(!result.promoted);
    assert!(
        result.verdict.contains("CrashLoopBackOff"),
        "{}",
        result.verdict
    );
    assert!(result.verdict.contains("no receiver"), "{}", result.verdict);
    assert!(result.frames.iter().all(|f| f.collector != "Running"));
    assert!(result.objectives.iter().any(|o| !o.passed));
}

#[test]
fn the_console_queries_the_last_run() {
    let mut session = Session::new();
    let before = session.handle(Request::Query {
        expr: "up".into(),
        at_s: 60.0,
    });
    assert!(matches!(before, Response::Failed { .. }), "{before:?}");
    run(&mut session, CHALLENGE, true);
    let Response::Queried(result) = session.handle(Request::Query {
        expr: "sum(rate(traces_span_metrics_calls_total[2m]))".into(),
        at_s: 150.0,
    }) else {
        panic!("expected a query result");
    };
    assert_eq!(result.error, None);
    assert_eq!(result.kind, "vector");
    assert_eq!(result.rows.len(), 1);
    assert!(result.rows[0].value.parse::<f64>().unwrap() > 0.0);
    assert_eq!(result.series.len(), 1);

    let Response::Queried(bad) = session.handle(Request::Query {
        expr: "sum(rate(x[2m])".into(),
        at_s: 150.0,
    }) else {
        panic!("expected a query result");
    };
    let error = bad.error.expect("a parse error");
    assert!(error.message.starts_with("1:"), "{}", error.message);
    assert!(error.column.is_some());
}

#[test]
fn bad_requests_get_messages_not_panics() {
    let mut session = Session::new();
    for message in ["", "{", r#"{"type":"run"}"#, r#"{"type":"dance"}"#] {
        let reply = Response::from_json(&session.handle_json(message));
        assert!(
            matches!(reply, Response::Failed { .. }),
            "{message}: {reply:?}"
        );
    }
    let reply = session.handle(Request::Run {
        lesson: "no-such-lesson".into(),
        files: vec![],
    });
    assert!(matches!(reply, Response::Failed { message } if message.contains("no-such-lesson")));
}

#[test]
fn every_nan_or_empty_measurement_is_explained() {
    let result = run(&mut Session::new(), CHALLENGE, true);
    let cells: Vec<_> = result
        .analysis
        .iter()
        .flat_map(|r| &r.metrics)
        .flat_map(|m| &m.measurements)
        .collect();
    let nan = cells
        .iter()
        .find(|c| c.value.as_deref() == Some("[NaN]"))
        .expect("the first latency measurement is NaN");
    assert!(!nan.explanations.is_empty());
    let metrics: Vec<_> = result.analysis.iter().flat_map(|r| &r.metrics).collect();
    assert!(metrics
        .iter()
        .all(|m| m.condition.is_some() && m.completed_s.is_some()));
}

#[test]
fn runs_are_deterministic() {
    let a = run(&mut Session::new(), CHALLENGE, true);
    let b = run(&mut Session::new(), CHALLENGE, true);
    assert_eq!(a, b);
}

#[test]
fn the_lint_worker_reports_problems_and_lint_only_objectives() {
    let mut session = Session::new();
    let request = Request::Lint {
        lesson: CHALLENGE.into(),
        files: lesson_files(CHALLENGE, false),
    };
    let Response::Linted(result) =
        Response::from_json(&session.handle_json_with(&request.to_json(), Session::handle_lint))
    else {
        panic!("expected a lint result");
    };
    let receivers = result
        .problems
        .iter()
        .find(|p| p.code == "OTEL103")
        .expect("the empty receivers section");
    assert_eq!(
        (receivers.file.as_str(), receivers.line, receivers.column),
        ("otel/config.yaml", 9, 5)
    );
    assert_eq!(receivers.severity, "error");
    let lesson = bundled()
        .into_iter()
        .filter_map(Result::ok)
        .find(|l| l.manifest.id == CHALLENGE)
        .unwrap();
    assert_eq!(result.objectives.len(), lesson.manifest.objectives.len());
    for (verdict, objective) in result.objectives.iter().zip(&lesson.manifest.objectives) {
        assert_eq!(verdict.is_none(), objective.check.needs_run());
    }
    // Solved, no lint-only objective fails.
    let Response::Linted(solved) = session.handle_lint(Request::Lint {
        lesson: CHALLENGE.into(),
        files: lesson_files(CHALLENGE, true),
    }) else {
        panic!("expected a lint result");
    };
    assert!(solved
        .objectives
        .iter()
        .flatten()
        .all(|(passed, _)| *passed));
    assert!(!solved.problems.iter().any(|p| p.severity == "error"));
    // And it never runs the simulator.
    let refused = session.handle_lint(Request::Run {
        lesson: CHALLENGE.into(),
        files: vec![],
    });
    assert!(matches!(refused, Response::Failed { .. }));
}

#[test]
fn the_traffic_chart_is_drawn_the_same_every_time() {
    let result = run(&mut Session::new(), CHALLENGE, true);
    let traffic = result
        .charts
        .iter()
        .find(|c| c.metric == "traffic-detection")
        .expect("the traffic check is charted");
    assert!(traffic.drawing.x0_s < traffic.drawing.x1_s);
    insta::assert_snapshot!(traffic.drawing.svg.replace("><", ">\n<"));
}

#[test]
fn the_pipeline_view_follows_the_fix() {
    let mut session = Session::new();
    let mut summaries = Vec::new();
    for solved in [false, true] {
        let Response::Linted(result) = session.handle_lint(Request::Lint {
            lesson: CHALLENGE.into(),
            files: lesson_files(CHALLENGE, solved),
        }) else {
            panic!("expected a lint result");
        };
        let pipeline = result
            .pipeline
            .expect("the challenge has a collector config");
        assert_eq!(pipeline.broken == 0, solved, "{}", pipeline.summary);
        summaries.push(pipeline.summary);
    }
    insta::assert_snapshot!(summaries.join("\n"));
}
