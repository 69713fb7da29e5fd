//! rustc-style rendering with annotate-snippets: title with the rule code,
//! the source line with the span underlined, secondary labels, help, and
//! the suggested fix as a patch.

use annotate_snippets::{AnnotationKind, Group, Level, Patch, Renderer, Snippet};
use canary_lab_lint::{Diagnostic, Severity, SourceFile};

pub fn render(files: &[SourceFile], diagnostics: &[Diagnostic], color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics {
        let source = |path: &str| {
            files
                .iter()
                .find(|f| f.path == path)
                .map_or("", |f| f.text.as_str())
        };
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let mut snippet = Snippet::source(source(&d.location.file))
            .path(d.location.file.as_str())
            .annotation(AnnotationKind::Primary.span(d.location.byte_range.clone()));
        let mut other_files = Vec::new();
        for label in &d.labels {
            let annotation = AnnotationKind::Context
                .span(label.location.byte_range.clone())
                .label(label.message.as_str());
            if label.location.file == d.location.file {
                snippet = snippet.annotation(annotation);
            } else {
                other_files.push(
                    Snippet::source(source(&label.location.file))
                        .path(label.location.file.as_str())
                        .annotation(annotation),
                );
            }
        }
        let mut group = level
            .primary_title(d.message.as_str())
            .id(d.code)
            .element(snippet);
        for extra in other_files {
            group = group.element(extra);
        }
        if let Some(help) = &d.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let mut report = vec![group];
        if let Some(fix) = &d.fix {
            let mut patch =
                Snippet::source(source(&d.location.file)).path(d.location.file.as_str());
            for edit in fix.edits.iter().filter(|e| e.file == d.location.file) {
                patch = patch.patch(Patch::new(edit.range.clone(), edit.replacement.as_str()));
            }
            report.push(
                Group::with_title(Level::HELP.secondary_title(format!("fix: {}", fix.title)))
                    .element(patch),
            );
        }
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
    out.push_str(&format!(
        "{} error(s), {} warning(s), {} info(s)\n",
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    ));
    out
}
