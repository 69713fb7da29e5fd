//! The fixed challenge run in the browser must match the native golden
//! summary byte for byte (same seed, same numbers: ChaCha8 + libm).
//! Built with `cargo test -p canary-lab-sim --target wasm32-unknown-unknown`;
//! the lead's browser runner executes it.

#![cfg(target_arch = "wasm32")]

use canary_lab_lint::{parse_workspace, SourceFile};
use canary_lab_sim::{simulate, Scenario, SimOptions};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

macro_rules! fixture {
    ($path:literal) => {
        SourceFile::new(
            $path,
            include_str!(concat!("../../../fixtures/challenge/fixed/", $path)),
        )
    };
}

const GOLDEN: &str = include_str!("snapshots/challenge__fixed_summary.snap");

#[wasm_bindgen_test]
fn fixed_run_matches_the_native_golden_summary() {
    let files = [
        fixture!("appset.yaml"),
        fixture!("hotrod/analysis-template.yaml"),
        fixture!("hotrod/rollout.yaml"),
        fixture!("hotrod/service.yaml"),
        fixture!("otel/config.yaml"),
        fixture!("otel/daemonset.yaml"),
        fixture!("otel/service.yaml"),
        fixture!("traffic-generator/deployment.yaml"),
    ];
    let (ws, _) = parse_workspace(&files);
    let options = SimOptions {
        seed: 42,
        until_ms: 15 * 60_000,
        stable_image: Some("1.75.0".into()),
    };
    let report = simulate(&Scenario::from_workspace(&ws), &options);
    // The snapshot body follows insta's `---` header.
    let expected = GOLDEN.splitn(3, "---\n").nth(2).unwrap_or_default();
    assert_eq!(
        canary_lab_sim::summary::summary(&report).trim_end(),
        expected.trim_end()
    );
}
