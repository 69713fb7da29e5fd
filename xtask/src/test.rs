//! `cargo xtask test`: every check and test, in a fixed order, stopping at
//! the first failure. CI runs exactly this (`.ci/run`).

use std::path::Path;

use crate::{cmd, root, size, tools};

/// Crates with browser tests in `tests/wasm.rs`, run by wasm-bindgen-test in
/// headless Chromium (each has a `webdriver.json` beside its Cargo.toml).
const WASM_TEST_PACKAGES: &[(&str, &str)] = &[
    ("canary-lab-lint", "crates/lint"),
    ("canary-lab-sim", "crates/sim"),
    ("canary-lab", "."),
];

pub fn run() -> Result<(), String> {
    let root = root();
    cmd::step("check the toolchain (installs only what is missing)");
    tools::ensure_test_toolchain(&root)?;
    let path = tools::path_with_node_bins(&root);

    cmd::step("cargo fmt --check");
    cmd::run(cmd::new("cargo", &root).args(["fmt", "--all", "--check"]))?;

    cmd::step("cargo clippy --all-targets -- -D warnings");
    cmd::run(cmd::new("cargo", &root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    cmd::step("native tests of every crate");
    cmd::run(cmd::new("cargo", &root).args(["test", "--workspace"]))?;

    promtool_conformance(&root)?;
    crate::yaml_oracle::run(&root, false)?;

    for (package, dir) in WASM_TEST_PACKAGES {
        if !root.join(dir).join("tests/wasm.rs").exists() {
            continue;
        }
        cmd::step(&format!(
            "WebAssembly tests of {package} in headless Chromium"
        ));
        cmd::run(
            cmd::new("cargo", &root.join(dir))
                .args([
                    "test",
                    "--package",
                    package,
                    "--target",
                    "wasm32-unknown-unknown",
                    "--test",
                    "wasm",
                ])
                .env("PATH", &path)
                .env("CHROMEDRIVER", "/usr/bin/chromedriver"),
        )?;
    }

    cmd::step("release build of the app with Trunk into dist/");
    cmd::run(
        cmd::new("trunk", &root)
            .args(["build", "--release", "--offline", "--skip-version-check"])
            .env("PATH", &path),
    )?;

    cmd::step("end-to-end tests in headless Chromium against dist/");
    cmd::run(
        cmd::new("node", &root.join("end2end"))
            .args(["--test", "--test-concurrency=1", "tests/"])
            .env("DIST_DIR", root.join("dist"))
            .env("CHROMIUM", "/usr/bin/chromium"),
    )?;

    cmd::step("size report of dist/");
    size::report(&root)?;

    println!("\nall checks passed");
    Ok(())
}

/// The PromQL conformance files must pass under the real promtool as well
/// as under our engine (which `cargo test` already checked).
fn promtool_conformance(root: &Path) -> Result<(), String> {
    let dir = root.join("crates/promql/tests/conformance");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    let mut files: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|ext| ext == "yml" || ext == "yaml")
        })
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if files.is_empty() {
        return Ok(());
    }
    files.sort();
    cmd::step(&format!(
        "PromQL conformance: {} files under the real promtool",
        files.len()
    ));
    cmd::run(
        cmd::new("promtool", root)
            .arg("test")
            .arg("rules")
            .args(&files),
    )
}
