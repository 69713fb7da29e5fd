//! Tokenizer, ported state-for-state from expr v1.15.5 `parser/lexer`, so that
//! odd inputs split into the same tokens and fail with the same messages.

use crate::error::{ExprError, Span};
use crate::gofmt::{format_rune_u, quote};

/// Token categories, named as expr prints them in `unexpected token …` errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Identifier,
    Number,
    String,
    Operator,
    Bracket,
    Eof,
}

/// One token: its kind, its value (unescaped for strings) and its byte span.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub value: String,
    pub span: Span,
}

impl Token {
    pub(crate) fn is(&self, kind: TokenKind, value: &str) -> bool {
        self.kind == kind && self.value == value
    }

    /// expr's `Token.String()`: `Operator("<")`, or just `EOF` for an empty value.
    pub fn describe(&self) -> String {
        let kind = match self.kind {
            TokenKind::Identifier => "Identifier",
            TokenKind::Number => "Number",
            TokenKind::String => "String",
            TokenKind::Operator => "Operator",
            TokenKind::Bracket => "Bracket",
            TokenKind::Eof => "EOF",
        };
        if self.value.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}({})", quote(&self.value))
        }
    }
}

/// expr's `utils.IsAlphabetic` (`_`, `$`, letters).
fn is_alphabetic(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphabetic()
}

/// expr's `utils.IsAlphaNumeric`.
fn is_alphanumeric(c: char) -> bool {
    is_alphabetic(c) || c.is_numeric()
}

struct Lexer<'a> {
    input: &'a str,
    start: usize,
    end: usize,
    /// Width of the last rune read, so `backup` can undo exactly one `next`.
    width: usize,
    tokens: Vec<Token>,
}

type LexResult<T> = Result<T, ExprError>;

impl<'a> Lexer<'a> {
    fn next(&mut self) -> Option<char> {
        let c = self.input[self.end..].chars().next();
        match c {
            Some(c) => {
                self.width = c.len_utf8();
                self.end += self.width;
            }
            None => self.width = 0,
        }
        c
    }

    fn backup(&mut self) {
        self.end -= self.width;
        self.width = 0;
    }

    fn peek(&self) -> Option<char> {
        self.input[self.end..].chars().next()
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.next();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn word(&self) -> &'a str {
        &self.input[self.start..self.end]
    }

    fn emit(&mut self, kind: TokenKind) {
        let value = self.word().to_string();
        self.emit_value(kind, value);
    }

    fn emit_value(&mut self, kind: TokenKind, value: String) {
        self.tokens.push(Token {
            kind,
            value,
            span: self.start..self.end,
        });
        self.start = self.end;
    }

    fn ignore(&mut self) {
        self.start = self.end;
    }

    /// Lexer errors point at the rune just read, like expr's `l.loc`.
    fn error(&self, message: String) -> ExprError {
        ExprError::syntax(message, self.end - self.width..self.end)
    }

