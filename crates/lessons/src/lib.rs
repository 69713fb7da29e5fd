//! The course: each lesson under `lessons/` compiled in, its manifest
//! checked with positions, and its objectives judged by the same lint and
//! simulation engines the playground and the CLI use.
//!
//! Architecture invariant: no I/O. The CLI reads a lesson folder and hands
//! the texts to [`Lesson::from_files`]; the app uses [`bundled`].

mod error;
mod manifest;
mod objective;
mod run;

use std::collections::BTreeMap;

pub use error::LessonError;
pub use manifest::{parse_manifest, Behaviour, LessonFile, Level, Manifest};
pub use objective::{Check, Expect, Facts, MetricFacts, Objective, TrafficMetric, Verdict};
#[cfg(feature = "sim")]
pub use run::{check, facts, facts_and_run, LESSON_RUN_MS};
pub use run::{check_without_run, judge_all, lint_facts, Judged};

/// A lesson as compiled into the crate: its id and its files, with paths
/// relative to the lesson folder (`lesson.yaml`, `start/…`, `solution/…`).
pub struct BundledLesson {
    pub id: &'static str,
    pub files: &'static [(&'static str, &'static str)],
}

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

/// Every lesson under `lessons/`, in folder order, parsed.
pub fn bundled() -> Vec<Result<Lesson, LessonError>> {
    BUNDLED
        .iter()
        .map(|b| {
            let files: Vec<(String, String)> = b
                .files
                .iter()
                .map(|(path, text)| (path.to_string(), text.to_string()))
                .collect();
            Lesson::from_files(b.id, &files)
        })
        .collect()
}

/// A lesson: its manifest, and the text of every file at the start and solved.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Lesson {
    pub manifest: Manifest,
    /// Path → text of the starting files, in `manifest.files` order of paths.
    pub start: BTreeMap<String, String>,
    /// Path → text of the files that differ once solved.
    pub solution: BTreeMap<String, String>,
}

impl Lesson {
    /// Builds a lesson from its folder's files (paths relative to the folder).
    pub fn from_files(id: &str, files: &[(String, String)]) -> Result<Lesson, LessonError> {
        let in_lesson = |path: &str| format!("{id}/{path}");
        let manifest_text = files
            .iter()
            .find(|(path, _)| path == "lesson.yaml")
            .map(|(_, text)| text)
            .ok_or_else(|| LessonError {
                file: in_lesson("lesson.yaml"),
                line: 0,
                column: 0,
                message: "missing: every lesson folder needs a lesson.yaml".into(),
            })?;
        let manifest = parse_manifest(&in_lesson("lesson.yaml"), manifest_text)?;
        let whole_file = |message: String| LessonError {
            file: in_lesson("lesson.yaml"),
            line: 0,
            column: 0,
            message,
        };
        if manifest.id != id {
            return Err(whole_file(format!(
                "`id` is `{}` but the folder is `{id}`: they must be equal",
                manifest.id
            )));
        }
        let mut start = BTreeMap::new();
        let mut solution = BTreeMap::new();
        for (path, text) in files {
            if let Some(rest) = path.strip_prefix("start/") {
                start.insert(rest.to_string(), text.clone());
            } else if let Some(rest) = path.strip_prefix("solution/") {
                solution.insert(rest.to_string(), text.clone());
            }
        }
        let listed: Vec<&str> = manifest.files.iter().map(|f| f.path.as_str()).collect();
        for path in &listed {
            if !start.contains_key(*path) {
                return Err(whole_file(format!(
                    "`files` lists `{path}` but start/{path} does not exist"
                )));
            }
        }
        for path in start.keys() {
            if !listed.contains(&path.as_str()) {
                return Err(whole_file(format!(
                    "start/{path} exists but `files` does not list it"
                )));
            }
        }
        for path in solution.keys() {
            let editable = manifest.files.iter().any(|f| &f.path == path && f.editable);
            if !editable {
                return Err(whole_file(format!(
                    "solution/{path} changes a file the learner cannot edit: list it in `files` with `editable: true`"
                )));
            }
        }
        Ok(Lesson {
            manifest,
            start,
            solution,
        })
    }

    /// The files as the learner first sees them, in tab order.
    pub fn start_files(&self) -> Vec<(String, String)> {
        self.ordered(|path| self.start.get(path))
    }

    /// The files once solved: the start with the solution laid over it.
    pub fn solved_files(&self) -> Vec<(String, String)> {
        self.ordered(|path| self.solution.get(path).or_else(|| self.start.get(path)))
    }

    fn ordered<'a>(&'a self, text: impl Fn(&str) -> Option<&'a String>) -> Vec<(String, String)> {
        self.manifest
            .files
            .iter()
            .filter_map(|f| text(&f.path).map(|t| (f.path.clone(), t.clone())))
            .collect()
    }
}
