//! One failing and one passing case per rule. Cases are the challenge's
//! fixed manifests with small, checked edits (an edit whose text is not
//! found fails the test), so every case differs from a clean set by exactly
//! the mistake under test. Each failing case is also snapshotted.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use canary_lab_lint::{lint, Diagnostic, SourceFile};

const CONFIG: &str = "otel/config.yaml";
const TEMPLATE: &str = "hotrod/analysis-template.yaml";
const ROLLOUT: &str = "hotrod/rollout.yaml";

enum Change {
    /// Replace the first occurrence of `from` in `file` by `to`.
    Edit(&'static str, &'static str, &'static str),
    /// Add a file.
    Add(&'static str, &'static str),
}
use Change::{Add, Edit};

fn variant(base: &str, changes: &[Change]) -> Vec<SourceFile> {
    let mut files = common::challenge(base);
    for change in changes {
        match change {
            Edit(path, from, to) => {
                let file = files
                    .iter_mut()
                    .find(|f| f.path == *path)
                    .unwrap_or_else(|| panic!("no file {path}"));
                assert!(
                    file.text.contains(from),
                    "edit text not found in {path}: {from:?}"
                );
                file.text = file.text.replacen(from, to, 1);
            }
            Add(path, text) => files.push(SourceFile::new(*path, *text)),
        }
    }
    files
}

fn with_code<'a>(diagnostics: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    diagnostics.iter().filter(|d| d.code == code).collect()
}

/// `fail` must produce `code`, `pass` must not; the failing output is snapshotted.
fn check(code: &str, fail: Vec<SourceFile>, pass: Vec<SourceFile>) {
    let diagnostics = lint(&fail);
    let hits: Vec<Diagnostic> = with_code(&diagnostics, code).into_iter().cloned().collect();
    assert!(
        !hits.is_empty(),
        "{code} did not fire:\n{}",
        common::render(&fail, &diagnostics)
    );
    let clean = lint(&pass);
    assert!(
        with_code(&clean, code).is_empty(),
        "{code} fired on the passing case:\n{}",
        common::render(&pass, &clean)
    );
    insta::assert_snapshot!(format!("{code}_fail"), common::render(&fail, &hits));
}

fn fixed() -> Vec<SourceFile> {
    common::challenge("fixed")
}

const BILLION_LAUGHS: &str = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
a2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
a3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
a4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
a6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]
a7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]
a8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]
";

const OTLP_HTTP: &str =
    "      otlp:\n        protocols:\n          http:\n            endpoint: 0.0.0.0:4318\n";

#[test]
fn yaml001_yaml_syntax_error() {
    check(
        "YAML001",
        variant("fixed", &[Add("extra/bad.yaml", "a: [1, 2\nb: c\n")]),
        fixed(),
    );
}

#[test]
fn yaml002_nesting_limit_exceeded() {
    check(
        "YAML002",
        variant("fixed", &[Add("extra/bomb.yaml", BILLION_LAUGHS)]),
        fixed(),
    );
    let deep = "[".repeat(100_000);
    let diagnostics = lint(&[SourceFile::new("deep.yaml", deep)]);
    assert!(diagnostics
        .iter()
        .any(|d| d.code == "YAML002" || d.code == "YAML001"));
}

#[test]
fn yaml003_field_type_mismatch() {
    check(
        "YAML003",
        variant("fixed", &[Edit(ROLLOUT, "replicas: 2", "replicas: two")]),
        fixed(),
    );
}

#[test]
fn otel101_collector_config_unparsable() {
    check(
        "OTEL101",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "[debug, otlp, spanmetrics]",
                "[debug, otlp, spanmetrics",
            )],
        ),
        fixed(),
    );
}

#[test]
fn otel101_reports_a_key_defined_twice_where_it_is_repeated() {
    let files = variant(
        "fixed",
        &[Edit(
            CONFIG,
            "    extensions:\n      health_check:",
            "    exporters:\n      logging:\n    extensions:\n      health_check:",
        )],
    );
    let diagnostics = lint(&files);
    let hits = with_code(&diagnostics, "OTEL101");
    assert_eq!(hits.len(), 1, "{}", common::render(&files, &diagnostics));
    let hit = hits[0];
    // File line 29 is line 21 of the config text, which starts on line 9.
    let start = &hit.location.start;
    assert_eq!((start.line, start.column), (29, 5));
    assert_eq!(hit.labels[0].location.start.line, 20);
    assert!(
        hit.message.contains("key `exporters` is already defined at line 12 of the config")
            && hit.message.contains(
                "yaml: unmarshal errors: line 21: mapping key \"exporters\" already defined at line 12`"
            ),
        "{}",
        hit.message
    );
}

