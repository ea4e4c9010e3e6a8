//! A float in CSV and TSV exactly as `Display` writes it (the shortest
//! digits that read back as the same number, in plain decimal notation,
//! never with an exponent), made from ryu's digits and itoa: large results
//! are mostly numbers, and core's formatter took a fifth of a long
//! `growth ... every` in CSV.

/// Integral floats below 2^53 are exact integers: their shortest digits
/// are the integer's.
const EXACT_INTEGER_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Appends `v` (finite) to `out` as `v.to_string()` would.
pub(super) fn push_shortest(out: &mut String, v: f64) {
    debug_assert!(v.is_finite());
    if v.fract() == 0.0 && v.abs() < EXACT_INTEGER_LIMIT {
        if v == 0.0 && v.is_sign_negative() {
            out.push_str("-0");
        } else {
            out.push_str(itoa::Buffer::new().format(v as i64));
        }
        return;
    }
    let mut ryu = ryu::Buffer::new();
    let text = ryu.format_finite(v);
    if text.as_bytes().contains(&b'e') {
        return push_exponent_form(out, v, text);
    }
    // Without an exponent ryu writes what `Display` does, but for the
    // `.0` of an integral value and the way it breaks ties.
    let text = text.strip_suffix(".0").unwrap_or(text);
    let places = text.bytes().rev().position(|b| b == b'.');
    match places {
        Some(places) if rounds_up_on_a_tie(v, text.as_bytes(), places as i32) => {
            let mut raised = text.as_bytes().to_vec();
            *raised.last_mut().expect("digits after the point") += 1;
            out.push_str(std::str::from_utf8(&raised).expect("ASCII digits"));
        }
        _ => out.push_str(text),
    }
}

/// `text` is ryu's `-1.25e-7` or `1e16`: its digits and where the decimal
/// point falls, laid out without exponent.
fn push_exponent_form(out: &mut String, v: f64, text: &str) {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = text.split_once('e').expect("an exponent form");
    let exponent = exponent
        .parse::<i32>()
        .expect("ryu writes a decimal exponent");
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).collect();
    // The value is 0.DIGITS x 10^point.
    let mut point = whole.len() as i32 + exponent;
    let leading = digits.iter().take_while(|&&d| d == b'0').count();
    let digits = &digits[leading..];
    point -= leading as i32;
    let digits = &digits[..digits.len() - digits.iter().rev().take_while(|&&d| d == b'0').count()];
    let len = digits.len() as i32;
    if negative {
        out.push('-');
    }
    if point < len && rounds_up_on_a_tie(v, digits, len - point) {
        let mut raised = digits.to_vec();
        *raised.last_mut().expect("digits") += 1;
        lay_out(out, &raised, point);
    } else {
        lay_out(out, digits, point);
    }
}

/// Writes 0.DIGITS x 10^point in plain decimal notation.
fn lay_out(out: &mut String, digits: &[u8], point: i32) {
    let digits = std::str::from_utf8(digits).expect("ASCII digits");
    let len = digits.len() as i32;
    if point <= 0 {
        out.push_str("0.");
        push_zeros(out, -point);
        out.push_str(digits);
    } else if point >= len {
        out.push_str(digits);
        push_zeros(out, point - len);
    } else {
        let (int, frac) = digits.split_at(point as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
}

fn push_zeros(out: &mut String, count: i32) {
    out.extend(std::iter::repeat_n('0', count.max(0) as usize));
}

/// Whether |v| is exactly (C + 1/2) x 10^-places, with C the integer of
/// the digits of `text` (a sign and a point are skipped): a tie that ryu
/// broke down to an even C, where `Display` takes C + 1. |v| = M x 2^E
/// with M odd is that when E = -(places + 1) and M x 5^places = 2C + 1.
fn rounds_up_on_a_tie(v: f64, text: &[u8], places: i32) -> bool {
    if text.last().is_none_or(|d| (d - b'0') % 2 == 1) {
        return false;
    }
    let bits = v.abs().to_bits();
    let (fraction, biased) = (bits & ((1 << 52) - 1), (bits >> 52) as i32);
    let (mut m, mut e) = match biased {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, biased - 1075),
    };
    if m == 0 {
        return false;
    }
    let zeros = m.trailing_zeros();
    m >>= zeros;
    e += zeros as i32;
    if e != -(places + 1) {
        return false;
    }
    let Some(scaled) = u32::try_from(places)
        .ok()
        .and_then(|p| 5u128.checked_pow(p))
        .and_then(|p| p.checked_mul(u128::from(m)))
    else {
        return false;
    };
    let c = text
        .iter()
        .filter(|d| d.is_ascii_digit())
        .fold(0u128, |c, d| {
            c.saturating_mul(10).saturating_add(u128::from(d - b'0'))
        });
    scaled == c.saturating_mul(2).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::push_shortest;

    fn shortest(v: f64) -> String {
        let mut out = String::new();
        push_shortest(&mut out, v);
        out
    }

    #[test]
    fn writes_what_display_writes() {
        let cases = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            12.0,
            0.1,
            -0.1,
            0.5,
            1.5,
            1200.0,
            1202.2172319135898,
            // Halfway between two 17-digit candidates.
            1_658_206_780_088_562.0 + 0.25,
            -1_658_206_780_088_562.0 - 0.25,
            1_658_206_780_088_562.0 + 0.75,
            0.9993360575508052,
            1e-5,
            1e-6,
            1.25e-7,
            123456.789,
            1e15,
            1e16,
            1e17,
            1e21,
            1e22,
            9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            9_007_199_254_740_994.0,
            1_152_921_504_606_846_976.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            5e-324,
            -5e-324,
            std::f64::consts::PI * 1e100,
            std::f64::consts::E * 1e-100,
        ];
        for v in cases {
            assert_eq!(shortest(v), v.to_string(), "{v:e}");
        }
    }

    #[test]
    fn writes_what_display_writes_across_the_range() {
        // Bit patterns spread over every exponent (a fixed generator, so a
        // failure repeats), and small ratios like the measures give.
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let mut checked = 0;
        while checked < 50_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let v = f64::from_bits(state);
            if v.is_finite() {
                assert_eq!(shortest(v), v.to_string(), "bits {state:#x}");
                checked += 1;
            }
            let ratio = (state % 1_000_000) as f64 / ((state >> 40) % 9_999 + 1) as f64;
            assert_eq!(shortest(ratio), ratio.to_string(), "{ratio:e}");
            // Odd multiples of 2^-(p+1) with 53-bit significands: where
            // ties between two shortest candidates sit.
            let m = (state >> 11) | (1 << 52) | 1;
            let tie = m as f64 / f64::from(1u32 << (state % 5 + 2));
            assert_eq!(shortest(tie), tie.to_string(), "{tie:e}");
        }
    }
}
