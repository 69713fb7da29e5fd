//! `YAML0xx`: manifests that are not valid YAML, hit a parser limit, or have
//! fields of the wrong shape.

pub mod field_type_mismatch;
pub mod nesting_limit_exceeded;
pub mod yaml_syntax_error;

use crate::context::{Context, Report};
use crate::model::ParseIssueKind;

fn report_issues(ctx: &mut Context, kind: ParseIssueKind, help: &str) {
    let issues: Vec<_> = ctx
        .ws
        .issues
        .iter()
        .filter(|i| i.kind == kind)
        .cloned()
        .collect();
    for issue in issues {
        ctx.emit(Report::new(issue.span, issue.message).help(help));
    }
}
