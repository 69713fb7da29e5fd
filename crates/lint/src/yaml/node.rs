//! The YAML node tree and its accessors.

use serde::Serialize;

use crate::source::Span;

/// How a scalar was written; block styles matter for mapping positions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    pub kind: NodeKind,
    /// Byte range in the outer file.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum NodeKind {
    Scalar { value: String, style: ScalarStyle },
    Sequence(Vec<Node>),
    Mapping(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Node {
    /// The scalar text, whatever the style (`null` stays the string `null`).
    pub fn as_scalar(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Scalar { value, .. } if !self.is_null() => Some(value),
            _ => None,
        }
    }

    pub fn style(&self) -> Option<ScalarStyle> {
        match &self.kind {
            NodeKind::Scalar { style, .. } => Some(*style),
            _ => None,
        }
    }

    /// Plain `~`, `null`, or nothing at all (`key:` with no value).
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, NodeKind::Scalar { value, style: ScalarStyle::Plain }
            if matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn as_mapping(&self) -> Option<&[Entry]> {
        match &self.kind {
            NodeKind::Mapping(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_sequence(&self) -> Option<&[Node]> {
        match &self.kind {
            NodeKind::Sequence(items) => Some(items),
            _ => None,
        }
    }

    /// The entry whose key is the scalar `key` (first one if duplicated).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_mapping()?
            .iter()
            .find(|e| e.key.as_scalar() == Some(key))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Follows a path of mapping keys.
    pub fn path(&self, keys: &[&str]) -> Option<&Node> {
        keys.iter().try_fold(self, |node, key| node.get(key))
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_scalar)
    }

    /// A short word for the node's shape, for messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            _ if self.is_null() => "null",
            NodeKind::Scalar { .. } => "scalar",
            NodeKind::Sequence(_) => "sequence",
            NodeKind::Mapping(_) => "mapping",
        }
    }

    /// Number of nodes in this subtree, for the alias-expansion budget.
    pub fn size(&self) -> usize {
        1 + match &self.kind {
            NodeKind::Scalar { .. } => 0,
            NodeKind::Sequence(items) => items.iter().map(Node::size).sum(),
            NodeKind::Mapping(entries) => {
                entries.iter().map(|e| e.key.size() + e.value.size()).sum()
            }
        }
    }
}
