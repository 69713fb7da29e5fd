//! A fast path for the YAML that manifests are written in.
//!
//! saphyr's event parser costs about 25 ns per byte, which was most of a
//! lint pass. Manifests use a small part of YAML: block mappings and
//! sequences, single-line scalars, `|` and `>` blocks, one-line flow
//! collections, comments and `---`. This module parses exactly that part,
//! straight into [`Node`]s with the same values and spans as the event path.
//!
//! Anything outside the subset (anchors, tags, tabs, multi-line plain or
//! quoted scalars, escapes, explicit keys, directives, and every syntax
//! error) returns [`Unsupported`], and [`super::load_documents`] parses the
//! text again with saphyr. So the subset never has to explain an error: a
//! wrong guess can only cost time, and `tests/yaml_fast_path.rs` checks,
//! input by input, that an accepted text gives saphyr's exact tree.

use super::node::{Entry, Node, NodeKind, ScalarStyle};
use super::offsets::OffsetMap;
use crate::source::{FileId, Span};

/// The text leaves the subset; parse it with saphyr instead.
#[derive(Debug)]
pub(super) struct Unsupported;

type Parsed<T> = Result<T, Unsupported>;

/// Longest implicit key YAML allows.
const MAX_KEY_LEN: usize = 1024;

/// Parses every document of `text`, or `None` when the text leaves the subset.
pub(super) fn parse_documents(
    text: &str,
    file: FileId,
    embedded: Option<&OffsetMap>,
    max_depth: usize,
) -> Option<Vec<Node>> {
    // A fold without early exit, so the compiler can vectorise it.
    let ascii_subset = text.bytes().fold(true, |ok, b| {
        ok & (b == b'\n' || b.wrapping_sub(b' ') < 0x5f)
    });
    if !ascii_subset && !text.chars().all(in_subset) {
        return None;
    }
    let mut parser = FastParser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        file,
        embedded,
        max_depth,
    };
    parser.documents().ok()
}

/// Characters the subset accepts anywhere: no tabs, no carriage returns, no
/// controls, no byte-order mark and none of the characters YAML treats as
/// line breaks or refuses as unprintable.
fn in_subset(c: char) -> bool {
    match c {
        '\n' | ' '..='~' => true,
        '\u{0}'..='\u{9f}' => false,
        '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => false,
        _ => true,
    }
}

/// The first content line at or after a position.
#[derive(Clone, Copy, Debug)]
struct Line {
    /// Byte offset of the line's first character.
    start: usize,
    /// Leading spaces.
    indent: usize,
    /// `---` or `...` in column 0.
    marker: Option<Marker>,
}

impl Line {
    fn content(&self) -> usize {
        self.start + self.indent
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
    DocumentStart,
    DocumentEnd,
}

/// Where a block value sits: its column limit and, for mapping values,
/// whether a sequence may sit at the key's own column.
#[derive(Clone, Copy)]
struct Parent {
    /// Column of the enclosing collection, `-1` for a document root.
    column: isize,
    indentless_sequence: bool,
}

struct FastParser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    file: FileId,
    embedded: Option<&'a OffsetMap>,
    max_depth: usize,
}

