//! The lint engine in the browser: the challenge fixtures must give exactly
//! the diagnostics the native build gives (`tests/expected/challenge.json`,
//! kept current by the native test `expected_json_matches_native_results`).

#![cfg(target_arch = "wasm32")]

mod common;

use canary_lab_lint::SourceFile;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! fixture_set {
    ($which:literal) => {
        vec![
            SourceFile::new(
                "appset.yaml",
                include_str!(concat!(
                    "../../../fixtures/challenge/",
                    $which,
                    "/appset.yaml"
                )),
            ),
            SourceFile::new(
                "hotrod/analysis-template.yaml",
                include_str!(concat!(
                    "../../../fixtures/challenge/",
                    $which,
                    "/hotrod/analysis-template.yaml"
                )),
            ),
            SourceFile::new(
                "hotrod/rollout.yaml",
                include_str!(concat!(
                    "../../../fixtures/challenge/",
                    $which,
                    "/hotrod/rollout.yaml"
                )),
            ),
            SourceFile::new(
                "hotrod/service.yaml",
                include_str!(concat!(
                    "../../../fixtures/challenge/",
                    $which,
                    "/hotrod/service.yaml"
                )),
            ),
            SourceFile::new(
                "otel/config.yaml",
                include_str!(concat!(
                    "../../../fixtures/challenge/",
                    $which,
                    "/otel/config.yaml"
                )),
            ),
            SourceFile::new(
                "otel/daemonset.yaml",
                include_str!(concat!(
                    "../../../fixtures/challenge/",
                    $which,
                    "/otel/daemonset.yaml"
                )),
            ),
            SourceFile::new(
                "otel/service.yaml",
                include_str!(concat!(
                    "../../../fixtures/challenge/",
                    $which,
                    "/otel/service.yaml"
                )),
            ),
            SourceFile::new(
                "traffic-generator/deployment.yaml",
                include_str!(concat!(
                    "../../../fixtures/challenge/",
                    $which,
                    "/traffic-generator/deployment.yaml"
                )),
            ),
        ]
    };
}

#[wasm_bindgen_test]
fn challenge_diagnostics_match_native() {
    let actual = common::expected_json(&fixture_set!("broken"), &fixture_set!("fixed"));
    assert_eq!(include_str!("expected/challenge.json"), actual);
}