#[test]
fn otel102_empty_collector_config() {
    check(
        "OTEL102",
        variant(
            "fixed",
            &[Add("extra/collector.yaml", "service:\n  pipelines: {}\n")],
        ),
        fixed(),
    );
}

#[test]
fn otel103_no_receivers() {
    check(
        "OTEL103",
        variant("fixed", &[Edit(CONFIG, OTLP_HTTP, "")]),
        fixed(),
    );
}

#[test]
fn otel104_no_exporters() {
    let config = "receivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: 0.0.0.0:4318\nexporters: {}\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n";
    check(
        "OTEL104",
        variant("fixed", &[Add("extra/collector.yaml", config)]),
        fixed(),
    );
}

#[test]
fn otel105_undefined_component() {
    check(
        "OTEL105",
        variant(
            "fixed",
            &[Edit(CONFIG, "receivers: [otlp]", "receivers: [otlp/app]")],
        ),
        fixed(),
    );
}

#[test]
fn otel106_incomplete_pipeline() {
    check(
        "OTEL106",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "          exporters: [debug, prometheus]\n",
                "",
            )],
        ),
        fixed(),
    );
}

#[test]
fn otel107_connector_misuse() {
    check(
        "OTEL107",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "receivers: [spanmetrics]",
                "receivers: [otlp]",
            )],
        ),
        fixed(),
    );
}

#[test]
fn otel108_unknown_component_type() {
    check(
        "OTEL108",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "      debug:\n",
                "      prometeus:\n        endpoint: 0.0.0.0:9999\n      debug:\n",
            )],
        ),
        fixed(),
    );
}

#[test]
fn otel109_unknown_config_key() {
    check(
        "OTEL109",
        variant(
            "fixed",
            &[Edit(CONFIG, "          http:\n", "          htttp:\n")],
        ),
        fixed(),
    );
}

#[test]
fn otel110_invalid_config_structure() {
    check(
        "OTEL110",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "receivers: [spanmetrics]",
                "receivers: {spanmetrics: {}}",
            )],
        ),
        fixed(),
    );
}

#[test]
fn otel111_otlp_receiver_without_protocol() {
    check(
        "OTEL111",
        variant("fixed", &[Edit(CONFIG, OTLP_HTTP, "      otlp:\n")]),
        fixed(),
    );
}

#[test]
fn otel112_invalid_component_settings() {
    check(
        "OTEL112",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "endpoint: \"0.0.0.0:8889\"",
                "namespace: canary",
            )],
        ),
        fixed(),
    );
}

#[test]
fn otel113_unsupported_pipeline_signal() {
    check(
        "OTEL113",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "[debug, otlp, spanmetrics]",
                "[debug, otlp, spanmetrics, prometheus]",
            )],
        ),
        fixed(),
    );
}

#[test]
fn otel201_receiver_bound_to_localhost() {
    check(
        "OTEL201",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "endpoint: 0.0.0.0:4318",
                "endpoint: localhost:4318",
            )],
        ),
        fixed(),
    );
    let default = variant(
        "fixed",
        &[Edit(
            CONFIG,
            "          http:\n            endpoint: 0.0.0.0:4318\n",
            "          http:\n",
        )],
    );
    assert!(lint(&default)
        .iter()
        .any(|d| d.code == "OTEL201" && d.message.contains("default `localhost:4318`")));
}

#[test]
fn otel202_otlp_endpoint_mismatch() {
    check(
        "OTEL202",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "          http:\n            endpoint: 0.0.0.0:4318",
                "          grpc:\n            endpoint: 0.0.0.0:4317",
            )],
        ),
        fixed(),
    );
}

#[test]
fn otel203_collector_service_missing_port() {
    let fail = variant(
        "fixed",
        &[Edit(
            "otel/service.yaml",
            "    - name: otlp-http\n      port: 4318\n      targetPort: 4318\n",
            "",
        )],
    );
    check("OTEL203", fail, fixed());
}

#[test]
fn otel301_span_metrics_not_exported() {
    check("OTEL301", variant("fixed", &[Edit(CONFIG, "        metrics:\n          receivers: [spanmetrics]\n          exporters: [debug, prometheus]\n", "")]), fixed());
}

#[test]
fn otel302_no_prometheus_exporter() {
    check(
        "OTEL302",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "exporters: [debug, prometheus]",
                "exporters: [debug]",
            )],
        ),
        fixed(),
    );
}