impl FastParser<'_> {
    fn documents(&mut self) -> Parsed<Vec<Node>> {
        let mut documents = Vec::new();
        let mut next = self.next_content(0);
        while let Some(line) = next {
            let root = match line.marker {
                Some(Marker::DocumentEnd) => return Err(Unsupported),
                Some(Marker::DocumentStart) => {
                    self.pos = line.start + 3;
                    self.end_line()?;
                    match self.next_content(self.pos) {
                        Some(body) if body.marker.is_none() => self.root(body)?,
                        Some(body) if body.marker == Some(Marker::DocumentStart) => {
                            self.null(body.start, body.start + 3)
                        }
                        Some(_) => return Err(Unsupported),
                        None => self.null(self.bytes.len(), self.bytes.len()),
                    }
                }
                // A document without `---` can only open the stream.
                None if documents.is_empty() => self.root(line)?,
                None => return Err(Unsupported),
            };
            documents.push(root);
            next = self.next_content(self.pos);
            if matches!(next, Some(l) if l.marker.is_none()) {
                return Err(Unsupported);
            }
        }
        Ok(documents)
    }

    fn root(&mut self, line: Line) -> Parsed<Node> {
        let parent = Parent {
            column: -1,
            indentless_sequence: false,
        };
        self.block_node(line, parent, 0)
    }

    // ---- lines --------------------------------------------------------

    /// The first line at or after `from` (a line start) holding more than
    /// spaces and a comment.
    fn next_content(&self, mut from: usize) -> Option<Line> {
        let bytes = self.bytes;
        while from < bytes.len() {
            let mut i = from;
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            match bytes.get(i) {
                None => return None,
                Some(b'\n') => from = i + 1,
                Some(b'#') => from = self.line_end(i) + 1,
                Some(_) => {
                    return Some(Line {
                        start: from,
                        indent: i - from,
                        marker: (i == from).then(|| self.marker_at(from)).flatten(),
                    })
                }
            }
        }
        None
    }

    fn marker_at(&self, at: usize) -> Option<Marker> {
        let rest = &self.bytes[at..];
        let marker = if rest.starts_with(b"---") {
            Marker::DocumentStart
        } else if rest.starts_with(b"...") {
            Marker::DocumentEnd
        } else {
            return None;
        };
        matches!(rest.get(3), None | Some(b' ' | b'\n')).then_some(marker)
    }

    /// Offset of the `\n` ending the line that holds `at` (or the text's end).
    fn line_end(&self, at: usize) -> usize {
        self.bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| at + i)
    }

    fn line_start(&self, at: usize) -> usize {
        self.bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    }

    /// Consumes spaces, an optional comment and the line break after a token.
    fn end_line(&mut self) -> Parsed<()> {
        let start = self.pos;
        self.skip_spaces();
        match self.bytes.get(self.pos) {
            None => Ok(()),
            Some(b'\n') => {
                self.pos += 1;
                Ok(())
            }
            Some(b'#') if self.pos > start || self.at_line_start(start) => {
                self.pos = (self.line_end(self.pos) + 1).min(self.bytes.len());
                Ok(())
            }
            Some(_) => Err(Unsupported),
        }
    }

    /// Where saphyr ends a quoted scalar or a closing bracket that ends at
    /// `at`: past the spaces and the comment that follow it on its line.
    fn token_end(&self, at: usize) -> usize {
        let spaces = self.bytes[at..].iter().take_while(|&&b| b == b' ').count();
        let after = at + spaces;
        if spaces > 0 && self.bytes.get(after) == Some(&b'#') {
            self.line_end(after)
        } else {
            after
        }
    }

    fn at_line_start(&self, at: usize) -> bool {
        at == 0 || self.bytes[at - 1] == b'\n'
    }

    fn skip_spaces(&mut self) {
        while self.bytes.get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    /// After a complete value, nothing may continue it on a deeper line.
    fn expect_no_continuation(&self, column: isize) -> Parsed<()> {
        match self.next_content(self.pos) {
            Some(line) if line.marker.is_none() && line.indent as isize > column => {
                Err(Unsupported)
            }
            _ => Ok(()),
        }
    }

    fn is_dash_entry(&self, at: usize) -> bool {
        self.bytes.get(at) == Some(&b'-')
            && matches!(self.bytes.get(at + 1), None | Some(b' ' | b'\n'))
    }

    // ---- block structure ----------------------------------------------

    /// A node whose first token starts `line`.
    fn block_node(&mut self, line: Line, parent: Parent, depth: usize) -> Parsed<Node> {
        let at = line.content();
        let column = line.indent;
        if self.is_dash_entry(at) {
            self.pos = at;
            return self.block_sequence(column, at, depth);
        }
        if let Some(first) = self.key_at(at)? {
            self.pos = at;
            return self.block_mapping(column, first, depth);
        }
        if matches!(self.bytes[at], b'|' | b'>') {
            return Err(Unsupported);
        }
        self.pos = at;
        let node = self.inline_node(depth)?;
        self.end_line()?;
        self.expect_no_continuation(parent.column)?;
        Ok(node)
    }

    /// A block mapping in `column` whose first key, already read, is at
    /// `self.pos`.
    fn block_mapping(&mut self, column: usize, first: (Node, usize), depth: usize) -> Parsed<Node> {
        if depth >= self.max_depth {
            return Err(Unsupported);
        }
        let start = self.pos;
        let mut entries = Vec::with_capacity(4);
        let mut next_key = Some(first);
        loop {
            let (key, colon) = match next_key.take() {
                Some(first) => first,
                None => self.key_at(self.pos)?.ok_or(Unsupported)?,
            };
            self.pos = colon + 1;
            let value = self.mapping_value(column, colon, depth + 1)?;
            entries.push(Entry { key, value });
            match self.next_content(self.pos) {
                Some(line) if line.marker.is_none() && line.indent == column => {
                    self.pos = line.content();
                }
                Some(line) if line.marker.is_none() && line.indent > column => {
                    return Err(Unsupported)
                }
                _ => break,
            }
        }
        let end = entries
            .last()
            .map(|e: &Entry| e.value.span.end.max(e.key.span.end));
        Ok(self.collection(NodeKind::Mapping(entries), start, end))
    }

    /// The value after `key:`; `self.pos` is just after the colon.
    fn mapping_value(&mut self, column: usize, colon: usize, depth: usize) -> Parsed<Node> {
        let parent = Parent {
            column: column as isize,
            indentless_sequence: true,
        };
        self.skip_spaces();
        if self.rest_is_blank() {
            return self.value_below(parent, colon, depth);
        }
        let at = self.pos;
        if matches!(self.bytes[at], b'|' | b'>') {
            return self.block_scalar(parent.column);
        }
        // `key: - x` is an error; `a: b: c` is caught by `inline_node`.
        if self.is_dash_entry(at) {
            return Err(Unsupported);
        }
        let node = self.inline_node(depth)?;
        self.end_line()?;
        self.expect_no_continuation(parent.column)?;
        Ok(node)
    }

    /// Whether only spaces and a comment remain on the line (`self.pos`
    /// already past the spaces).
    fn rest_is_blank(&self) -> bool {
        match self.bytes.get(self.pos) {
            None | Some(b'\n') => true,
            Some(b'#') => self.bytes[self.pos - 1] == b' ',
            _ => false,
        }
    }

    /// A value that is not on its indicator's line: a deeper node, a
    /// sequence at the key's column, or null (spanned at `null_at`).
    fn value_below(&mut self, parent: Parent, null_at: usize, depth: usize) -> Parsed<Node> {
        self.end_line()?;
        match self.next_content(self.pos) {
            Some(line) if line.marker.is_none() && line.indent as isize > parent.column => {
                self.block_node(line, parent, depth)
            }
            Some(line)
                if parent.indentless_sequence
                    && line.marker.is_none()
                    && line.indent as isize == parent.column
                    && self.is_dash_entry(line.content()) =>
            {
                self.pos = line.content();
                // saphyr opens such a sequence at its first item's content.
                let first = self.pos + 1;
                let content = first
                    + self.bytes[first..]
                        .iter()
                        .take_while(|&&b| b == b' ')
                        .count();
                if matches!(self.bytes.get(content), None | Some(b'\n' | b'#')) {
                    return Err(Unsupported);
                }
                self.block_sequence(line.indent, content, depth)
            }
            _ => Ok(self.null(null_at, null_at)),
        }
    }

    /// A block sequence whose first `-` is at `self.pos`, in `column`;
    /// the node's span starts at `start`.
    fn block_sequence(&mut self, column: usize, start: usize, depth: usize) -> Parsed<Node> {
        if depth >= self.max_depth {
            return Err(Unsupported);
        }
        let mut items = Vec::with_capacity(4);
        loop {
            self.pos += 1;
            items.push(self.sequence_item(column, depth + 1)?);
            match self.next_content(self.pos) {
                Some(line)
                    if line.marker.is_none()
                        && line.indent == column
                        && self.is_dash_entry(line.content()) =>
                {
                    self.pos = line.content();
                }
                Some(line) if line.marker.is_none() && line.indent > column => {
                    return Err(Unsupported)
                }
                _ => break,
            }
        }
        let end = items.last().map(|n: &Node| n.span.end);
        Ok(self.collection(NodeKind::Sequence(items), start, end))
    }

    /// The node after `-`; `self.pos` is just after the dash.
    fn sequence_item(&mut self, column: usize, depth: usize) -> Parsed<Node> {
        let parent = Parent {
            column: column as isize,
            indentless_sequence: false,
        };
        self.skip_spaces();
        if self.rest_is_blank() {
            // saphyr puts an absent item where the line's content would be.
            return self.value_below(parent, self.pos, depth);
        }
        let at = self.pos;
        let inner_column = at - self.line_start(at);
        if self.is_dash_entry(at) {
            return self.block_sequence(inner_column, at, depth);
        }
        if matches!(self.bytes[at], b'|' | b'>') {
            return self.block_scalar(parent.column);
        }
        if let Some(first) = self.key_at(at)? {
            return self.block_mapping(inner_column, first, depth);
        }
        let node = self.inline_node(depth)?;
        self.end_line()?;
        self.expect_no_continuation(parent.column)?;
        Ok(node)
    }

    /// The key at `at` and the offset of its `:`, when `at` starts a
    /// `key: ` on this line. Keys are single-line plain or quoted scalars.
    fn key_at(&self, at: usize) -> Parsed<Option<(Node, usize)>> {
        let (node, after) = match self.bytes.get(at) {
            Some(b'"' | b'\'') => {
                let Ok((node, after)) = self.quoted(at) else {
                    return Ok(None);
                };
                let colon = after
                    + self.bytes[after..]
                        .iter()
                        .take_while(|&&b| b == b' ')
                        .count();
                (node, colon)
            }
            Some(_) if self.plain_starts(at, false) => {
                let (end, stop) = self.plain_extent(at, false);
                if stop != Stop::Colon {
                    return Ok(None);
                }
                let node = self.scalar(at, end, &self.text[at..end], ScalarStyle::Plain);
                let colon = end + self.bytes[end..].iter().take_while(|&&b| b == b' ').count();
                (node, colon)
            }
            _ => return Ok(None),
        };
        let is_key = self.bytes.get(after) == Some(&b':')
            && matches!(self.bytes.get(after + 1), None | Some(b' ' | b'\n'));
        if !is_key {
            return Ok(None);
        }
        if after - at > MAX_KEY_LEN {
            return Err(Unsupported);
        }
        Ok(Some((node, after)))
    }

    // ---- scalars and flow collections -----------------------------------

    /// A scalar or flow collection at `self.pos`, ending on this line.
    fn inline_node(&mut self, depth: usize) -> Parsed<Node> {
        let at = self.pos;
        match self.bytes[at] {
            b'[' | b'{' => self.flow_collection(depth),
            b'"' | b'\'' => {
                let (node, after) = self.quoted(at)?;
                self.pos = after;
                Ok(node)
            }
            _ if self.plain_starts(at, false) => {
                let (end, stop) = self.plain_extent(at, false);
                if stop == Stop::Colon {
                    return Err(Unsupported);
                }
                self.pos = end;
                Ok(self.scalar(at, end, &self.text[at..end], ScalarStyle::Plain))
            }
            _ => Err(Unsupported),
        }
    }

    /// Whether a plain scalar may start at `at` (YAML's indicator rules).
    fn plain_starts(&self, at: usize, flow: bool) -> bool {
        let Some(&first) = self.bytes.get(at) else {
            return false;
        };
        // saphyr refuses a plain `---` or `...` even away from column 0.
        if self.marker_at(at).is_some() {
            return false;
        }
        match first {
            b'-' | b'?' | b':' => match self.bytes.get(at + 1) {
                None | Some(b' ' | b'\n') => false,
                Some(b',' | b'[' | b']' | b'{' | b'}') => !flow,
                Some(_) => true,
            },
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' => false,
            _ => true,
        }
    }

    /// End (trailing spaces excluded) of the plain scalar at `at`, and
    /// what stopped it.
    fn plain_extent(&self, at: usize, flow: bool) -> (usize, Stop) {
        let bytes = self.bytes;
        let mut i = at;
        let stop = loop {
            match bytes.get(i) {
                None | Some(b'\n') => break Stop::Line,
                Some(b'#') if bytes[i - 1] == b' ' => break Stop::Line,
                // saphyr checks each word of a flow scalar like a scalar start.
                Some(b'-' | b'?' | b':') if flow && i > at && bytes[i - 1] == b' ' => {
                    break Stop::Refused
                }
                Some(b':') => match bytes.get(i + 1) {
                    None | Some(b' ' | b'\n') => break Stop::Colon,
                    Some(b',' | b'[' | b']' | b'{' | b'}') if flow => break Stop::Colon,
                    _ => {}
                },
                Some(b',' | b'[' | b']' | b'{' | b'}') if flow => break Stop::Flow,
                _ => {}
            }
            i += 1;
        };
        while i > at && bytes[i - 1] == b' ' {
            i -= 1;
        }
        (i, stop)
    }

    /// A single-line quoted scalar at `at`, and the offset after its
    /// closing quote. Escapes and line breaks leave the subset.
    fn quoted(&self, at: usize) -> Parsed<(Node, usize)> {
        let quote = self.bytes[at];
        let mut value = String::new();
        let mut run = at + 1;
        let mut i = at + 1;
        loop {
            match self.bytes.get(i) {
                None | Some(b'\n') => return Err(Unsupported),
                Some(b'\\') if quote == b'"' => return Err(Unsupported),
                Some(&b) if b == quote => {
                    if quote == b'\'' && self.bytes.get(i + 1) == Some(&b'\'') {
                        value.push_str(&self.text[run..=i]);
                        i += 2;
                        run = i;
                        continue;
                    }
                    value.push_str(&self.text[run..i]);
                    let style = if quote == b'"' {
                        ScalarStyle::DoubleQuoted
                    } else {
                        ScalarStyle::SingleQuoted
                    };
                    let node = Node {
                        kind: NodeKind::Scalar { value, style },
                        span: self.span(at, self.token_end(i + 1)),
                    };
                    return Ok((node, i + 1));
                }
                _ => i += 1,
            }
        }
    }

    /// `[...]` or `{...}` on one line, scalars and nested flow collections only.
    fn flow_collection(&mut self, depth: usize) -> Parsed<Node> {
        if depth >= self.max_depth {
            return Err(Unsupported);
        }
        let start = self.pos;
        let mapping = self.bytes[start] == b'{';
        let close = if mapping { b'}' } else { b']' };
        self.pos += 1;
        self.skip_spaces();
        if self.bytes.get(self.pos) == Some(&close) {
            self.pos += 1;
            let kind = if mapping {
                NodeKind::Mapping(Vec::new())
            } else {
                NodeKind::Sequence(Vec::new())
            };
            let end = self.span_end(self.token_end(self.pos));
            return Ok(self.collection(kind, start, None).with_end(end));
        }
        let mut items = Vec::new();
        let mut entries = Vec::new();
        loop {
            if mapping {
                let key = self.flow_item(depth + 1)?;
                if key.style().is_none() {
                    return Err(Unsupported);
                }
                self.skip_spaces();
                if self.bytes.get(self.pos) != Some(&b':') {
                    return Err(Unsupported);
                }
                self.pos += 1;
                self.skip_spaces();
                if matches!(self.bytes.get(self.pos), Some(b',' | b'}')) {
                    return Err(Unsupported);
                }
                let value = self.flow_item(depth + 1)?;
                entries.push(Entry { key, value });
            } else {
                items.push(self.flow_item(depth + 1)?);
            }
            self.skip_spaces();
            match self.bytes.get(self.pos) {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_spaces();
                    if matches!(self.bytes.get(self.pos), Some(b']' | b'}')) {
                        return Err(Unsupported);
                    }
                }
                Some(&b) if b == close => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(Unsupported),
            }
        }
        let (kind, end) = if mapping {
            let end = entries.last().map(|e| e.value.span.end.max(e.key.span.end));
            (NodeKind::Mapping(entries), end)
        } else {
            let end = items.last().map(|n| n.span.end);
            (NodeKind::Sequence(items), end)
        };
        Ok(self.collection(kind, start, end))
    }

    fn flow_item(&mut self, depth: usize) -> Parsed<Node> {
        let at = self.pos;
        match self.bytes.get(at) {
            Some(b'[' | b'{') => self.flow_collection(depth),
            Some(b'"' | b'\'') => {
                let (node, after) = self.quoted(at)?;
                self.pos = after;
                Ok(node)
            }
            Some(_) if self.plain_starts(at, true) => {
                let (end, stop) = self.plain_extent(at, true);
                // A flow collection left open at the end of its line.
                if matches!(stop, Stop::Line | Stop::Refused) {
                    return Err(Unsupported);
                }
                self.pos = end;
                Ok(self.scalar(at, end, &self.text[at..end], ScalarStyle::Plain))
            }
            _ => Err(Unsupported),
        }
    }

    /// A `|` or `>` block scalar at `self.pos`, whose content must be
    /// deeper than `parent_column`.
    fn block_scalar(&mut self, parent_column: isize) -> Parsed<Node> {
        let literal = self.bytes[self.pos] == b'|';
        self.pos += 1;
        let chomping = match self.bytes.get(self.pos) {
            Some(b'-') => Chomping::Strip,
            Some(b'+') => Chomping::Keep,
            _ => Chomping::Clip,
        };
        if chomping != Chomping::Clip {
            self.pos += 1;
        }
        if matches!(self.bytes.get(self.pos), Some(b'0'..=b'9' | b'-' | b'+')) {
            return Err(Unsupported);
        }
        if !matches!(self.bytes.get(self.pos), None | Some(b' ' | b'\n')) {
            return Err(Unsupported);
        }
        self.end_line()?;
        // The block's indentation is its first text line's. Blank lines
        // before it only add line breaks; an empty block leaves the subset.
        let mut first_line = self.pos;
        let mut leading_blank = Vec::new();
        let indent = loop {
            let spaces = self.bytes[first_line..]
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
            match self.bytes.get(first_line + spaces) {
                None => return Err(Unsupported),
                Some(b'\n') => {
                    leading_blank.push(spaces);
                    first_line += spaces + 1;
                }
                Some(_) => break spaces,
            }
        };
        if indent as isize <= parent_column || leading_blank.iter().any(|&s| s > indent) {
            return Err(Unsupported);
        }
        let start = first_line + indent;
        let mut lines: Vec<(usize, usize)> = Vec::new();
        let mut at = first_line;
        let mut end = self.bytes.len();
        while at < self.bytes.len() {
            let line_end = self.line_end(at);
            let spaces = self.bytes[at..line_end]
                .iter()
                .take_while(|&&b| b == b' ')
                .count();
            let blank = at + spaces == line_end;
            if !blank && spaces < indent {
                // saphyr ends the block after the next line's indentation.
                end = at + spaces;
                break;
            }
            lines.push((at + indent.min(spaces), line_end));
            at = line_end + 1;
        }
        // A blank last line with no line break: saphyr counts a break that
        // is not there.
        if let Some(&(s, e)) = lines.last() {
            if e == self.bytes.len() && self.text[s..e].trim_start_matches(' ').is_empty() {
                return Err(Unsupported);
            }
        }
        self.pos = at.min(self.bytes.len());
        let mut value = "\n".repeat(leading_blank.len());
        value.push_str(&self.block_value(&lines, literal, chomping, at >= self.bytes.len())?);
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        Ok(Node {
            kind: NodeKind::Scalar { value, style },
            span: self.span(start, end),
        })
    }

    /// Joins a block scalar's lines (each without its indentation).
    fn block_value(
        &self,
        lines: &[(usize, usize)],
        literal: bool,
        chomping: Chomping,
        at_eof: bool,
    ) -> Parsed<String> {
        let content = |&(s, e): &(usize, usize)| &self.text[s..e.max(s)];
        let last_text = lines
            .iter()
            .rposition(|l| !content(l).is_empty())
            .ok_or(Unsupported)?;
        let mut value = String::new();
        let mut blank_run = 0;
        for (i, line) in lines[..=last_text].iter().enumerate() {
            let text = content(line);
            // Folding keeps the breaks around more-indented lines; not worth it here.
            if !literal && text.starts_with(' ') {
                return Err(Unsupported);
            }
            if text.is_empty() {
                blank_run += 1;
                continue;
            }
            if i > 0 {
                if literal {
                    value.extend(std::iter::repeat_n('\n', blank_run + 1));
                } else if blank_run == 0 {
                    value.push(' ');
                } else {
                    value.extend(std::iter::repeat_n('\n', blank_run));
                }
            }
            blank_run = 0;
            value.push_str(text);
        }
        // The last text line's break is missing when the text ends there.
        let last_has_break = lines[last_text].1 < self.bytes.len();
        let trailing = lines.len() - 1 - last_text;
        match chomping {
            Chomping::Strip => {}
            // saphyr adds the final break even when the text ends without one.
            Chomping::Clip => value.push('\n'),
            Chomping::Keep => {
                if !last_has_break || (at_eof && trailing > 0) {
                    return Err(Unsupported);
                }
                value.extend(std::iter::repeat_n('\n', trailing + 1));
            }
        }
        Ok(value)
    }

    // ---- nodes ----------------------------------------------------------

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, self.span_end(start), self.span_end(end))
    }

    /// An offset of `text` in the outer file.
    fn span_end(&self, at: usize) -> usize {
        match self.embedded {
            Some(map) => map.to_outer(at),
            None => at,
        }
    }

    fn scalar(&self, start: usize, end: usize, value: &str, style: ScalarStyle) -> Node {
        Node {
            kind: NodeKind::Scalar {
                value: value.to_string(),
                style,
            },
            span: self.span(start, end),
        }
    }

    /// The null of an absent value; saphyr spells it `~`.
    fn null(&self, start: usize, end: usize) -> Node {
        self.scalar(start, end, "~", ScalarStyle::Plain)
    }

    /// A collection node spanning from `start` to its last child's end, as
    /// the event loader computes it.
    fn collection(&self, kind: NodeKind, start: usize, last_end: Option<usize>) -> Node {
        let start = self.span_end(start);
        let end = last_end.unwrap_or(start).max(start);
        Node {
            kind,
            span: Span::new(self.file, start, end),
        }
    }
}

impl Node {
    fn with_end(mut self, end: usize) -> Node {
        self.span.end = end.max(self.span.start);
        self
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// End of line or a comment.
    Line,
    /// `: ` — the scalar was a key.
    Colon,
    /// A flow indicator.
    Flow,
    /// Something saphyr may refuse; not worth telling apart.
    Refused,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chomping {
    Strip,
    Clip,
    Keep,
}
