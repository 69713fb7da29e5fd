//! The rule registry: every rule's code, name, group, severity and doc, and
//! the check function that runs it.

use serde::Serialize;

use crate::context::Context;
use crate::diagnostic::Severity;

/// Rule groups, one per code prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Group {
    /// `YAML0xx`: syntax and structure of the manifests.
    Yaml,
    /// `OTEL1xx`: the collector refuses to start.
    CollectorStartup,
    /// `OTEL2xx`: the collector starts but apps cannot reach it.
    CollectorReachability,
    /// `OTEL3xx`: span metrics do not reach Prometheus.
    MetricsPath,
    /// `PROM4xx`: queries ask for series nothing produces.
    QueryProducer,
    /// `ARGO5xx`: AnalysisTemplate.
    AnalysisTemplate,
    /// `ARGO6xx`: Rollout.
    Rollout,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Yaml => "yaml",
            Group::CollectorStartup => "collector-startup",
            Group::CollectorReachability => "collector-reachability",
            Group::MetricsPath => "metrics-path",
            Group::QueryProducer => "query-producer",
            Group::AnalysisTemplate => "analysis-template",
            Group::Rollout => "rollout",
        }
    }
}

/// Static facts about a rule.
#[derive(Debug, Serialize)]
pub struct RuleMeta {
    pub code: &'static str,
    /// Names the bad pattern, kebab-case (`no-receivers`).
    pub name: &'static str,
    pub group: Group,
    pub severity: Severity,
    /// One line.
    pub summary: &'static str,
    /// Markdown: `## What it does`, `## Why is this bad?`, `## Example`, `Use instead:`.
    #[serde(skip)]
    raw_doc: &'static str,
}

impl RuleMeta {
    #[doc(hidden)]
    pub const fn new(
        code: &'static str,
        name: &'static str,
        group: Group,
        severity: Severity,
        summary: &'static str,
        raw_doc: &'static str,
    ) -> Self {
        Self {
            code,
            name,
            group,
            severity,
            summary,
            raw_doc,
        }
    }

    /// The rule's documentation as Markdown.
    pub fn doc(&self) -> String {
        self.raw_doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// A rule: its metadata and its check.
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&mut Context),
}

/// Declares a rule from its doc comment and metadata (ruff/oxc style).
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub $ident:ident {
            code: $code:literal,
            name: $name:literal,
            group: $group:ident,
            severity: $severity:ident,
            summary: $summary:literal,
            check: $check:path $(,)?
        }
    ) => {
        pub const $ident: $crate::registry::Rule = $crate::registry::Rule {
            meta: $crate::registry::RuleMeta::new(
                $code,
                $name,
                $crate::registry::Group::$group,
                $crate::diagnostic::Severity::$severity,
                $summary,
                concat!($($doc, "\n"),*),
            ),
            check: $check,
        };
    };
}
pub(crate) use declare_rule;

/// All rules, ordered by code.
pub fn rules() -> &'static [Rule] {
    crate::rules::ALL
}

pub fn rule_meta(code: &str) -> Option<&'static RuleMeta> {
    rules().iter().map(|r| &r.meta).find(|m| m.code == code)
}
