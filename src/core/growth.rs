//! The growth measures between two values, exactly as the contract defines them.
use super::period::Period;

/// Days in the mean Gregorian year, for `years`.
pub const DAYS_PER_YEAR: f64 = 365.2425;

/// Every measure of one growth row except `share_pct`, which needs the total.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    pub change: f64,
    pub change_pct: Option<f64>,
    pub multiple: Option<f64>,
    pub years: f64,
    pub cagr_pct: Option<f64>,
    pub change_pp: Option<f64>,
}

/// The measures from `from_value` in `from_period` to `to_value` in
/// `to_period`; `is_ratio` adds percentage points.
pub fn measures(
    from_value: f64,
    to_value: f64,
    from_period: &Period,
    to_period: &Period,
    is_ratio: bool,
) -> Measures {
    let change = to_value - from_value;
    let change_pct = change_pct(from_value, to_value);
    let multiple = (from_value > 0.0 && to_value >= 0.0).then(|| to_value / from_value);
    let years = (to_period.midpoint() - from_period.midpoint()) / DAYS_PER_YEAR;
    let cagr_pct = match multiple {
        Some(m) if years > 0.0 => Some((m.powf(1.0 / years) - 1.0) * 100.0),
        _ => None,
    }
    .filter(|v| v.is_finite());
    Measures {
        change,
        change_pct,
        multiple,
        years,
        cagr_pct,
        change_pp: is_ratio.then_some(change * 100.0),
    }
}

impl Measures {
    /// The measures too large for a number (past ±1.8e308), which show as
    /// empty: the row's note names them.
    pub fn overflowed(&self) -> Vec<&'static str> {
        let too_large = |v: Option<f64>| v.is_some_and(|v| !v.is_finite());
        let cagr = self.years > 0.0 && self.cagr_pct.is_none() && too_large(self.multiple);
        [
            ("change", too_large(Some(self.change))),
            ("change_pct", too_large(self.change_pct)),
            ("multiple", too_large(self.multiple)),
            ("cagr_pct", cagr),
            ("change_pp", too_large(self.change_pp)),
        ]
        .into_iter()
        .filter_map(|(name, over)| over.then_some(name))
        .collect()
    }
}

/// Why some measures are empty although both values are there.
pub fn overflow_note(names: &[&str]) -> Option<String> {
    let (last, rest) = names.split_last()?;
    let listed = match rest {
        [] => last.to_string(),
        _ => format!("{} and {last}", rest.join(", ")),
    };
    let verb = if rest.is_empty() { "is" } else { "are" };
    Some(format!(
        "{listed} {verb} too large for a number (beyond ±1.8e308), so left empty"
    ))
}

/// The change from `from` to `to` in percent of `from`'s magnitude; None
/// when `from` is zero.
pub fn change_pct(from: f64, to: f64) -> Option<f64> {
    (from != 0.0).then(|| (to - from) / from.abs() * 100.0)
}

/// A part's share of the total change, in percent; None when the total did not change.
pub fn share_pct(change: f64, total_change: f64) -> Option<f64> {
    (total_change != 0.0).then(|| change / total_change * 100.0)
}

/// Whether two sums differ by more than rounding: recorded totals are
/// compared with the sum of their segments.
pub fn differs(a: f64, b: f64) -> bool {
    (a - b).abs() > 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn tenfold_in_a_year() {
        let m = measures(50_000.0, 500_000.0, &p("2023-05"), &p("2024-05"), false);
        assert_eq!(m.change, 450_000.0);
        assert_eq!(m.change_pct, Some(900.0));
        assert_eq!(m.multiple, Some(10.0));
        // May to May is 366 days across a leap day.
        assert!(close(m.years, 366.0 / DAYS_PER_YEAR));
        assert!(m.cagr_pct.unwrap() > 800.0);
        assert_eq!(m.change_pp, None);
    }

    #[test]
    fn years_between_midpoints() {
        let m = measures(1.0, 2.0, &p("2022"), &p("2023"), false);
        assert!(close(m.years, 365.0 / DAYS_PER_YEAR));
        let m = measures(1.0, 2.0, &p("2023"), &p("2023"), false);
        assert_eq!(m.years, 0.0);
        assert_eq!(m.cagr_pct, None);
    }

    #[test]
    fn nulls_for_zero_and_negative_values() {
        // (from, to, change_pct, multiple)
        let cases = [
            (0.0, 5.0, None, None),
            (-4.0, 2.0, Some(150.0), None),
            (4.0, -2.0, Some(-150.0), None),
            (4.0, 0.0, Some(-100.0), Some(0.0)),
            (-4.0, -8.0, Some(-100.0), None),
        ];
        for (from, to, pct, multiple) in cases {
            let m = measures(from, to, &p("2022"), &p("2023"), false);
            assert_eq!(m.change_pct, pct, "{from} -> {to}");
            assert_eq!(m.multiple, multiple, "{from} -> {to}");
        }
        let shrink_to_zero = measures(4.0, 0.0, &p("2022"), &p("2023"), false);
        assert_eq!(shrink_to_zero.cagr_pct, Some(-100.0));
    }

    #[test]
    fn backwards_in_time_has_negative_years_and_no_cagr() {
        let m = measures(2.0, 1.0, &p("2023"), &p("2022"), false);
        assert!(m.years < 0.0);
        assert_eq!(m.cagr_pct, None);
        assert_eq!(m.multiple, Some(0.5));
    }

    #[test]
    fn measures_past_the_largest_number_are_named() {
        let m = measures(-1.7e308, 1.7e308, &p("2020"), &p("2021"), false);
        assert_eq!(m.overflowed(), ["change", "change_pct"]);
        let m = measures(5e-324, 1e308, &p("2020"), &p("2021"), false);
        assert_eq!(m.overflowed(), ["change_pct", "multiple", "cagr_pct"]);
        assert_eq!(
            measures(1.0, 2.0, &p("2020"), &p("2021"), false).overflowed(),
            Vec::<&str>::new()
        );
        assert_eq!(
            overflow_note(&["change"]).unwrap(),
            "change is too large for a number (beyond ±1.8e308), so left empty"
        );
        assert_eq!(
            overflow_note(&["a", "b", "c"]).unwrap(),
            "a, b and c are too large for a number (beyond ±1.8e308), so left empty"
        );
    }

    #[test]
    fn ratios_add_percentage_points() {
        let m = measures(0.65, 0.70, &p("2023"), &p("2024"), true);
        assert!(close(m.change_pp.unwrap(), 5.0));
    }

    #[test]
    fn shares() {
        assert_eq!(share_pct(30.0, 100.0), Some(30.0));
        assert_eq!(share_pct(-10.0, 100.0), Some(-10.0));
        assert_eq!(share_pct(5.0, 0.0), None);
    }

    #[test]
    fn rounding_is_not_a_difference() {
        assert!(!differs(0.1 + 0.2, 0.3));
        assert!(differs(1_000_000.0, 1_000_001.0));
        assert!(!differs(0.0, 0.0));
    }
}
