//! Label value matching for `=`, `!=`, `=~`, `!~`.
//!
//! Prometheus regexes are RE2, fully anchored, and (since Prometheus 3) let
//! `.` match newlines. `regex-lite` implements the same syntax family with a
//! linear-time guarantee, which matters because queries come from learners.

use crate::ast::MatchOp;

/// A compiled matcher.
#[derive(Clone, Debug)]
pub(crate) enum Matcher {
    Equal(String),
    NotEqual(String),
    Regex {
        source: String,
        re: regex_lite::Regex,
        negate: bool,
    },
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Matcher::Equal(a), Matcher::Equal(b)) => a == b,
            (Matcher::NotEqual(a), Matcher::NotEqual(b)) => a == b,
            (
                Matcher::Regex {
                    source: a,
                    negate: na,
                    ..
                },
                Matcher::Regex {
                    source: b,
                    negate: nb,
                    ..
                },
            ) => a == b && na == nb,
            _ => false,
        }
    }
}

// Equality is by operator and source text, which is reflexive.
impl Eq for Matcher {}

impl Matcher {
    /// Compiles a matcher; the error text is what the parser reports.
    pub(crate) fn new(op: MatchOp, value: &str) -> Result<Matcher, String> {
        Ok(match op {
            MatchOp::Equal => Matcher::Equal(value.to_string()),
            MatchOp::NotEqual => Matcher::NotEqual(value.to_string()),
            MatchOp::Regex | MatchOp::NotRegex => {
                let anchored = format!("^(?s:{value})$");
                let re = regex_lite::Regex::new(&anchored).map_err(|e| {
                    format!(
                        "invalid regular expression {value:?}: {}",
                        first_line(&e.to_string())
                    )
                })?;
                Matcher::Regex {
                    source: value.to_string(),
                    re,
                    negate: op == MatchOp::NotRegex,
                }
            }
        })
    }

    /// Whether `value` ("" for an absent label) satisfies the matcher.
    pub(crate) fn matches(&self, value: &str) -> bool {
        match self {
            Matcher::Equal(v) => v == value,
            Matcher::NotEqual(v) => v != value,
            Matcher::Regex { re, negate, .. } => re.is_match(value) != *negate,
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_is_anchored_and_dot_matches_newline() {
        let m = Matcher::new(MatchOp::Regex, "echo-server-.*").unwrap();
        assert!(m.matches("echo-server-abc"));
        assert!(!m.matches("x-echo-server-abc"));
        let alt = Matcher::new(MatchOp::Regex, "a|b").unwrap();
        assert!(alt.matches("a") && !alt.matches("ab"));
        assert!(Matcher::new(MatchOp::Regex, "a.b").unwrap().matches("a\nb"));
        let neg = Matcher::new(MatchOp::NotRegex, "5..").unwrap();
        assert!(neg.matches("200") && !neg.matches("500"));
    }

    #[test]
    fn invalid_regex_is_an_error() {
        let e = Matcher::new(MatchOp::Regex, "a(").unwrap_err();
        assert!(e.starts_with("invalid regular expression \"a(\""), "{e}");
    }
}
