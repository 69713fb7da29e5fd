//! Mapping byte offsets inside a scalar's VALUE back to the outer file.
//!
//! Block scalars (`|`, `>`) are mapped exactly, line by line, by removing the
//! block's indentation. Plain and quoted scalars are aligned character by
//! character with a short look-ahead, which is exact for the usual
//! single-line values and close for escapes and folded lines.

use serde::Serialize;

use super::node::{Node, NodeKind, ScalarStyle};

/// A run of `len` bytes that sits at `inner` in the value and at `outer` in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
struct Segment {
    inner: usize,
    outer: usize,
    len: usize,
}

/// Piecewise-linear map from value byte offsets to outer-file byte offsets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OffsetMap {
    segments: Vec<Segment>,
    /// Outer offset of the end of the value.
    end: usize,
}

impl OffsetMap {
    /// A value that is a verbatim slice of the outer file starting at `outer`.
    pub fn contiguous(outer: usize, len: usize) -> Self {
        Self {
            segments: vec![Segment {
                inner: 0,
                outer,
                len,
            }],
            end: outer + len,
        }
    }

    /// The outer byte offset of value byte `inner` (clamped to the value's end).
    pub fn to_outer(&self, inner: usize) -> usize {
        let i = self.segments.partition_point(|s| s.inner <= inner);
        if i == 0 {
            return self.segments.first().map_or(self.end, |s| s.outer);
        }
        let seg = self.segments[i - 1];
        if inner < seg.inner + seg.len {
            seg.outer + (inner - seg.inner)
        } else if let Some(next) = self.segments.get(i) {
            // Between segments (e.g. a folded line break): snap to the next run.
            next.outer.min(seg.outer + seg.len)
        } else {
            (seg.outer + seg.len).min(self.end).max(seg.outer)
        }
    }
}

impl OffsetMap {
    /// The value byte offset of outer byte `outer`: the inverse of
    /// [`OffsetMap::to_outer`], snapping a position between runs (a block's
    /// indentation) to the start of the next run.
    pub fn to_inner(&self, outer: usize) -> usize {
        let i = self.segments.partition_point(|s| s.outer <= outer);
        if i == 0 {
            return 0;
        }
        let seg = self.segments[i - 1];
        if outer < seg.outer + seg.len {
            seg.inner + (outer - seg.outer)
        } else {
            self.segments
                .get(i)
                .map_or(seg.inner + seg.len, |next| next.inner)
        }
    }
}

/// Builds the map for a scalar node of `outer_text`.
pub fn scalar_offsets(outer_text: &str, node: &Node) -> OffsetMap {
    let NodeKind::Scalar { value, style } = &node.kind else {
        return OffsetMap::contiguous(node.span.start, 0);
    };
    let exact = match style {
        ScalarStyle::Literal | ScalarStyle::Folded => {
            block_offsets(outer_text, node.span.start, value)
        }
        _ => None,
    };
    exact.unwrap_or_else(|| aligned_offsets(outer_text, node.span.start, node.span.end, value))
}

/// Exact map for a block scalar. saphyr starts the span at the first
/// content character (whose column is the block's indentation); a span that
/// starts at the `|`/`>` header is handled too.
fn block_offsets(text: &str, start: usize, value: &str) -> Option<OffsetMap> {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let at_content = text[line_start..start].bytes().all(|b| b == b' ')
        && !text[start..].starts_with(['|', '>']);
    let first_line = if at_content {
        line_start
    } else {
        text[start..].find('\n').map(|i| start + i + 1)?
    };
    // Lines are produced lazily: the block ends long before the file does.
    let lines = std::iter::successors(Some(first_line), |&pos| {
        text[pos..].find('\n').map(|i| pos + i + 1)
    })
    .take_while(|&pos| pos < text.len())
    .map(|pos| (pos, text[pos..].find('\n').map_or(text.len(), |i| pos + i)));
    let indent_of =
        |(s, e): (usize, usize)| text[s..e].len() - text[s..e].trim_start_matches(' ').len();
    let indent = if at_content {
        start - line_start
    } else {
        let first = lines
            .clone()
            .find(|&(s, e)| !text[s..e].trim().is_empty())?;
        indent_of(first)
    };
    let header_line_end = first_line;
    let mut segments = Vec::new();
    let mut inner = 0;
    let mut last_end = header_line_end;
    for (s, e) in lines {
        let blank = text[s..e].trim().is_empty();
        if !blank && indent_of((s, e)) < indent {
            break;
        }
        if inner >= value.len() {
            break;
        }
        let content_start = (s + indent).min(e);
        // Content plus its line break; folding may turn the break into a space.
        let len = (e - content_start + 1).min(value.len() - inner);
        let outer_piece = &text[content_start..(content_start + len).min(text.len())];
        let inner_piece = value.get(inner..inner + len)?;
        let same = outer_piece
            .bytes()
            .zip(inner_piece.bytes())
            .all(|(a, b)| a == b || (a == b'\n' && b == b' '));
        if !same {
            return None;
        }
        segments.push(Segment {
            inner,
            outer: content_start,
            len,
        });
        inner += len;
        last_end = content_start + len;
    }
    (inner >= value.len() || inner > 0).then_some(OffsetMap {
        segments,
        end: last_end,
    })
}

