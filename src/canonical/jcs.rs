//! RFC 8785 JSON Canonicalization Scheme (JCS): one byte string per JSON value, so that a
//! hash of it identifies the value whatever spacing, key order or number spelling it was
//! written with.
//!
//! The three rules of the RFC, as implemented here:
//!
//! * no whitespace between tokens;
//! * object members sorted by their names compared as arrays of UTF-16 code units (not as
//!   UTF-8 bytes: the two orders differ for characters above U+FFFF against U+E000..U+FFFF);
//! * numbers written as ECMAScript's `Number.prototype.toString` writes an IEEE 754 double
//!   (the shortest digits that read back to the same double, then ECMAScript's choice
//!   between plain and exponent notation), and strings with only the escapes JSON requires.
//!
//! serde_json's own writer is not used: it writes `1e21` where ECMAScript writes `1e+21`,
//! writes integers held as `u64` beyond 2^53 exactly where JCS rounds them to a double,
//! and sorts keys by bytes.

use serde_json::Value;

/// Why a value has no canonical form: JSON (and so JCS) has no NaN or infinity.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0} has no JSON form (RFC 8785 allows finite numbers only)")]
pub struct NonFinite(pub f64);

/// The canonical text of a JSON value.
pub fn to_string(value: &Value) -> Result<String, NonFinite> {
    let mut out = String::new();
    write_value(&mut out, value)?;
    Ok(out)
}

