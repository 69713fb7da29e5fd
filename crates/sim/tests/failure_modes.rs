//! One variant of the fixed manifests per way the metrics path breaks.

mod common;

use canary_lab_sim::{EventKind, SimReport};
use common::*;

const CONFIG: &str = "otel/config.yaml";

fn assert_aborted(report: &SimReport) {
    assert_eq!(
        report.outcome.phase.as_deref(),
        Some("Degraded"),
        "{}",
        report.render_text()
    );
    assert!(report.outcome.aborted);
    assert_eq!(
        report.outcome.stable_image.as_deref(),
        Some("jaegertracing/example-hotrod:1.75.0")
    );
}

fn latency_reasons(report: &SimReport) -> Vec<(String, Option<String>)> {
    report
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Measurement {
                metric,
                explanations,
                ..
            } if metric == "latency-p95-lt-1s" => Some(explanations.clone()),
            _ => None,
        })
        .flatten()
        .map(|x| (x.reason, x.lint_code))
        .collect()
}

fn export_failures(report: &SimReport) -> Vec<String> {
    report
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ExportFailing { reason } => Some(reason.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn grpc_only_receiver_gets_no_spans_from_hotrod() {
    let mut files = challenge("fixed");
    edit(
        &mut files,
        CONFIG,
        "http:\n            endpoint: 0.0.0.0:4318",
        "grpc:\n            endpoint: 0.0.0.0:4317",
    );
    let report = run(&files);
    assert_eq!(report.collector.status, "Running");
    let failures = export_failures(&report);
    assert_eq!(
        failures.len(),
        1,
        "one event, not one per span: {failures:?}"
    );
    assert!(
        failures[0].contains("no OTLP receiver listens on port 4318"),
        "{failures:?}"
    );
    assert_eq!(metric(&report, "latency-p95-lt-1s").phase, "Error");
    assert!(latency_reasons(&report)[0]
        .0
        .contains("no spans reach the collector"));
    assert_aborted(&report);
}

#[test]
fn receiver_bound_to_localhost_is_unreachable() {
    let mut files = challenge("fixed");
    edit(
        &mut files,
        CONFIG,
        "endpoint: 0.0.0.0:4318",
        "endpoint: localhost:4318",
    );
    let report = run(&files);
    assert!(export_failures(&report)[0].contains("reachable only inside the collector pod"));
    let reasons = latency_reasons(&report);
    assert_eq!(reasons[0].1.as_deref(), Some("OTEL201"), "{reasons:?}");
    assert_aborted(&report);
}

#[test]
fn exporter_on_the_wrong_port_is_never_scraped() {
    let mut files = challenge("fixed");
    edit(
        &mut files,
        CONFIG,
        "endpoint: \"0.0.0.0:8889\"",
        "endpoint: \"0.0.0.0:9999\"",
    );
    let report = run(&files);
    assert!(report.events.iter().any(
        |e| matches!(&e.kind, EventKind::ScrapeFailed { target, .. } if target.ends_with(":8889"))
    ));
    let reasons = latency_reasons(&report);
    assert_eq!(reasons[0].1.as_deref(), Some("OTEL303"), "{reasons:?}");
    assert!(reasons[0].0.contains("0.0.0.0:9999"), "{reasons:?}");
    assert_aborted(&report);
}

#[test]
fn missing_dimension_leaves_the_hash_label_unset() {
    let mut files = challenge("fixed");
    edit(
        &mut files,
        CONFIG,
        "          - name: hotrod.pod.hash\n",
        "",
    );
    let report = run(&files);
    let reasons = latency_reasons(&report);
    assert!(
        reasons[0].0.starts_with("label hotrod_pod_hash is not set by any series of traces_span_metrics_duration_milliseconds_bucket: spanmetrics has no dimension hotrod.pod.hash"),
        "{reasons:?}"
    );
    assert_eq!(reasons[0].1.as_deref(), Some("PROM402"));
    assert_eq!(
        metric(&report, "error-rate-lt-5-percent").phase,
        "Successful"
    );
    assert_aborted(&report);
}

#[test]
fn missing_metrics_pipeline_stops_the_collector_as_lint_predicts() {
    let mut files = challenge("fixed");
    edit(&mut files, CONFIG, "        metrics:\n          receivers: [spanmetrics]\n          exporters: [debug, prometheus]\n", "");
    let (ws, _) = canary_lab_lint::parse_workspace(&files);
    let expected = canary_lab_lint::collector_startup_error(&ws.collectors[0]);
    assert!(expected.is_some());
    let report = run(&files);
    assert_eq!(report.collector.status, "CrashLoopBackOff");
    assert_eq!(report.collector.message, expected);
    assert_aborted(&report);
}

#[test]
fn a_key_written_twice_crash_loops_the_collector_with_yaml_v3s_error() {
    // A second `exporters:` section, as when a snippet is pasted below the
    // config: valid YAML to most parsers, refused by the collector's.
    let mut files = challenge("fixed");
    edit(
        &mut files,
        CONFIG,
        "    extensions:\n      health_check:",
        "    exporters:\n      logging:\n    extensions:\n      health_check:",
    );
    let report = run(&files);
    assert_eq!(report.collector.status, "CrashLoopBackOff");
    assert_eq!(
        report.collector.message.as_deref(),
        Some("failed to get config: cannot resolve the configuration: retrieved value (type=string) cannot be used as a Conf: assuming string type since contents are not valid YAML: yaml: unmarshal errors:\n  line 21: mapping key \"exporters\" already defined at line 12")
    );
    assert_aborted(&report);
}

#[test]
fn a_sub_millisecond_flush_interval_falls_back_instead_of_flushing_forever() {
    let mut files = challenge("fixed");
    edit(
        &mut files,
        CONFIG,
        "      spanmetrics:\n",
        "      spanmetrics:\n        metrics_flush_interval: 100us\n",
    );
    let scenario = scenario(&files);
    let collector = scenario.collector.as_ref().unwrap();
    assert_eq!(collector.spanmetrics[0].flush_interval_ms, 60_000);
    let report = canary_lab_sim::simulate(&scenario, &options());
    assert_eq!(report.outcome.phase.as_deref(), Some("Healthy"));
}

#[test]
fn metrics_pipeline_without_prometheus_exporter() {
    let mut files = challenge("fixed");
    edit(
        &mut files,
        CONFIG,
        "exporters: [debug, prometheus]",
        "exporters: [debug]",
    );
    let report = run(&files);
    assert_eq!(report.collector.status, "Running");
    let reasons = latency_reasons(&report);
    assert!(
        reasons[0]
            .0
            .contains("no metrics pipeline takes spanmetrics' output to a prometheus exporter"),
        "{reasons:?}"
    );
    assert_aborted(&report);
}

/// The fixed challenge with the traffic generator scaled to zero.
fn idle_canary() -> Vec<canary_lab_lint::SourceFile> {
    let mut files = challenge("fixed");
    edit(
        &mut files,
        "traffic-generator/deployment.yaml",
        "replicas: 1",
        "replicas: 0",
    );
    files
}

#[test]
fn idle_canary_passes_on_scrapes_alone_unless_the_query_excludes_metrics() {
    let mut files = idle_canary();
    let report = run(&files);
    assert_eq!(report.stats.requests, 0);
    assert_eq!(
        report.outcome.phase.as_deref(),
        Some("Healthy"),
        "{}",
        report.render_text()
    );
    let rate: f64 = metric(&report, "traffic-detection").measurements[0]
        .value
        .as_deref()
        .unwrap()
        .trim_matches(['[', ']'])
        .parse()
        .unwrap();
    assert!(
        (0.05..0.2).contains(&rate),
        "~0.1 req/s from Prometheus's scrapes: {rate}"
    );

    edit(
        &mut files,
        "hotrod/analysis-template.yaml",
        "rollouts_pod_template_hash=\"{{args.canary-hash}}\"\n            }[2m]))\n    - name: error-rate",
        "rollouts_pod_template_hash=\"{{args.canary-hash}}\",\n              endpoint!=\"/metrics\"\n            }[2m]))\n    - name: error-rate",
    );
    let report = run(&files);
    assert_eq!(metric(&report, "traffic-detection").phase, "Error");
    assert_aborted(&report);
}

/// ARGO512 predicts that an idle canary passes its traffic check on
/// Prometheus's scrapes; the simulator, which evaluates the query, must agree
/// for every way of writing the `endpoint` matcher, regexes included.
#[test]
fn lint_and_simulator_agree_on_which_traffic_queries_count_scrapes() {
    let matchers = [
        r#"endpoint=~"/.*""#,
        r#"endpoint=~"/dispatch|/metrics""#,
        r#"endpoint!="/dispatch""#,
        r#"endpoint=~".*dispatch.*""#,
        r#"endpoint!~"/metric.*""#,
        r#"endpoint=~"/dispatch""#,
    ];
    let mut predictions = Vec::new();
    for matcher in matchers {
        let mut files = idle_canary();
        edit(
            &mut files,
            "hotrod/analysis-template.yaml",
            "rollouts_pod_template_hash=\"{{args.canary-hash}}\"\n            }[2m]))\n    - name: error-rate",
            &format!("rollouts_pod_template_hash=\"{{{{args.canary-hash}}}}\",\n              {matcher}\n            }}[2m]))\n    - name: error-rate"),
        );
        let lint_says_scrapes_count = canary_lab_lint::lint(&files)
            .iter()
            .any(|d| d.code == "ARGO512");
        let report = run(&files);
        assert_eq!(report.stats.requests, 0);
        let first = &metric(&report, "traffic-detection").measurements[0];
        let idle_canary_passed = first.phase == "Successful";
        assert_eq!(
            lint_says_scrapes_count, idle_canary_passed,
            "{matcher}: lint and simulator disagree; first measurement {first:?}"
        );
        predictions.push(lint_says_scrapes_count);
    }
    // Both verdicts occur, so agreement is not trivially "never".
    assert_eq!(predictions, [true, true, true, false, false, false]);
}

#[test]
fn a_bad_version_is_caught_by_the_error_rate() {
    // Every /dispatch fails: 1 of its 13 server spans, so ~7.7% > 5%.
    let files = challenge("fixed");
    let mut scenario = scenario(&files);
    scenario.versions.insert(
        "1.76.0".into(),
        canary_lab_sim::VersionBehaviour {
            error_rate: 1.0,
            ..Default::default()
        },
    );
    let report = canary_lab_sim::simulate(&scenario, &options());
    assert_eq!(metric(&report, "error-rate-lt-5-percent").phase, "Failed");
    assert_aborted(&report);
}
