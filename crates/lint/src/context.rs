//! What a rule sees while it runs: the model, shared derived facts, and a
//! way to report findings by span.

use crate::collector::{startup_findings, Finding};
use crate::diagnostic::{Diagnostic, Fix, Label, Location, TextEdit};
use crate::model::Workspace;
use crate::query::{analysis_queries, AnalysisQuery};
use crate::registry::RuleMeta;
use crate::source::{LineIndex, SourceFile, Span};
use crate::telemetry::Telemetry;

/// A finding before its spans are resolved to positions.
#[derive(Clone, Debug)]
pub struct Report {
    span: Span,
    message: String,
    help: Option<String>,
    labels: Vec<(Span, String)>,
    fix: Option<(String, Vec<(Span, String)>)>,
}

impl Report {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            fix: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push((span, message.into()));
        self
    }

    /// A machine-applicable fix: replace each span by its text.
    pub fn fix(mut self, title: impl Into<String>, edits: Vec<(Span, String)>) -> Self {
        self.fix = Some((title.into(), edits));
        self
    }
}

/// Files, model, derived facts and the diagnostics collected so far.
pub struct Context<'a> {
    pub ws: &'a Workspace,
    files: &'a [SourceFile],
    /// Built on a file's first diagnostic: most files have none.
    lines: Vec<std::cell::OnceCell<LineIndex>>,
    /// `startup[i]` holds the findings for `ws.collectors[i]`.
    pub startup: Vec<Vec<Finding>>,
    pub telemetry: Telemetry,
    /// Every Prometheus query of every AnalysisTemplate, parsed once.
    pub queries: Vec<AnalysisQuery<'a>>,
    rule: Option<&'static RuleMeta>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Context<'a> {
    pub fn new(ws: &'a Workspace, files: &'a [SourceFile]) -> Self {
        let startup: Vec<Vec<Finding>> = ws.collectors.iter().map(startup_findings).collect();
        let telemetry = Telemetry::of(ws, &startup);
        Self {
            ws,
            files,
            lines: files.iter().map(|_| std::cell::OnceCell::new()).collect(),
            startup,
            telemetry,
            queries: analysis_queries(ws),
            rule: None,
            diagnostics: Vec::new(),
        }
    }

    /// A context for rules that use only the model and the files (the
    /// `YAML0xx` group): the derived facts are left empty, not computed.
    pub(crate) fn without_facts(ws: &'a Workspace, files: &'a [SourceFile]) -> Self {
        Self {
            ws,
            files,
            lines: files.iter().map(|_| std::cell::OnceCell::new()).collect(),
            startup: Vec::new(),
            telemetry: Telemetry::default(),
            queries: Vec::new(),
            rule: None,
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn set_rule(&mut self, rule: &'static RuleMeta) {
        self.rule = Some(rule);
    }

    pub fn text(&self, span: Span) -> &str {
        let text = self
            .files
            .get(span.file.index())
            .map_or("", |f| f.text.as_str());
        text.get(span.start..span.end).unwrap_or("")
    }

    pub fn file_text(&self, span: Span) -> &str {
        self.files
            .get(span.file.index())
            .map_or("", |f| f.text.as_str())
    }

    pub fn locate(&self, span: Span) -> Location {
        let Some(file) = self.files.get(span.file.index()) else {
            let zero = crate::source::Position { line: 1, column: 1 };
            return Location {
                file: String::new(),
                start: zero,
                end: zero,
                byte_range: 0..0,
            };
        };
        let lines = self.lines[span.file.index()].get_or_init(|| LineIndex::new(&file.text));
        let start = crate::source::floor_char_boundary(&file.text, span.start);
        let end = crate::source::floor_char_boundary(&file.text, span.end).max(start);
        Location {
            file: file.path.clone(),
            start: lines.position(&file.text, start),
            end: lines.position(&file.text, end),
            byte_range: start..end,
        }
    }

    /// Records a finding of the running rule.
    pub fn emit(&mut self, report: Report) {
        let Some(rule) = self.rule else { return };
        let labels = report
            .labels
            .iter()
            .map(|(span, message)| Label {
                location: self.locate(*span),
                message: message.clone(),
            })
            .collect();
        let fix = report.fix.map(|(title, edits)| Fix {
            title,
            edits: edits
                .into_iter()
                .map(|(span, replacement)| TextEdit {
                    file: self.locate(span).file,
                    range: span.start..span.end,
                    replacement,
                })
                .collect(),
        });
        let diagnostic = Diagnostic {
            code: rule.code,
            severity: rule.severity,
            message: report.message,
            location: self.locate(report.span),
            labels,
            help: report.help,
            fix,
        };
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}
