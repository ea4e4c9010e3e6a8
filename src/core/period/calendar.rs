//! Day numbers and the calendar arithmetic on periods: the period
//! containing a day, splitting a period into smaller ones, and shifting a
//! period back by a span.
use jiff::SignedDuration;
use jiff::civil::{Date, ISOWeekDate, Weekday};

use super::PeriodError;
use super::{FIRST_DAY, FiscalCalendar, Granularity, LAST_DAY, Period, Reason, Span};

const EPOCH: Date = Date::constant(1970, 1, 1);

/// Days since 1970-01-01: the integer form the store keeps.
pub fn day_number(date: Date) -> i32 {
    // Counted from the date's fields (the proleptic Gregorian calendar in
    // years that start in March, so that a leap day ends a year) rather
    // than with jiff's span arithmetic: each written row asks for its
    // period's day numbers, and this is a handful of instructions.
    let (month, day) = (i32::from(date.month()), i32::from(date.day()));
    let year = i32::from(date.year()) - i32::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719,468 days from 0000-03-01 to 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`day_number`]; `None` outside jiff's supported range.
pub fn date_from_day_number(day: i32) -> Option<Date> {
    EPOCH
        .checked_add(SignedDuration::from_hours(i64::from(day) * 24))
        .ok()
}

impl Period {
    /// The period of calendar granularity `g` that contains `day` (a fiscal
    /// `g` in the default calendar, where fiscal years are calendar years).
    pub fn containing(g: Granularity, day: Date) -> Period {
        Period::containing_in(FiscalCalendar::default(), g, day)
    }

    /// The period of granularity `g` that contains `day`, fiscal units
    /// aligned on `calendar`'s first month.
    ///
    /// Never fails: a day before 0001-01-01 is first moved to that day, and
    /// a period that would run past 9999-12-31 (only the ISO week 9999-W52
    /// does) is cut short there, becoming a range.
    pub fn containing_in(calendar: FiscalCalendar, g: Granularity, day: Date) -> Period {
        let day = day.max(FIRST_DAY);
        // 0001-01-01 is a Monday and a first of January, so no calendar
        // g-period containing a supported day starts before it; a fiscal one
        // may, and is cut to start there.
        let start = start_of(g, day, calendar)
            .filter(|&start| start >= FIRST_DAY)
            .unwrap_or(FIRST_DAY);
        let last = last_of(g, start).unwrap_or(LAST_DAY);
        Period::checked(start, last).expect("start <= last within the supported days")
    }

    /// The `g`-period containing the day after this period; `None` when this
    /// period ends on 9999-12-31, the last supported day.
    pub fn following(&self, g: Granularity) -> Option<Period> {
        self.following_in(FiscalCalendar::default(), g)
    }

    /// [`Period::following`] with fiscal units aligned on `calendar`.
    pub fn following_in(&self, calendar: FiscalCalendar, g: Granularity) -> Option<Period> {
        let next = self.last.tomorrow().ok()?;
        Some(Period::containing_in(calendar, g, next))
    }

    /// The `g`-periods that tile this period exactly, in order; `None` when
    /// the period does not start and end on `g` boundaries.
    pub fn split(&self, g: Granularity) -> Option<Vec<Period>> {
        if start_of(g, self.start, FiscalCalendar::default())? != self.start {
            return None;
        }
        let mut parts = Vec::new();
        let mut start = self.start;
        loop {
            let last = last_of(g, start).filter(|&last| last <= self.last)?;
            parts.push(Period::checked(start, last).expect("a g-period is a period"));
            if last == self.last {
                return Some(parts);
            }
            start = last
                .tomorrow()
                .expect("a day before the period's last day has a tomorrow");
        }
    }