#[test]
fn otel303_prometheus_port_mismatch() {
    check(
        "OTEL303",
        variant(
            "fixed",
            &[Edit(CONFIG, "\"0.0.0.0:8889\"", "\"0.0.0.0:9999\"")],
        ),
        fixed(),
    );
}

#[test]
fn otel304_unused_component() {
    check(
        "OTEL304",
        variant(
            "fixed",
            &[Edit(
                CONFIG,
                "      debug:\n",
                "      otlp/unused:\n        endpoint: example:4317\n      debug:\n",
            )],
        ),
        fixed(),
    );
}

#[test]
fn prom401_metric_never_produced() {
    let fail = variant(
        "fixed",
        &[Edit(
            TEMPLATE,
            "traces_span_metrics_duration_milliseconds_bucket",
            "traces_spanmetrics_latency_bucket",
        )],
    );
    check("PROM401", fail, fixed());
    // The broken start: the latency query's metric is blocked by the collector.
    let broken = lint(&common::challenge("broken"));
    assert!(broken.iter().any(|d| d.code == "PROM401"
        && d.message
            .contains("traces_span_metrics_duration_milliseconds_bucket")
        && d.message.contains("slice index out of range")));
}

#[test]
fn prom402_label_never_set() {
    check(
        "PROM402",
        variant("fixed", &[Edit(TEMPLATE, "hotrod_pod_hash=", "pod_hash=")]),
        fixed(),
    );
}

#[test]
fn argo501_analysis_template_schema() {
    let fail = variant(
        "fixed",
        &[
            Edit(TEMPLATE, "interval: 10s", "interval: 10"),
            Edit(TEMPLATE, "failureLimit: 3", "failureLimt: 3"),
        ],
    );
    check("ARGO501", fail, fixed());
}

#[test]
fn argo502_undeclared_argument() {
    check(
        "ARGO502",
        variant(
            "fixed",
            &[Edit(
                TEMPLATE,
                "{{args.canary-hash}}",
                "{{args.canary-hsh}}",
            )],
        ),
        fixed(),
    );
}

#[test]
fn argo503_missing_argument() {
    let fail = variant("fixed", &[Edit(ROLLOUT, "              - name: canary-hash\n                valueFrom:\n                  podTemplateHashValue: Latest\n", "")]);
    check("ARGO503", fail, fixed());
}

#[test]
fn argo504_extra_argument() {
    check(
        "ARGO504",
        variant(
            "fixed",
            &[Edit(ROLLOUT, "- name: canary-hash", "- name: canary_hash")],
        ),
        fixed(),
    );
}

#[test]
fn argo505_promql_syntax_error() {
    check(
        "ARGO505",
        variant("fixed", &[Edit(TEMPLATE, "}[2m]))\n", "}[2m])\n")]),
        fixed(),
    );
}

#[test]
fn argo506_condition_syntax_error() {
    // A vector query compared as a whole: expr's type error, inside the condition.
    check(
        "ARGO506",
        variant(
            "fixed",
            &[Edit(
                TEMPLATE,
                "successCondition: result[0] < 1000",
                "successCondition: result < 1000",
            )],
        ),
        fixed(),
    );
    let message = |changes: &[Change]| -> Vec<(String, usize, usize)> {
        lint(&variant("fixed", changes))
            .into_iter()
            .filter(|d| d.code == "ARGO506")
            .map(|d| (d.message, d.location.start.column, d.location.end.column))
            .collect()
    };
    // The error sits at expr's span, shifted past an opening quote.
    assert_eq!(
        message(&[Edit(
            TEMPLATE,
            "successCondition: result[0] < 1000",
            "successCondition: \"result < 1000\"",
        )]),
        vec![(
            "`successCondition` does not compile: invalid operation: < (mismatched types []float64 and int)".to_string(),
            26,
            39
        )]
    );
    // A syntax error.
    let syntax = message(&[Edit(
        TEMPLATE,
        "successCondition: result[0] < 1000",
        "successCondition: result[0] < < 1000",
    )]);
    assert_eq!(syntax.len(), 1, "{syntax:?}");
    assert!(
        syntax[0]
            .0
            .starts_with("`successCondition` does not compile: unexpected token"),
        "{syntax:?}"
    );
    // A scalar query makes `result` a float64: `result < 1000` compiles,
    // `result[0]` does not.
    let scalar = [
        Edit(
            TEMPLATE,
            "histogram_quantile(0.95,",
            "scalar(histogram_quantile(0.95,",
        ),
        Edit(
            TEMPLATE,
            "}[2m]))\n            )\n",
            "}[2m]))\n            ))\n",
        ),
    ];
    assert!(
        message(&scalar)
            .iter()
            .any(|(m, ..)| m.contains("float64[int]") || m.contains("float64")),
        "{:?}",
        message(&scalar)
    );
    let mut scalar_ok: Vec<Change> = scalar.into_iter().collect();
    scalar_ok.push(Edit(
        TEMPLATE,
        "successCondition: result[0] < 1000",
        "successCondition: result < 1000",
    ));
    assert_eq!(message(&scalar_ok), vec![]);
    // Valid expr that the engine does not implement is not an error.
    assert_eq!(
        message(&[Edit(
            TEMPLATE,
            "successCondition: result[0] < 1000",
            "successCondition: \"let x = result[0]; x < 1000\"",
        )]),
        vec![]
    );
    // Argument tags: what Argo compiles is unknown.
    assert_eq!(
        message(&[Edit(
            TEMPLATE,
            "successCondition: result[0] < 1000",
            "successCondition: result < {{args.namespace}}",
        )]),
        vec![]
    );
}

