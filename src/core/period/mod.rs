//! Periods: half-open ranges of days `[start, end)` and their canonical names.
//!
//! Every period lies within 0001-01-01 ..= 9999-12-31, jiff's last date. A
//! period keeps its first and last days (inclusive), so one ending on
//! 9999-12-31 never needs its exclusive end 10000-01-01 as a date: that end
//! exists only as a day number ([`Period::end_day`]). The only named period
//! that would run past 9999-12-31, the ISO week 9999-W52, is rejected rather
//! than silently cut short.
//!
//! A [`Period`] is named by its [`Granularity`]: a year, half, quarter,
//! month, ISO week or day when its bounds are exactly those of one (the
//! coarsest name wins, so a range covering a whole year is that year), and
//! is a range otherwise. Its text form (see [`Period::parse`] and
//! its `Display`) round-trips. A [`Span`] is a count of calendar units
//! (`1y`, `3m`) by which [`Period::shift_back`] moves a period; the same
//! [`Granularity`] is what periods are stepped, grouped and split by.
//! Fiscal periods ([`FiscalPeriod`]) are named in a [`FiscalCalendar`].
//! The store keeps days as [`day_number`]s.
//!
//! - `parse`: text to [`Period`] and [`Span`].
//! - `calendar`: day numbers, [`Period::containing`], [`Period::split`] and
//!   [`Period::shift_back`], with the date arithmetic behind them.
//! - `fiscal`: the fiscal calendar, fiscal periods and how periods are named
//!   in it; to-date and trailing ranges.
use jiff::civil::Date;

mod calendar;
mod error;
mod fiscal;
mod parse;
#[cfg(test)]
mod tests;

pub use calendar::{date_from_day_number, day_number};
pub use error::{PeriodError, Reason};

use error::invalid_period;
pub use fiscal::{FiscalCalendar, FiscalLabel, FiscalPeriod, MONTH_NAMES};

/// A unit of the calendar, the one list of them: what a named period is
/// ([`Period::granularity`]), what `every` steps by and sub-periods are
/// grouped by, what a [`Span`] counts, and what a to-date range starts at.
///
/// The fiscal units are months-based like their calendar twins, but aligned
/// on the fiscal year's first month (see [`FiscalCalendar`]); a [`Period`]
/// on its own is only ever named by a calendar unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Granularity {
    Year,
    Half,
    Quarter,
    Month,
    Week,
    Day,
    FiscalYear,
    FiscalHalf,
    FiscalQuarter,
}

/// A range of days, `start ..= last`: the half-open `[start, end)` with
/// `end` the day after `last`, which for a period ending on 9999-12-31 is
/// only a day number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    start: Date,
    last: Date,
    /// The calendar unit it is named by; `None` for any other range.
    kind: Option<Granularity>,
}

/// `N` units, as written after `over`: `1y`, `3m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub count: u32,
    /// A calendar unit: `y`, `h`, `q`, `m`, `w` or `d`.
    pub unit: Granularity,
}

/// The first day a period may contain.
const FIRST_DAY: Date = Date::constant(1, 1, 1);
/// The last day a period may contain.
const LAST_DAY: Date = Date::MAX;

/// The supported days as day numbers: the first, and one past the last.
pub fn supported_days() -> (i32, i32) {
    (day_number(FIRST_DAY), day_number(LAST_DAY) + 1)
}

impl Period {
    /// The period `[start, end)`, named when it equals a named period.
    ///
    /// Errors when `end <= start` or `start` is before 0001-01-01; the error
    /// names the range as `START..LAST` with `LAST` the inclusive last day.
    ///
    /// A period ending on 9999-12-31 has no exclusive end `Date`: build it
    /// with [`Period::from_day_numbers`], [`Period::containing`] or
    /// [`Period::parse`].
    pub fn from_bounds(start: Date, end: Date) -> Result<Period, PeriodError> {
        let Ok(last) = end.yesterday() else {
            // `end` is jiff's first day, so no day can come before it.
            let text = format!("{}..(before {})", DayText(start), DayText(end));
            return Err(invalid_period(text, Reason::EmptyRange));
        };
        Period::checked(start, last).map_err(|reason| {
            invalid_period(format!("{}..{}", DayText(start), DayText(last)), reason)
        })
    }

    /// The period `[start, end)` of day numbers (see [`day_number`]), named
    /// when it equals a named period; `end` may be the day after 9999-12-31.
    ///
    /// Errors when `end <= start`, a bound is outside the supported days, or
    /// `start` is before 0001-01-01.
    pub fn from_day_numbers(start: i32, end: i32) -> Result<Period, PeriodError> {
        let text = || format!("days {start}..{end}");
        if end <= start {
            return Err(invalid_period(text(), Reason::EmptyRange));
        }
        // `end > start`, so `end - 1` cannot overflow.
        let date = |day, named| {
            date_from_day_number(day)
                .ok_or_else(|| invalid_period(text(), Reason::DayOutside(named)))
        };
        let (first, last) = (date(start, start)?, date(end - 1, end)?);
        Period::checked(first, last).map_err(|reason| {
            invalid_period(format!("{}..{}", DayText(first), DayText(last)), reason)
        })
    }

