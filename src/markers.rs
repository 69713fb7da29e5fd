//! Lint diagnostics as editor markers: the data the CodeMirror binding
//! draws as underlines, gutter marks and hover text.

use canary_lab_worker::protocol::Problem;

use crate::editor::Marker;

/// The editor markers of one file: message, then the help on its own line.
pub fn markers_for(file: &str, problems: &[Problem]) -> Vec<Marker> {
    problems
        .iter()
        .filter(|d| d.file == file)
        .map(|d| Marker {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::tests::lint_natively as lint_files;

    const BROKEN_CONFIG: &str = include_str!("../fixtures/challenge/broken/otel/config.yaml");

    #[test]
    fn the_empty_receivers_section_is_marked_where_it_is() {
        let files = vec![("otel/config.yaml".to_string(), BROKEN_CONFIG.to_string())];
        let diagnostics = lint_files(&files);
        let markers = markers_for("otel/config.yaml", &diagnostics);
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
}
