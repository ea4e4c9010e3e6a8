//! Periods: half-open ranges of days `[start, end)` and their canonical names.
//!
//! Every period lies within 0001-01-01 ..= 9999-12-31, jiff's last date. A
//! period keeps its first and last days (inclusive), so one ending on
//! 9999-12-31 never needs its exclusive end 10000-01-01 as a date: that end
//! exists only as a day number ([`Period::end_day`]). The only named period
//! that would run past 9999-12-31, the ISO week 9999-W52, is rejected rather
//! than silently cut short.
//!
//! A [`Period`] is named by its [`PeriodKind`]: a year, half, quarter,
//! month, ISO week or day when its bounds are exactly those of one (the
//! coarsest name wins, so a range covering a whole year is that year), and
//! [`PeriodKind::Range`] otherwise. Its text form (see [`Period::parse`] and
//! its `Display`) round-trips. A [`Span`] is a count of calendar units
//! (`1y`, `3m`) by which [`Period::shift_back`] moves a period, and a
//! [`Granularity`] is a named kind that periods are stepped, grouped and
//! split by. The store keeps days as [`day_number`]s.
//!
//! - `parse`: text to [`Period`] and [`Span`].
//! - `calendar`: day numbers, [`Period::containing`], [`Period::split`] and
//!   [`Period::shift_back`], with the date arithmetic behind them.
use jiff::civil::Date;

mod calendar;
mod error;
mod parse;
#[cfg(test)]
mod tests;

pub use calendar::{date_from_day_number, day_number};
pub use error::{PeriodError, Reason};

use error::invalid_period;

use calendar::{last_of, start_of};

/// The calendar unit a period is named by; `Range` is any other span of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PeriodKind {
    Year,
    Half,
    Quarter,
    Month,
    Week,
    Day,
    Range,
}

/// A granularity that `series ... every G` steps by and that sub-periods are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Granularity {
    Year,
    Half,
    Quarter,
    Month,
    Week,
    Day,
}

/// A range of days, `start ..= last`: the half-open `[start, end)` with
/// `end` the day after `last`, which for a period ending on 9999-12-31 is
/// only a day number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    start: Date,
    last: Date,
    kind: PeriodKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanUnit {
    Year,
    Half,
    Quarter,
    Month,
    Week,
    Day,
}

/// `N` units, as written after `over`: `1y`, `3m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub count: u32,
    pub unit: SpanUnit,
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

    pub fn kind(&self) -> PeriodKind {
        self.kind
    }

    /// The granularity of a named period; `None` for other ranges.
    pub fn granularity(&self) -> Option<Granularity> {
        Granularity::ALL.into_iter().find(|g| g.kind() == self.kind)
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
        // Coarsest first, so a range that is a whole year is named a year.
        let kind = Granularity::ALL
            .into_iter()
            .find(|&g| start_of(g, start) == Some(start) && last_of(g, start) == Some(last))
            .map_or(PeriodKind::Range, Granularity::kind);
        Ok(Period { start, last, kind })
    }
}

/// The canonical text: `2024`, `2024-H1`, `2024-Q2`, `2024-06`, `2024-W23`,
/// `2024-06-12`, or `2024-01-15..2024-02-14` (inclusive days) for other ranges.
impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (year, month) = (self.start.year(), self.start.month());
        match self.kind {
            PeriodKind::Year => write!(f, "{year:04}"),
            PeriodKind::Half => write!(f, "{year:04}-H{}", (month - 1) / 6 + 1),
            PeriodKind::Quarter => write!(f, "{year:04}-Q{}", (month - 1) / 3 + 1),
            PeriodKind::Month => write!(f, "{year:04}-{month:02}"),
            PeriodKind::Week => {
                let iso = self.start.iso_week_date();
                write!(f, "{:04}-W{:02}", iso.year(), iso.week())
            }
            PeriodKind::Day => write!(f, "{}", DayText(self.start)),
            PeriodKind::Range => {
                write!(f, "{}..{}", DayText(self.start), DayText(self.last_day()))
            }
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
    /// Coarsest first.
    pub const ALL: [Granularity; 6] = [
        Granularity::Year,
        Granularity::Half,
        Granularity::Quarter,
        Granularity::Month,
        Granularity::Week,
        Granularity::Day,
    ];

    /// The keyword after `every`: `year`, `half`, `quarter`, `month`, `week`, `day`.
    pub fn name(self) -> &'static str {
        match self {
            Granularity::Year => "year",
            Granularity::Half => "half",
            Granularity::Quarter => "quarter",
            Granularity::Month => "month",
            Granularity::Week => "week",
            Granularity::Day => "day",
        }
    }

    /// Case-insensitive.
    pub fn parse(word: &str) -> Option<Granularity> {
        Granularity::ALL
            .into_iter()
            .find(|g| g.name().eq_ignore_ascii_case(word))
    }

    /// The plural used in notes: "12 months".
    pub fn plural(self) -> &'static str {
        match self {
            Granularity::Year => "years",
            Granularity::Half => "halves",
            Granularity::Quarter => "quarters",
            Granularity::Month => "months",
            Granularity::Week => "weeks",
            Granularity::Day => "days",
        }
    }

    /// The kind of the periods of this granularity.
    pub fn kind(self) -> PeriodKind {
        match self {
            Granularity::Year => PeriodKind::Year,
            Granularity::Half => PeriodKind::Half,
            Granularity::Quarter => PeriodKind::Quarter,
            Granularity::Month => PeriodKind::Month,
            Granularity::Week => PeriodKind::Week,
            Granularity::Day => PeriodKind::Day,
        }
    }
}

impl SpanUnit {
    /// The letter written after the count.
    pub fn letter(self) -> char {
        match self {
            SpanUnit::Year => 'y',
            SpanUnit::Half => 'h',
            SpanUnit::Quarter => 'q',
            SpanUnit::Month => 'm',
            SpanUnit::Week => 'w',
            SpanUnit::Day => 'd',
        }
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.count, self.unit.letter())
    }
}
