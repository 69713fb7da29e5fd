//! promtool's input-series notation: `metric{a="b"}` label sets and value
//! strings such as `0+10x5 _ stale 1-2x3 NaN Inf 7x2`.

use crate::labels::{Labels, METRIC_NAME};
use crate::lexer::{lex, Tok};

/// One expanded slot of a series' value list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SeriesValue {
    /// `_`: no sample in this slot.
    Omitted,
    /// `stale`: a staleness marker.
    Stale,
    /// A sample value.
    Float(f64),
}

/// Parses `name{a="b", …}`, `name` or `{…}` into labels (Prometheus's
/// `parser.ParseMetric`). Only `=` matchers are allowed.
pub fn parse_metric(text: &str) -> Result<Labels, String> {
    let toks = lex(text).map_err(|e| e.with_position(text))?;
    let mut labels = Labels::new();
    let mut i = 0;
    let err = |what: &str| Err(format!("invalid series {text:?}: {what}"));
    if let Tok::Ident(name) = &toks[i].tok {
        labels.insert(METRIC_NAME, name);
        i += 1;
    }
    if toks[i].tok == Tok::LBrace {
        i += 1;
        loop {
            match &toks[i].tok {
                Tok::RBrace => {
                    i += 1;
                    break;
                }
                Tok::Ident(name) if !name.contains(':') => {
                    if toks[i + 1].tok != Tok::Assign {
                        return err("expected \"=\" after label name");
                    }
                    let Tok::Str(value) = &toks[i + 2].tok else {
                        return err("expected quoted label value");
                    };
                    if labels.get(name).is_some() {
                        return err(&format!("duplicate label {name:?}"));
                    }
                    labels.insert(name, value);
                    i += 3;
                    match toks[i].tok {
                        Tok::Comma => i += 1,
                        Tok::RBrace => {}
                        _ => return err("expected \",\" or \"}\""),
                    }
                }
                _ => return err("expected label name"),
            }
        }
    }
    if toks[i].tok != Tok::Eof || i == 0 {
        return err("unexpected text");
    }
    Ok(labels)
}

/// Expands a promtool value string. `a+bxn` yields `n+1` values by repeated
/// addition (as promtool accumulates, float error included); `axn` yields
/// `n+1` copies; `_xn` yields `n` empty slots.
pub fn expand_values(text: &str) -> Result<Vec<SeriesValue>, String> {
    let mut out = Vec::new();
    for item in text.split_whitespace() {
        let bad = || format!("invalid series value {item:?} in {text:?}");
        if item == "_" {
            out.push(SeriesValue::Omitted);
            continue;
        }
        if item == "stale" {
            out.push(SeriesValue::Stale);
            continue;
        }
        let (body, times) = match item.rfind('x') {
            Some(p) if p + 1 < item.len() && item[p + 1..].bytes().all(|b| b.is_ascii_digit()) => (
                &item[..p],
                Some(item[p + 1..].parse::<u64>().map_err(|_| bad())?),
            ),
            _ => (item, None),
        };
        if body == "_" {
            let n = times.ok_or_else(bad)?;
            out.extend((0..n).map(|_| SeriesValue::Omitted));
            continue;
        }
        let bytes = body.as_bytes();
        let split = (1..bytes.len()).find(|&i| {
            (bytes[i] == b'+' || bytes[i] == b'-') && !matches!(bytes[i - 1], b'e' | b'E')
        });
        match (split, times) {
            (None, None) => out.push(SeriesValue::Float(parse_value(body).ok_or_else(bad)?)),
            (None, Some(n)) => {
                let v = parse_value(body).ok_or_else(bad)?;
                out.extend((0..=n).map(|_| SeriesValue::Float(v)));
            }
            (Some(p), Some(n)) => {
                let mut v = parse_value(&body[..p]).ok_or_else(bad)?;
                let delta = parse_value(&body[p..]).ok_or_else(bad)?;
                out.push(SeriesValue::Float(v));
                for _ in 0..n {
                    v += delta;
                    out.push(SeriesValue::Float(v));
                }
            }
            (Some(_), None) => return Err(bad()),
        }
    }
    Ok(out)
}

fn parse_value(s: &str) -> Option<f64> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'-' => (-1.0, &s[1..]),
        b'+' => (1.0, &s[1..]),
        _ => (1.0, s),
    };
    let v = match rest.to_ascii_lowercase().as_str() {
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ if rest.starts_with(|c: char| c.is_ascii_digit() || c == '.') => rest.parse().ok()?,
        _ => return None,
    };
    Some(sign * v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use SeriesValue::*;

    fn floats(v: &[SeriesValue]) -> Vec<String> {
        v.iter().map(|x| format!("{x:?}")).collect()
    }

    #[test]
    fn expands_promtool_notation() {
        let v = expand_values("1x3 _ stale 5+2x2 _x2 7 NaN Inf -Inf 1-1x1").unwrap();
        let want = [
            Float(1.0),
            Float(1.0),
            Float(1.0),
            Float(1.0),
            Omitted,
            Stale,
            Float(5.0),
            Float(7.0),
            Float(9.0),
            Omitted,
            Omitted,
            Float(7.0),
            Float(f64::NAN),
            Float(f64::INFINITY),
            Float(f64::NEG_INFINITY),
            Float(1.0),
            Float(0.0),
        ];
        assert_eq!(floats(&v), floats(&want));
        assert_eq!(
            expand_values("1e-3+1e-3x1").unwrap(),
            vec![Float(1e-3), Float(2e-3)]
        );
        assert!(expand_values("1+2").is_err());
        assert!(expand_values("abc").is_err());
    }

    #[test]
    fn parses_metric_text() {
        let l = parse_metric(r#"m{a="1", b="x"}"#).unwrap();
        assert_eq!(l.to_string(), r#"{__name__="m", a="1", b="x"}"#);
        assert!(parse_metric("{}").unwrap().is_empty());
        assert!(parse_metric(r#"m{a=~"1"}"#).is_err());
        assert!(parse_metric("").is_err());
    }
}
