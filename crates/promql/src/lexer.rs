//! Tokenizer. Comments (`# …` to end of line) and whitespace vanish here, so
//! the parser never sees them; every token keeps its byte span.

use crate::ast::Span;
use crate::error::ParseError;

/// Token kinds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// Identifiers and keywords; the parser decides which by context.
    Ident(String),
    Number(f64),
    Str(String),
    /// A duration literal, in ms.
    Duration(i64),
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Colon,
    At,
    Assign,
    EqlC,
    Neq,
    EqRegex,
    NeqRegex,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Eof,
}

impl Tok {
    /// How the token reads in "unexpected …" messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Ident(s) => format!("identifier {s:?}"),
            Tok::Number(_) => "number".into(),
            Tok::Str(_) => "string".into(),
            Tok::Duration(_) => "duration".into(),
            Tok::Eof => "end of input".into(),
            Tok::LParen => "\"(\"".into(),
            Tok::RParen => "\")\"".into(),
            Tok::LBrace => "\"{\"".into(),
            Tok::RBrace => "\"}\"".into(),
            Tok::LBracket => "\"[\"".into(),
            Tok::RBracket => "\"]\"".into(),
            Tok::Comma => "\",\"".into(),
            Tok::Colon => "\":\"".into(),
            Tok::At => "\"@\"".into(),
            Tok::Assign => "\"=\"".into(),
            Tok::EqlC => "\"==\"".into(),
            Tok::Neq => "\"!=\"".into(),
            Tok::EqRegex => "\"=~\"".into(),
            Tok::NeqRegex => "\"!~\"".into(),
            Tok::Lt => "\"<\"".into(),
            Tok::Le => "\"<=\"".into(),
            Tok::Gt => "\">\"".into(),
            Tok::Ge => "\">=\"".into(),
            Tok::Add => "\"+\"".into(),
            Tok::Sub => "\"-\"".into(),
            Tok::Mul => "\"*\"".into(),
            Tok::Div => "\"/\"".into(),
            Tok::Mod => "\"%\"".into(),
            Tok::Pow => "\"^\"".into(),
        }
    }
}

/// A token and where it is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Splits `input` into tokens, ending with `Eof`.
pub(crate) fn lex(input: &str) -> Result<Vec<Token>, ParseError> {
    let bytes = input.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let single = |t: Tok| Some((t, 1));
        let op = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'(' => single(Tok::LParen),
            b')' => single(Tok::RParen),
            b'{' => single(Tok::LBrace),
            b'}' => single(Tok::RBrace),
            b'[' => single(Tok::LBracket),
            b']' => single(Tok::RBracket),
            b',' => single(Tok::Comma),
            b':' => single(Tok::Colon),
            b'@' => single(Tok::At),
            b'+' => single(Tok::Add),
            b'-' => single(Tok::Sub),
            b'*' => single(Tok::Mul),
            b'/' => single(Tok::Div),
            b'%' => single(Tok::Mod),
            b'^' => single(Tok::Pow),
            b'=' => match bytes.get(i + 1) {
                Some(b'=') => Some((Tok::EqlC, 2)),
                Some(b'~') => Some((Tok::EqRegex, 2)),
                _ => single(Tok::Assign),
            },
            b'!' => match bytes.get(i + 1) {
                Some(b'=') => Some((Tok::Neq, 2)),
                Some(b'~') => Some((Tok::NeqRegex, 2)),
                _ => {
                    return Err(ParseError::new(
                        "unexpected character after '!'",
                        i..(i + 1).min(bytes.len()),
                    ))
                }
            },
            b'<' => match bytes.get(i + 1) {
                Some(b'=') => Some((Tok::Le, 2)),
                _ => single(Tok::Lt),
            },
            b'>' => match bytes.get(i + 1) {
                Some(b'=') => Some((Tok::Ge, 2)),
                _ => single(Tok::Gt),
            },
            _ => None,
        };
        if let Some((tok, len)) = op {
            i += len;
            out.push(Token {
                tok,
                span: start..i,
            });
            continue;
        }
        let tok = if c == b'"' || c == b'\'' || c == b'`' {
            let (s, end) = lex_string(input, i)?;
            i = end;
            Tok::Str(s)
        } else if c.is_ascii_digit()
            || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let (t, end) = lex_number_or_duration(input, i)?;
            i = end;
            t
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b':' {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b':')
            {
                i += 1;
            }
            let word = &input[start..i];
            match word.to_ascii_lowercase().as_str() {
                "inf" => Tok::Number(f64::INFINITY),
                "nan" => Tok::Number(f64::NAN),
                _ => Tok::Ident(word.to_string()),
            }
        } else {
            let ch = input[i..].chars().next().unwrap_or('?');
            return Err(ParseError::new(
                format!("unexpected character: {ch:?}"),
                i..i + ch.len_utf8(),
            ));
        };
        out.push(Token {
            tok,
            span: start..i,
        });
    }
    out.push(Token {
        tok: Tok::Eof,
        span: bytes.len()..bytes.len(),
    });
    Ok(out)
}

