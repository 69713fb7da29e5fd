//! The challenge's broken and fixed manifests, end to end.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use canary_lab_lint::{lint, Severity};

#[test]
fn broken_manifests() {
    let files = common::challenge("broken");
    let diagnostics = lint(&files);
    insta::assert_snapshot!(common::render(&files, &diagnostics));
}

#[test]
fn fixed_manifests_have_no_errors() {
    let files = common::challenge("fixed");
    let diagnostics = lint(&files);
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "{}",
        common::render(&files, &diagnostics)
    );
    insta::assert_snapshot!(common::render(&files, &diagnostics));
}

/// The JSON the wasm test (`tests/wasm.rs`) compares against; this native
/// test keeps it current. Regenerate with `UPDATE_EXPECTED=1`.
#[test]
fn expected_json_matches_native_results() {
    let actual = common::expected_json(&common::challenge("broken"), &common::challenge("fixed"));
    let path = common::manifest_dir().join("tests/expected/challenge.json");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        expected, actual,
        "run with UPDATE_EXPECTED=1 and review the diff"
    );
}