#[test]
fn argo507_unguarded_result_index() {
    let guarded = variant(
        "fixed",
        &[
            Edit(
                TEMPLATE,
                "successCondition: result[0] >= 0.05",
                "successCondition: len(result) > 0 && result[0] >= 0.05",
            ),
            Edit(
                TEMPLATE,
                "successCondition: result[0] < 0.05",
                "successCondition: len(result) > 0 && result[0] < 0.05",
            ),
            Edit(
                TEMPLATE,
                "successCondition: result[0] < 1000",
                "successCondition: len(result) == 1 ? result[0] < 1000 : false",
            ),
        ],
    );
    check("ARGO507", fixed(), guarded);
    // `or vector(0)` can never be empty.
    let defaulted = variant(
        "fixed",
        &[Edit(
            TEMPLATE,
            "}[2m]))\n    - name: error-rate",
            "}[2m])) or vector(0)\n    - name: error-rate",
        )],
    );
    let names: Vec<String> = with_code(&lint(&defaulted), "ARGO507")
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|m| !m.contains("traffic-detection")));
    // A failureCondition gets advice that fails on no data, and no fix.
    let failure = variant(
        "fixed",
        &[Edit(
            TEMPLATE,
            "successCondition: result[0] < 1000",
            "failureCondition: result[0] >= 1000",
        )],
    );
    let d = lint(&failure)
        .into_iter()
        .find(|d| d.code == "ARGO507" && d.message.starts_with("`failureCondition`"))
        .unwrap();
    assert!(d.fix.is_none());
    assert!(d
        .help
        .as_ref()
        .unwrap()
        .contains("`len(result) == 0 || result[0] >= 1000`"));
    // Applying every offered fix silences the rule and keeps the conditions compiling.
    let mut files = fixed();
    for _ in 0..3 {
        let diagnostic = lint(&files)
            .into_iter()
            .find(|d| d.code == "ARGO507")
            .unwrap();
        let edit = &diagnostic.fix.as_ref().unwrap().edits[0];
        let file = files.iter_mut().find(|f| f.path == edit.file).unwrap();
        file.text
            .replace_range(edit.range.clone(), &edit.replacement);
    }
    assert!(files[1]
        .text
        .contains("successCondition: len(result) > 0 && result[0] < 1000"));
    let after = lint(&files);
    assert!(with_code(&after, "ARGO507").is_empty() && with_code(&after, "ARGO506").is_empty());
}

#[test]
fn argo508_ratio_without_nan_guard() {
    let guarded = variant(
        "fixed",
        &[Edit(
            TEMPLATE,
            "successCondition: result[0] < 0.05",
            "successCondition: isNaN(result[0]) || result[0] < 0.05",
        )],
    );
    check("ARGO508", fixed(), guarded);
    // A failureCondition that NaN makes pass is called out as worse.
    let failure = variant(
        "fixed",
        &[Edit(
            TEMPLATE,
            "successCondition: result[0] < 0.05",
            "failureCondition: result[0] >= 0.05",
        )],
    );
    let d = lint(&failure)
        .into_iter()
        .find(|d| d.code == "ARGO508")
        .unwrap();
    assert!(
        d.message.contains("passes the measurement, which is worse"),
        "{}",
        d.message
    );
    assert!(d
        .help
        .as_ref()
        .unwrap()
        .contains("`isNaN(result[0]) || result[0] >= 0.05`"));
    // A denominator that cannot be 0 gives no NaN.
    let clamped = variant(
        "fixed",
        &[
            Edit(
                TEMPLATE,
                "            /\n            sum(rate(",
                "            /\n            clamp_min(sum(rate(",
            ),
            Edit(
                TEMPLATE,
                "}[2m]))\n    - name: latency",
                "}[2m])), 1e-9)\n    - name: latency",
            ),
        ],
    );
    let clean = lint(&clamped);
    assert!(
        with_code(&clean, "ARGO505").is_empty(),
        "{}",
        common::render(&clamped, &clean)
    );
    assert!(with_code(&clean, "ARGO508").is_empty());
}

