//! Bundles the front-end JavaScript with esbuild into `target/js/`, where
//! `index.html` picks it up (Trunk's watcher ignores the target directory).

use std::path::Path;

use crate::{cmd, tools};

pub fn run(root: &Path) -> Result<(), String> {
    tools::ensure_npm_packages(&root.join("js"))?;
    let esbuild = root.join("js/node_modules/.bin/esbuild");
    cmd::run(cmd::new(&esbuild.to_string_lossy(), root).args([
        "js/src/editor.js",
        "--bundle",
        "--format=iife",
        "--minify",
        "--target=es2020",
        "--legal-comments=none",
        "--log-level=warning",
        "--outfile=target/js/editor.js",
    ]))
}
