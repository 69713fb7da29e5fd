//! The learner's files and what lint says about them: plain functions the
//! components call, testable natively.

use std::collections::BTreeMap;

use canary_lab_lint::{lint, Diagnostic, Severity, SourceFile};

use crate::editor::Marker;

/// Lints the files as they are now (path, text).
pub fn lint_files(files: &[(String, String)]) -> Vec<Diagnostic> {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile::new(path.clone(), text.clone()))
        .collect();
    lint(&sources)
}

/// The editor markers of one file: message, then the help on its own line.
pub fn markers_for(file: &str, diagnostics: &[Diagnostic]) -> Vec<Marker> {
    diagnostics
        .iter()
        .filter(|d| d.location.file == file)
        .map(|d| Marker {
            line: d.location.start.line,
            column: d.location.start.column,
            end_line: d.location.end.line,
            end_column: d.location.end.column,
            severity: d.severity.as_str(),
            message: match &d.help {
                Some(help) => format!("{}: {}\nhelp: {help}", d.code, d.message),
                None => format!("{}: {}", d.code, d.message),
            },
        })
        .collect()
}

/// Diagnostics grouped by file, files in the given order.
pub fn by_file<'d>(
    order: &[String],
    diagnostics: &'d [Diagnostic],
) -> Vec<(String, Vec<&'d Diagnostic>)> {
    let mut groups: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        groups.entry(d.location.file.as_str()).or_default().push(d);
    }
    let mut ordered: Vec<(String, Vec<&Diagnostic>)> = order
        .iter()
        .filter_map(|path| groups.remove(path.as_str()).map(|ds| (path.clone(), ds)))
        .collect();
    ordered.extend(groups.into_iter().map(|(path, ds)| (path.to_string(), ds)));
    ordered
}

/// "2 errors, 1 warning" style counts for a summary line.
pub fn counts(diagnostics: &[Diagnostic]) -> (usize, usize, usize) {
    diagnostics
        .iter()
        .fold((0, 0, 0), |(e, w, i), d| match d.severity {
            Severity::Error => (e + 1, w, i),
            Severity::Warning => (e, w + 1, i),
            Severity::Info => (e, w, i + 1),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn groups_follow_the_tab_order() {
        let files = vec![("otel/config.yaml".to_string(), BROKEN_CONFIG.to_string())];
        let diagnostics = lint_files(&files);
        let order = vec![
            "hotrod/rollout.yaml".to_string(),
            "otel/config.yaml".to_string(),
        ];
        let groups = by_file(&order, &diagnostics);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].0, "otel/config.yaml");
        let (errors, _, _) = counts(&diagnostics);
        assert_eq!(
            errors,
            groups[0]
                .1
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count()
        );
    }
}
