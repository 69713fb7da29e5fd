//! Events → [`Node`] trees, with explicit limits on depth and alias expansion.
//!
//! The loop is iterative (an explicit stack), so input depth can never reach
//! the Rust call stack; saphyr's scanner is iterative too and itself refuses
//! flow nesting beyond 255 levels.

use std::collections::BTreeMap;

use saphyr_parser::{Event, Parser, ScalarStyle as SaphyrStyle};

use super::node::{Entry, Node, NodeKind, ScalarStyle};
use super::offsets::OffsetMap;
use crate::source::{FileId, Span};

/// Bounds that turn hostile input into a diagnostic.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Maximum nesting of sequences and mappings.
    pub max_depth: usize,
    /// Maximum number of nodes created by expanding aliases, per text.
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 100,
            max_alias_nodes: 100_000,
        }
    }
}

/// A syntax or limit error; `span` is in the outer file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct YamlError {
    pub message: String,
    pub span: Span,
    /// True when a [`Limits`] bound was hit rather than a syntax rule.
    pub limit: bool,
}

/// Where parser positions (character indices into the parsed text) land in
/// the outer file.
struct PositionMap<'a> {
    file: FileId,
    /// `None` when the text is ASCII, so char index == byte index.
    char_to_byte: Option<Vec<usize>>,
    text_len: usize,
    embedded: Option<&'a OffsetMap>,
}

impl PositionMap<'_> {
    fn outer(&self, char_index: usize) -> usize {
        let byte = match &self.char_to_byte {
            None => char_index.min(self.text_len),
            Some(table) => table.get(char_index).copied().unwrap_or(self.text_len),
        };
        match self.embedded {
            Some(map) => map.to_outer(byte),
            None => byte,
        }
    }

    fn span(&self, span: saphyr_parser::Span) -> Span {
        Span::new(
            self.file,
            self.outer(span.start.index()),
            self.outer(span.end.index()),
        )
    }
}

enum Frame {
    Sequence {
        anchor: usize,
        start: usize,
        items: Vec<Node>,
    },
    Mapping {
        anchor: usize,
        start: usize,
        entries: Vec<Entry>,
        key: Option<Node>,
    },
}

/// Parses every document of `text`. `embedded` maps byte offsets of `text`
/// to the outer file when `text` is the value of a block scalar.
///
/// Documents completed before an error are returned; parsing stops at the
/// first error because the YAML scanner cannot resynchronise.
pub fn load_documents(
    text: &str,
    file: FileId,
    embedded: Option<&OffsetMap>,
    limits: Limits,
) -> (Vec<Node>, Option<YamlError>) {
    if let Some(documents) = super::fast::parse_documents(text, file, embedded, limits.max_depth) {
        return (documents, None);
    }
    load_with_saphyr(text, file, embedded, limits)
}

/// The general path: saphyr's events, for all of YAML and for every error.
pub fn load_with_saphyr(
    text: &str,
    file: FileId,
    embedded: Option<&OffsetMap>,
    limits: Limits,
) -> (Vec<Node>, Option<YamlError>) {
    let map = PositionMap {
        file,
        char_to_byte: (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        }),
        text_len: text.len(),
        embedded,
    };
    let mut loader = Loader {
        map: &map,
        limits,
        stack: Vec::new(),
        anchors: BTreeMap::new(),
        alias_nodes: 0,
        documents: Vec::new(),
        root: None,
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let result = match next {
            Ok((event, span)) => loader.event(event, span),
            Err(error) => {
                let at = map.outer(error.marker().index());
                Err(YamlError {
                    message: error.info().to_string(),
                    span: Span::new(file, at, at),
                    limit: false,
                })
            }
        };
        if let Err(error) = result {
            return (loader.documents, Some(error));
        }
    }
    (loader.documents, None)
}

struct Loader<'m, 'a> {
    map: &'m PositionMap<'a>,
    limits: Limits,
    stack: Vec<Frame>,
    anchors: BTreeMap<usize, (Node, usize)>,
    alias_nodes: usize,
    documents: Vec<Node>,
    root: Option<Node>,
}

