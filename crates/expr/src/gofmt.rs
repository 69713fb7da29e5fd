//! Go's number/string formatting and parsing, reproduced where expr or Argo
//! expose it in user-visible text (values, error messages).
//!
//! Rust's shortest round-trip float printing picks the same digits as Go's
//! (both choose the shortest string that round-trips, closest to the exact value),
//! so only the layout (exponent thresholds, `+Inf`, `e+06`) needs emulating.

/// `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent.
pub fn format_float_f(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else {
        // Rust's Display is shortest round-trip and never switches to exponent form.
        format!("{v}")
    }
}

/// `fmt.Sprintf("%v", v)` for a float64, i.e. `strconv.FormatFloat(v, 'g', -1, 64)`:
/// `%e` layout when the decimal exponent is < -4 or >= 6 (Go uses 6 as the
/// threshold when the precision is "shortest").
pub fn format_float_v(v: f64) -> String {
    if v.is_nan() || v.is_infinite() {
        return format_float_f(v);
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let sci = format!("{v:e}"); // e.g. "-1.234567e6", shortest digits
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exp.unsigned_abs())
    } else {
        format!("{v}")
    }
}

/// Go's `%q` / `%#v` for a string (the subset of `strconv.Quote` that matters here).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `%#U` for a rune: `U+0040 '@'` (no quoted form for non-printables).
pub fn format_rune_u(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

/// Why a Go `strconv` parse failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumError {
    Syntax,
    Range,
}

/// The text of a Go `*strconv.NumError`.
pub fn num_error_text(func: &str, input: &str, err: NumError) -> String {
    let why = match err {
        NumError::Syntax => "invalid syntax",
        NumError::Range => "value out of range",
    };
    format!("strconv.{func}: parsing {}: {why}", quote(input))
}

/// `strconv.ParseInt(s, 10, 64)`: optional sign, ASCII digits, no underscores.
pub fn parse_int10(s: &str) -> Result<i64, NumError> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NumError::Syntax);
    }
    s.parse::<i64>().map_err(|_| NumError::Range)
}

/// `strconv.ParseInt(s, 0, 64)` for the hex literals expr's lexer produces (`0x1F`).
pub fn parse_int_hex(s: &str) -> Result<i64, NumError> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let hex = body
        .strip_prefix("0x")
        .or_else(|| body.strip_prefix("0X"))
        .ok_or(NumError::Syntax)?;
    if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(NumError::Syntax);
    }
    let magnitude = u64::from_str_radix(hex, 16).map_err(|_| NumError::Range)?;
    if neg {
        if magnitude > i64::MAX as u64 + 1 {
            return Err(NumError::Range);
        }
        Ok((magnitude as i64).wrapping_neg())
    } else {
        i64::try_from(magnitude).map_err(|_| NumError::Range)
    }
}

/// `strconv.ParseFloat(s, 64)` for decimal syntax and Go's special values
/// (`inf`, `infinity`, `nan`, any case, optional sign). Hexadecimal floats
/// (`0x1p-2`) are not implemented and report a syntax error.
pub fn parse_float(s: &str) -> Result<f64, NumError> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if lower == "inf" || lower == "infinity" || (lower == "nan" && body.len() == s.len()) {
        return s.parse::<f64>().map_err(|_| NumError::Syntax);
    }
    // Go grammar: digits [. digits] [e [+-] digits], at least one mantissa digit.
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut mantissa_digits = 0;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
        mantissa_digits += 1;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
            mantissa_digits += 1;
        }
    }
    if mantissa_digits == 0 {
        return Err(NumError::Syntax);
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(NumError::Syntax);
        }
    }
    if i != bytes.len() {
        return Err(NumError::Syntax);
    }
    let v: f64 = s.parse().map_err(|_| NumError::Syntax)?;
    if v.is_infinite() {
        // Go reports overflow as ErrRange (and returns ±Inf alongside it).
        return Err(NumError::Range);
    }
    Ok(v)
}

