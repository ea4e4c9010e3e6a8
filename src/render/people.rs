//! Cells as people read them: thousands separators, signs, `%`, `pp`, `x`.
//!
//! Used by `table` and `markdown` only; machine formats print raw values.

use crate::core::rows::{Cell, NumberStyle, group_digits as group};

/// The text of one cell for people. Null (and a non-finite number) is empty.
pub(super) fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Null => String::new(),
        // Text from the store or from SQL may hold terminal escapes.
        Cell::Text(text) => crate::core::quote::escape_controls_in_cell(text).into_owned(),
        Cell::Int(i) => {
            let sign = if *i < 0 { "-" } else { "" };
            format!("{sign}{}", group(&i.unsigned_abs().to_string()))
        }
        Cell::Number(v, _) if !v.is_finite() => String::new(),
        Cell::Number(v, style) => number_text(*v, *style),
    }
}

fn number_text(v: f64, style: NumberStyle) -> String {
    match style {
        NumberStyle::Plain => plain(v, false),
        NumberStyle::Change => plain(v, true),
        NumberStyle::Fraction => format!("{}%", fixed(v * 100.0, 1, false)),
        NumberStyle::FractionChange => format!("{}pp", fixed(v * 100.0, 1, true)),
        NumberStyle::Percent => format!("{}%", fixed(v, 1, true)),
        NumberStyle::PercentPoints => format!("{}pp", fixed(v, 1, true)),
        NumberStyle::Multiple => format!("{}x", fixed(v, 2, false)),
        NumberStyle::Years => fixed(v, 2, false),
    }
}

/// Integers exactly; otherwise 2 decimals from 1 up and 3 significant digits
/// below 1, so small rates do not collapse to `0`.
fn plain(v: f64, signed: bool) -> String {
    let decimals = if v.fract() == 0.0 {
        0
    } else if v.abs() >= 1.0 {
        2
    } else {
        // Digits after the point that keep 3 significant ones: 0.0123 -> 4.
        (2 - v.abs().log10().floor() as i64).max(0) as usize
    };
    trim_zeros(&fixed(v, decimals, signed))
}

/// `v` with `decimals` places and thousands separators. Signs go on values
/// that are non-zero once rounded, so `-0.001` never shows as `-0.0`.
fn fixed(v: f64, decimals: usize, signed: bool) -> String {
    let digits = format!("{:.*}", decimals, v.abs());
    let (int, frac) = digits.split_at(digits.find('.').unwrap_or(digits.len()));
    let is_zero = digits.bytes().all(|b| b == b'0' || b == b'.');
    let sign = if is_zero {
        ""
    } else if v < 0.0 {
        "-"
    } else if signed {
        "+"
    } else {
        ""
    };
    format!("{sign}{}{frac}", group(int))
}

/// Drops zeros after the point, and the point if nothing is left after it.
fn trim_zeros(text: &str) -> String {
    if !text.contains('.') {
        return text.to_string();
    }
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use NumberStyle::*;

    #[test]
    fn numbers_by_style() {
        let cases: &[(f64, NumberStyle, &str)] = &[
            (1e9, Plain, "1,000,000,000"),
            (0.0, Plain, "0"),
            (-0.0, Plain, "0"),
            (-1234.0, Plain, "-1,234"),
            (1234.5678, Plain, "1,234.57"),
            (70.5, Plain, "70.5"),
            (999.999, Plain, "1,000"),
            (0.123456, Plain, "0.123"),
            (0.000123456, Plain, "0.000123"),
            (0.5, Plain, "0.5"),
            (-0.25, Plain, "-0.25"),
            (0.9996, Plain, "1"),
            (1e21, Plain, "1,000,000,000,000,000,000,000"),
            (1234.0, Change, "+1,234"),
            (-0.5, Change, "-0.5"),
            (0.0, Change, "0"),
            (12.345, Change, "+12.35"),
            (0.7, Fraction, "70.0%"),
            (0.725, Fraction, "72.5%"),
            (0.0, Fraction, "0.0%"),
            (12.5, Fraction, "1,250.0%"),
            (0.05, FractionChange, "+5.0pp"),
            (-0.05, FractionChange, "-5.0pp"),
            (0.0, FractionChange, "0.0pp"),
            (900.0, Percent, "+900.0%"),
            (-12.5, Percent, "-12.5%"),
            (1234.0, Percent, "+1,234.0%"),
            (-0.01, Percent, "0.0%"),
            (5.0, PercentPoints, "+5.0pp"),
            (-2.26, PercentPoints, "-2.3pp"),
            (10.0, Multiple, "10.00x"),
            (0.5, Multiple, "0.50x"),
            (1234.0, Multiple, "1,234.00x"),
            (1.0, Years, "1.00"),
            (-0.5, Years, "-0.50"),
        ];
        for &(v, style, want) in cases {
            assert_eq!(cell_text(&Cell::Number(v, style)), want, "{v} as {style:?}");
        }
    }

    #[test]
    fn other_cells() {
        let cases = [
            (Cell::Null, ""),
            (Cell::text("a, b | c"), "a, b | c"),
            (Cell::Int(0), "0"),
            (Cell::Int(999), "999"),
            (Cell::Int(1000), "1,000"),
            (Cell::Int(-1234567), "-1,234,567"),
            (Cell::Int(i64::MIN), "-9,223,372,036,854,775,808"),
            (Cell::Number(f64::NAN, Plain), ""),
            (Cell::Number(f64::INFINITY, Percent), ""),
        ];
        for (cell, want) in cases {
            assert_eq!(cell_text(&cell), want, "{cell:?}");
        }
    }
}
