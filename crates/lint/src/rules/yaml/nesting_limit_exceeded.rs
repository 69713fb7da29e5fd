//! YAML002

use crate::context::Context;
use crate::model::ParseIssueKind;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports YAML nested deeper than 100 levels, or whose aliases expand
    /// to more than 100,000 nodes.
    ///
    /// ## Why is this bad?
    /// No real manifest needs that. Such input is usually an accident or a
    /// "billion laughs" bomb, which makes parsers exhaust memory or stack.
    /// The linter stops reading the file at this point.
    ///
    /// ## Example
    /// ```yaml
    /// a: &a [x, x, x, x, x, x, x, x, x, x]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    /// # ... nine more levels
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// a: [x, x, x]
    /// ```
    pub RULE {
        code: "YAML002",
        name: "nesting-limit-exceeded",
        group: Yaml,
        severity: Error,
        summary: "YAML nesting or alias expansion exceeds the parser's limits",
        check: check,
    }
}

fn check(ctx: &mut Context) {
    super::report_issues(
        ctx,
        ParseIssueKind::Limit,
        "flatten the structure or expand the aliases by hand",
    );
}
