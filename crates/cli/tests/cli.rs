//! Runs the `canary-lab` binary on the challenge fixtures in every format.

use std::process::Command;

fn fixtures(which: &str) -> String {
    format!(
        "{}/../../fixtures/challenge/{which}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn run(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_canary-lab"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn human_broken_fails_with_snippets() {
    let (code, out, _) = run(&["lint", &fixtures("broken")]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn human_fixed_passes() {
    let (code, out, _) = run(&["lint", &fixtures("fixed")]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn json_broken_and_fixed() {
    let (code, broken, _) = run(&["lint", "--format", "json", &fixtures("broken")]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("json_broken", broken);
    let (code, fixed, _) = run(&["lint", "--format=json", &fixtures("fixed")]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("json_fixed", fixed);
}

#[test]
fn json_has_the_documented_shape() {
    let (_, out, _) = run(&["lint", "--format", "json", &fixtures("broken")]);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    let diagnostics = value["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        for key in ["code", "severity", "file", "message"] {
            assert!(d[key].is_string(), "{key} in {d}");
        }
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(d[key].as_u64().is_some_and(|n| n >= 1), "{key} in {d}");
        }
        assert!(d["help"].is_string() || d["help"].is_null());
        assert!(matches!(
            d["severity"].as_str(),
            Some("error" | "warning" | "info")
        ));
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count() as u64;
    assert_eq!(value["summary"]["error"].as_u64(), Some(errors));
    assert!(value["summary"]["warning"].is_u64() && value["summary"]["info"].is_u64());
}

#[test]
fn sarif_has_required_fields() {
    let (code, out, _) = run(&["lint", "--format", "sarif", &fixtures("broken")]);
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "canary-lab");
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string()));
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(r["message"]["text"].is_string());
        let location = &r["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].is_string());
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(location["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
    insta::assert_snapshot!(
        "sarif_broken_results",
        serde_json::to_string_pretty(&run["results"]).unwrap()
    );
}

#[test]
fn sarif_fixed() {
    let (code, out, _) = run(&["lint", "--format", "sarif", &fixtures("fixed")]);
    assert_eq!(code, 0);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    insta::assert_snapshot!(
        "sarif_fixed_results",
        serde_json::to_string_pretty(&log["runs"][0]["results"]).unwrap()
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let (code, _, err) = run(&["lint"]);
    assert_eq!(code, 2);
    assert!(err.contains("at least one file"), "{err}");
    let (code, _, err) = run(&["lint", "--format", "xml", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown format `xml`"), "{err}");
    let (code, _, err) = run(&["lint", "/no/such/path"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read `/no/such/path`"), "{err}");
    let (code, _, _) = run(&["frobnicate"]);
    assert_eq!(code, 2);
    let (code, _, err) = run(&["rules", "NOPE123"]);
    assert_eq!(code, 2);
    assert!(err.contains("no rule `NOPE123`"), "{err}");
}

#[test]
fn rules_list_and_doc() {
    let (code, list, _) = run(&["rules"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("rules_list", list);
    let (code, doc, _) = run(&["rules", "otel103"]);
    assert_eq!(code, 0);
    assert!(doc.contains("## What it does") && doc.contains("Use instead:"));
    insta::assert_snapshot!("rules_otel103", doc);
}
