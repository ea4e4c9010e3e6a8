//! Metric values as written in commands: `12M`, `1.2e6`, `1_200_000`, `70%`, `-3.5k`.

const EXPECTED: &str = "expected a number such as 12M, 1.2e6, 1_200_000 or 70%";

/// Text that is not a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("empty value; {EXPECTED}")]
    Empty,
    #[error("invalid value \"{text}\": {reason}")]
    Invalid { text: String, reason: Reason },
}

/// Why a value is invalid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("use _ to group digits, e.g. 1_000")]
    Comma,
    #[error("not a finite number")]
    NotFinite,
    #[error("{EXPECTED}")]
    Expected,
    #[error("_ is allowed only between digits")]
    Underscore,
    #[error("expected digits after the exponent \"e\"")]
    ExponentDigits,
    #[error("unknown suffix \"m\"; use M for millions (lowercase m is not a suffix)")]
    LowercaseM,
    #[error("unknown suffix \"{0}\"; expected k, M, B, G, T or %")]
    Suffix(String),
    #[error("unexpected \"{0}\" after the number")]
    Trailing(String),
    #[error("out of range")]
    OutOfRange,
    #[error("too small; it rounds to zero")]
    TooSmall,
}

/// Parses a value: a decimal number with optional sign, exponent and `_`
/// digit separators, then an optional suffix (`k`/`K` ×1e3, `M` ×1e6,
/// `B`/`G` ×1e9, `T` ×1e12, `%` ÷100). The result is always finite.
///
/// The suffix is applied by shifting the decimal exponent before the single
/// conversion to `f64`, so `1.2M` is exactly the double nearest 1 200 000
/// (multiplying after conversion could be off by one ulp).
pub fn parse_value(text: &str) -> Result<f64, ValueError> {
    match plain_decimal(text) {
        Some(value) => Ok(value),
        None => parse_general(text),
    }
}

/// Any form [`parse_value`] takes, and its errors.
fn parse_general(text: &str) -> Result<f64, ValueError> {
    let invalid = |reason| ValueError::Invalid {
        text: text.to_string(),
        reason,
    };
    if text.is_empty() {
        return Err(ValueError::Empty);
    }
    if text.contains(',') {
        return Err(invalid(Reason::Comma));
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes[0] {
        b'-' => {
            i = 1;
            true
        }
        b'+' => {
            i = 1;
            false
        }
        _ => false,
    };
    let unsigned = &text[i..];
    if ["nan", "inf", "infinity"]
        .iter()
        .any(|w| unsigned.eq_ignore_ascii_case(w))
    {
        return Err(invalid(Reason::NotFinite));
    }

    let int_part = scan_digits(bytes, &mut i).map_err(invalid)?;
    let mut frac_part = String::new();
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        frac_part = scan_digits(bytes, &mut i).map_err(invalid)?;
    }
    if int_part.is_empty() && frac_part.is_empty() {
        return Err(invalid(Reason::Expected));
    }

    let mut exponent: i64 = 0;
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        let exp_negative = match bytes.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let digits = scan_digits(bytes, &mut i).map_err(invalid)?;
        if digits.is_empty() {
            return Err(invalid(Reason::ExponentDigits));
        }
        // Saturate: anything this large overflows or underflows anyway.
        let magnitude: i64 = digits.parse().unwrap_or(i64::MAX / 4).min(i64::MAX / 4);
        exponent = if exp_negative { -magnitude } else { magnitude };
    }

    let suffix = &text[i..];
    let shift = match suffix {
        "" => 0,
        "k" | "K" => 3,
        "M" => 6,
        "B" | "G" => 9,
        "T" => 12,
        "%" => -2,
        "m" => {
            return Err(invalid(Reason::LowercaseM));
        }
        _ if suffix.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            return Err(invalid(Reason::Suffix(suffix.to_string())));
        }
        _ => {
            return Err(invalid(Reason::Trailing(suffix.to_string())));
        }
    };

    let int_part = if int_part.is_empty() { "0" } else { &int_part };
    let frac_part = if frac_part.is_empty() {
        "0"
    } else {
        &frac_part
    };
    let normalized = format!("{int_part}.{frac_part}e{}", exponent + shift);
    let magnitude: f64 = normalized.parse().map_err(|_| invalid(Reason::Expected))?;
    if !magnitude.is_finite() {
        return Err(invalid(Reason::OutOfRange));
    }
    let nonzero_digits = int_part.bytes().chain(frac_part.bytes()).any(|b| b != b'0');
    if magnitude == 0.0 && nonzero_digits {
        return Err(invalid(Reason::TooSmall));
    }
    // Normalize -0 to 0 so a stored zero never prints as "-0".
    Ok(if magnitude == 0.0 {
        0.0
    } else if negative {
        -magnitude
    } else {
        magnitude
    })
}