impl Loader<'_, '_> {
    fn event(&mut self, event: Event<'_>, span: saphyr_parser::Span) -> Result<(), YamlError> {
        let span = self.map.span(span);
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd => {}
            Event::DocumentStart(_) => self.root = None,
            Event::DocumentEnd => {
                let root = self.root.take().unwrap_or(Node {
                    kind: NodeKind::Scalar {
                        value: String::new(),
                        style: ScalarStyle::Plain,
                    },
                    span: Span::new(span.file, span.start, span.start),
                });
                self.documents.push(root);
            }
            Event::Scalar(value, style, anchor, _tag) => {
                let node = Node {
                    kind: NodeKind::Scalar {
                        value: value.into_owned(),
                        style: convert_style(style),
                    },
                    span,
                };
                self.complete(node, anchor);
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id) else {
                    return Err(self.error("unknown anchor", span, false));
                };
                self.alias_nodes += size;
                if self.alias_nodes > self.limits.max_alias_nodes {
                    let message = format!(
                        "aliases expand to more than {} nodes; refusing to expand further (a YAML bomb?)",
                        self.limits.max_alias_nodes
                    );
                    return Err(self.error(&message, span, true));
                }
                let node = node.clone();
                self.complete(node, 0);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.stack.len() >= self.limits.max_depth {
                    let message = format!(
                        "nesting deeper than {} levels; refusing to parse further",
                        self.limits.max_depth
                    );
                    return Err(self.error(&message, span, true));
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::Sequence {
                        anchor,
                        start: span.start,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Mapping {
                        anchor,
                        start: span.start,
                        entries: Vec::new(),
                        key: None,
                    }
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else {
                    return Ok(());
                };
                let (kind, anchor, start, last_end) = match frame {
                    Frame::Sequence {
                        anchor,
                        start,
                        items,
                    } => {
                        let last = items.last().map(|n| n.span.end);
                        (NodeKind::Sequence(items), anchor, start, last)
                    }
                    Frame::Mapping {
                        anchor,
                        start,
                        entries,
                        ..
                    } => {
                        let last = entries.last().map(|e| e.value.span.end.max(e.key.span.end));
                        (NodeKind::Mapping(entries), anchor, start, last)
                    }
                };
                // A block collection's end event sits at the next token, so
                // prefer the last child's end to keep trailing lines out.
                let end = last_end.unwrap_or(span.end).max(start);
                let node = Node {
                    kind,
                    span: Span::new(span.file, start, end),
                };
                self.complete(node, anchor);
            }
        }
        Ok(())
    }

    fn complete(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            let size = node.size();
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Sequence { items, .. }) => items.push(node),
            Some(Frame::Mapping { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push(Entry {
                    key: k,
                    value: node,
                }),
            },
        }
    }

    fn error(&self, message: &str, span: Span, limit: bool) -> YamlError {
        YamlError {
            message: message.to_string(),
            span,
            limit,
        }
    }
}

fn convert_style(style: SaphyrStyle) -> ScalarStyle {
    match style {
        SaphyrStyle::Plain => ScalarStyle::Plain,
        SaphyrStyle::SingleQuoted => ScalarStyle::SingleQuoted,
        SaphyrStyle::DoubleQuoted => ScalarStyle::DoubleQuoted,
        SaphyrStyle::Literal => ScalarStyle::Literal,
        SaphyrStyle::Folded => ScalarStyle::Folded,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> (Vec<Node>, Option<YamlError>) {
        load_documents(text, FileId(0), None, Limits::default())
    }

    #[test]
    fn spans_are_bytes_in_the_text() {
        let text = "a: é\nb: [1, x]\n";
        let (docs, err) = load(text);
        assert!(err.is_none());
        let b = docs[0].get("b").unwrap();
        let x = &b.as_sequence().unwrap()[1];
        assert_eq!(&text[x.span.start..x.span.end], "x");
    }

    #[test]
    fn billion_laughs_is_refused() {
        let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let (_, err) = load(&text);
        let err = err.expect("bomb must be refused");
        assert!(err.limit);
        assert!(err.message.contains("aliases expand"));
    }

    #[test]
    fn deep_flow_nesting_is_refused() {
        let text = "[".repeat(100_000);
        let (_, err) = load(&text);
        assert!(err.is_some());
    }

    #[test]
    fn deep_block_nesting_is_refused() {
        let mut text = String::new();
        for i in 0..5_000 {
            text.push_str(&" ".repeat(i));
            text.push_str("k:\n");
        }
        let (_, err) = load(&text);
        assert!(err.expect("depth limit").limit);
    }
}