    pub fn start(&self) -> Date {
        self.start
    }

    /// The period's last day (inclusive).
    pub fn last_day(&self) -> Date {
        self.last
    }

    /// The calendar unit of a named period; `None` for other ranges.
    pub fn granularity(&self) -> Option<Granularity> {
        self.kind
    }

    pub fn start_day(&self) -> i32 {
        day_number(self.start)
    }

    /// The day number of the first day after the period (its exclusive
    /// end), which for a period ending on 9999-12-31 is no supported day.
    pub fn end_day(&self) -> i32 {
        day_number(self.last) + 1
    }

    /// Length in days.
    pub fn days(&self) -> i32 {
        self.end_day() - self.start_day()
    }

    /// The midpoint of `[start, end)` in day numbers.
    pub fn midpoint(&self) -> f64 {
        (f64::from(self.start_day()) + f64::from(self.end_day())) / 2.0
    }

    /// Whether every day of `other` is in `self`.
    pub fn contains(&self, other: &Period) -> bool {
        other.start >= self.start && other.last <= self.last
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start <= other.last && other.start <= self.last
    }

    /// The period `start ..= last` with its kind detected, or why it is not one.
    fn checked(start: Date, last: Date) -> Result<Period, Reason> {
        if last < start {
            return Err(Reason::EmptyRange);
        }
        if start < FIRST_DAY {
            return Err(Reason::BeforeFirstDay);
        }
        Ok(Period {
            start,
            last,
            kind: calendar_kind(start, last),
        })
    }
}

/// The calendar unit whose one period is exactly `start ..= last`, the
/// coarsest when several are (a whole year is a year, not four quarters),
/// from the dates' fields: every period made is named so, and the many
/// steps of `every` make many.
fn calendar_kind(start: Date, last: Date) -> Option<Granularity> {
    if start == last {
        return Some(Granularity::Day);
    }
    if start.day() == 1 && last.day() == last.days_in_month() {
        // Whole months: a year, half, quarter or month when they are that
        // many and start on one's first month. (No week is whole months.)
        let months = (i64::from(last.year()) - i64::from(start.year())) * 12
            + i64::from(last.month() - start.month())
            + 1;
        let offset = i64::from(start.month() - 1);
        return Granularity::CALENDAR
            .into_iter()
            .find(|g| g.months() == Some(months) && offset % months == 0);
    }
    (day_number(last) - day_number(start) == 6 && start.weekday() == jiff::civil::Weekday::Monday)
        .then_some(Granularity::Week)
}

impl Period {
    /// The canonical text of a named period with a four-digit year (every
    /// supported day's), written without the formatting machinery: output
    /// names a period or two per row. `None` for weeks and ranges.
    fn short_name(&self) -> Option<([u8; 10], usize)> {
        let (year, month) = (self.start.year(), self.start.month());
        if !(0..=9999).contains(&year) {
            return None;
        }
        let mut text = [0u8; 10];
        let year = year as u16;
        text[..4].copy_from_slice(&[
            b'0' + (year / 1000) as u8,
            b'0' + (year / 100 % 10) as u8,
            b'0' + (year / 10 % 10) as u8,
            b'0' + (year % 10) as u8,
        ]);
        let two = |n: i8| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        let len = match self.kind? {
            Granularity::Year => 4,
            Granularity::Half => {
                text[4..7].copy_from_slice(&[b'-', b'H', b'0' + ((month - 1) / 6 + 1) as u8]);
                7
            }
            Granularity::Quarter => {
                text[4..7].copy_from_slice(&[b'-', b'Q', b'0' + ((month - 1) / 3 + 1) as u8]);
                7
            }
            Granularity::Month => {
                text[4] = b'-';
                text[5..7].copy_from_slice(&two(month));
                7
            }
            Granularity::Day => {
                text[4] = b'-';
                text[5..7].copy_from_slice(&two(month));
                text[7] = b'-';
                text[8..10].copy_from_slice(&two(self.start.day()));
                10
            }
            _ => return None,
        };
        Some((text, len))
    }
}

