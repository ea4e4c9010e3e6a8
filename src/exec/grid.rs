//! The step grid of an `every` result: the GRAIN periods it lists, from
//! the earliest step of any of its series to the latest. Rows stream, so
//! their number is bounded by time, not memory; the grid is capped so that
//! a range typed too wide (every day for ten thousand years) fails at once,
//! before its first row, instead of running for hours.
use crate::core::period::{Granularity, Period};

use super::{ExecError, Result};

/// The most periods one result of `every` may list.
pub(super) const MAX_STEPS: usize = 100_000;

pub(super) struct Grid {
    command: &'static str,
    selector: String,
    grain: Granularity,
    /// The first and last steps taken so far.
    span: Option<(Period, Period)>,
}

impl Grid {
    pub fn new(command: &'static str, selector: String, grain: Granularity) -> Grid {
        Grid {
            command,
            selector,
            grain,
            span: None,
        }
    }

    /// Takes one series' (or group's) steps, GRAIN periods from `first` to
    /// `last`, into the grid: fails when it would then list more than
    /// [`MAX_STEPS`] periods.
    pub fn take(&mut self, first: Period, last: Period) -> Result<()> {
        let (first, last) = match self.span {
            Some((a, b)) => (
                if first.start() < a.start() { first } else { a },
                if last.start() > b.start() { last } else { b },
            ),
            None => (first, last),
        };
        if count(self.grain, &first, &last) > MAX_STEPS as i64 {
            return Err(ExecError::TooManyPeriods {
                command: self.command,
                selector: self.selector.clone(),
                every: self.grain.name(),
                max: MAX_STEPS,
            });
        }
        self.span = Some((first, last));
        Ok(())
    }
}

/// How many GRAIN periods there are from `first` to `last`, both included:
/// days and weeks by their days, the others by their months (a fiscal
/// period is as many months long as its calendar namesake).
fn count(grain: Granularity, first: &Period, last: &Period) -> i64 {
    let days = i64::from(last.start_day()) - i64::from(first.start_day());
    let months = |p: &Period| i64::from(p.start().year()) * 12 + i64::from(p.start().month());
    let steps = match grain {
        Granularity::Day => days,
        Granularity::Week => days / 7,
        Granularity::Month => months(last) - months(first),
        Granularity::Quarter | Granularity::FiscalQuarter => (months(last) - months(first)) / 3,
        Granularity::Half | Granularity::FiscalHalf => (months(last) - months(first)) / 6,
        Granularity::Year | Granularity::FiscalYear => (months(last) - months(first)) / 12,
    };
    steps + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::period::FiscalCalendar;

    fn period(grain: Granularity, date: &str) -> Period {
        let date: jiff::civil::Date = date.parse().unwrap();
        Period::containing_in(FiscalCalendar::default(), grain, date)
    }

    #[test]
    fn counts_the_periods_between_two_steps() {
        let cases = [
            (Granularity::Day, "2024-01-01", "2024-12-31", 366),
            (Granularity::Week, "2024-01-01", "2024-12-31", 53),
            (Granularity::Month, "2023-11-15", "2024-02-01", 4),
            (Granularity::Quarter, "2023-11-15", "2024-04-01", 3),
            (Granularity::Half, "2023-01-01", "2024-12-31", 4),
            (Granularity::Year, "0001-01-01", "9999-12-31", 9999),
            (Granularity::FiscalYear, "2020-06-01", "2024-06-01", 5),
        ];
        for (grain, first, last, steps) in cases {
            let (a, b) = (period(grain, first), period(grain, last));
            assert_eq!(count(grain, &a, &b), steps, "{grain:?} {first} {last}");
        }
    }

    #[test]
    fn the_grid_spans_every_series_taken() {
        let year = |y: &str| period(Granularity::Day, y);
        let mut grid = Grid::new("series", "m*".into(), Granularity::Day);
        // Two series a long way apart: each short, together too long.
        grid.take(year("1800-01-01"), year("1800-01-10")).unwrap();
        grid.take(year("2000-01-01"), year("2000-01-10")).unwrap();
        let err = grid
            .take(year("2100-01-01"), year("2100-01-10"))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "series m* every day would list more than 100000 periods; narrow it with from and to"
        );
    }
}
