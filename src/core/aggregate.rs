//! How a metric's sub-periods combine into a coarser period, by kind.
use super::command::Kind;
use super::period::Period;

/// Why sub-periods could not be combined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CombineError {
    /// A distinct count over a period is not derivable from its parts.
    Distinct,
    /// The metric has no kind, so there is no rule to combine by.
    NoKind,
}

/// Combines consecutive sub-periods' values: stock takes the last, flow
/// sums, average and ratio take the mean weighted by days.
pub fn combine(kind: Option<Kind>, parts: &[(Period, f64)]) -> Result<f64, CombineError> {
    match kind {
        None => Err(CombineError::NoKind),
        Some(Kind::Distinct) => Err(CombineError::Distinct),
        Some(Kind::Stock) => Ok(parts.last().map_or(0.0, |(_, v)| *v)),
        Some(Kind::Flow) => Ok(parts.iter().map(|(_, v)| v).sum()),
        Some(Kind::Average | Kind::Ratio) => {
            let days: f64 = parts.iter().map(|(p, _)| f64::from(p.days())).sum();
            let weighted: f64 = parts.iter().map(|(p, v)| v * f64::from(p.days())).sum();
            Ok(weighted / days)
        }
    }
}

/// How `combine` works for a kind, for notes: "sum of 12 months".
pub fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::Stock => "last of",
        Kind::Flow => "sum of",
        Kind::Average | Kind::Ratio => "day-weighted mean of",
        Kind::Distinct => "distinct count of",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(values: &[f64]) -> Vec<(Period, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (Period::parse(&format!("2024-{:02}", i + 1)).unwrap(), *v))
            .collect()
    }

    #[test]
    fn each_kind() {
        // Jan 31 days, Feb 29 days (leap year), Mar 31 days.
        let parts = months(&[10.0, 20.0, 30.0]);
        assert_eq!(combine(Some(Kind::Stock), &parts), Ok(30.0));
        assert_eq!(combine(Some(Kind::Flow), &parts), Ok(60.0));
        let weighted = (10.0 * 31.0 + 20.0 * 29.0 + 30.0 * 31.0) / 91.0;
        assert_eq!(combine(Some(Kind::Average), &parts), Ok(weighted));
        assert_eq!(combine(Some(Kind::Ratio), &parts), Ok(weighted));
        assert_eq!(
            combine(Some(Kind::Distinct), &parts),
            Err(CombineError::Distinct)
        );
        assert_eq!(combine(None, &parts), Err(CombineError::NoKind));
    }

    #[test]
    fn negative_and_zero_values() {
        let parts = months(&[-5.0, 0.0, 5.0]);
        assert_eq!(combine(Some(Kind::Flow), &parts), Ok(0.0));
        assert_eq!(combine(Some(Kind::Stock), &parts), Ok(5.0));
    }
}
