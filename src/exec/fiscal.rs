//! Periods that depend on the store's fiscal calendar: fiscal periods as
//! written (`FY2024-Q1`), the to-date endpoints, and how periods are named
//! in output.
use crate::core::command::PeriodArg;
use crate::core::period::{FiscalCalendar, FiscalPeriod, Granularity, Period};
use crate::core::resolve::ResolveError;
use crate::store::SeriesRow;

use super::{Executor, Result, recorded};

impl Executor {
    /// The days of a period as written: a fiscal one in the store's
    /// calendar as it is now.
    pub(super) fn days_of(&self, arg: &PeriodArg) -> Result<Period> {
        match arg {
            PeriodArg::Days(period) => Ok(*period),
            PeriodArg::Fiscal(fiscal) => Ok(fiscal.period(self.calendar()?)?),
        }
    }

    /// The to-date range of unit `g` for one series: from the first day of
    /// the `g`-period holding the last day of its latest recorded period,
    /// to that day.
    pub(super) fn to_date_range(
        &self,
        series: &SeriesRow,
        g: Granularity,
        asof: Option<i64>,
    ) -> Result<Period> {
        let Some(latest) = self.store.latest(series, asof)? else {
            return Err(ResolveError::NoRecords {
                series: series.name.clone(),
            }
            .into());
        };
        let (period, _) = recorded(latest)?;
        let calendar = if g.is_fiscal() {
            self.calendar()?
        } else {
            FiscalCalendar::default()
        };
        Ok(Period::to_date(calendar, g, period.last_day()))
    }
}

/// How a period is shown: in fiscal form when it was asked in that form
/// (and still is that fiscal period), else by its calendar name, else by
/// its fiscal name, else as a range of days.
pub(super) fn period_name(
    calendar: FiscalCalendar,
    period: &Period,
    asked: Option<FiscalPeriod>,
) -> String {
    match asked {
        Some(fiscal) if fiscal.period(calendar).ok().as_ref() == Some(period) => fiscal.to_string(),
        _ => calendar.name(period),
    }
}