    fn run(mut self) -> LexResult<Vec<Token>> {
        loop {
            let Some(r) = self.next() else {
                let len = self.input.len();
                self.tokens.push(Token {
                    kind: TokenKind::Eof,
                    value: String::new(),
                    span: len..len,
                });
                return Ok(self.tokens);
            };
            match r {
                c if c.is_whitespace() => self.ignore(),
                '\'' | '"' => {
                    self.scan_string(r)?;
                    let value = unescape(self.word()).map_err(|m| self.error(m.to_string()))?;
                    self.emit_value(TokenKind::String, value);
                }
                '0'..='9' => {
                    self.backup();
                    self.number()?;
                }
                '?' => {
                    self.accept(".?");
                    self.emit(TokenKind::Operator);
                }
                '/' => {
                    if self.accept("/") {
                        while !matches!(self.next(), None | Some('\n')) {}
                        self.ignore();
                    } else if self.accept("*") {
                        loop {
                            match self.next() {
                                None => return Err(self.error("unclosed comment".into())),
                                Some('*') if self.accept("/") => break,
                                Some(_) => {}
                            }
                        }
                        self.ignore();
                    } else {
                        self.emit(TokenKind::Operator);
                    }
                }
                '#' => {
                    self.accept("#");
                    self.emit(TokenKind::Operator);
                    while self.peek().is_some_and(is_alphanumeric) {
                        self.next();
                    }
                    if !self.word().is_empty() {
                        self.emit(TokenKind::Identifier);
                    }
                }
                '|' => {
                    self.accept("|");
                    self.emit(TokenKind::Operator);
                }
                '(' | '[' | '{' | ')' | ']' | '}' => self.emit(TokenKind::Bracket),
                ',' | ':' | ';' | '%' | '+' | '-' | '^' => self.emit(TokenKind::Operator),
                '&' | '!' | '=' | '*' | '<' | '>' => {
                    // expr accepts any of these three as a second rune ("&*" is one token).
                    self.accept("&=*");
                    self.emit(TokenKind::Operator);
                }
                '.' => {
                    if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                        self.number()?;
                    } else {
                        self.accept(".");
                        self.emit(TokenKind::Operator);
                    }
                }
                c if is_alphanumeric(c) => {
                    self.backup();
                    self.identifier();
                }
                c => {
                    return Err(ExprError::syntax(
                        format!("unrecognized character: {}", format_rune_u(c)),
                        self.end - c.len_utf8()..self.end,
                    ))
                }
            }
        }
    }

    fn number(&mut self) -> LexResult<()> {
        let mut digits = "0123456789_";
        if self.accept("0") {
            // A leading 0 does not mean octal; only explicit prefixes change the base.
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        let before_dot = self.end;
        if self.accept(".") {
            if self.peek() == Some('.') {
                // `1..2` is a range, not the float `1.`.
                self.end = before_dot;
                self.emit(TokenKind::Number);
                return Ok(());
            }
            self.accept_run(digits);
        }
        if self.accept("eE") {
            self.accept("+-");
            self.accept_run(digits);
        }
        if self.peek().is_some_and(is_alphanumeric) {
            self.next();
            return Err(ExprError::syntax(
                format!("bad number syntax: {}", quote(self.word())),
                self.start..self.end,
            ));
        }
        self.emit(TokenKind::Number);
        Ok(())
    }

    fn identifier(&mut self) {
        while self.peek().is_some_and(is_alphanumeric) {
            self.next();
        }
        match self.word() {
            "not" => self.not_operator(),
            "in" | "or" | "and" | "matches" | "contains" | "startsWith" | "endsWith" | "let" => {
                self.emit(TokenKind::Operator)
            }
            _ => self.emit(TokenKind::Identifier),
        }
    }

    /// `not` followed by `in`/`matches`/… lexes as two operators; the parser
    /// rebuilds `not (a in b)` from them.
    fn not_operator(&mut self) {
        self.emit(TokenKind::Operator);
        while self.peek() == Some(' ') {
            self.next();
        }
        self.ignore();
        let pos = self.end;
        while self.peek().is_some_and(is_alphanumeric) {
            self.next();
        }
        match self.word() {
            "in" | "matches" | "contains" | "startsWith" | "endsWith" => {
                self.emit(TokenKind::Operator)
            }
            _ => self.end = pos,
        }
    }

    fn scan_string(&mut self, quote_char: char) -> LexResult<()> {
        let mut ch = self.next();
        while ch != Some(quote_char) {
            match ch {
                None | Some('\n') => return Err(self.error("literal not terminated".into())),
                Some('\\') => ch = self.scan_escape(quote_char)?,
                Some(_) => ch = self.next(),
            }
        }
        Ok(())
    }

    fn scan_escape(&mut self, quote_char: char) -> LexResult<Option<char>> {
        let ch = self.next();
        match ch {
            Some('a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | '\\') => Ok(self.next()),
            Some(c) if c == quote_char => Ok(self.next()),
            Some('0'..='7') => self.scan_digits(ch, 8, 3),
            Some('x') => {
                let c = self.next();
                self.scan_digits(c, 16, 2)
            }
            Some('u') => {
                let c = self.next();
                self.scan_digits(c, 16, 4)
            }
            Some('U') => {
                let c = self.next();
                self.scan_digits(c, 16, 8)
            }
            _ => Err(self.error("invalid char escape".into())),
        }
    }

    fn scan_digits(
        &mut self,
        mut ch: Option<char>,
        base: u32,
        mut n: u32,
    ) -> LexResult<Option<char>> {
        while n > 0 && ch.and_then(|c| c.to_digit(16)).is_some_and(|d| d < base) {
            ch = self.next();
            n -= 1;
        }
        if n > 0 {
            return Err(self.error("invalid char escape".into()));
        }
        Ok(ch)
    }
}

/// expr's `unescape`: strips the quotes and decodes escapes. `\x`, `\u`, `\U`
/// and octal escapes produce runes (not raw bytes), so the result is valid UTF-8.
fn unescape(quoted: &str) -> Result<String, &'static str> {
    let normalized = quoted.replace("\r\n", "\n").replace('\r', "\n");
    let mut chars = normalized.chars();
    let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
        return Err("unable to unescape string");
    };
    if first != last || (first != '"' && first != '\'') {
        return Err("unable to unescape string");
    }
    let body = chars.as_str();
    let mut out = String::with_capacity(body.len());
    let mut it = body.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = it.next() else {
            return Err("unable to unescape string, found '\\' as last character");
        };
        let simple = match e {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' | '\'' | '"' | '`' | '?' => Some(e),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let value = match e {
            'x' | 'X' | 'u' | 'U' => {
                let n = match e {
                    'u' => 4,
                    'U' => 8,
                    _ => 2,
                };
                let mut v: u32 = 0;
                for _ in 0..n {
                    let d = it
                        .next()
                        .and_then(|c| c.to_digit(16))
                        .ok_or("unable to unescape string")?;
                    v = (v << 4) | d;
                }
                v
            }
            '0'..='3' => {
                let mut v = e as u32 - '0' as u32;
                for _ in 0..2 {
                    let d = it
                        .next()
                        .and_then(|c| c.to_digit(8))
                        .ok_or("unable to unescape octal sequence in string")?;
                    v = v * 8 + d;
                }
                v
            }
            _ => return Err("unable to unescape string"),
        };
        if value > 0x10FFFF {
            return Err("unable to unescape string");
        }
        // Go's utf8.EncodeRune writes U+FFFD for surrogate halves.
        out.push(char::from_u32(value).unwrap_or('\u{FFFD}'));
    }
    Ok(out)
}

