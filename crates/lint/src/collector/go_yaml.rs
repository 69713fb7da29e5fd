//! What the collector's YAML library says about a config text it cannot
//! decode.
//!
//! The collector (core v0.142) reads its config with `go.yaml.in/yaml/v3`,
//! a Go port of libyaml. When `yaml.Unmarshal` fails, confmap keeps the
//! text as a plain string, and resolving then fails with
//! `retrieved value (type=string) cannot be used as a Conf: assuming string
//! type since contents are not valid YAML: <yaml error>`. Two kinds of
//! failure reach a learner:
//!
//! - syntax errors, which our parser (saphyr) also finds but words and
//!   places differently: libyaml names the *enclosing* collection's line for
//!   parser errors, counts that line from 0, and leaves `line N: ` out when
//!   N would be 0. We classify saphyr's error and rebuild libyaml's text;
//! - duplicate mapping keys, which are valid YAML to saphyr but an
//!   `unmarshal errors` list to yaml.v3's decoder.
//!
//! `tests/go_yaml.rs` checks every case of `tests/go_yaml/` against the
//! text the real library printed (`cargo xtask yaml-oracle` reruns it).

use serde::Serialize;

use crate::source::{FileId, Span};
use crate::yaml::{Node, NodeKind, OffsetMap, YamlError};

/// The prefix confmap puts before the YAML library's own error.
pub const NOT_A_CONF: &str = "retrieved value (type=string) cannot be used as a Conf: assuming string type since contents are not valid YAML: ";

/// Why the collector's YAML decoder refuses a config text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoYamlError {
    /// yaml.v3's error text, e.g. `yaml: line 3: did not find expected key`.
    pub message: String,
    /// Where a learner should look: an unclosed bracket or quote where it
    /// opens, a duplicate key at its second occurrence, else the position
    /// where parsing stopped.
    pub span: Span,
    /// What is wrong, in our words.
    pub detail: String,
    /// How to fix it.
    pub help: &'static str,
    /// A second place that explains the first (where a repeated key was
    /// first defined).
    pub related: Option<(Span, String)>,
}

/// A config text as the collector reads it, and where it sits in its file.
pub struct ConfigText<'a> {
    pub text: &'a str,
    pub file: FileId,
    /// Maps text offsets into the file when the text is a ConfigMap value.
    pub offsets: Option<&'a OffsetMap>,
}