    /// The same kind of period, `span` earlier (`over`): 2024-06 over 1y is
    /// 2023-06; a week keeps its ISO week number over years; a day keeps its
    /// calendar date, 29 February becoming 28 February.
    ///
    /// A year, half, quarter or month moves by whole multiples of itself
    /// (`2024-06 over 2h` is 2023-06, `2024 over 1q` is an error); a week by
    /// ISO years, weeks, or days in sevens; a day by anything; any other
    /// range moves its start and exclusive end each by the span.
    pub fn shift_back(&self, span: Span) -> Result<Period, PeriodError> {
        self.shifted_back(span)
            .map_err(|reason| PeriodError::Shift {
                period: *self,
                span,
                reason,
            })
    }

    /// [`Period::shift_back`] with the reason for a failure only.
    fn shifted_back(&self, span: Span) -> Result<Period, Reason> {
        let too_early = || Reason::ShiftedBeforeFirstDay;
        let supported = |date: Option<Date>| date.filter(|&date| date >= FIRST_DAY);
        let Some(g) = self.granularity() else {
            return self.ends_back(span);
        };
        let start = match g {
            Granularity::Day => back(self.start, span),
            Granularity::Week => match (span.unit, span.days()) {
                (Granularity::Year, _) => Some(self.week_years_back(span.count)?),
                (_, Some(days)) if days % 7 == 0 => add_days(self.start, -days),
                _ => return Err(Reason::WeekShift),
            },
            _ => {
                let unit = g
                    .months()
                    .expect("the other granularities are whole months");
                let Some(months) = span.months().filter(|months| months % unit == 0) else {
                    return Err(Reason::WholeUnits {
                        name: g.name(),
                        plural: g.plural(),
                    });
                };
                add_months(self.start, -months)
            }
        };
        let start = supported(start).ok_or_else(too_early)?;
        // Moving back never runs past the last day, but stay total anyway.
        let last = last_of(g, start).ok_or(Reason::PastLastDay)?;
        Period::checked(start, last)
    }

    /// This period's days moved back by `span`, start and exclusive end
    /// each as calendar units, whatever its name: how `over` moves a custom
    /// or to-date range, which stays the same part of its year.
    pub fn shift_ends_back(&self, span: Span) -> Result<Period, PeriodError> {
        self.ends_back(span).map_err(|reason| PeriodError::Shift {
            period: *self,
            span,
            reason,
        })
    }

    /// [`Period::shift_ends_back`] with the reason for a failure only.
    fn ends_back(&self, span: Span) -> Result<Period, Reason> {
        let too_early = || Reason::ShiftedBeforeFirstDay;
        let start = back(self.start, span)
            .filter(|&date| date >= FIRST_DAY)
            .ok_or_else(too_early)?;
        let end = self.end_back(span).ok_or_else(too_early)?;
        if end <= day_number(start) {
            // Clamping put both bounds on the same short month's last
            // day, e.g. 2024-03-29..2024-03-30 over 1m.
            return Err(Reason::ShiftedEmpty);
        }
        let last = date_from_day_number(end - 1)
            .expect("the day before a shifted end after a supported start is supported");
        Period::checked(start, last)
    }

    /// The day number of the exclusive end moved back by `span` as calendar
    /// units, as [`back`] moves a date; `None` when out of reach. (A result
    /// before jiff's range is caught by the start, which moves further.)
    pub(super) fn end_back(&self, span: Span) -> Option<i32> {
        let Some(months) = span.months() else {
            let day = i64::from(self.end_day()).checked_sub(span.days()?)?;
            return i32::try_from(day).ok();
        };
        match self.last.tomorrow() {
            Ok(end) => add_months(end, -months).map(day_number),
            // The end is 10000-01-01, no jiff date: a first of the month
            // moves to a first of the month, a month after 9999-12-01's move.
            Err(_) if months == 0 => Some(self.end_day()),
            Err(_) => add_months(Date::constant(9999, 12, 1), 1 - months).map(day_number),
        }
    }

