//! Compiles every lesson under `lessons/` into the crate, so the app needs
//! no fetch at run time and a lesson cannot go missing from a build.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let lessons_dir = manifest_dir.join("../../lessons");
    println!("cargo:rerun-if-changed={}", lessons_dir.display());

    let mut lesson_dirs: Vec<PathBuf> = std::fs::read_dir(&lessons_dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("lesson.yaml").is_file())
                .collect()
        })
        .unwrap_or_default();
    lesson_dirs.sort();

    let mut out = String::from("pub static BUNDLED: &[BundledLesson] = &[\n");
    for dir in &lesson_dirs {
        let id = dir.file_name().unwrap().to_string_lossy();
        let mut files = Vec::new();
        collect(dir, dir, &mut files);
        files.sort();
        writeln!(out, "    BundledLesson {{ id: {id:?}, files: &[").unwrap();
        for (relative, absolute) in files {
            writeln!(out, "        ({relative:?}, include_str!({absolute:?})),").unwrap();
        }
        out.push_str("    ] },\n");
    }
    out.push_str("];\n");
    let out_path = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("bundled.rs");
    std::fs::write(out_path, out).unwrap();
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        if path.is_dir() {
            collect(root, &path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            let relative = path.strip_prefix(root).unwrap();
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((relative, path.canonicalize().unwrap().display().to_string()));
        }
    }
}
