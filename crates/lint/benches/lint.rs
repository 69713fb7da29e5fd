//! `cargo bench -p canary-lab-lint`: the full challenge set (goal < 200 µs)
//! and a ~1 MB generated manifest (goal < 50 ms).

use std::hint::black_box;
use std::path::Path;

use canary_lab_lint::yaml::{self, Limits};
use canary_lab_lint::{lint, FileId, SourceFile};
use criterion::{criterion_group, criterion_main, Criterion};

fn challenge() -> Vec<SourceFile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/challenge/broken");
    [
        "appset.yaml",
        "hotrod/analysis-template.yaml",
        "hotrod/rollout.yaml",
        "hotrod/service.yaml",
        "otel/config.yaml",
        "otel/daemonset.yaml",
        "otel/service.yaml",
        "traffic-generator/deployment.yaml",
    ]
    .iter()
    .map(|p| SourceFile::new(*p, std::fs::read_to_string(root.join(p)).unwrap()))
    .collect()
}

/// The challenge's documents repeated (renamed) until the file reaches ~1 MB.
fn one_megabyte() -> Vec<SourceFile> {
    let docs: Vec<String> = challenge().into_iter().map(|f| f.text).collect();
    let mut text = String::new();
    let mut i = 0;
    while text.len() < 1_000_000 {
        let doc = docs[i % docs.len()]
            .replace(
                "\nmetadata:\n",
                &format!("\nmetadata:\n  namespace: copy-{}\n", i / docs.len()),
            )
            .replace("name: collector", &format!("name: collector-{i}"));
        text.push_str("---\n");
        text.push_str(&doc);
        i += 1;
    }
    vec![SourceFile::new("big/all.yaml", text)]
}

fn bench(c: &mut Criterion) {
    let files = challenge();
    let config: Vec<SourceFile> = files
        .iter()
        .filter(|f| f.path == "otel/config.yaml")
        .cloned()
        .collect();
    c.bench_function("parse challenge ConfigMap", |b| {
        b.iter(|| canary_lab_lint::parse_workspace(black_box(&config)))
    });
    // The YAML layer alone, both ways: the fast path and saphyr's events.
    let limits = Limits::default();
    bench_yaml(c, "yaml challenge (fast path)", &files, |text, id| {
        black_box(yaml::load_fast_path(text, id, None, limits));
    });
    bench_yaml(c, "yaml challenge (saphyr)", &files, |text, id| {
        black_box(yaml::load_with_saphyr(text, id, None, limits));
    });
    c.bench_function("lint challenge (broken)", |b| {
        b.iter(|| lint(black_box(&files)))
    });
    let big = one_megabyte();
    let mut group = c.benchmark_group("large");
    group.sample_size(10);
    group.bench_function("lint 1 MB manifest", |b| b.iter(|| lint(black_box(&big))));
    group.finish();
}

fn bench_yaml(c: &mut Criterion, name: &str, files: &[SourceFile], load: impl Fn(&str, FileId)) {
    c.bench_function(name, |b| {
        b.iter(|| {
            for (i, f) in files.iter().enumerate() {
                load(&f.text, FileId(i as u32));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
