//! Canary Lab's lint engine: parses Kubernetes manifests and OpenTelemetry
//! Collector configs into a span-carrying [`model`] and checks them with the
//! rules in [`registry`].
//!
//! Architecture invariants:
//! - no web or terminal dependency; the same results natively and on
//!   `wasm32-unknown-unknown` (no clock, no hashing order, no threads);
//! - parsing never fails: `(Workspace, Vec<Diagnostic>)`; bad input becomes
//!   a diagnostic with a position, never a panic;
//! - diagnostics are data; rendering lives in the CLI and the app.

pub mod collector;
pub mod context;
pub mod diagnostic;
pub mod duration;
pub mod model;
pub mod naming;
mod parse;
pub mod query;
pub mod registry;
pub mod rules;
pub mod source;
pub mod telemetry;
pub mod yaml;

pub use collector::collector_startup_error;
pub use diagnostic::{Diagnostic, Fix, Label, Location, Severity, TextEdit};
pub use model::Workspace;
pub use source::{FileId, Position, SourceFile, Span};

use context::Context;
use registry::Group;

/// Parses every file into the model. The diagnostics are the YAML-level
/// ones (`YAML0xx`): syntax errors, limits and mistyped fields.
pub fn parse_workspace(files: &[SourceFile]) -> (Workspace, Vec<Diagnostic>) {
    let ws = parse::build_workspace(files);
    let diagnostics = run(&ws, files, |group| group == Group::Yaml);
    (ws, diagnostics)
}

/// Parses and checks every file with every rule; sorted by file, position, code.
pub fn lint(files: &[SourceFile]) -> Vec<Diagnostic> {
    let ws = parse::build_workspace(files);
    run(&ws, files, |_| true)
}

/// Checks an already parsed workspace (the app re-uses its model).
pub fn lint_workspace(ws: &Workspace, files: &[SourceFile]) -> Vec<Diagnostic> {
    run(ws, files, |_| true)
}

fn run(ws: &Workspace, files: &[SourceFile], select: impl Fn(Group) -> bool) -> Vec<Diagnostic> {
    let rules: Vec<_> = registry::rules()
        .iter()
        .filter(|r| select(r.meta.group))
        .collect();
    // Collector startup findings, telemetry and the parsed queries are
    // computed once per run, and only when a rule that reads them runs.
    let mut ctx = if rules.iter().all(|r| r.meta.group == Group::Yaml) {
        Context::without_facts(ws, files)
    } else {
        Context::new(ws, files)
    };
    for rule in rules {
        ctx.set_rule(&rule.meta);
        (rule.check)(&mut ctx);
    }
    let mut diagnostics = ctx.into_diagnostics();
    diagnostic::sort_diagnostics(&mut diagnostics);
    diagnostics
}
