//! Build automation for Canary Lab, run as `cargo xtask <task>`.
//!
//! Every task installs what it needs first (idempotently, in seconds when
//! everything is present), so a fresh clone needs nothing but `cargo`.

mod bundle;
mod cmd;
mod rule_docs;
mod size;
mod test;
mod tools;
mod yaml_oracle;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  serve       install what is missing, build and serve the app on http://127.0.0.1:8080 (live reload)
  test        install what is missing, then run every check and test, stopping at the first failure
  bundle-js   bundle the front-end JavaScript into target/js/ and write the rule pages into
              target/rules/ (Trunk's pre-build hook)
  size        print the gzipped size of each file in dist/ and check it against the budget
  yaml-oracle install Go and yaml.v3 if missing, and rewrite the expected errors of
              crates/lint/tests/go_yaml/ from the collector's YAML library
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("test") => test::run(),
        Some("bundle-js") => bundle::run(&root()).and_then(|()| rule_docs::run(&root())),
        Some("size") => size::report(&root()),
        Some("yaml-oracle") => {
            tools::ensure_yaml_oracle().and_then(|()| yaml_oracle::run(&root(), true))
        }
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> Result<(), String> {
    let root = root();
    tools::ensure_app_toolchain(&root)?;
    cmd::step("serve the app on http://127.0.0.1:8080 (Ctrl-C stops)");
    cmd::run(
        cmd::new("trunk", &root)
            .args(["serve", "--offline", "--skip-version-check"])
            .env("PATH", tools::path_with_node_bins(&root)),
    )
}

/// The workspace root, found from this crate's manifest so tasks work from any directory.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
