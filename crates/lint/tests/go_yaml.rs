//! Our rebuild of the collector's YAML errors against what its library
//! printed for each case of `go_yaml/cases/` (`go_yaml/expected.jsonl`,
//! rechecked against the library by `cargo xtask test`).

#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use canary_lab_lint::collector::go_yaml::{duplicate_keys, from_syntax_error, ConfigText};
use canary_lab_lint::source::FileId;
use canary_lab_lint::yaml::{load_documents, Limits};

/// Cases where our parser and yaml.v3 disagree on whether the text is YAML
/// at all, with the reason; the test fails if one of them starts to agree,
/// so this list stays true.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[
    (
        "control_char.yaml",
        "saphyr accepts a raw control character that yaml.v3 refuses",
    ),
    (
        "first_line_error.yaml",
        "yaml.v3's Unmarshal reads one document and ignores what follows it",
    ),
    (
        "h_tab_after_dash.yaml",
        "saphyr accepts a tab after `- `, which yaml.v3 refuses",
    ),
    (
        "tab_first_line.yaml",
        "saphyr accepts a tab before the first key of a document",
    ),
    (
        "tab_value_ok.yaml",
        "saphyr refuses a tab after `:`, which YAML (and yaml.v3) allow",
    ),
];

fn ours(text: &str) -> Option<String> {
    let (documents, error) = load_documents(text, FileId(0), None, Limits::default());
    let config = ConfigText {
        text,
        file: FileId(0),
        offsets: None,
    };
    match error {
        Some(error) => Some(from_syntax_error(&config, &error).message),
        None => duplicate_keys(&config, documents.first()?).map(|e| e.message),
    }
}

#[test]
fn every_case_gets_the_collector_libraries_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go_yaml");
    let expected = std::fs::read_to_string(dir.join("expected.jsonl")).unwrap();
    let mut mismatches = Vec::new();
    let mut cases = 0;
    for line in expected.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let case = record["case"].as_str().unwrap();
        let want = record["error"].as_str().map(str::to_string);
        let text = std::fs::read_to_string(dir.join("cases").join(case)).unwrap();
        let got = ours(&text);
        cases += 1;
        let known = KNOWN_DIFFERENCES.iter().any(|(c, _)| *c == case);
        match (got == want, known) {
            (true, false) | (false, true) => {}
            (false, false) => {
                mismatches.push(format!("{case}\n  yaml.v3: {want:?}\n  ours:    {got:?}"))
            }
            (true, true) => mismatches.push(format!(
                "{case} now agrees: take it out of KNOWN_DIFFERENCES"
            )),
        }
    }
    let files = std::fs::read_dir(dir.join("cases")).unwrap().count();
    assert_eq!(
        cases, files,
        "every case needs a line in expected.jsonl (cargo xtask yaml-oracle)"
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// The same cases as the value of a ConfigMap key: the collector's message
/// (in OTEL101) still counts lines from the start of the config text.
#[test]
fn inside_a_config_map_the_lines_are_the_config_texts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go_yaml");
    let expected = std::fs::read_to_string(dir.join("expected.jsonl")).unwrap();
    let mut checked = 0;
    for line in expected.lines() {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let case = record["case"].as_str().unwrap();
        let text = std::fs::read_to_string(dir.join("cases").join(case)).unwrap();
        let is_config = ["receivers:", "exporters:", "service:"]
            .iter()
            .any(|k| text.lines().any(|l| l.starts_with(k)));
        if !is_config || KNOWN_DIFFERENCES.iter().any(|(c, _)| *c == case) {
            continue;
        }
        let indented: String = text.lines().map(|l| format!("    {l}\n")).collect();
        let manifest = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: otel\ndata:\n  config.yaml: |\n{indented}"
        );
        let diagnostics = canary_lab_lint::lint(&[canary_lab_lint::SourceFile::new(
            "otel/config.yaml",
            manifest,
        )]);
        let otel101: Vec<_> = diagnostics.iter().filter(|d| d.code == "OTEL101").collect();
        match record["error"].as_str() {
            Some(error) => {
                let flat = error.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(
                    otel101.len() == 1 && otel101[0].message.contains(&format!("{flat}`")),
                    "{case}: want {flat:?}, got {otel101:#?}"
                );
            }
            None => assert!(otel101.is_empty(), "{case}: {otel101:#?}"),
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} cases are collector configs");
}