/// The value of the common form, digits with an optional sign and decimal
/// part (`-12.5`), read as written: the general path below rebuilds the
/// number as text first, which bulk imports paid for on every row. None
/// for any other form, and for a zero or a value out of range, which the
/// general path reports or normalizes.
fn plain_decimal(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    // A whole number of up to 15 digits is exact as an f64: summed here
    // instead of going through the float parser.
    let bytes = unsigned.as_bytes();
    if (1..=15).contains(&bytes.len()) && bytes.iter().all(u8::is_ascii_digit) {
        let whole = bytes.iter().fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
        let value = whole as f64;
        return (whole != 0).then_some(if text.starts_with('-') { -value } else { value });
    }
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((int_part, frac_part)) if !frac_part.is_empty() => (int_part, frac_part),
        Some(_) => return None,
        None => (unsigned, ""),
    };
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if int_part.is_empty() || !digits(int_part) || !digits(frac_part) {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    (value.is_finite() && value != 0.0).then_some(value)
}

/// Reads a run of digits starting at `*i`, allowing `_` only between two
/// digits; returns the digits without separators and advances `*i`.
fn scan_digits(bytes: &[u8], i: &mut usize) -> Result<String, Reason> {
    let start = *i;
    let mut digits = String::new();
    while let Some(&b) = bytes.get(*i) {
        if b.is_ascii_digit() {
            digits.push(b as char);
        } else if b == b'_' {
            let after_digit = *i > start && bytes[*i - 1].is_ascii_digit();
            let before_digit = bytes.get(*i + 1).is_some_and(u8::is_ascii_digit);
            if !(after_digit && before_digit) {
                return Err(Reason::Underscore);
            }
        } else {
            break;
        }
        *i += 1;
    }
    Ok(digits)
}