impl ConfigText<'_> {
    /// The text offset of a file offset, on a character boundary (the map
    /// of a quoted scalar is approximate).
    fn inner(&self, outer: usize) -> usize {
        let mut inner = self
            .offsets
            .map_or(outer, |m| m.to_inner(outer))
            .min(self.text.len());
        while !self.text.is_char_boundary(inner) {
            inner -= 1;
        }
        inner
    }

    /// The offset just after the character at `at`.
    fn after_char(&self, at: usize) -> usize {
        at + self.text[at..].chars().next().map_or(0, char::len_utf8)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let outer = |i: usize| self.offsets.map_or(i, |m| m.to_outer(i));
        Span::new(self.file, outer(start), outer(end))
    }

    /// 0-based line of a text offset, as libyaml's marks count.
    fn line0(&self, inner: usize) -> usize {
        self.text.as_bytes()[..inner.min(self.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
    }
}

/// libyaml reports a scanner error's line 1-based and a parser error's
/// 0-based, prefers the context mark (the construct being read) to the
/// problem mark, and prints no line when the chosen line is 0.
fn located(scanner: bool, context0: Option<usize>, problem0: usize, problem: &str) -> String {
    let line = match context0 {
        Some(c) if c != 0 => c,
        _ => problem0,
    };
    if line == 0 {
        format!("yaml: {problem}")
    } else {
        format!("yaml: line {}: {problem}", line + usize::from(scanner))
    }
}

/// Rebuilds yaml.v3's error for a text saphyr refused with `error`.
pub fn from_syntax_error(cfg: &ConfigText, error: &YamlError) -> GoYamlError {
    let at = cfg.inner(error.span.start);
    let problem0 = cfg.line0(at);
    // saphyr points at the opening quote of a quoted scalar it could not
    // finish, so the scan must include that character.
    let quote_here = matches!(cfg.text.as_bytes().get(at), Some(b'"' | b'\''));
    let scan = scan_until(cfg.text, at + usize::from(quote_here));
    let here = cfg.span(at, at);

    if let Some(quote) = scan.open_quote {
        if quote_end(cfg.text, quote).is_none() {
            return GoYamlError {
                message: located(
                    true,
                    Some(cfg.line0(quote)),
                    cfg.line0(cfg.text.len()),
                    "found unexpected end of stream",
                ),
                span: cfg.span(quote, quote + 1),
                detail: "this quoted value is never closed".into(),
                help: "close the quote on the same line, or remove it",
                related: None,
            };
        }
    }
    if let Some(&(open, bracket)) = scan.flows.last() {
        let (problem, help) = match bracket {
            b'[' => (
                "did not find expected ',' or ']'",
                "close the list with `]` (a flow list may span lines, but every item needs a `,` between)",
            ),
            _ => (
                "did not find expected ',' or '}'",
                "close the mapping with `}` (a flow mapping may span lines, but every entry needs a `,` between)",
            ),
        };
        return GoYamlError {
            message: located(false, Some(cfg.line0(open)), problem0, problem),
            span: cfg.span(open, open + 1),
            detail: format!("this `{}` is never closed", bracket as char),
            help,
            related: None,
        };
    }

    let message = error.message.as_str();
    let problem = message
        .strip_prefix("while ")
        .and_then(|m| m.split_once(", "))
        .map_or(message, |(_, p)| p);
    let line_start = cfg.text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = line_of(cfg.text, line_start);
    let indent = line.len() - line.trim_start_matches(' ').len();

    if message.contains("tab") {
        let tab = line.find('\t').map_or(at, |i| line_start + i);
        return GoYamlError {
            message: located(
                true,
                Some(problem0),
                problem0,
                "found character that cannot start any token",
            ),
            span: cfg.span(tab, cfg.after_char(tab)),
            detail: "a tab indents this line".into(),
            help: "indent with spaces only; YAML does not allow tabs in indentation",
            related: None,
        };
    }
    if problem == "mapping values are not allowed in this context" {
        return GoYamlError {
            message: located(true, None, problem0, problem),
            span: cfg.span(at, cfg.after_char(at)),
            detail: "a second `: ` on one line starts a mapping where only a value may be".into(),
            help: "put the nested key on its own, more indented line, or quote a value that contains `: `",
            related: None,
        };
    }
    if problem == "did not find expected key" || problem == "did not find expected '-' indicator" {
        let sequence = problem.ends_with("indicator");
        let context = enclosing_block(cfg.text, line_start, indent, sequence);
        let token = line_start + indent;
        let line_end = (line_start + line.trim_end().len()).max(token);
        return GoYamlError {
            message: located(false, context.map(|c| cfg.line0(c)), problem0, problem),
            span: cfg.span(token, line_end),
            detail: if sequence {
                "this line is at the indentation of a list but is not a `- ` item".into()
            } else {
                "this line's indentation matches no key above it".into()
            },
            help: "indent the line like its siblings: a nested key two spaces further than its parent, a sibling at the same column",
            related: None,
        };
    }
    if problem == "found unknown anchor" {
        let rest = &cfg.text[at..];
        let stars = rest.len() - rest.trim_start_matches('*').len();
        let name: String = rest[stars..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
            .collect();
        return GoYamlError {
            message: format!("yaml: unknown anchor '{name}' referenced"),
            span: cfg.span(at, at + stars + name.len()),
            detail: format!("`*{name}` refers to no anchor `&{name}` before it"),
            help: "define the anchor with `&name` on an earlier value, or write the value out",
            related: None,
        };
    }
    // Not one of the learner mistakes we model: saphyr's words at libyaml's
    // usual place.
    GoYamlError {
        message: located(true, None, problem0, problem),
        span: here,
        detail: message.to_string(),
        help: "fix the YAML syntax at this position",
        related: None,
    }
}

/// The text of the line that starts at `start`, without its break.
fn line_of(text: &str, start: usize) -> &str {
    let rest = &text[start..];
    &rest[..rest.find('\n').unwrap_or(rest.len())]
}

/// What is open at offset `end`: flow collections (offset and bracket) and
/// a quoted scalar, outside comments.
struct Scan {
    flows: Vec<(usize, u8)>,
    open_quote: Option<usize>,
}

fn scan_until(text: &str, end: usize) -> Scan {
    let bytes = text.as_bytes();
    let mut scan = Scan {
        flows: Vec::new(),
        open_quote: None,
    };
    let end = end.min(bytes.len());
    let mut i = 0;
    // The last character that was not a space or tab on this line, if any.
    let mut prev: Option<u8> = None;
    while i < end {
        let b = bytes[i];
        // A token starts after an indicator or at the start of a line.
        let token_start = matches!(prev, None | Some(b':' | b'-' | b'[' | b'{' | b',' | b'?'))
            && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b','));
        match b {
            b'\n' => prev = None,
            b' ' | b'\t' => {}
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'"' | b'\'' if token_start => match quote_end(text, i) {
                Some(close) if close < end => {
                    prev = Some(b);
                    i = close + 1;
                    continue;
                }
                _ => {
                    scan.open_quote = Some(i);
                    break;
                }
            },
            b'[' | b'{' if token_start || !scan.flows.is_empty() => scan.flows.push((i, b)),
            b']' | b'}' if !scan.flows.is_empty() => {
                scan.flows.pop();
            }
            _ => {}
        }
        if !matches!(b, b' ' | b'\t' | b'\n') {
            prev = Some(b);
        }
        i += 1;
    }
    scan
}

