//! What is wrong with a period, span or shift, in words that name the text.
use super::{FiscalPeriod, Period, Span};

/// The period forms, for messages.
pub(super) const FORMS: &str =
    "2024, 2024-H1, 2024-Q2, 2024-06, 2024-W23, 2024-06-12 or a range A..B";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Text or bounds that are no period: `text` is as written, or the
    /// range as `START..LAST`.
    #[error("invalid period {text:?}: {reason}")]
    Period { text: String, reason: Reason },
    #[error("invalid span {text:?}: {reason}")]
    Span { text: String, reason: Reason },
    /// `over` on a fiscal period.
    #[error("cannot shift {period} back {span}: {reason}")]
    FiscalShift {
        period: FiscalPeriod,
        span: Span,
        reason: Reason,
    },
    /// A fiscal period whose days fall outside the supported ones in the
    /// store's calendar.
    #[error("{period} cannot be used with a fiscal year starting in {month}: {reason}")]
    FiscalRange {
        period: FiscalPeriod,
        month: &'static str,
        reason: Reason,
    },
    /// `trailing SPAN` to a period.
    #[error("cannot take the trailing {span} to {period}: {reason}")]
    Trailing {
        period: Period,
        span: Span,
        reason: Reason,
    },
    /// `over`: the same kind of period `span` earlier does not exist.
    #[error("cannot shift {period} back {span}: {reason}")]
    Shift {
        period: Period,
        span: Span,
        reason: Reason,
    },
}

/// Why, in detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reason {
    #[error("the range is empty (it ends before it starts)")]
    EmptyRange,
    #[error("it starts before 0001-01-01, the first supported day")]
    BeforeFirstDay,
    #[error("it runs past 9999-12-31, the last supported day")]
    PastLastDay,
    #[error("day number {0} is outside the supported days")]
    DayOutside(i32),
    #[error("a range needs a period on each side of .., e.g. 2024-01..2024-03")]
    RangeSide,
    #[error("a range has a single .., e.g. 2024-01..2024-03")]
    RangeTwice,
    /// One side of a range `A..B`.
    #[error("{text:?}: {reason}")]
    Side { text: String, reason: Box<Reason> },
    #[error("expected a year of four digits, e.g. {FORMS}")]
    Year,
    #[error("the year must be 0001 to 9999")]
    YearZero,
    #[error("expected a period, e.g. {FORMS}")]
    Form,
    #[error("half must be H1 or H2")]
    Half,
    #[error("quarter must be Q1 to Q4")]
    Quarter,
    #[error("week must be two digits, W01 to W53")]
    WeekDigits,
    #[error("week must be W01 to W53")]
    Week,
    #[error("ISO year {year:04} has {weeks} weeks")]
    WeeksInYear { year: i16, weeks: i8 },
    #[error("month must be two digits, 01 to 12")]
    MonthDigits,
    #[error("month must be 01 to 12")]
    Month,
    #[error("day must be two digits, 01 to 31")]
    DayDigits,
    #[error("day must be 01 to 31")]
    Day,
    #[error("{year:04}-{month:02} has {days} days")]
    DaysInMonth { year: i16, month: i8, days: i8 },
    #[error("expected a number then y, h, q, m, w or d, e.g. 1y or 3m")]
    SpanForm,
    #[error("a span must be at least 1")]
    SpanZero,
    #[error("a span must be at most 9999")]
    SpanTooLong,
    #[error("the result would start before 0001-01-01, the first supported day")]
    ShiftedBeforeFirstDay,
    #[error("the shifted range would be empty")]
    ShiftedEmpty,
    #[error("a week moves in whole weeks or ISO years")]
    WeekShift,
    /// A year, half, quarter or month moves by whole multiples of itself.
    #[error("a {name} moves in whole {plural}")]
    WholeUnits {
        name: &'static str,
        plural: &'static str,
    },
    #[error("expected a fiscal period, e.g. FY2024, FY2024-H1 or FY2024-Q3")]
    FiscalForm,
    #[error("expected a year of four digits after FY, e.g. FY2024, FY2024-H1 or FY2024-Q3")]
    FiscalYear,
    #[error("the fiscal year must be FY0001 to FY9999")]
    FiscalYearZero,
    #[error("fiscal half must be H1 or H2")]
    FiscalHalf,
    #[error("fiscal quarter must be Q1 to Q4")]
    FiscalQuarter,
    /// A fiscal period moves by whole multiples of itself.
    #[error("a {name} moves in whole {plural} or longer units")]
    FiscalUnits {
        name: &'static str,
        plural: &'static str,
    },
    #[error("the result would be before FY0001")]
    BeforeFirstFiscalYear,
    #[error("ISO year {year:04} has no week {week}")]
    NoWeek { year: i16, week: i8 },
}

pub(super) fn invalid_period(text: impl Into<String>, reason: Reason) -> PeriodError {
    PeriodError::Period {
        text: text.into(),
        reason,
    }
}
