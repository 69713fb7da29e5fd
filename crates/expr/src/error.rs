//! The single error type shared by the lexer, parser, checker and evaluator.

use std::fmt;
use std::ops::Range;

/// A byte range into the condition source.
pub type Span = Range<usize>;

/// Which stage produced an [`ExprError`].
///
/// expr itself does not distinguish these; the playground does, so it can tell a
/// learner "Argo would reject this when compiling" from "this blew up at runtime".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Lexer or parser error (expr's `Compile` fails before type checking).
    Syntax,
    /// Type-checker error (expr's `Compile` fails).
    Type,
    /// Panic or error while running the program (expr's `Run` fails).
    Runtime,
    /// Argo's wrapper rejected the value (`expected bool, but got <T>`).
    Result,
    /// Valid expr that this crate deliberately does not implement.
    Unsupported,
}

/// An error with expr's message text and, when known, the offending source range.
///
/// `Display` prints only the message, which is what Argo records: it keeps
/// `file.Error.Message` and drops expr's location and snippet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// The message exactly as expr / Argo would produce it (where verified).
    pub message: String,
    /// Byte range in the source, if the error can be pinned to one.
    pub span: Option<Span>,
    /// Which stage produced the error.
    pub kind: ErrorKind,
}

impl ExprError {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>, span: Option<Span>) -> Self {
        Self {
            message: message.into(),
            span,
            kind,
        }
    }

    pub(crate) fn syntax(message: impl Into<String>, span: Span) -> Self {
        Self::new(ErrorKind::Syntax, message, Some(span))
    }

    pub(crate) fn typ(message: impl Into<String>, span: Span) -> Self {
        Self::new(ErrorKind::Type, message, Some(span))
    }

    pub(crate) fn runtime(message: impl Into<String>, span: Span) -> Self {
        Self::new(ErrorKind::Runtime, message, Some(span))
    }

    pub(crate) fn unsupported(message: impl Into<String>, span: Span) -> Self {
        Self::new(ErrorKind::Unsupported, message, Some(span))
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExprError {}
