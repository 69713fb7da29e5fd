//! Installs the tools the build and tests need, each only when missing or at
//! the wrong version, so a second run costs seconds.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::cmd;

/// Trunk 0.22 needs a newer rustc than the machines have; 0.21.14 is the pin.
const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Everything `cargo xtask serve` needs: the wasm target, Trunk, the
/// wasm-bindgen CLI matching Cargo.lock, and the front end's npm packages.
pub fn ensure_app_toolchain(root: &Path) -> Result<(), String> {
    ensure_node()?;
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen(root)?;
    ensure_npm_packages(&root.join("js"))
}

/// What the tests need beyond the app toolchain: a browser and its driver
/// for the wasm and end-to-end tests, promtool as the PromQL oracle, and Go
/// with yaml.v3 as the YAML oracle.
pub fn ensure_test_toolchain(root: &Path) -> Result<(), String> {
    ensure_app_toolchain(root)?;
    ensure_debian_packages(&[
        ("chromium", "chromium"),
        ("chromedriver", "chromium-driver"),
        ("promtool", "prometheus"),
    ])?;
    ensure_yaml_oracle()?;
    ensure_npm_packages(&root.join("end2end"))
}

/// Go and the yaml.v3 sources, both from Debian, for the YAML oracle.
pub fn ensure_yaml_oracle() -> Result<(), String> {
    let library = format!("{}/src/gopkg.in/yaml.v3", crate::yaml_oracle::GOPATH);
    ensure_debian_packages(&[
        ("go", "golang-go"),
        (library.as_str(), "golang-gopkg-yaml.v3-dev"),
    ])
}

/// PATH with the npm-installed binaries (wasm-opt from `binaryen`, esbuild)
/// and cargo's install directory in front, so Trunk finds them offline.
pub fn path_with_node_bins(root: &Path) -> OsString {
    let mut dirs = vec![root.join("js/node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

fn ensure_node() -> Result<(), String> {
    if cmd::exists("node") && cmd::exists("npm") {
        return Ok(());
    }
    ensure_debian_packages(&[("node", "nodejs"), ("npm", "npm")])
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = cmd::output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    cmd::step(&format!("install the Rust target {WASM_TARGET}"));
    cmd::run(cmd::new("rustup", Path::new(".")).args(["target", "add", WASM_TARGET]))
}

fn ensure_trunk() -> Result<(), String> {
    let found = cmd::output("trunk", &["--version"]).unwrap_or_default();
    if found.split_whitespace().nth(1) == Some(TRUNK_VERSION) {
        return Ok(());
    }
    cmd::step(&format!(
        "install trunk {TRUNK_VERSION} (compiles once, about 13 minutes on 2 cores)"
    ));
    cmd::run(cmd::new("cargo", Path::new(".")).args([
        "install",
        "trunk",
        "--version",
        TRUNK_VERSION,
        "--locked",
    ]))
}

/// Trunk refuses (offline) any wasm-bindgen CLI whose version differs from
/// the `wasm-bindgen` crate in Cargo.lock, so the lock file is the source of truth.
fn ensure_wasm_bindgen(root: &Path) -> Result<(), String> {
    let wanted = locked_version(root, "wasm-bindgen")?;
    let found = cmd::output("wasm-bindgen", &["--version"]).unwrap_or_default();
    let runner = cmd::output("wasm-bindgen-test-runner", &["--version"]).unwrap_or_default();
    let has = |text: &str| text.split_whitespace().nth(1) == Some(wanted.as_str());
    if has(&found) && has(&runner) {
        return Ok(());
    }
    cmd::step(&format!(
        "install wasm-bindgen-cli {wanted} (matches Cargo.lock)"
    ));
    // `--locked` fails on one of its pinned dependencies, so resolve afresh.
    cmd::run(cmd::new("cargo", Path::new(".")).args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &wanted,
        "--force",
    ]))
}

/// The version of `package` recorded in Cargo.lock.
pub fn locked_version(root: &Path, package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let wanted_name = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted_name {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(version.trim_matches('"').to_string());
            }
        }
    }
    Err(format!("Cargo.lock has no package `{package}`"))
}

/// `npm ci` when node_modules is missing or older than the lock file.
pub fn ensure_npm_packages(dir: &Path) -> Result<(), String> {
    let lock = dir.join("package-lock.json");
    let stamp = dir.join("node_modules/.package-lock.json");
    let fresh = match (modified(&lock), modified(&stamp)) {
        (Some(lock_time), Some(stamp_time)) => stamp_time >= lock_time,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    cmd::step(&format!("install npm packages in {}", dir.display()));
    cmd::run(cmd::new("npm", dir).args(["ci", "--no-audit", "--no-fund"]))
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Installs the Debian packages whose command (or, for a path, file) is
/// missing, in one apt call.
fn ensure_debian_packages(wanted: &[(&str, &str)]) -> Result<(), String> {
    let missing: Vec<&str> = wanted
        .iter()
        // A path stands for a package that installs files, not a command.
        .filter(|(command, _)| {
            if command.starts_with('/') {
                !Path::new(command).exists()
            } else {
                !cmd::exists(command)
            }
        })
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    cmd::step(&format!("install Debian packages: {}", missing.join(" ")));
    let as_root = cmd::output("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| {
        let mut command = if as_root {
            cmd::new("apt-get", Path::new("."))
        } else {
            let mut sudo = cmd::new("sudo", Path::new("."));
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd::run(&mut command)
    };
    apt(&["update"])?;
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)
}
