//! Diagnostics as plain data. Rendering (terminal snippets, JSON, SARIF,
//! editor markers) happens in the CLI and the app, never here.

use std::ops::Range;

use serde::Serialize;

use crate::registry::{self, RuleMeta};
use crate::source::Position;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A resolved place in a file: path, 1-based start/end positions (columns in
/// characters) and the byte range for editors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub start: Position,
    pub end: Position,
    pub byte_range: Range<usize>,
}

/// A secondary place that explains the primary one (e.g. the DaemonSet port
/// that disagrees with the exporter).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub location: Location,
    pub message: String,
}

/// One text replacement; `range` is a byte range in `file`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub file: String,
    pub range: Range<usize>,
    pub replacement: String,
}

/// A machine-applicable fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Rule code, e.g. `OTEL103`.
    pub code: &'static str,
    pub severity: Severity,
    /// Lowercase start, no final period, names in backticks.
    pub message: String,
    pub location: Location,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// The rule that produced this diagnostic (name, group, documentation).
    pub fn rule(&self) -> Option<&'static RuleMeta> {
        registry::rule_meta(self.code)
    }

    /// Deterministic order: file, position, code, then message.
    pub fn sort_key(&self) -> (&str, Position, Position, &str, &str) {
        (
            &self.location.file,
            self.location.start,
            self.location.end,
            self.code,
            &self.message,
        )
    }
}

/// Sorts and removes exact duplicates (two rules may reach the same fact
/// through different objects).
pub fn sort_diagnostics(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
}