/// Go's `int(f)` for a float64 on amd64 (CVTTSD2SI): truncation, and the
/// "integer indefinite" value `math.MinInt64` for NaN or out-of-range input.
pub fn go_int_from_float(f: f64) -> i64 {
    // 2^63 is exactly representable; anything >= it (or NaN) is out of range.
    if f.is_nan() || !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_f_matches_go_for_extremes() {
        assert_eq!(format_float_f(0.0123), "0.0123");
        assert_eq!(format_float_f(f64::NAN), "NaN");
        assert_eq!(format_float_f(f64::INFINITY), "+Inf");
        assert_eq!(format_float_f(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_float_f(1e21), "1000000000000000000000");
        assert_eq!(format_float_f(1e-7), "0.0000001");
        assert_eq!(format_float_f(-0.0), "-0");
        assert_eq!(format_float_f(1.0), "1");
        assert_eq!(format_float_f(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(format_float_f(123456789.0), "123456789");
        assert_eq!(format_float_f(5e-324), format!("0.{}5", "0".repeat(323)));
    }

    #[test]
    fn format_v_uses_go_g_thresholds() {
        assert_eq!(format_float_v(123456.0), "123456");
        assert_eq!(format_float_v(1234567.0), "1.234567e+06");
        assert_eq!(format_float_v(1e6), "1e+06");
        assert_eq!(format_float_v(0.0001), "0.0001");
        assert_eq!(format_float_v(0.00001), "1e-05");
        assert_eq!(format_float_v(-2.5e-300), "-2.5e-300");
        assert_eq!(format_float_v(1e100), "1e+100");
        assert_eq!(format_float_v(0.5), "0.5");
        assert_eq!(format_float_v(f64::NAN), "NaN");
    }

    #[test]
    fn quoting_and_runes() {
        assert_eq!(quote("<"), "\"<\"");
        assert_eq!(quote("a\"b\\\n"), "\"a\\\"b\\\\\\n\"");
        assert_eq!(quote("\u{1}"), "\"\\x01\"");
        assert_eq!(format_rune_u('@'), "U+0040 '@'");
        assert_eq!(format_rune_u('\u{7}'), "U+0007");
    }

    #[test]
    fn strconv_parsing() {
        assert_eq!(parse_int10("42"), Ok(42));
        assert_eq!(parse_int10("-7"), Ok(-7));
        assert_eq!(parse_int10("1_0"), Err(NumError::Syntax));
        assert_eq!(parse_int10(""), Err(NumError::Syntax));
        assert_eq!(parse_int10("99999999999999999999"), Err(NumError::Range));
        assert_eq!(parse_int_hex("0x1F"), Ok(31));
        assert_eq!(parse_int_hex("0x"), Err(NumError::Syntax));
        assert_eq!(parse_float("1e3"), Ok(1000.0));
        assert_eq!(parse_float(".5"), Ok(0.5));
        assert_eq!(parse_float("1."), Ok(1.0));
        assert_eq!(parse_float("1e"), Err(NumError::Syntax));
        assert_eq!(parse_float("1e400"), Err(NumError::Range));
        assert_eq!(parse_float("-Inf"), Ok(f64::NEG_INFINITY));
        assert!(parse_float("NaN").unwrap().is_nan());
        assert_eq!(parse_float("abc"), Err(NumError::Syntax));
        assert_eq!(
            num_error_text("ParseFloat", "x", NumError::Syntax),
            "strconv.ParseFloat: parsing \"x\": invalid syntax"
        );
    }

    #[test]
    fn go_float_to_int_conversion() {
        assert_eq!(go_int_from_float(2.9), 2);
        assert_eq!(go_int_from_float(-2.9), -2);
        assert_eq!(go_int_from_float(f64::NAN), i64::MIN);
        assert_eq!(go_int_from_float(1e300), i64::MIN);
    }
}