#[test]
fn argo509_metric_cannot_fail() {
    check(
        "ARGO509",
        variant(
            "fixed",
            &[Edit(TEMPLATE, "failureLimit: 3", "failureLimit: 5")],
        ),
        fixed(),
    );
}

#[test]
fn argo510_metric_runs_forever() {
    check(
        "ARGO510",
        variant("fixed", &[Edit(TEMPLATE, "      count: 5\n", "")]),
        fixed(),
    );
}

#[test]
fn argo511_no_traffic_check() {
    check("ARGO511", common::challenge("broken"), fixed());
}

#[test]
fn argo512_traffic_query_counts_scrapes() {
    let pass = variant(
        "fixed",
        &[Edit(
            TEMPLATE,
            "hotrod_requests_total{\n",
            "hotrod_requests_total{endpoint!=\"/metrics\",\n",
        )],
    );
    check("ARGO512", fixed(), pass);
    // Applying the offered fix silences the rule.
    let mut files = fixed();
    let diagnostic = lint(&files)
        .into_iter()
        .find(|d| d.code == "ARGO512")
        .unwrap();
    let edit = &diagnostic.fix.as_ref().unwrap().edits[0];
    let file = files.iter_mut().find(|f| f.path == edit.file).unwrap();
    file.text
        .replace_range(edit.range.clone(), &edit.replacement);
    let after = lint(&files);
    assert!(with_code(&after, "ARGO512").is_empty() && with_code(&after, "ARGO505").is_empty());
}

#[test]
fn argo512_runs_regex_matchers_against_the_scrape_endpoint() {
    // (matcher added to the traffic query, whether ARGO512 should still fire)
    let cases = [
        (r#"endpoint=~".*dispatch.*""#, false),
        (r#"endpoint=~"/dispatch|/customer""#, false),
        (r#"endpoint!~"/metric.*""#, false),
        (r#"endpoint!~"/(metrics|debug)""#, false),
        (r#"endpoint="/route""#, false),
        // These still let `/metrics` through.
        (r#"endpoint=~"/.*""#, true),
        (r#"endpoint=~"/dispatch|/metrics""#, true),
        (r#"endpoint!~"metrics""#, true),
        (r#"endpoint!="/dispatch""#, true),
        (r#"endpoint=~"(?i)/METRICS|/dispatch""#, true),
        (r#"error="false""#, true),
    ];
    for (matcher, fires) in cases {
        let mut files = fixed();
        let template = files.iter_mut().find(|f| f.path == TEMPLATE).unwrap();
        let with_matcher = format!("hotrod_requests_total{{{matcher},\n");
        template.text = template
            .text
            .replacen("hotrod_requests_total{\n", &with_matcher, 1);
        assert!(template.text.contains(&with_matcher));
        let diagnostics = lint(&files);
        assert_eq!(
            !with_code(&diagnostics, "ARGO512").is_empty(),
            fires,
            "{matcher}:\n{}",
            common::render(&files, &diagnostics)
        );
    }
}

#[test]
fn argo601_unknown_analysis_template() {
    check(
        "ARGO601",
        variant(
            "fixed",
            &[Edit(
                ROLLOUT,
                "templateName: hotrod-analysis",
                "templateName: hotrod-analysys",
            )],
        ),
        fixed(),
    );
}

#[test]
fn argo602_canary_without_analysis() {
    let rollout = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: plain\nspec:\n  strategy:\n    canary:\n      steps:\n        - setWeight: 50\n        - pause: {duration: 60s}\n";
    check(
        "ARGO602",
        variant("fixed", &[Add("other/rollout.yaml", rollout)]),
        fixed(),
    );
}

#[test]
fn every_rule_has_a_test_here() {
    let source = include_str!("rules.rs");
    for rule in canary_lab_lint::registry::rules() {
        let name = format!(
            "fn {}_{}",
            rule.meta.code.to_lowercase(),
            rule.meta.name.replace('-', "_")
        );
        assert!(source.contains(&name), "missing test `{name}`");
        let doc = rule.meta.doc();
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "Use instead:",
        ] {
            assert!(
                doc.contains(heading),
                "{} doc lacks {heading}",
                rule.meta.code
            );
        }
    }
}