/// Prints a value so that [`parse_value`] reads back the same `f64`: Rust's
/// shortest round-trip form, never in exponent notation (`1e300` prints all
/// its digits, which `parse_value` accepts). Non-finite values, which
/// `parse_value` never produces, print as `NaN`, `inf` and `-inf`.
pub fn format_value(v: f64) -> String {
    if v == 0.0 {
        // -0 prints as 0, matching parse_value's normalization.
        return "0".to_string();
    }
    format!("{v}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_read_as_the_general_path_reads_them() {
        for text in [
            "1",
            "-1",
            "+17",
            "3.25",
            "-0.1",
            "0.3",
            "123456789.987654321",
            "999999999999999",
            "-100000000000000",
            "+0000000000000012",
            "1234567890123456",
            "9007199254740993",
            "1.00000000000000011102230246251565404236316680908203125",
            "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000049",
        ] {
            assert_eq!(plain_decimal(text), parse_general(text).ok(), "{text}");
        }
        // Zeros, and forms with more than digits, take the general path.
        for text in [
            "0", "-0", "0.0", ".5", "5.", "1_0", "1e3", "12k", "7%", "--1", "1.2.3",
        ] {
            assert_eq!(plain_decimal(text), None, "{text}");
        }
    }

    #[test]
    fn valid_values() {
        let cases: &[(&str, f64)] = &[
            ("0", 0.0),
            ("-0", 0.0),
            ("+0", 0.0),
            ("0.0", 0.0),
            ("42", 42.0),
            ("+4", 4.0),
            ("-7", -7.0),
            ("3.25", 3.25),
            ("-3.25", -3.25),
            (".5", 0.5),
            ("5.", 5.0),
            ("1_200_000", 1_200_000.0),
            ("1_0", 10.0),
            ("0.000_1", 0.0001),
            ("1.2e6", 1_200_000.0),
            ("1.2E6", 1_200_000.0),
            ("1e+3", 1000.0),
            ("25e-2", 0.25),
            ("1e1_0", 1e10),
            ("12k", 12_000.0),
            ("12K", 12_000.0),
            ("-3.5k", -3_500.0),
            ("12M", 12_000_000.0),
            ("1.2M", 1_200_000.0),
            ("210M", 210_000_000.0),
            ("3B", 3e9),
            ("3G", 3e9),
            ("1.5T", 1.5e12),
            ("70%", 0.7),
            ("7%", 0.07),
            ("-12.5%", -0.125),
            ("0.1%", 0.001),
            ("1e3k", 1e6),
            ("1_000k", 1e6),
            ("0.07", 0.07),
            ("1e300", 1e300),
            ("1e-300", 1e-300),
            ("1e308", 1e308),
            ("0e999999999999999999999", 0.0),
        ];
        for &(text, expected) in cases {
            let got = parse_value(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(got, expected, "{text}");
            assert!(!got.is_sign_negative() || got != 0.0, "{text} gave -0");
        }
    }

    #[test]
    fn suffixes_are_exact() {
        // Shifting the exponent gives the nearest double, unlike 0.07 * ... arithmetic.
        assert_eq!(parse_value("7%").unwrap(), 0.07);
        assert_eq!(parse_value("0.3k").unwrap(), 300.0);
        assert_eq!(parse_value("1.1M").unwrap(), 1_100_000.0);
        assert_eq!(parse_value("4.35B").unwrap(), 4_350_000_000.0);
    }

    #[test]
    fn invalid_values() {
        let cases = [
            (
                "",
                "empty value; expected a number such as 12M, 1.2e6, 1_200_000 or 70%",
            ),
            (
                "1,000",
                "invalid value \"1,000\": use _ to group digits, e.g. 1_000",
            ),
            (
                "12x",
                "invalid value \"12x\": unknown suffix \"x\"; expected k, M, B, G, T or %",
            ),
            (
                "12m",
                "invalid value \"12m\": unknown suffix \"m\"; use M for millions (lowercase m is not a suffix)",
            ),
            (
                "12kk",
                "invalid value \"12kk\": unknown suffix \"kk\"; expected k, M, B, G, T or %",
            ),
            (
                "12mb",
                "invalid value \"12mb\": unknown suffix \"mb\"; expected k, M, B, G, T or %",
            ),
            ("NaN", "invalid value \"NaN\": not a finite number"),
            ("nan", "invalid value \"nan\": not a finite number"),
            ("inf", "invalid value \"inf\": not a finite number"),
            ("-inf", "invalid value \"-inf\": not a finite number"),
            (
                "Infinity",
                "invalid value \"Infinity\": not a finite number",
            ),
            ("1e400", "invalid value \"1e400\": out of range"),
            ("-1e400", "invalid value \"-1e400\": out of range"),
            ("1e308k", "invalid value \"1e308k\": out of range"),
            (
                "1e99999999999999999999999",
                "invalid value \"1e99999999999999999999999\": out of range",
            ),
            (
                "1e-400",
                "invalid value \"1e-400\": too small; it rounds to zero",
            ),
            (
                "_1",
                "invalid value \"_1\": _ is allowed only between digits",
            ),
            (
                "1_",
                "invalid value \"1_\": _ is allowed only between digits",
            ),
            (
                "1__0",
                "invalid value \"1__0\": _ is allowed only between digits",
            ),
            (
                "1_.5",
                "invalid value \"1_.5\": _ is allowed only between digits",
            ),
            (
                "1._5",
                "invalid value \"1._5\": _ is allowed only between digits",
            ),
            (
                "1e_5",
                "invalid value \"1e_5\": _ is allowed only between digits",
            ),
            (
                "1_k",
                "invalid value \"1_k\": _ is allowed only between digits",
            ),
            (
                "1e",
                "invalid value \"1e\": expected digits after the exponent \"e\"",
            ),
            (
                "1e+",
                "invalid value \"1e+\": expected digits after the exponent \"e\"",
            ),
            (
                "1eM",
                "invalid value \"1eM\": expected digits after the exponent \"e\"",
            ),
            (
                "-",
                "invalid value \"-\": expected a number such as 12M, 1.2e6, 1_200_000 or 70%",
            ),
            (
                "+",
                "invalid value \"+\": expected a number such as 12M, 1.2e6, 1_200_000 or 70%",
            ),
            (
                ".",
                "invalid value \".\": expected a number such as 12M, 1.2e6, 1_200_000 or 70%",
            ),
            (
                "k",
                "invalid value \"k\": expected a number such as 12M, 1.2e6, 1_200_000 or 70%",
            ),
            (
                "abc",
                "invalid value \"abc\": expected a number such as 12M, 1.2e6, 1_200_000 or 70%",
            ),
            (
                "--5",
                "invalid value \"--5\": expected a number such as 12M, 1.2e6, 1_200_000 or 70%",
            ),
            (
                "1.2.3",
                "invalid value \"1.2.3\": unexpected \".3\" after the number",
            ),
            (
                "5-3",
                "invalid value \"5-3\": unexpected \"-3\" after the number",
            ),
            (
                "1 000",
                "invalid value \"1 000\": unexpected \" 000\" after the number",
            ),
            (
                "12%%",
                "invalid value \"12%%\": unexpected \"%%\" after the number",
            ),
            (
                "12é",
                "invalid value \"12é\": unexpected \"é\" after the number",
            ),
            (
                "0x10",
                "invalid value \"0x10\": unknown suffix \"x10\"; expected k, M, B, G, T or %",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(
                parse_value(text).map_err(|e| e.to_string()),
                Err(expected.to_string()),
                "{text}"
            );
        }
    }

    #[test]
    fn format_round_trips() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.7,
            0.07,
            -3.25,
            1e9,
            1_200_000.0,
            1.0 / 3.0,
            std::f64::consts::PI,
            1e300,
            -1e300,
            1e-300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            5e-324,
            123_456_789.123_456_78,
        ];
        for v in values {
            let text = format_value(v);
            assert_eq!(parse_value(&text), Ok(v), "{v:e} printed as {text}");
        }
        assert_eq!(format_value(1e9), "1000000000");
        assert_eq!(format_value(0.7), "0.7");
        assert_eq!(format_value(-3.25), "-3.25");
        assert_eq!(format_value(-0.0), "0");
        assert_eq!(format_value(f64::NAN), "NaN");
        assert_eq!(format_value(f64::INFINITY), "inf");
    }
}
