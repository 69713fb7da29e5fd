//! Error types returned by parsing and evaluation.

use std::fmt;
use std::ops::Range;

/// A query that does not parse or does not type-check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Prometheus-like message, without position.
    pub message: String,
    /// Byte range of the offending text.
    pub span: Range<usize>,
}

impl ParseError {
    pub(crate) fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        ParseError {
            message: message.into(),
            span,
        }
    }

    /// Formats like Prometheus: `line:column: parse error: message`
    /// (1-based line, 1-based column in bytes).
    pub fn with_position(&self, query: &str) -> String {
        let (line, col) = line_col(query, self.span.start);
        format!("{line}:{col}: parse error: {}", self.message)
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "parse error at bytes {}..{}: {}",
            self.span.start, self.span.end, self.message
        )
    }
}

impl std::error::Error for ParseError {}

/// A query that parsed but failed while running (e.g. many-to-many matching).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// Prometheus's message.
    pub message: String,
    /// The expression that failed, when known.
    pub span: Option<Range<usize>>,
}

impl EvalError {
    pub(crate) fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        EvalError {
            message: message.into(),
            span: Some(span),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// 1-based line and column of byte offset `at`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text.as_bytes()[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = at
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        let e = ParseError::new("unclosed left parenthesis", 4..4);
        assert_eq!(
            e.with_position("foo("),
            "1:5: parse error: unclosed left parenthesis"
        );
    }
}