    /// The first day of the same ISO week number `years` ISO years earlier.
    fn week_years_back(&self, years: u32) -> Result<Date, Reason> {
        let iso = self.start.iso_week_date();
        let year = i64::from(iso.year()) - i64::from(years);
        let Some(year) = i16::try_from(year).ok().filter(|&year| year >= 1) else {
            return Err(Reason::ShiftedBeforeFirstDay);
        };
        ISOWeekDate::new(year, iso.week(), Weekday::Monday)
            .map(|week| week.date())
            .map_err(|_| Reason::NoWeek {
                year,
                week: iso.week(),
            })
    }
}

/// The first day of the `g`-period containing `day`; fiscal units are
/// aligned on `calendar`'s first month. `None` when that day is out of
/// jiff's range.
pub(super) fn start_of(g: Granularity, day: Date, calendar: FiscalCalendar) -> Option<Date> {
    match g {
        Granularity::Week => add_days(day, -i64::from(day.weekday().to_monday_zero_offset())),
        Granularity::Day => Some(day),
        _ => {
            let months = g
                .months()
                .expect("the other granularities are whole months");
            let first = if g.is_fiscal() {
                calendar.first_month_offset()
            } else {
                0
            };
            // Months since year 0, aligned down to a multiple of the unit
            // counted from the (fiscal) year's first month.
            let index = i64::from(day.year()) * 12 + i64::from(day.month() - 1);
            let aligned = index - (index - first).rem_euclid(months);
            add_months(day.first_of_month(), aligned - index)
        }
    }
}

/// The last day of the `g`-period that starts on `start` (a first day of a
/// `g`-period); `None` when it would be past 9999-12-31.
pub(super) fn last_of(g: Granularity, start: Date) -> Option<Date> {
    match g {
        Granularity::Week => add_days(start, 6),
        Granularity::Day => Some(start),
        _ => {
            let last_month = add_months(start.first_of_month(), g.months()? - 1)?;
            Some(last_month.last_of_month())
        }
    }
}

/// `date` moved back by `span` as calendar units: months-based units keep
/// the day of the month, clamped to the month's length.
fn back(date: Date, span: Span) -> Option<Date> {
    match span.months() {
        Some(months) => add_months(date, -months),
        None => add_days(date, -span.days()?),
    }
}

/// `date` moved by `months` (back when negative), clamping the day to the
/// length of the month it lands in.
pub(super) fn add_months(date: Date, months: i64) -> Option<Date> {
    let index = (i64::from(date.year()) * 12 + i64::from(date.month() - 1)).checked_add(months)?;
    let year = i16::try_from(index.div_euclid(12)).ok()?;
    let month = index.rem_euclid(12) as i8 + 1;
    Date::new(year, month, date.day().min(days_in_month(year, month))).ok()
}

/// The days of a month of the proleptic Gregorian calendar.
fn days_in_month(year: i16, month: i8) -> i8 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `date` moved by `days` (back when negative).
fn add_days(date: Date, days: i64) -> Option<Date> {
    let day = i64::from(day_number(date)).checked_add(days)?;
    date_from_day_number(i32::try_from(day).ok()?)
}

impl Granularity {
    /// The length in months of the months-based granularities (fiscal ones
    /// included); `None` for weeks and days.
    pub(super) fn months(self) -> Option<i64> {
        match self {
            Granularity::Year | Granularity::FiscalYear => Some(12),
            Granularity::Half | Granularity::FiscalHalf => Some(6),
            Granularity::Quarter | Granularity::FiscalQuarter => Some(3),
            Granularity::Month => Some(1),
            Granularity::Week | Granularity::Day => None,
        }
    }
}

impl Span {
    /// The span in months, for years, halves, quarters and months.
    pub(super) fn months(self) -> Option<i64> {
        Some(self.unit.months()? * i64::from(self.count))
    }

    /// The span in days, for weeks and days.
    fn days(self) -> Option<i64> {
        match self.unit {
            Granularity::Week => Some(7 * i64::from(self.count)),
            Granularity::Day => Some(i64::from(self.count)),
            _ => None,
        }
    }
}
