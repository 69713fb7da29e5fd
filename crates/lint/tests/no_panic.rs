//! Arbitrary input never panics: generated YAML-ish text (bare and inside a
//! collector ConfigMap), random edits of the challenge manifests, and
//! random bytes.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use canary_lab_lint::{lint, SourceFile};
use proptest::prelude::*;

/// Tokens that steer the parser into its interesting corners.
fn yamlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just("- ".to_string()),
        Just(": ".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just(", ".to_string()),
        Just("|\n".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("#c".to_string()),
        Just("---\n".to_string()),
        Just("é".to_string()),
        Just("\t".to_string()),
        prop::sample::select(vec![
            "receivers",
            "exporters",
            "service",
            "pipelines",
            "traces",
            "metrics",
            "otlp",
            "spanmetrics",
            "prometheus",
            "protocols",
            "http",
            "endpoint",
            "kind",
            "Rollout",
            "AnalysisTemplate",
            "spec",
            "metrics",
            "query",
            "{{args.x}}",
            "sum(rate(x[2m]))",
            "result[0] < 1",
            "0.0.0.0:4318",
        ])
        .prop_map(str::to_string),
        "[a-z0-9_.:/]{1,8}",
    ];
    prop::collection::vec(token, 0..80).prop_map(|t| t.concat())
}

fn config_map(inner: &str) -> String {
    let indented: String = inner.lines().map(|l| format!("    {l}\n")).collect();
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  collector-config.yaml: |\n    receivers:\n{indented}")
}

/// The config as a double-quoted scalar, whose offsets map is approximate.
fn quoted_config_map(inner: &str) -> String {
    let escaped = format!("receivers:\n{inner}")
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  collector-config.yaml: \"{escaped}\"\n")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn yamlish_text_never_panics(text in yamlish()) {
        lint(&[SourceFile::new("otel/raw.yaml", text.clone())]);
        lint(&[SourceFile::new("otel/config.yaml", config_map(&text))]);
        lint(&[SourceFile::new("otel/config.yaml", quoted_config_map(&text))]);
    }

    #[test]
    fn edited_challenge_never_panics(file in 0usize..8, at in any::<prop::sample::Index>(), cut in 0usize..40, insert in yamlish()) {
        let mut files = common::challenge("fixed");
        let text = &mut files[file].text;
        let start = canary_lab_lint::source::floor_char_boundary(text, at.index(text.len() + 1));
        let end = canary_lab_lint::source::floor_char_boundary(text, start + cut);
        text.replace_range(start..end, &insert);
        let diagnostics = lint(&files);
        for d in diagnostics {
            prop_assert!(d.location.start.line >= 1 && d.location.start.column >= 1);
            prop_assert!(d.location.byte_range.end <= files.iter().find(|f| f.path == d.location.file).map_or(usize::MAX, |f| f.text.len()));
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    // xorshift64*: a fixed stream, so a failure is reproducible.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    for _ in 0..3000 {
        let len = (next() % 200) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| (next() % 256) as u8).collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        lint(&[SourceFile::new("a/b.yaml", text.clone())]);
        lint(&[SourceFile::new("otel/config.yaml", config_map(&text))]);
    }
}
