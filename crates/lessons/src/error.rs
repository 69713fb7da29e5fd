//! A malformed lesson is reported with its file and position, like a lint
//! diagnostic, so an author can go straight to the mistake.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError {
    /// Path relative to `lessons/`, e.g. `01-collector-wont-start/lesson.yaml`.
    pub file: String,
    /// 1-based; 0 when the problem has no place in a file (a missing file).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for LessonError {}
