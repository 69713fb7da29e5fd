//! Loading the challenge fixtures (and variants of them) into a scenario.

#![allow(dead_code)]

use std::path::Path;

use canary_lab_lint::{parse_workspace, SourceFile};
use canary_lab_sim::{simulate, Scenario, SimOptions, SimReport};

pub fn challenge(which: &str) -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/challenge")
        .join(which);
    let mut files = Vec::new();
    collect(&dir, &dir, &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push(SourceFile::new(
                rel,
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
}

/// Replaces `from` by `to` in file `path`; panics if `from` is absent, so a
/// variant can never silently equal the original.
pub fn edit(files: &mut [SourceFile], path: &str, from: &str, to: &str) {
    let file = files
        .iter_mut()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no file {path}"));
    assert!(file.text.contains(from), "{path} does not contain {from:?}");
    file.text = file.text.replace(from, to);
}

pub fn scenario(files: &[SourceFile]) -> Scenario {
    let (ws, _) = parse_workspace(files);
    Scenario::from_workspace(&ws)
}

pub fn options() -> SimOptions {
    SimOptions {
        seed: 42,
        until_ms: 15 * 60_000,
        stable_image: Some("1.75.0".into()),
    }
}

pub fn run(files: &[SourceFile]) -> SimReport {
    simulate(&scenario(files), &options())
}

pub fn metric<'r>(report: &'r SimReport, name: &str) -> &'r canary_lab_sim::report::MetricReport {
    report
        .analysis_runs
        .iter()
        .flat_map(|r| &r.metrics)
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no metric {name}"))
}
