//! Lint diagnostics as editor markers: the data the CodeMirror binding
//! draws as underlines, gutter marks and hover text.

use canary_lab_worker::protocol::{FixView, Problem};

use crate::editor::{Marker, MarkerFix};

/// The editor markers of one file (whose current text is `text`): message,
/// then the help on its own line, the rule's page, and the quick fix.
pub fn markers_for(file: &str, text: &str, problems: &[Problem]) -> Vec<Marker> {
    problems
        .iter()
        .filter(|d| d.file == file)
        .map(|d| Marker {
            code: d.code.clone(),
            doc: format!("rules/{}.html", d.code),
            fix: d.fix.as_ref().and_then(|f| marker_fix(file, text, f)),
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            severity: d.severity.clone(),
            message: match &d.help {
                Some(help) => format!("{}: {}\nhelp: {help}", d.code, d.message),
                None => format!("{}: {}", d.code, d.message),
            },
        })
        .collect()
}

/// The fix's edits as UTF-16 offsets into `text`; `None` when an edit
/// touches another file or falls outside the text (the text changed since
/// it was linted), so a stale fix is never offered.
fn marker_fix(file: &str, text: &str, fix: &FixView) -> Option<MarkerFix> {
    let mut changes = Vec::new();
    for edit in &fix.edits {
        if edit.file != file {
            return None;
        }
        let from = utf16_offset(text, edit.start_byte)?;
        let to = utf16_offset(text, edit.end_byte)?;
        changes.push((from, to, edit.replacement.clone()));
    }
    changes.sort_by_key(|c| c.0);
    Some(MarkerFix {
        title: fix.title.clone(),
        changes,
    })
}

/// A byte offset as UTF-16 code units (CodeMirror's unit); `None` past the
/// end or inside a character.
fn utf16_offset(text: &str, byte: usize) -> Option<usize> {
    let before = text.get(..byte)?;
    Some(before.chars().map(char::len_utf16).sum())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::tests::lint_natively as lint_files;

    const BROKEN_CONFIG: &str = include_str!("../fixtures/challenge/broken/otel/config.yaml");

    #[test]
    fn the_empty_receivers_section_is_marked_where_it_is() {
        let files = vec![("otel/config.yaml".to_string(), BROKEN_CONFIG.to_string())];
        let diagnostics = lint_files(&files);
        let markers = markers_for("otel/config.yaml", BROKEN_CONFIG, &diagnostics);
        let receivers = markers
            .iter()
            .find(|m| m.message.starts_with("OTEL103"))
            .expect("the empty receivers section is reported");
        assert_eq!((receivers.line, receivers.column), (9, 5));
        assert_eq!(receivers.severity, "error");
        assert!(receivers
            .message
            .contains("no receiver configuration specified in config"));
    }

    #[test]
    fn offsets_count_utf16_units() {
        let text = "é😀x";
        assert_eq!(utf16_offset(text, 0), Some(0));
        assert_eq!(utf16_offset(text, 2), Some(1));
        assert_eq!(utf16_offset(text, 6), Some(3));
        assert_eq!(utf16_offset(text, 7), Some(4));
        assert_eq!(utf16_offset(text, 1), None, "inside `é`");
        assert_eq!(utf16_offset(text, 8), None, "past the end");
    }

    #[test]
    fn a_localhost_endpoint_gets_a_fix_that_lands_on_the_endpoint() {
        let config = "# é — a comment with non-ASCII text\nreceivers:\n  otlp:\n    protocols:\n      http:\n        endpoint: localhost:4318\nexporters:\n  debug:\nservice:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [debug]\n";
        let files = vec![("otel/config.yaml".to_string(), config.to_string())];
        let problems = lint_files(&files);
        let markers = markers_for("otel/config.yaml", config, &problems);
        let marker = markers
            .iter()
            .find(|m| m.code == "OTEL201")
            .expect("the localhost endpoint is reported");
        assert_eq!(marker.doc, "rules/OTEL201.html");
        let fix = marker.fix.as_ref().expect("OTEL201 offers a fix");
        let units: Vec<u16> = config.encode_utf16().collect();
        let (from, to, insert) = &fix.changes[0];
        assert_eq!(
            String::from_utf16(&units[*from..*to]).unwrap(),
            "localhost:4318"
        );
        assert_eq!(insert, "0.0.0.0:4318");
        // A fix for a text that has since changed is not offered.
        assert!(markers_for("otel/config.yaml", "receivers:", &problems)
            .iter()
            .all(|m| m.code != "OTEL201" || m.fix.is_none()));
    }
}