/// Writes the canonical text of a JSON value at the end of `out`.
pub(crate) fn write_value(out: &mut String, value: &Value) -> Result<(), NonFinite> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            // Every JSON number is an IEEE 754 double for JCS: a u64 or i64 beyond 2^53 is
            // rounded to one, as ECMAScript would read it.
            let x = n.as_f64().ok_or(NonFinite(f64::NAN))?;
            out.push_str(&number(x)?);
        }
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            // serde_json's map iterates in byte order, which is UTF-16 order unless a key
            // holds a character from U+E000 up (see `key_order`): sort only then.
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            if members.iter().any(|(k, _)| !utf8_order_is_utf16_order(k)) {
                members.sort_by(|a, b| key_order(a.0, b.0));
            }
            out.push('{');
            for (i, (key, item)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_key(out, key);
                write_value(out, item)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// The order of object members: their names compared as arrays of UTF-16 code units.
pub(crate) fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    if utf8_order_is_utf16_order(a) && utf8_order_is_utf16_order(b) {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Whether comparing `s` by its UTF-8 bytes gives the UTF-16 order: the two orders differ
/// only between characters from U+E000 to U+FFFF and those above U+FFFF (a surrogate pair
/// in UTF-16, from 0xD800), and UTF-8 writes every character from U+E000 with a first
/// byte of 0xEE or more.
fn utf8_order_is_utf16_order(s: &str) -> bool {
    s.bytes().all(|b| b < 0xEE)
}

/// Writes an object member's name and the colon after it.
pub(crate) fn write_key(out: &mut String, key: &str) {
    write_string(out, key);
    out.push(':');
}

/// A string with JSON's mandatory escapes only (RFC 8785 section 3.2.2.2): `"` and `\`,
/// the five control characters with short forms, and the other controls below U+0020 as
/// `\u00xx` in lowercase hex. Everything else, non-ASCII included, is written as is.
fn write_string(out: &mut String, s: &str) {
    out.push('"');
    // Runs of characters that need no escape are copied whole.
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{c}' => "\\f",
            '\r' => "\\r",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push_str(escape);
        }
        start = i + c.len_utf8();
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// A double as ECMAScript's `Number.prototype.toString` writes it (ECMA-262,
/// Number::toString, radix 10), which RFC 8785 section 3.2.2.3 adopts: `-0` is `0`;
/// otherwise the shortest digits `d1 d2 ... dk` that read back to the same double, with
/// `n` the position of the decimal point (value = 0.d1...dk x 10^n), written
///
/// * `ddd000` when `k <= n <= 21` (an integer below 10^21);
/// * `dd.dd` when `0 < n <= 21`;
/// * `0.000ddd` when `-6 < n <= 0`;
/// * `d.ddde+x` / `d.ddde-x` otherwise (`de+x` for one digit).
pub fn number(x: f64) -> Result<String, NonFinite> {
    if !x.is_finite() {
        return Err(NonFinite(x));
    }
    if x == 0.0 {
        return Ok("0".to_string());
    }
    let (digits, n) = shortest_digits(x.abs());
    let k = digits.len() as i64;
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        let (first, rest) = digits.split_at(1);
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    Ok(out)
}

/// The digits and exponent of a positive double in scientific form: `(digits, n)` with
/// `x = 0.digits x 10^n`.
fn scientific(x: f64, precision: Option<usize>) -> (String, i64) {
    let sci = match precision {
        Some(p) => format!("{x:.p$e}"),
        None => format!("{x:e}"),
    };
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let digits = mantissa.chars().filter(char::is_ascii_digit).collect();
    (digits, exponent.parse::<i64>().unwrap_or(0) + 1)
}

/// The shortest digits that read back to `x` (positive, finite), as ECMAScript picks them.
///
/// Rust's `{:e}` gives the shortest round-trip digits, nearest the exact value. Where the
/// exact value lies half-way between two shortest candidates, ECMAScript takes the one
/// whose last digit is even, and Rust may take the other (RFC 8785's sample
/// 1424953923781206.25 gives `...206.3` in Rust, `...206.2` in ECMAScript). Such a tie needs
/// 16 digits or more (with 15 or fewer, two candidates are too far apart to both read back
/// to `x`), so only then is the exact expansion looked at.
fn shortest_digits(x: f64) -> (String, i64) {
    let (digits, n) = scientific(x, None);
    let k = digits.len();
    if k < 16 {
        return (digits, n);
    }
    // A double's exact decimal expansion has at most 767 significant digits.
    let (exact, exact_n) = scientific(x, Some(800));
    let tail = exact.get(k..).unwrap_or("");
    let is_tie = exact_n == n && tail.starts_with('5') && tail[1..].bytes().all(|b| b == b'0');
    if !is_tie {
        return (digits, n);
    }
    let lower = exact[..k].to_string();
    let upper = increment(&lower);
    let reads_back = |d: &str| format!("0.{d}e{n}").parse::<f64>().ok() == Some(x);
    let even = |d: &str| {
        d.bytes()
            .last()
            .is_some_and(|b| (b - b'0').is_multiple_of(2))
    };
    match (reads_back(&lower), upper) {
        (true, Some(up)) if reads_back(&up) => {
            if even(&lower) {
                (lower, n)
            } else {
                (up, n)
            }
        }
        _ => (digits, n),
    }
}

/// A digit string plus one in its last place, if that does not carry past its first digit.
fn increment(d: &str) -> Option<String> {
    let mut bytes = d.as_bytes().to_vec();
    for b in bytes.iter_mut().rev() {
        if *b == b'9' {
            *b = b'0';
        } else {
            *b += 1;
            return String::from_utf8(bytes).ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// RFC 8785 Appendix B: every finite sample, by its IEEE 754 bits.
    #[test]
    fn rfc8785_appendix_b_numbers() {
        let cases: &[(u64, &str)] = &[
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ];
        for &(bits, want) in cases {
            assert_eq!(number(f64::from_bits(bits)).unwrap(), want, "{bits:016x}");
        }
    }

    /// RFC 8785 Appendix B: NaN and Infinity must be refused, not written.
    #[test]
    fn non_finite_numbers_are_refused() {
        for bits in [
            0x7fffffffffffffff_u64,
            0x7ff0000000000000,
            0xfff0000000000000,
        ] {
            assert!(number(f64::from_bits(bits)).is_err());
        }
    }

    #[test]
    fn equivalent_spellings_write_alike() {
        for (a, b) in [
            ("0.5", "5e-1"),
            ("100", "1e2"),
            ("1.50", "15E-1"),
            ("-0.0", "0"),
        ] {
            let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
            assert_eq!(number(a).unwrap(), number(b).unwrap());
        }
        assert_eq!(number(0.5).unwrap(), "0.5");
        assert_eq!(number(1e21).unwrap(), "1e+21");
        assert_eq!(number(1e20).unwrap(), "100000000000000000000");
        assert_eq!(number(1e-7).unwrap(), "1e-7");
        assert_eq!(number(1.5e-7).unwrap(), "1.5e-7");
        assert_eq!(number(123e-20).unwrap(), "1.23e-18");
    }

    /// RFC 8785 section 3.2.2's example: numbers, escapes and literals.
    #[test]
    fn rfc8785_section_3_2_2_example() {
        let value = json!({
            "numbers": ["333333333.33333329".parse::<f64>().unwrap(), 1E30_f64, 4.50_f64, 2e-3_f64, 0.000000000000000000000000001_f64],
            "string": "\u{20ac}$\u{000F}\u{000a}A'\u{0042}\u{0022}\u{005c}\\\"/",
            "literals": [null, true, false]
        });
        assert_eq!(
            to_string(&value).unwrap(),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"\u{20ac}$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}"
        );
    }

    /// RFC 8785 section 3.2.3's example: members sorted by UTF-16 code units, so the
    /// emoji (a surrogate pair, 0xD83D...) comes before U+FB33 though its UTF-8 is larger.
    #[test]
    fn rfc8785_section_3_2_3_sorting() {
        let value = json!({
            "\u{20ac}": "Euro Sign",
            "\r": "Carriage Return",
            "\u{fb33}": "Hebrew Letter Dalet With Dagesh",
            "1": "One",
            "\u{1f600}": "Emoji: Grinning Face",
            "\u{0080}": "Control",
            "\u{00f6}": "Latin Small Letter O With Diaeresis"
        });
        let text = to_string(&value).unwrap();
        let keys: Vec<&str> = [
            "\\r",
            "1",
            "\u{0080}",
            "\u{00f6}",
            "\u{20ac}",
            "\u{1f600}",
            "\u{fb33}",
        ]
        .to_vec();
        let mut at = 0;
        for k in keys {
            let pos = text[at..]
                .find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k} out of order in {text}"));
            at += pos + 1;
        }
    }

    #[test]
    fn large_integers_are_doubles() {
        let v = json!([9007199254740993_u64, 1_000_000_000_000_000_000_000_f64, -7]);
        assert_eq!(to_string(&v).unwrap(), "[9007199254740992,1e+21,-7]");
    }
}
