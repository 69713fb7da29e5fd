//! Collecting input files: directories are walked recursively (sorted, so
//! output is stable) for `*.yaml`/`*.yml`; paths are reported relative to
//! the directory given, `/`-separated, which is also what namespace
//! inference reads (`hotrod/rollout.yaml` → namespace `hotrod`).

use std::path::Path;

use canary_lab_lint::SourceFile;

use crate::CliError;

pub fn collect(paths: &[String]) -> Result<Vec<SourceFile>, CliError> {
    let mut files = Vec::new();
    for path in paths {
        let root = Path::new(path);
        let meta = std::fs::metadata(root)
            .map_err(|e| CliError::Io(format!("cannot read `{path}`: {e}")))?;
        if meta.is_dir() {
            walk(root, root, &mut files)?;
        } else {
            files.push(read(root, path.replace('\\', "/"))?);
        }
    }
    Ok(files)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<SourceFile>) -> Result<(), CliError> {
    let io = |e: std::io::Error| CliError::Io(format!("cannot read `{}`: {e}", dir.display()));
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort();
    for path in entries {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(read(&path, relative)?);
        }
    }
    Ok(())
}

fn read(path: &Path, display: String) -> Result<SourceFile, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::Io(format!("cannot read `{}`: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError::Io(format!(
            "`{}` is not UTF-8 (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(SourceFile::new(display, text))
}
