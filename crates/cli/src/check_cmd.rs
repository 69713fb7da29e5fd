//! `canary-lab check lessons/ID [--solution]`: judges a lesson's objectives
//! on its starting files (or on its solution) with the same engines the
//! playground uses. Exit 1 when any objective fails.

use std::path::Path;
use std::process::ExitCode;

use canary_lab_lessons::{check, Lesson};
use lexopt::ValueExt;

use crate::{files, CliError};

pub fn run(mut parser: lexopt::Parser) -> Result<ExitCode, CliError> {
    let mut dir = None;
    let mut solution = false;
    while let Some(arg) = parser.next()? {
        match arg {
            lexopt::Arg::Long("solution") => solution = true,
            lexopt::Arg::Value(value) if dir.is_none() => dir = Some(value.string()?),
            other => return Err(other.unexpected().into()),
        }
    }
    let dir = dir.ok_or_else(|| {
        CliError::Usage(
            "`check` needs a lesson folder, e.g. lessons/01-collector-wont-start".into(),
        )
    })?;
    let id = Path::new(&dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| CliError::Usage(format!("`{dir}` is not a lesson folder")))?;
    let texts: Vec<(String, String)> = files::collect(std::slice::from_ref(&dir))?
        .into_iter()
        .map(|f| (f.path, f.text))
        .collect();
    let lesson = Lesson::from_files(&id, &texts).map_err(|e| CliError::Io(e.to_string()))?;
    let files = if solution {
        lesson.solved_files()
    } else {
        lesson.start_files()
    };
    let judged = check(&lesson, &files);
    let mut out = format!(
        "{} — {} ({})\n",
        lesson.manifest.id,
        lesson.manifest.title,
        if solution {
            "solution"
        } else {
            "starting files"
        }
    );
    if judged.is_empty() {
        out += "  no objectives (a sandbox)\n";
    }
    for j in &judged {
        let mark = if j.verdict.passed { "pass" } else { "FAIL" };
        out += &format!(
            "  [{mark}] {}\n         {}\n",
            j.objective.text, j.verdict.detail
        );
    }
    let failed = judged.iter().filter(|j| !j.verdict.passed).count();
    out += &format!("{} passed, {failed} failed\n", judged.len() - failed);
    crate::emit(&out)?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
