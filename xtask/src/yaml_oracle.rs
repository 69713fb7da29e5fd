//! The YAML oracle: the collector's own YAML library (yaml.v3, from
//! Debian's Go packages) decodes every case of
//! `crates/lint/tests/go_yaml/cases/`, and its errors must equal the
//! committed `expected.jsonl`, which `cargo test` holds our emulation to.
//! `cargo xtask yaml-oracle` rewrites that file from the library.

use std::path::{Path, PathBuf};

use crate::cmd;

const CASES: &str = "crates/lint/tests/go_yaml/cases";
const EXPECTED: &str = "crates/lint/tests/go_yaml/expected.jsonl";
/// Where Debian's golang-gopkg-yaml.v3-dev puts the library (GOPATH mode).
pub const GOPATH: &str = "/usr/share/gocode";

/// Runs the oracle; with `write`, stores its output as the expected file,
/// else fails when the two differ.
pub fn run(root: &Path, write: bool) -> Result<(), String> {
    let cases = case_files(root)?;
    cmd::step(&format!(
        "YAML errors: {} cases under the collector's YAML library (yaml.v3)",
        cases.len()
    ));
    let binary = build(root)?;
    let output = std::process::Command::new(&binary)
        .args(&cases)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the YAML oracle failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let actual = String::from_utf8(output.stdout).map_err(|e| e.to_string())?;
    let expected_path = root.join(EXPECTED);
    if write {
        return std::fs::write(&expected_path, actual)
            .map_err(|e| format!("cannot write {}: {e}", expected_path.display()));
    }
    let expected = std::fs::read_to_string(&expected_path)
        .map_err(|e| format!("cannot read {}: {e}", expected_path.display()))?;
    if actual == expected {
        return Ok(());
    }
    let differing: Vec<String> = actual
        .lines()
        .zip(expected.lines())
        .filter(|(a, e)| a != e)
        .map(|(a, e)| format!("  library: {a}\n  file:    {e}"))
        .collect();
    Err(format!(
        "{EXPECTED} no longer matches the YAML library (rerun `cargo xtask yaml-oracle` if a case was added):\n{}",
        differing.join("\n")
    ))
}

fn case_files(root: &Path) -> Result<Vec<String>, String> {
    let dir = root.join(CASES);
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "yaml"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.sort();
    Ok(files)
}

/// Builds the oracle in GOPATH mode: no module download, ever.
fn build(root: &Path) -> Result<PathBuf, String> {
    let out = root.join("target/yaml-oracle");
    let binary = out.join("oracle");
    cmd::run(
        cmd::new("go", &root.join("xtask/yaml-oracle"))
            .args(["build", "-o"])
            .arg(&binary)
            .arg("main.go")
            .env("GO111MODULE", "off")
            .env("GOPATH", GOPATH)
            .env("GOCACHE", out.join("cache"))
            .env("GOFLAGS", "")
            .env("GOPROXY", "off"),
    )?;
    Ok(binary)
}
