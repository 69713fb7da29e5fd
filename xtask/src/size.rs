//! The size report: gzipped size of each file in `dist/`, and the first
//! load's total against the budget written in `docs/benchmarks.md`.
//!
//! The first load is `index.html` and every file it names; the rest of
//! `dist/` (the simulation worker, fetched on the first Run, and the rule
//! pages) is listed apart and does not count against the budget.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

/// The line in docs/benchmarks.md that holds the budget, e.g.
/// `Bundle budget (gzipped, whole dist/): 500 KB`.
const BUDGET_MARKER: &str = "Bundle budget";

pub fn report(root: &Path) -> Result<(), String> {
    let dist = root.join("dist");
    let mut files = Vec::new();
    collect_files(&dist, &mut files).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    if files.is_empty() {
        return Err("dist/ is empty: build the app first (trunk build --release)".into());
    }
    files.sort();
    let budget_bytes = budget_bytes(root)?;
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let (first_load, later): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|f| {
        let name = f
            .strip_prefix(&dist)
            .unwrap_or(f)
            .to_string_lossy()
            .to_string();
        name == "index.html" || index.contains(&name)
    });
    let mut later_gzip = 0u64;
    for file in &later {
        later_gzip += gzip_len(&std::fs::read(file).unwrap_or_default());
    }
    let mut total_raw = 0u64;
    let mut total_gzip = 0u64;
    println!("first load:");
    println!("{:<48} {:>12} {:>12}", "file", "bytes", "gzip -9");
    for file in &first_load {
        let raw =
            std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let gzip = gzip_len(&raw);
        total_raw += raw.len() as u64;
        total_gzip += gzip;
        let name = file
            .strip_prefix(&dist)
            .unwrap_or(file)
            .display()
            .to_string();
        println!("{name:<48} {:>12} {gzip:>12}", raw.len());
    }
    println!("{:<48} {total_raw:>12} {total_gzip:>12}", "total");
    print_later(&dist, &later, later_gzip)?;
    println!(
        "budget: {} KB gzipped; used {:.1} KB ({:.0}%)",
        budget_bytes / 1000,
        total_gzip as f64 / 1000.0,
        100.0 * total_gzip as f64 / budget_bytes as f64
    );
    if total_gzip > budget_bytes {
        return Err(format!(
            "the first load is {total_gzip} bytes gzipped, over the budget of {budget_bytes} bytes in docs/benchmarks.md"
        ));
    }
    Ok(())
}

/// Files fetched after the first load, summarised per top folder so the rule
/// pages don't flood the report.
fn print_later(dist: &Path, later: &[PathBuf], later_gzip: u64) -> Result<(), String> {
    if later.is_empty() {
        return Ok(());
    }
    let mut groups: std::collections::BTreeMap<String, (usize, u64)> = Default::default();
    for file in later {
        let name = file
            .strip_prefix(dist)
            .unwrap_or(file)
            .to_string_lossy()
            .to_string();
        let key = match name.split_once('/') {
            Some((folder, _)) => format!("{folder}/ (files)"),
            None => name,
        };
        let raw =
            std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let entry = groups.entry(key).or_default();
        entry.0 += 1;
        entry.1 += gzip_len(&raw);
    }
    println!("loaded later (not in the budget):");
    for (name, (count, gzip)) in groups {
        let name = name.replace("(files)", &format!("({count} files)"));
        println!("{name:<48} {:>12} {gzip:>12}", "");
    }
    println!("{:<48} {:>12} {later_gzip:>12}", "total loaded later", "");
    Ok(())
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(0, |v| v.len() as u64)
}

/// Reads `<marker> ...: N KB` from docs/benchmarks.md (KB = 1000 bytes).
fn budget_bytes(root: &Path) -> Result<u64, String> {
    let path = root.join("docs/benchmarks.md");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let line = text
        .lines()
        .find(|line| line.contains(BUDGET_MARKER))
        .ok_or_else(|| format!("{} has no `{BUDGET_MARKER}` line", path.display()))?;
    let before_kb = line
        .split("KB")
        .next()
        .ok_or_else(|| format!("the budget line has no KB figure: {line}"))?;
    let number: String = before_kb
        .chars()
        .rev()
        .skip_while(|c| c.is_whitespace())
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    number
        .parse::<u64>()
        .map(|kb| kb * 1000)
        .map_err(|_| format!("cannot read the budget from: {line}"))
}
