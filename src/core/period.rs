//! Periods: half-open ranges of days `[start, end)` and their canonical names.
use jiff::civil::Date;

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

/// A half-open range of days. `end` is exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    start: Date,
    end: Date,
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

/// What is wrong with a period, span or day, in words that name the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("{0}")]
    Invalid(String),
}

/// Days since 1970-01-01: the integer form the store keeps.
pub fn day_number(date: Date) -> i32 {
    todo!("{date}")
}

/// The inverse of [`day_number`]; `None` outside jiff's supported range.
pub fn date_from_day_number(day: i32) -> Option<Date> {
    todo!("{day}")
}

impl Period {
    /// Parses any period form of the language, case-insensitively:
    /// `2024`, `2024-H1`/`2024H1`, `2024-Q2`/`2024Q2`, `2024-06`, `2024-W23`/`2024W23`,
    /// `2024-06-12`, and ranges `A..B` of any two of those.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        todo!("{text}")
    }

    /// The period `[start, end)`, named when it equals a named period.
    pub fn from_bounds(start: Date, end: Date) -> Result<Period, PeriodError> {
        todo!("{start}{end}")
    }

    /// [`Period::from_bounds`] from day numbers.
    pub fn from_day_numbers(start: i32, end: i32) -> Result<Period, PeriodError> {
        todo!("{start}{end}")
    }

    /// The period of granularity `g` that contains `day`.
    pub fn containing(g: Granularity, day: Date) -> Period {
        todo!("{g:?}{day}")
    }

    pub fn start(&self) -> Date {
        self.start
    }

    /// The first day after the period.
    pub fn end(&self) -> Date {
        self.end
    }

    /// The period's last day (inclusive).
    pub fn last_day(&self) -> Date {
        todo!()
    }

    pub fn kind(&self) -> PeriodKind {
        self.kind
    }

    /// The granularity of a named period; `None` for other ranges.
    pub fn granularity(&self) -> Option<Granularity> {
        todo!()
    }

    pub fn start_day(&self) -> i32 {
        day_number(self.start)
    }

    pub fn end_day(&self) -> i32 {
        day_number(self.end)
    }

    /// Length in days.
    pub fn days(&self) -> i32 {
        self.end_day() - self.start_day()
    }

    /// The midpoint of `[start, end)` in day numbers.
    pub fn midpoint(&self) -> f64 {
        todo!()
    }

    pub fn contains(&self, other: &Period) -> bool {
        todo!("{other}")
    }

    pub fn overlaps(&self, other: &Period) -> bool {
        todo!("{other}")
    }

    /// The `g`-periods that tile this period exactly, in order; `None` when
    /// the period does not start and end on `g` boundaries.
    pub fn split(&self, g: Granularity) -> Option<Vec<Period>> {
        todo!("{g:?}")
    }

    /// The same kind of period, `span` earlier (`over`): 2024-06 over 1y is
    /// 2023-06; a week keeps its ISO week number over years; a day keeps its
    /// calendar date, 29 February becoming 28 February.
    pub fn shift_back(&self, span: Span) -> Result<Period, PeriodError> {
        todo!("{span:?}")
    }
}

/// The canonical text: `2024`, `2024-H1`, `2024-Q2`, `2024-06`, `2024-W23`,
/// `2024-06-12`, or `2024-01-15..2024-02-14` (inclusive days) for other ranges.
impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let _ = f;
        todo!()
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
        todo!()
    }

    /// Case-insensitive.
    pub fn parse(word: &str) -> Option<Granularity> {
        todo!("{word}")
    }

    /// The plural used in notes: "12 months".
    pub fn plural(self) -> &'static str {
        todo!()
    }
}

impl Span {
    /// `N` then `y`, `h`, `q`, `m`, `w` or `d` (case-insensitive): `1y`, `3m`.
    pub fn parse(text: &str) -> Result<Span, PeriodError> {
        todo!("{text}")
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let _ = f;
        todo!()
    }
}
