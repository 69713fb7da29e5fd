//! The learner's files and what lint says about them: plain functions the
//! components call, testable natively.

use std::collections::BTreeMap;

use canary_lab_lint::{
    lint_workspace, parse_workspace, Diagnostic, Severity, SourceFile, Workspace,
};

/// One lint pass: the model it parsed (the pipeline view and the lesson
/// objectives read it) and every diagnostic.
pub struct Linted {
    pub workspace: Workspace,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lints the files as they are now (path, text).
pub fn lint_files(files: &[(String, String)]) -> Linted {
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|(path, text)| SourceFile::new(path.clone(), text.clone()))
        .collect();
    let (workspace, _) = parse_workspace(&sources);
    let diagnostics = lint_workspace(&workspace, &sources);
    Linted {
        workspace,
        diagnostics,
    }
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
    fn groups_follow_the_tab_order() {
        let files = vec![("otel/config.yaml".to_string(), BROKEN_CONFIG.to_string())];
        let diagnostics = lint_files(&files).diagnostics;
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