/// Splits `source` into tokens, ending with an `EOF` token.
pub fn lex(source: &str) -> Result<Vec<Token>, ExprError> {
    Lexer {
        input: source,
        start: 0,
        end: 0,
        width: 0,
        tokens: Vec::new(),
    }
    .run()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_values(src: &str) -> Vec<String> {
        lex(src).unwrap().iter().map(Token::describe).collect()
    }

    #[test]
    fn splits_like_expr() {
        assert_eq!(
            kinds_values("result[0] < 0.05"),
            [
                "Identifier(\"result\")",
                "Bracket(\"[\")",
                "Number(\"0\")",
                "Bracket(\"]\")",
                "Operator(\"<\")",
                "Number(\"0.05\")",
                "EOF"
            ]
        );
        assert_eq!(
            kinds_values("1..2 ?? a?.b"),
            [
                "Number(\"1\")",
                "Operator(\"..\")",
                "Number(\"2\")",
                "Operator(\"??\")",
                "Identifier(\"a\")",
                "Operator(\"?.\")",
                "Identifier(\"b\")",
                "EOF"
            ]
        );
        assert_eq!(
            kinds_values("x not  in y // c\n && #index"),
            [
                "Identifier(\"x\")",
                "Operator(\"not\")",
                "Operator(\"in\")",
                "Identifier(\"y\")",
                "Operator(\"&&\")",
                "Operator(\"#\")",
                "Identifier(\"index\")",
                "EOF"
            ]
        );
        assert_eq!(
            kinds_values(".5 1e3"),
            ["Number(\".5\")", "Number(\"1e3\")", "EOF"]
        );
    }

    #[test]
    fn spans_are_byte_ranges() {
        let toks = lex("ab <= 'é'").unwrap();
        assert_eq!(toks[0].span, 0..2);
        assert_eq!(toks[1].span, 3..5);
        assert_eq!(toks[2].span, 6..10);
        assert_eq!(toks[2].value, "é");
        assert_eq!(toks[3].span, 10..10);
    }

    #[test]
    fn strings_unescape() {
        let toks = lex(r#""a\n\x41\u00e9\101" 'it\'s'"#).unwrap();
        assert_eq!(toks[0].value, "a\nAéA");
        assert_eq!(toks[1].value, "it's");
    }

    #[test]
    fn lexer_errors_use_expr_texts() {
        let err = |s: &str| lex(s).unwrap_err().message;
        assert_eq!(err("1 @ 2"), "unrecognized character: U+0040 '@'");
        assert_eq!(err("'abc"), "literal not terminated");
        assert_eq!(err(r#""\q""#), "invalid char escape");
        assert_eq!(err("12abc"), "bad number syntax: \"12a\"");
        assert_eq!(err("/* x"), "unclosed comment");
        assert_eq!(err(r#""\400""#), "unable to unescape string");
        assert_eq!(lex("1 @ 2").unwrap_err().span, Some(2..3));
    }
}