/// Best-effort alignment for plain and quoted scalars.
fn aligned_offsets(text: &str, start: usize, end: usize, value: &str) -> OffsetMap {
    const LOOKAHEAD: usize = 6;
    let end = end.min(text.len()).max(start);
    let outer = &text[start..end];
    let mut segments: Vec<Segment> = Vec::new();
    let mut cursor = 0;
    for (inner, ch) in value.char_indices() {
        let found = outer[cursor..]
            .char_indices()
            .take(LOOKAHEAD)
            .find(|&(_, c)| c == ch)
            .map(|(i, _)| cursor + i);
        let at = found.unwrap_or(cursor.min(outer.len()));
        let len = ch.len_utf8();
        match segments.last_mut() {
            Some(seg) if seg.inner + seg.len == inner && seg.outer + seg.len == start + at => {
                seg.len += len
            }
            _ => segments.push(Segment {
                inner,
                outer: start + at,
                len,
            }),
        }
        if found.is_some() {
            cursor = at + len;
        } else if let Some(c) = outer[cursor.min(outer.len())..].chars().next() {
            cursor += c.len_utf8();
        }
    }
    OffsetMap {
        segments,
        end: start + cursor.min(outer.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{load_documents, Limits};

    fn value_node<'a>(docs: &'a [Node], key: &str) -> &'a Node {
        docs[0].get(key).unwrap()
    }

    #[test]
    fn literal_block_maps_each_line() {
        let text = "q: |\n  sum(rate(x{\n    a=\"b\"}[2m]))\nnext: 1\n";
        let (docs, _) = load_documents(text, FileId(0), None, Limits::default());
        let node = value_node(&docs, "q");
        let value = node.as_scalar().unwrap();
        let map = scalar_offsets(text, node);
        for (i, _) in value.char_indices().filter(|(_, c)| !c.is_whitespace()) {
            assert_eq!(
                &text[map.to_outer(i)..map.to_outer(i) + 1],
                &value[i..i + 1],
                "at {i}"
            );
        }
    }

    #[test]
    fn to_inner_inverts_to_outer_and_snaps_indentation_forward() {
        let text = "c: |\n  a: 1\n  b:\n    x: 2\nnext: 1\n";
        let (docs, _) = load_documents(text, FileId(0), None, Limits::default());
        let node = value_node(&docs, "c");
        let value = node.as_scalar().unwrap();
        let map = scalar_offsets(text, node);
        for i in 0..value.len() {
            assert_eq!(map.to_inner(map.to_outer(i)), i, "at {i}");
        }
        // The block's own indentation on line 2 belongs to no value byte.
        let b_line = text.find("  b:").unwrap();
        assert_eq!(&value[map.to_inner(b_line)..][..2], "b:");
        assert_eq!(map.to_inner(0), 0);
        assert_eq!(map.to_inner(text.len()), value.len());
    }

    #[test]
    fn quoted_scalar_skips_the_quote() {
        let text = "c: \"result[0] < 1\"\n";
        let (docs, _) = load_documents(text, FileId(0), None, Limits::default());
        let node = value_node(&docs, "c");
        let map = scalar_offsets(text, node);
        assert_eq!(map.to_outer(0), 4);
        assert_eq!(&text[map.to_outer(10)..map.to_outer(10) + 1], "<");
    }
}