/// The canonical text: `2024`, `2024-H1`, `2024-Q2`, `2024-06`, `2024-W23`,
/// `2024-06-12`, or `2024-01-15..2024-02-14` (inclusive days) for other ranges.
impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some((text, len)) = self.short_name() {
            return f.write_str(std::str::from_utf8(&text[..len]).expect("ASCII"));
        }
        let (year, month) = (self.start.year(), self.start.month());
        match self.kind {
            Some(Granularity::Year) => write!(f, "{year:04}"),
            Some(Granularity::Half) => write!(f, "{year:04}-H{}", (month - 1) / 6 + 1),
            Some(Granularity::Quarter) => write!(f, "{year:04}-Q{}", (month - 1) / 3 + 1),
            Some(Granularity::Month) => write!(f, "{year:04}-{month:02}"),
            Some(Granularity::Week) => {
                let iso = self.start.iso_week_date();
                write!(f, "{:04}-W{:02}", iso.year(), iso.week())
            }
            Some(Granularity::Day) => write!(f, "{}", DayText(self.start)),
            _ => write!(f, "{}..{}", DayText(self.start), DayText(self.last_day())),
        }
    }
}

/// A date as `YYYY-MM-DD` with a four-digit year (jiff's own format for
/// years outside 0..=9999, which only error messages can show).
struct DayText(Date);

impl std::fmt::Display for DayText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let date = self.0;
        if (0..=9999).contains(&date.year()) {
            write!(
                f,
                "{:04}-{:02}-{:02}",
                date.year(),
                date.month(),
                date.day()
            )
        } else {
            write!(f, "{date}")
        }
    }
}

impl Granularity {
    /// Every unit, coarsest first, calendar then fiscal.
    pub const ALL: [Granularity; 9] = [
        Granularity::Year,
        Granularity::Half,
        Granularity::Quarter,
        Granularity::Month,
        Granularity::Week,
        Granularity::Day,
        Granularity::FiscalYear,
        Granularity::FiscalHalf,
        Granularity::FiscalQuarter,
    ];

    /// The units that name a period on their own, coarsest first.
    pub const CALENDAR: [Granularity; 6] = [
        Granularity::Year,
        Granularity::Half,
        Granularity::Quarter,
        Granularity::Month,
        Granularity::Week,
        Granularity::Day,
    ];

    /// The fiscal units, coarsest first.
    pub const FISCAL: [Granularity; 3] = [
        Granularity::FiscalYear,
        Granularity::FiscalHalf,
        Granularity::FiscalQuarter,
    ];

    /// The keyword after `every`: `year`, ..., `day`, `fiscal_year`,
    /// `fiscal_half`, `fiscal_quarter`.
    pub fn name(self) -> &'static str {
        self.words().0
    }

    /// Case-insensitive.
    pub fn parse(word: &str) -> Option<Granularity> {
        Granularity::ALL
            .into_iter()
            .find(|g| g.name().eq_ignore_ascii_case(word))
    }

    /// The plural used in notes: "12 months".
    pub fn plural(self) -> &'static str {
        self.words().1
    }

    /// The letter written after a span's count; `None` for fiscal units,
    /// which spans do not count in.
    pub fn letter(self) -> Option<char> {
        self.words().2
    }

    /// The to-date endpoint that starts at this unit: `ytd`, ..., `wtd`,
    /// `fytd`, `fhtd`, `fqtd`; `None` for a day.
    pub fn to_date(self) -> Option<&'static str> {
        self.words().3
    }

    /// The unit whose to-date endpoint is `word` (case-insensitive).
    pub fn parse_to_date(word: &str) -> Option<Granularity> {
        Granularity::ALL
            .into_iter()
            .find(|g| g.to_date().is_some_and(|w| w.eq_ignore_ascii_case(word)))
    }

    pub fn is_fiscal(self) -> bool {
        Granularity::FISCAL.contains(&self)
    }

    /// (keyword, plural, span letter, to-date endpoint): one row per unit.
    fn words(
        self,
    ) -> (
        &'static str,
        &'static str,
        Option<char>,
        Option<&'static str>,
    ) {
        match self {
            Granularity::Year => ("year", "years", Some('y'), Some("ytd")),
            Granularity::Half => ("half", "halves", Some('h'), Some("htd")),
            Granularity::Quarter => ("quarter", "quarters", Some('q'), Some("qtd")),
            Granularity::Month => ("month", "months", Some('m'), Some("mtd")),
            Granularity::Week => ("week", "weeks", Some('w'), Some("wtd")),
            Granularity::Day => ("day", "days", Some('d'), None),
            Granularity::FiscalYear => ("fiscal_year", "fiscal years", None, Some("fytd")),
            Granularity::FiscalHalf => ("fiscal_half", "fiscal halves", None, Some("fhtd")),
            Granularity::FiscalQuarter => ("fiscal_quarter", "fiscal quarters", None, Some("fqtd")),
        }
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Spans are only ever made of calendar units; a fiscal one (built
        // directly) is written as its calendar twin's letter.
        let letter = self.unit.letter().unwrap_or(match self.unit {
            Granularity::FiscalYear => 'y',
            Granularity::FiscalHalf => 'h',
            _ => 'q',
        });
        write!(f, "{}{letter}", self.count)
    }
}
