//! Helpers shared by the integration tests: load a fixture directory and
//! render diagnostics as stable text for snapshots.

#![allow(dead_code)]

use std::path::Path;

use canary_lab_lint::{Diagnostic, SourceFile};

/// Every `*.yaml`/`*.yml` under `dir`, with `/`-separated paths relative to it, sorted.
#[cfg(not(target_arch = "wasm32"))]
pub fn load_dir(dir: &Path) -> Vec<SourceFile> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

#[cfg(not(target_arch = "wasm32"))]
fn collect(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
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

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[cfg(not(target_arch = "wasm32"))]
pub fn challenge(which: &str) -> Vec<SourceFile> {
    load_dir(&manifest_dir().join("../../fixtures/challenge").join(which))
}

/// One block per diagnostic: `file:line:col-line:col code severity: message`,
/// the source line with carets, labels, help and fix.
pub fn render(files: &[SourceFile], diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let loc = &d.location;
        out.push_str(&format!(
            "{}:{}:{}-{}:{} {} {}: {}\n",
            loc.file,
            loc.start.line,
            loc.start.column,
            loc.end.line,
            loc.end.column,
            d.code,
            d.severity.as_str(),
            d.message
        ));
        if let Some(file) = files.iter().find(|f| f.path == loc.file) {
            if let Some(line) = file.text.lines().nth(loc.start.line - 1) {
                out.push_str(&format!("  | {line}\n"));
                let width = if loc.end.line == loc.start.line {
                    (loc.end.column - loc.start.column).max(1)
                } else {
                    1
                };
                out.push_str(&format!(
                    "  | {}{}\n",
                    " ".repeat(loc.start.column - 1),
                    "^".repeat(width)
                ));
            }
        }
        for label in &d.labels {
            out.push_str(&format!(
                "  = label {}:{}:{}: {}\n",
                label.location.file,
                label.location.start.line,
                label.location.start.column,
                label.message
            ));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                out.push_str(&format!(
                    "  = fix ({}): {:?} -> {:?}\n",
                    fix.title, edit.range, edit.replacement
                ));
            }
        }
    }
    out
}

/// `{"broken": [...], "fixed": [...]}`: the diagnostics as JSON, shared by
/// the native and the wasm test.
pub fn expected_json(broken: &[SourceFile], fixed: &[SourceFile]) -> String {
    let value = serde_json::json!({
        "broken": canary_lab_lint::lint(broken),
        "fixed": canary_lab_lint::lint(fixed),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap();
    text.push('\n');
    text
}