fn lex_string(input: &str, start: usize) -> Result<(String, usize), ParseError> {
    let quote = input.as_bytes()[start] as char;
    let mut out = String::new();
    let mut chars = input[start + 1..]
        .char_indices()
        .map(|(o, c)| (o + start + 1, c))
        .peekable();
    let unterminated = || ParseError::new("unterminated quoted string", start..input.len());
    while let Some((pos, c)) = chars.next() {
        if c == quote {
            return Ok((out, pos + 1));
        }
        if quote == '`' {
            out.push(c);
            continue;
        }
        match c {
            '\n' => return Err(ParseError::new("unterminated quoted string", start..pos)),
            '\\' => {
                let (epos, e) = chars.next().ok_or_else(unterminated)?;
                let simple = match e {
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    'f' => Some('\u{c}'),
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    'v' => Some('\u{b}'),
                    '\\' => Some('\\'),
                    c if c == quote => Some(c),
                    _ => None,
                };
                if let Some(s) = simple {
                    out.push(s);
                    continue;
                }
                let (digits, radix) = match e {
                    'x' => (2, 16),
                    'u' => (4, 16),
                    'U' => (8, 16),
                    '0'..='7' => (2, 8),
                    _ => {
                        return Err(ParseError::new(
                            format!("unknown escape sequence {:?}", e),
                            pos..epos + e.len_utf8(),
                        ))
                    }
                };
                let mut text = String::new();
                if radix == 8 {
                    text.push(e);
                }
                for _ in 0..digits {
                    let (_, d) = chars.next().ok_or_else(unterminated)?;
                    text.push(d);
                }
                let bad =
                    || ParseError::new("invalid escape sequence in string", pos..epos + 1 + digits);
                let code = u32::from_str_radix(&text, radix).map_err(|_| bad())?;
                out.push(char::from_u32(code).ok_or_else(bad)?);
            }
            c => out.push(c),
        }
    }
    Err(unterminated())
}

const UNITS: [(&str, i64); 7] = [
    ("y", 365 * 24 * 3_600_000),
    ("w", 7 * 24 * 3_600_000),
    ("d", 24 * 3_600_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// Parses a Prometheus duration such as `1h30m` into ms. Units must appear
/// largest first, each at most once, as `model.ParseDuration` demands.
pub(crate) fn parse_duration(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut total: i64 = 0;
    let mut last_unit = usize::MAX;
    if b.is_empty() {
        return None;
    }
    while i < b.len() {
        let ds = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if ds == i {
            return None;
        }
        let n: i64 = text[ds..i].parse().ok()?;
        let us = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = &text[us..i];
        let idx = UNITS.iter().position(|(u, _)| *u == unit)?;
        if last_unit != usize::MAX && idx <= last_unit {
            return None;
        }
        last_unit = idx;
        total = total.checked_add(n.checked_mul(UNITS[idx].1)?)?;
    }
    Some(total)
}

fn lex_number_or_duration(input: &str, start: usize) -> Result<(Tok, usize), ParseError> {
    let b = input.as_bytes();
    let mut i = start;
    let bad = |end: usize| {
        ParseError::new(
            format!("bad number or duration syntax: {:?}", &input[start..end]),
            start..end,
        )
    };
    let word_end = {
        let mut j = start;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'.') {
            j += 1;
        }
        j
    };
    if b[i] == b'0' && matches!(b.get(i + 1), Some(b'x' | b'X')) {
        let text = &input[i + 2..word_end];
        let v = u64::from_str_radix(text, 16).map_err(|_| bad(word_end))?;
        return Ok((Tok::Number(v as f64), word_end));
    }
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut plain_integer = true;
    if i < b.len() && b[i] == b'.' {
        plain_integer = false;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            plain_integer = false;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    let next_is_word =
        i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.');
    if !next_is_word {
        let v: f64 = input[start..i].parse().map_err(|_| bad(i))?;
        return Ok((Tok::Number(v), i));
    }
    if !plain_integer {
        return Err(bad(word_end));
    }
    let text = &input[start..word_end];
    match parse_duration(text) {
        Some(ms) => Ok((Tok::Duration(ms), word_end)),
        None if text.bytes().any(|c| c.is_ascii_alphabetic())
            && text.bytes().all(|c| c.is_ascii_alphanumeric())
            && UNITS.iter().any(|(u, _)| text.contains(u)) =>
        {
            Err(ParseError::new(
                format!("not a valid duration string: {text:?}"),
                start..word_end,
            ))
        }
        None => Err(bad(word_end)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_durations_and_comments() {
        let t = toks("1.5e3 # comment\n 0x1f .5 5m 1h30m NaN");
        assert_eq!(
            t[..5],
            [
                Tok::Number(1500.0),
                Tok::Number(31.0),
                Tok::Number(0.5),
                Tok::Duration(300_000),
                Tok::Duration(5_400_000),
            ]
        );
        assert!(matches!(t[5], Tok::Number(v) if v.is_nan()));
        assert_eq!(t[6], Tok::Eof);
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("30m1h"), None);
        assert_eq!(parse_duration("1s500ms"), Some(1500));
    }

    #[test]
    fn strings_and_spans() {
        let t = lex(r#"a{b="x\"y", c='z'} `raw\n`"#).unwrap();
        assert_eq!(t[4].tok, Tok::Str("x\"y".into()));
        assert_eq!(t[4].span, 4..10);
        assert_eq!(t[8].tok, Tok::Str("z".into()));
        assert_eq!(t[10].tok, Tok::Str("raw\\n".into()));
    }

    #[test]
    fn errors() {
        assert!(lex("\"abc").unwrap_err().message.contains("unterminated"));
        assert!(lex("1.5m").unwrap_err().message.contains("bad number"));
        assert!(lex("30m1h")
            .unwrap_err()
            .message
            .contains("not a valid duration"));
        assert_eq!(lex("a ! b").unwrap_err().span, 2..3);
        assert!(lex("a $")
            .unwrap_err()
            .message
            .contains("unexpected character"));
    }
}