/// Offset of the quote that closes the quoted scalar opening at `start`
/// (`\"` escapes in double quotes, `''` in single quotes).
fn quote_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b if b == quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Offset of the first entry of the innermost block mapping (or, with
/// `sequence`, block sequence) still open at a line indented by `column`:
/// the construct libyaml's parser was reading when the line broke it.
fn enclosing_block(text: &str, line_start: usize, column: usize, sequence: bool) -> Option<usize> {
    // Each earlier content line as (offset, indentation of its entry).
    let mut entries: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while start < line_start {
        let line = line_of(text, start);
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            if sequence {
                if trimmed.starts_with('-') {
                    entries.push((start + indent, indent));
                }
            } else {
                // `- key: value` opens a mapping after the dash.
                let body = trimmed.trim_start_matches(['-', ' ']);
                let key_indent = line.len() - body.len();
                entries.push((start + key_indent, key_indent));
            }
        }
        start += line.len() + 1;
    }
    let (inner_index, &(_, level)) = entries
        .iter()
        .enumerate()
        .rev()
        .find(|(_, &(_, indent))| indent <= column)?;
    // Walk back to the first entry of that block: stop at a shallower line.
    let mut first = entries[inner_index].0;
    for &(offset, indent) in entries[..inner_index].iter().rev() {
        if indent < level {
            break;
        }
        if indent == level {
            first = offset;
        }
    }
    Some(first)
}

/// yaml.v3's `unmarshal errors` for duplicate keys, in its order: each
/// mapping in document order lists its pairs, and a mapping with a
/// duplicate is not descended into.
pub fn duplicate_keys(cfg: &ConfigText, root: &Node) -> Option<GoYamlError> {
    let mut lines = Vec::new();
    let mut first: Option<(Span, Span, String, usize)> = None;
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Mapping(entries) => {
                // Repeats are rare: find them by sorting, and count lines
                // only for the keys that are reported.
                let mut by_key: Vec<(&str, usize)> = entries
                    .iter()
                    .enumerate()
                    .filter_map(|(i, e)| Some((e.key.as_scalar()?, i)))
                    .collect();
                by_key.sort_unstable();
                let mut pairs: Vec<(usize, usize)> = Vec::new();
                for group in by_key.chunk_by(|a, b| a.0 == b.0) {
                    for (n, &(_, i)) in group.iter().enumerate() {
                        pairs.extend(group[n + 1..].iter().map(|&(_, j)| (i, j)));
                    }
                }
                // yaml.v3 reports pair (i, j) in the order of i, then j.
                pairs.sort_unstable();
                let before = lines.len();
                let line = |i: usize| cfg.line0(cfg.inner(entries[i].key.span.start)) + 1;
                for (i, j) in pairs {
                    let key = entries[i].key.as_scalar().unwrap_or_default();
                    lines.push(format!(
                        "line {}: mapping key {key:?} already defined at line {}",
                        line(j),
                        line(i)
                    ));
                    if first.is_none() {
                        first = Some((
                            entries[j].key.span,
                            entries[i].key.span,
                            key.to_string(),
                            line(i),
                        ));
                    }
                }
                if lines.len() == before {
                    stack.extend(entries.iter().rev().map(|e| &e.value));
                }
            }
            NodeKind::Sequence(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    let (span, first_span, key, line) = first?;
    Some(GoYamlError {
        message: format!("yaml: unmarshal errors:\n  {}", lines.join("\n  ")),
        span,
        detail: format!("key `{key}` is already defined at line {line} of the config"),
        help: "merge the two entries into one: YAML mappings cannot repeat a key, and the collector refuses the whole config",
        related: Some((first_span, format!("`{key}` first defined here"))),
    })
}
