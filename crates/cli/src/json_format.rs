//! The `--format json` output: one JSON object.
//!
//! ```json
//! {
//!   "diagnostics": [
//!     {
//!       "code": "OTEL103",
//!       "severity": "error",
//!       "file": "otel/config.yaml",
//!       "line": 9,
//!       "column": 5,
//!       "end_line": 9,
//!       "end_column": 14,
//!       "message": "`receivers` is empty: the collector exits with `…`",
//!       "help": "add the receiver your apps send to, …"
//!     }
//!   ],
//!   "summary": { "error": 1, "warning": 0, "info": 0 }
//! }
//! ```
//!
//! - `diagnostics` is sorted by file, position and code.
//! - `severity` is `"error"`, `"warning"` or `"info"`.
//! - `file` is relative to the directory given on the command line,
//!   `/`-separated.
//! - Lines and columns are 1-based; columns count Unicode characters, not
//!   bytes. `end_line`/`end_column` point just past the span.
//! - `help` is a string or `null`.
//! - `summary` always has all three counts.
//!
//! The shape is stable: fields may be added, never renamed or removed.

use canary_lab_lint::{Diagnostic, Severity};
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct Summary {
    error: usize,
    warning: usize,
    info: usize,
}

pub fn render(diagnostics: &[Diagnostic]) -> String {
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    let output = Output {
        diagnostics: diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                code: d.code,
                severity: d.severity.as_str(),
                file: &d.location.file,
                line: d.location.start.line,
                column: d.location.start.column,
                end_line: d.location.end.line,
                end_column: d.location.end.column,
                message: &d.message,
                help: d.help.as_deref(),
            })
            .collect(),
        summary: Summary {
            error: count(Severity::Error),
            warning: count(Severity::Warning),
            info: count(Severity::Info),
        },
    };
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
