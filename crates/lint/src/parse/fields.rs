//! Typed field readers over YAML nodes. A field of the wrong shape becomes a
//! [`ParseIssue`] (reported by YAML003) and reads as absent, so one bad value
//! never hides the rest of the object.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::duration::parse_go_duration;
use crate::model::{EmbeddedText, IntOrString, ParseIssue, ParseIssueKind, Spanned};
use crate::yaml::{scalar_offsets, Node, NodeKind};

pub(crate) struct Reader<'a> {
    /// The outer file's text.
    pub text: &'a str,
    pub issues: &'a mut Vec<ParseIssue>,
}

impl Reader<'_> {
    pub fn issue(&mut self, node: &Node, message: String) {
        self.issues.push(ParseIssue {
            kind: ParseIssueKind::FieldType,
            message,
            span: node.span,
        });
    }

    fn expected(&mut self, node: &Node, field: &str, what: &str) {
        self.issue(
            node,
            format!("`{field}` must be {what}, found a {}", node.kind_name()),
        );
    }

    /// A scalar as a string; null reads as absent.
    pub fn string(&mut self, node: Option<&Node>, field: &str) -> Option<Spanned<String>> {
        let node = node.filter(|n| !n.is_null())?;
        match node.as_scalar() {
            Some(s) => Some(Spanned::new(s.to_string(), node.span)),
            None => {
                self.expected(node, field, "a string");
                None
            }
        }
    }

    pub fn int(&mut self, node: Option<&Node>, field: &str) -> Option<Spanned<i64>> {
        let node = node.filter(|n| !n.is_null())?;
        match node.as_scalar().and_then(|s| s.trim().parse().ok()) {
            Some(v) => Some(Spanned::new(v, node.span)),
            None => {
                let found = node
                    .as_scalar()
                    .map_or_else(|| format!("a {}", node.kind_name()), |s| format!("`{s}`"));
                self.issue(node, format!("`{field}` must be an integer, found {found}"));
                None
            }
        }
    }

    pub fn port(&mut self, node: Option<&Node>, field: &str) -> Option<Spanned<u32>> {
        let value = self.int(node, field)?;
        if (1..=65535).contains(&value.value) {
            Some(Spanned::new(value.value as u32, value.span))
        } else {
            let node = node?;
            self.issue(
                node,
                format!(
                    "`{field}` must be a port between 1 and 65535, found `{}`",
                    value.value
                ),
            );
            None
        }
    }

    pub fn int_or_string(
        &mut self,
        node: Option<&Node>,
        field: &str,
    ) -> Option<Spanned<IntOrString>> {
        let node = node.filter(|n| !n.is_null())?;
        let Some(s) = node.as_scalar() else {
            self.expected(node, field, "an integer or a string");
            return None;
        };
        let value = match s.trim().parse() {
            Ok(i) if node.style() == Some(crate::yaml::ScalarStyle::Plain) => IntOrString::Int(i),
            _ => IntOrString::String(s.to_string()),
        };
        Some(Spanned::new(value, node.span))
    }

    pub fn bool(&mut self, node: Option<&Node>, field: &str) -> Option<bool> {
        let node = node.filter(|n| !n.is_null())?;
        match node.as_scalar() {
            Some("true" | "True" | "TRUE") => Some(true),
            Some("false" | "False" | "FALSE") => Some(false),
            _ => {
                self.expected(node, field, "a boolean");
                None
            }
        }
    }

    /// A Go duration string; `None` when absent, templated (`{{args.x}}`) or
    /// invalid (ARGO501 reports invalid ones with Argo's wording).
    pub fn duration(&mut self, node: Option<&Node>, field: &str) -> Option<Spanned<Duration>> {
        let value = self.string(node, field)?;
        let parsed = parse_go_duration(&value.value).ok()?;
        Some(Spanned::new(parsed, value.span))
    }

    /// A string-to-string map such as labels or annotations.
    pub fn string_map(
        &mut self,
        node: Option<&Node>,
        field: &str,
    ) -> BTreeMap<String, Spanned<String>> {
        let mut out = BTreeMap::new();
        for entry in self.mapping(node, field) {
            let (Some(key), Some(value)) = (entry.key.as_scalar(), entry.value.as_scalar()) else {
                continue;
            };
            out.entry(key.to_string())
                .or_insert_with(|| Spanned::new(value.to_string(), entry.value.span));
        }
        out
    }

    /// Mapping entries; null is empty, other shapes are an issue.
    pub fn mapping<'n>(&mut self, node: Option<&'n Node>, field: &str) -> &'n [crate::yaml::Entry] {
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return &[];
        };
        match &node.kind {
            NodeKind::Mapping(entries) => entries,
            _ => {
                self.expected(node, field, "a mapping");
                &[]
            }
        }
    }

    /// Sequence items; null is empty, other shapes are an issue.
    pub fn sequence<'n>(&mut self, node: Option<&'n Node>, field: &str) -> &'n [Node] {
        let Some(node) = node.filter(|n| !n.is_null()) else {
            return &[];
        };
        match &node.kind {
            NodeKind::Sequence(items) => items,
            _ => {
                self.expected(node, field, "a sequence");
                &[]
            }
        }
    }

    /// A string scalar whose characters map back to the file.
    pub fn embedded(&mut self, node: Option<&Node>, field: &str) -> Option<EmbeddedText> {
        let node = node.filter(|n| !n.is_null())?;
        match node.as_scalar() {
            Some(text) => Some(EmbeddedText {
                text: text.to_string(),
                span: node.span,
                offsets: scalar_offsets(self.text, node),
            }),
            None => {
                self.expected(node, field, "a string");
                None
            }
        }
    }
}
