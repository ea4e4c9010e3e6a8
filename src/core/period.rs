//! Periods: half-open ranges of days `[start, end)` and their canonical names.
//!
//! Every period lies within 0001-01-01 ..= 9999-12-30: jiff's last date,
//! 9999-12-31, is the latest exclusive end a period can have, so periods
//! that would end on 9999-12-31 (the year 9999, its last month, ...) are
//! rejected rather than silently cut short.
use jiff::SignedDuration;
use jiff::civil::{Date, ISOWeekDate, Weekday};

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

const EPOCH: Date = Date::constant(1970, 1, 1);
/// The first day a period may contain.
const FIRST_DAY: Date = Date::constant(1, 1, 1);
/// The latest exclusive end a period may have (so its last day is 9999-12-30).
const END_LIMIT: Date = Date::MAX;

const FORMS: &str = "2024, 2024-H1, 2024-Q2, 2024-06, 2024-W23, 2024-06-12 or a range A..B";
const EMPTY_RANGE: &str = "the range is empty (it ends before it starts)";
const BEFORE_FIRST_DAY: &str = "it starts before 0001-01-01, the first supported day";
const PAST_LAST_DAY: &str = "it runs past 9999-12-30, the last supported day";
const SHIFTED_BEFORE_FIRST_DAY: &str =
    "the result would start before 0001-01-01, the first supported day";
const SPAN_FORM: &str = "expected a number then y, h, q, m, w or d, e.g. 1y or 3m";

/// Days since 1970-01-01: the integer form the store keeps.
pub fn day_number(date: Date) -> i32 {
    // Civil dates have no time zone, so the difference is a whole number of
    // days, and jiff's ±10,000 years are about ±3.7 million days: an i32.
    (date.duration_since(EPOCH).as_secs() / 86_400) as i32
}

/// The inverse of [`day_number`]; `None` outside jiff's supported range.
pub fn date_from_day_number(day: i32) -> Option<Date> {
    EPOCH
        .checked_add(SignedDuration::from_hours(i64::from(day) * 24))
        .ok()
}

fn invalid_period(text: &str, reason: &str) -> PeriodError {
    PeriodError::Invalid(format!("invalid period {text:?}: {reason}"))
}

impl Period {
    /// Parses any period form of the language, case-insensitively:
    /// `2024`, `2024-H1`/`2024H1`, `2024-Q2`/`2024Q2`, `2024-06`, `2024-W23`/`2024W23`,
    /// `2024-06-12`, and ranges `A..B` of any two of those. Surrounding
    /// whitespace is ignored.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        parse_period(text.trim()).map_err(|reason| invalid_period(text, &reason))
    }

    /// The period `[start, end)`, named when it equals a named period.
    ///
    /// Errors when `end <= start` or `start` is before 0001-01-01; the error
    /// names the range as `START..LAST` with `LAST` the inclusive last day.
    pub fn from_bounds(start: Date, end: Date) -> Result<Period, PeriodError> {
        Period::checked(start, end).map_err(|reason| {
            let text = match end.yesterday() {
                Ok(last) => format!("{}..{}", DayText(start), DayText(last)),
                Err(_) => format!("{}..(before {})", DayText(start), DayText(end)),
            };
            invalid_period(&text, &reason)
        })
    }

    /// [`Period::from_bounds`] from day numbers.
    pub fn from_day_numbers(start: i32, end: i32) -> Result<Period, PeriodError> {
        let text = || format!("days {start}..{end}");
        if end <= start {
            return Err(invalid_period(&text(), EMPTY_RANGE));
        }
        let date = |day| {
            date_from_day_number(day).ok_or_else(|| {
                let reason = format!("day number {day} is outside the supported days");
                invalid_period(&text(), &reason)
            })
        };
        Period::from_bounds(date(start)?, date(end)?)
    }

    /// The period of granularity `g` that contains `day`.
    ///
    /// Never fails: a day outside 0001-01-01 ..= 9999-12-30 is first moved to
    /// the nearest supported day, and a period that would run past 9999-12-30
    /// is cut short there (becoming a [`PeriodKind::Range`]).
    pub fn containing(g: Granularity, day: Date) -> Period {
        let last_day = END_LIMIT
            .yesterday()
            .expect("END_LIMIT is not jiff's first day");
        let day = day.clamp(FIRST_DAY, last_day);
        // 0001-01-01 is a Monday, so no g-period containing a supported day
        // starts before it.
        let start = start_of(g, day).expect("supported days start supported periods");
        let end = advance(g, start, 1).unwrap_or(END_LIMIT).min(END_LIMIT);
        Period::checked(start, end).expect("start < end within the supported days")
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
        self.end
            .yesterday()
            .expect("a period ends after it starts, so its end has a yesterday")
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

    pub fn end_day(&self) -> i32 {
        day_number(self.end)
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
        other.start >= self.start && other.end <= self.end
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The `g`-periods that tile this period exactly, in order; `None` when
    /// the period does not start and end on `g` boundaries.
    pub fn split(&self, g: Granularity) -> Option<Vec<Period>> {
        if start_of(g, self.start)? != self.start {
            return None;
        }
        let mut parts = Vec::new();
        let mut start = self.start;
        while start < self.end {
            let end = advance(g, start, 1).filter(|&end| end <= self.end)?;
            parts.push(Period {
                start,
                end,
                kind: g.kind(),
            });
            start = end;
        }
        Some(parts)
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
        self.shifted_back(span).map_err(|reason| {
            PeriodError::Invalid(format!("cannot shift {self} back {span}: {reason}"))
        })
    }

    /// [`Period::shift_back`] with the reason for a failure only.
    fn shifted_back(&self, span: Span) -> Result<Period, String> {
        let too_early = || SHIFTED_BEFORE_FIRST_DAY.to_string();
        let supported = |date: Option<Date>| date.filter(|&date| date >= FIRST_DAY);
        let Some(g) = self.granularity() else {
            // A custom range moves both bounds as calendar units.
            let start = supported(back(self.start, span)).ok_or_else(too_early)?;
            let end = back(self.end, span).ok_or_else(too_early)?;
            if end <= start {
                // Clamping put both bounds on the same short month's last
                // day, e.g. 2024-03-29..2024-03-30 over 1m.
                return Err("the shifted range would be empty".into());
            }
            return Period::checked(start, end);
        };
        let start = match g {
            Granularity::Day => back(self.start, span),
            Granularity::Week => match (span.unit, span.days()) {
                (SpanUnit::Year, _) => Some(self.week_years_back(span.count)?),
                (_, Some(days)) if days % 7 == 0 => add_days(self.start, -days),
                _ => return Err("a week moves in whole weeks or ISO years".into()),
            },
            _ => {
                let unit = g
                    .months()
                    .expect("the other granularities are whole months");
                let Some(months) = span.months().filter(|months| months % unit == 0) else {
                    return Err(format!("a {} moves in whole {}", g.name(), g.plural()));
                };
                add_months(self.start, -months)
            }
        };
        let start = supported(start).ok_or_else(too_early)?;
        // Moving back never runs past the last day, but stay total anyway.
        let end = advance(g, start, 1).ok_or(PAST_LAST_DAY)?;
        Period::checked(start, end)
    }

    /// The first day of the same ISO week number `years` ISO years earlier.
    fn week_years_back(&self, years: u32) -> Result<Date, String> {
        let iso = self.start.iso_week_date();
        let year = i64::from(iso.year()) - i64::from(years);
        let Some(year) = i16::try_from(year).ok().filter(|&year| year >= 1) else {
            return Err(SHIFTED_BEFORE_FIRST_DAY.into());
        };
        ISOWeekDate::new(year, iso.week(), Weekday::Monday)
            .map(|week| week.date())
            .map_err(|_| format!("ISO year {year:04} has no week {}", iso.week()))
    }

    /// The period `[start, end)` with its kind detected, or why it is not one.
    fn checked(start: Date, end: Date) -> Result<Period, String> {
        if end <= start {
            return Err(EMPTY_RANGE.into());
        }
        if start < FIRST_DAY {
            return Err(BEFORE_FIRST_DAY.into());
        }
        // Coarsest first, so a range that is a whole year is named a year.
        let kind = Granularity::ALL
            .into_iter()
            .find(|&g| start_of(g, start) == Some(start) && advance(g, start, 1) == Some(end))
            .map_or(PeriodKind::Range, Granularity::kind);
        Ok(Period { start, end, kind })
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

/// A period or a range `A..B` of two non-range periods.
fn parse_period(text: &str) -> Result<Period, String> {
    let Some((left, right)) = text.split_once("..") else {
        let (start, end) = parse_named(text)?;
        return Period::checked(start, end);
    };
    let (left, right) = (left.trim(), right.trim());
    if left.is_empty() || right.is_empty() {
        return Err("a range needs a period on each side of .., e.g. 2024-01..2024-03".into());
    }
    if right.contains("..") {
        return Err("a range has a single .., e.g. 2024-01..2024-03".into());
    }
    let side = |text: &str| parse_named(text).map_err(|reason| format!("{text:?}: {reason}"));
    let (start, _) = side(left)?;
    let (_, end) = side(right)?;
    Period::checked(start, end)
}

/// The bounds of a named (non-range) period: `2024`, `2024-H1`, `2024-Q2`,
/// `2024-06`, `2024-W23` or `2024-06-12`, letters in either case and the
/// dash before `H`, `Q` and `W` optional.
fn parse_named(text: &str) -> Result<(Date, Date), String> {
    // Working on bytes keeps slicing safe whatever the text: only ASCII
    // digits and letters are ever accepted.
    let bytes = text.as_bytes();
    if leading_digits(bytes) != 4 {
        return Err(format!("expected a year of four digits, e.g. {FORMS}"));
    }
    let year = number(&bytes[..4]) as i16;
    if year == 0 {
        return Err("the year must be 0001 to 9999".into());
    }
    let rest = &bytes[4..];
    let dashed = rest.strip_prefix(b"-");
    let (g, start) = match dashed.unwrap_or(rest) {
        [] if dashed.is_none() => (Granularity::Year, ymd(year, 1, 1)),
        [letter, tail @ ..] if letter.is_ascii_alphabetic() => {
            parse_lettered(year, letter.to_ascii_uppercase(), tail)?
        }
        tail @ [digit, ..] if digit.is_ascii_digit() && dashed.is_some() => {
            parse_month_or_day(year, tail)?
        }
        _ => return Err(format!("expected a period, e.g. {FORMS}")),
    };
    let end = advance(g, start, 1).ok_or(PAST_LAST_DAY)?;
    Ok((start, end))
}

/// `H1`, `Q2` or `W23` (the letter already upper-cased) after the year.
fn parse_lettered(year: i16, letter: u8, tail: &[u8]) -> Result<(Granularity, Date), String> {
    match letter {
        b'H' => match tail {
            [half @ b'1'..=b'2'] => {
                Ok((Granularity::Half, ymd(year, (half - b'1') as i8 * 6 + 1, 1)))
            }
            _ => Err("half must be H1 or H2".into()),
        },
        b'Q' => match tail {
            [quarter @ b'1'..=b'4'] => Ok((
                Granularity::Quarter,
                ymd(year, (quarter - b'1') as i8 * 3 + 1, 1),
            )),
            _ => Err("quarter must be Q1 to Q4".into()),
        },
        b'W' => {
            if tail.len() != 2 || leading_digits(tail) != 2 {
                return Err("week must be two digits, W01 to W53".into());
            }
            let week = number(tail) as i8;
            if !(1..=53).contains(&week) {
                return Err("week must be W01 to W53".into());
            }
            let first = ISOWeekDate::new(year, 1, Weekday::Monday)
                .expect("every year 1..=9999 has an ISO week 1");
            let weeks = first.weeks_in_year();
            if week > weeks {
                return Err(format!("ISO year {year:04} has {weeks} weeks"));
            }
            let monday = ISOWeekDate::new(year, week, Weekday::Monday)
                .expect("the week is within the ISO year");
            Ok((Granularity::Week, monday.date()))
        }
        _ => Err(format!("expected a period, e.g. {FORMS}")),
    }
}

/// `06` or `06-12` after `YYYY-`.
fn parse_month_or_day(year: i16, tail: &[u8]) -> Result<(Granularity, Date), String> {
    if leading_digits(tail) != 2 {
        return Err("month must be two digits, 01 to 12".into());
    }
    let month = number(&tail[..2]) as i8;
    if !(1..=12).contains(&month) {
        return Err("month must be 01 to 12".into());
    }
    let first = ymd(year, month, 1);
    match &tail[2..] {
        [] => Ok((Granularity::Month, first)),
        [b'-', day @ ..] => {
            if day.len() != 2 || leading_digits(day) != 2 {
                return Err("day must be two digits, 01 to 31".into());
            }
            let (day, last) = (number(day) as i8, first.days_in_month());
            if !(1..=31).contains(&day) {
                return Err("day must be 01 to 31".into());
            }
            if day > last {
                return Err(format!("{year:04}-{month:02} has {last} days"));
            }
            Ok((Granularity::Day, ymd(year, month, day)))
        }
        _ => Err(format!("expected a period, e.g. {FORMS}")),
    }
}

/// A date already known to be valid.
fn ymd(year: i16, month: i8, day: i8) -> Date {
    Date::new(year, month, day).expect("a validated date")
}

/// How many ASCII digits `bytes` starts with.
fn leading_digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// The value of ASCII digits, saturating rather than overflowing.
fn number(digits: &[u8]) -> u64 {
    digits.iter().fold(0, |n: u64, d| {
        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    })
}

/// The first day of the `g`-period containing `day`.
fn start_of(g: Granularity, day: Date) -> Option<Date> {
    let month_start =
        |months: i8| Date::new(day.year(), (day.month() - 1) / months * months + 1, 1).ok();
    match g {
        Granularity::Week => add_days(day, -i64::from(day.weekday().to_monday_zero_offset())),
        Granularity::Day => Some(day),
        _ => month_start(
            g.months()
                .expect("the other granularities are whole months") as i8,
        ),
    }
}

/// `date` moved by `n` `g`-periods (back when negative); `None` outside jiff's range.
fn advance(g: Granularity, date: Date, n: i64) -> Option<Date> {
    match g {
        Granularity::Week => add_days(date, n.checked_mul(7)?),
        Granularity::Day => add_days(date, n),
        _ => add_months(date, g.months()?.checked_mul(n)?),
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
fn add_months(date: Date, months: i64) -> Option<Date> {
    let index = (i64::from(date.year()) * 12 + i64::from(date.month() - 1)).checked_add(months)?;
    let year = i16::try_from(index.div_euclid(12)).ok()?;
    let month = index.rem_euclid(12) as i8 + 1;
    let days = Date::new(year, month, 1).ok()?.days_in_month();
    Date::new(year, month, date.day().min(days)).ok()
}

/// `date` moved by `days` (back when negative).
fn add_days(date: Date, days: i64) -> Option<Date> {
    let day = i64::from(day_number(date)).checked_add(days)?;
    date_from_day_number(i32::try_from(day).ok()?)
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

    /// The length in months of the months-based granularities.
    fn months(self) -> Option<i64> {
        match self {
            Granularity::Year => Some(12),
            Granularity::Half => Some(6),
            Granularity::Quarter => Some(3),
            Granularity::Month => Some(1),
            Granularity::Week | Granularity::Day => None,
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

    /// Case-insensitive.
    fn from_letter(letter: u8) -> Option<SpanUnit> {
        match letter.to_ascii_lowercase() {
            b'y' => Some(SpanUnit::Year),
            b'h' => Some(SpanUnit::Half),
            b'q' => Some(SpanUnit::Quarter),
            b'm' => Some(SpanUnit::Month),
            b'w' => Some(SpanUnit::Week),
            b'd' => Some(SpanUnit::Day),
            _ => None,
        }
    }
}

impl Span {
    /// The largest count [`Span::parse`] accepts.
    pub const MAX_COUNT: u32 = 9999;

    /// `N` then `y`, `h`, `q`, `m`, `w` or `d` (case-insensitive): `1y`, `3m`.
    /// `N` is 1 to 9999, in ASCII digits without a sign. Surrounding
    /// whitespace is ignored.
    pub fn parse(text: &str) -> Result<Span, PeriodError> {
        let invalid =
            |reason: &str| PeriodError::Invalid(format!("invalid span {text:?}: {reason}"));
        let bytes = text.trim().as_bytes();
        let digits = leading_digits(bytes);
        let unit = match &bytes[digits..] {
            [letter] if digits > 0 => SpanUnit::from_letter(*letter),
            _ => None,
        };
        let Some(unit) = unit else {
            return Err(invalid(SPAN_FORM));
        };
        let count = number(&bytes[..digits]);
        if count == 0 {
            return Err(invalid("a span must be at least 1"));
        }
        match u32::try_from(count) {
            Ok(count) if count <= Span::MAX_COUNT => Ok(Span { count, unit }),
            _ => Err(invalid("a span must be at most 9999")),
        }
    }

    /// The span in months, for years, halves, quarters and months.
    fn months(self) -> Option<i64> {
        let per = match self.unit {
            SpanUnit::Year => 12,
            SpanUnit::Half => 6,
            SpanUnit::Quarter => 3,
            SpanUnit::Month => 1,
            SpanUnit::Week | SpanUnit::Day => return None,
        };
        Some(per * i64::from(self.count))
    }

    /// The span in days, for weeks and days.
    fn days(self) -> Option<i64> {
        match self.unit {
            SpanUnit::Week => Some(7 * i64::from(self.count)),
            SpanUnit::Day => Some(i64::from(self.count)),
            _ => None,
        }
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.count, self.unit.letter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(text: &str) -> Period {
        Period::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn span(text: &str) -> Span {
        Span::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn message(error: PeriodError) -> String {
        error.to_string()
    }

    #[test]
    fn parses_every_form_and_spelling() {
        use PeriodKind::*;
        // (text, canonical, first day, exclusive end, kind)
        let cases = [
            ("2024", "2024", "2024-01-01", "2025-01-01", Year),
            ("0001", "0001", "0001-01-01", "0002-01-01", Year),
            ("9998", "9998", "9998-01-01", "9999-01-01", Year),
            ("2024-H1", "2024-H1", "2024-01-01", "2024-07-01", Half),
            ("2024H1", "2024-H1", "2024-01-01", "2024-07-01", Half),
            ("2024-h1", "2024-H1", "2024-01-01", "2024-07-01", Half),
            ("2024h1", "2024-H1", "2024-01-01", "2024-07-01", Half),
            ("2024-H2", "2024-H2", "2024-07-01", "2025-01-01", Half),
            ("9999-H1", "9999-H1", "9999-01-01", "9999-07-01", Half),
            ("2024-Q1", "2024-Q1", "2024-01-01", "2024-04-01", Quarter),
            ("2024-Q2", "2024-Q2", "2024-04-01", "2024-07-01", Quarter),
            ("2024Q2", "2024-Q2", "2024-04-01", "2024-07-01", Quarter),
            ("2024-q2", "2024-Q2", "2024-04-01", "2024-07-01", Quarter),
            ("2024q2", "2024-Q2", "2024-04-01", "2024-07-01", Quarter),
            ("2024-Q3", "2024-Q3", "2024-07-01", "2024-10-01", Quarter),
            ("2024-Q4", "2024-Q4", "2024-10-01", "2025-01-01", Quarter),
            ("2024-06", "2024-06", "2024-06-01", "2024-07-01", Month),
            ("2024-01", "2024-01", "2024-01-01", "2024-02-01", Month),
            ("2024-02", "2024-02", "2024-02-01", "2024-03-01", Month),
            ("2023-02", "2023-02", "2023-02-01", "2023-03-01", Month),
            ("2024-12", "2024-12", "2024-12-01", "2025-01-01", Month),
            ("9999-11", "9999-11", "9999-11-01", "9999-12-01", Month),
            ("2024-W23", "2024-W23", "2024-06-03", "2024-06-10", Week),
            ("2024W23", "2024-W23", "2024-06-03", "2024-06-10", Week),
            ("2024-w23", "2024-W23", "2024-06-03", "2024-06-10", Week),
            ("2024w23", "2024-W23", "2024-06-03", "2024-06-10", Week),
            ("2024-w05", "2024-W05", "2024-01-29", "2024-02-05", Week),
            ("2024-W01", "2024-W01", "2024-01-01", "2024-01-08", Week),
            ("2025-W01", "2025-W01", "2024-12-30", "2025-01-06", Week),
            ("2021-W01", "2021-W01", "2021-01-04", "2021-01-11", Week),
            ("2020-W53", "2020-W53", "2020-12-28", "2021-01-04", Week),
            ("2026-W53", "2026-W53", "2026-12-28", "2027-01-04", Week),
            ("2015-W53", "2015-W53", "2015-12-28", "2016-01-04", Week),
            ("0001-W01", "0001-W01", "0001-01-01", "0001-01-08", Week),
            ("2024-06-12", "2024-06-12", "2024-06-12", "2024-06-13", Day),
            ("2024-02-29", "2024-02-29", "2024-02-29", "2024-03-01", Day),
            ("2000-02-29", "2000-02-29", "2000-02-29", "2000-03-01", Day),
            ("2023-12-31", "2023-12-31", "2023-12-31", "2024-01-01", Day),
            ("0001-01-01", "0001-01-01", "0001-01-01", "0001-01-02", Day),
            ("9999-12-30", "9999-12-30", "9999-12-30", "9999-12-31", Day),
            (" 2024-06 ", "2024-06", "2024-06-01", "2024-07-01", Month),
        ];
        for (text, canonical, start, end, kind) in cases {
            let p = period(text);
            assert_eq!(p.to_string(), canonical, "{text}");
            assert_eq!((p.start(), p.end()), (date(start), date(end)), "{text}");
            assert_eq!(p.kind(), kind, "{text}");
            assert_eq!(p.granularity().map(Granularity::kind), Some(kind), "{text}");
        }
    }

    #[test]
    fn ranges_take_the_left_start_and_the_right_end() {
        // (text, canonical, kind)
        let cases = [
            ("2024-01..2024-03", "2024-Q1", PeriodKind::Quarter),
            ("2024-01-01..2024-12-31", "2024", PeriodKind::Year),
            ("2024..2024", "2024", PeriodKind::Year),
            ("2024-H1..2024-H2", "2024", PeriodKind::Year),
            ("2024-Q1..2024-Q4", "2024", PeriodKind::Year),
            ("2024-W01..2024-12-31", "2024", PeriodKind::Year),
            ("2024-01..2024-06", "2024-H1", PeriodKind::Half),
            ("2024-Q1..2024-Q2", "2024-H1", PeriodKind::Half),
            ("2024-07-01..2024-Q4", "2024-H2", PeriodKind::Half),
            ("2024-04-01..2024-06-30", "2024-Q2", PeriodKind::Quarter),
            ("2024-06..2024-06", "2024-06", PeriodKind::Month),
            ("2024-06-01..2024-06-30", "2024-06", PeriodKind::Month),
            ("2024-02-01..2024-02-29", "2024-02", PeriodKind::Month),
            ("2024-06-10..2024-06-16", "2024-W24", PeriodKind::Week),
            ("2024-W23..2024-W23", "2024-W23", PeriodKind::Week),
            ("2024-12-30..2025-01-05", "2025-W01", PeriodKind::Week),
            ("2020-12-28..2021-01-03", "2020-W53", PeriodKind::Week),
            ("2024-06-12..2024-06-12", "2024-06-12", PeriodKind::Day),
            ("2024-06..2024-06-01", "2024-06-01", PeriodKind::Day),
            (
                "2024-01-15..2024-02-14",
                "2024-01-15..2024-02-14",
                PeriodKind::Range,
            ),
            (
                "2024-01..2024-03-15",
                "2024-01-01..2024-03-15",
                PeriodKind::Range,
            ),
            (
                "2024-W23..2024-06",
                "2024-06-03..2024-06-30",
                PeriodKind::Range,
            ),
            (
                "2024-q1..2024w10",
                "2024-01-01..2024-03-10",
                PeriodKind::Range,
            ),
            ("2023..2024", "2023-01-01..2024-12-31", PeriodKind::Range),
            (
                "2024-06-15..2024-06",
                "2024-06-15..2024-06-30",
                PeriodKind::Range,
            ),
            (
                "2024-06-12..2024-06-13",
                "2024-06-12..2024-06-13",
                PeriodKind::Range,
            ),
            (
                "2024-06-11..2024-06-17",
                "2024-06-11..2024-06-17",
                PeriodKind::Range,
            ),
            ("2024-01 .. 2024-03", "2024-Q1", PeriodKind::Quarter),
        ];
        for (text, canonical, kind) in cases {
            let p = period(text);
            assert_eq!(p.to_string(), canonical, "{text}");
            assert_eq!(p.kind(), kind, "{text}");
            assert_eq!(
                p.granularity().is_none(),
                kind == PeriodKind::Range,
                "{text}"
            );
        }
        // A range naming a period is that very period.
        assert_eq!(period("2024-01..2024-03"), period("2024-Q1"));
        assert_eq!(period("2024-06-10..2024-06-16"), period("2024-W24"));
    }

    #[test]
    fn rejects_invalid_periods_with_a_reason() {
        let year = "expected a year of four digits, e.g. 2024, 2024-H1, 2024-Q2, 2024-06, \
                    2024-W23, 2024-06-12 or a range A..B";
        let form = "expected a period, e.g. 2024, 2024-H1, 2024-Q2, 2024-06, 2024-W23, \
                    2024-06-12 or a range A..B";
        let sides = "a range needs a period on each side of .., e.g. 2024-01..2024-03";
        let cases: &[(&str, &str)] = &[
            // Days and leap years.
            ("2024-02-30", "2024-02 has 29 days"),
            ("2023-02-29", "2023-02 has 28 days"),
            ("1900-02-29", "1900-02 has 28 days"),
            ("2100-02-29", "2100-02 has 28 days"),
            ("2024-06-31", "2024-06 has 30 days"),
            ("2024-06-00", "day must be 01 to 31"),
            ("2024-06-32", "day must be 01 to 31"),
            ("2024-06-1", "day must be two digits, 01 to 31"),
            ("2024-06-123", "day must be two digits, 01 to 31"),
            ("2024-06-12x", "day must be two digits, 01 to 31"),
            ("2024-06-", "day must be two digits, 01 to 31"),
            (
                "2024-06-99999999999999999999",
                "day must be two digits, 01 to 31",
            ),
            // Weeks.
            ("2023-W53", "ISO year 2023 has 52 weeks"),
            ("2021-W53", "ISO year 2021 has 52 weeks"),
            ("2024-W00", "week must be W01 to W53"),
            ("2024-W54", "week must be W01 to W53"),
            ("2024-W5", "week must be two digits, W01 to W53"),
            ("2024-W", "week must be two digits, W01 to W53"),
            ("2024-W123", "week must be two digits, W01 to W53"),
            (
                "2024W99999999999999999999",
                "week must be two digits, W01 to W53",
            ),
            // Quarters and halves.
            ("2024-Q5", "quarter must be Q1 to Q4"),
            ("2024-Q0", "quarter must be Q1 to Q4"),
            ("2024Q", "quarter must be Q1 to Q4"),
            ("2024-Q12", "quarter must be Q1 to Q4"),
            ("2024-Qx", "quarter must be Q1 to Q4"),
            ("2024-H3", "half must be H1 or H2"),
            ("2024-H0", "half must be H1 or H2"),
            ("2024h", "half must be H1 or H2"),
            // Months.
            ("2024-13", "month must be 01 to 12"),
            ("2024-00", "month must be 01 to 12"),
            ("2024-6", "month must be two digits, 01 to 12"),
            ("2024-123", "month must be two digits, 01 to 12"),
            ("2024-06x", form),
            ("2024-06-12-01", "day must be two digits, 01 to 31"),
            // Years.
            ("24-06", year),
            ("024", year),
            ("20245", year),
            ("202406", year),
            ("99999999999999999999999", year),
            ("", year),
            ("   ", year),
            ("abc", year),
            ("-2024", year),
            ("+2024", year),
            ("２０２４", year),
            ("2024é", form),
            ("2024-", form),
            ("2024-X1", form),
            ("2024X1", form),
            ("2024 06", form),
            ("2024.06", form),
            ("0000", "the year must be 0001 to 9999"),
            ("0000-06-12", "the year must be 0001 to 9999"),
            // The end of jiff's range.
            ("9999", "it runs past 9999-12-30, the last supported day"),
            ("9999-H2", "it runs past 9999-12-30, the last supported day"),
            ("9999-Q4", "it runs past 9999-12-30, the last supported day"),
            ("9999-12", "it runs past 9999-12-30, the last supported day"),
            (
                "9999-W52",
                "it runs past 9999-12-30, the last supported day",
            ),
            (
                "9999-12-31",
                "it runs past 9999-12-30, the last supported day",
            ),
            // Ranges.
            (
                "2024-03..2024-01",
                "the range is empty (it ends before it starts)",
            ),
            (
                "2024-06..2024-05-31",
                "the range is empty (it ends before it starts)",
            ),
            (
                "2025..2024-12-31",
                "the range is empty (it ends before it starts)",
            ),
            ("..", sides),
            ("2024..", sides),
            ("..2024", sides),
            ("...", sides),
            ("....", sides),
            (
                "2024..2025..2026",
                "a range has a single .., e.g. 2024-01..2024-03",
            ),
            ("2024-01..2024-13", r#""2024-13": month must be 01 to 12"#),
            (
                "2023-W53..2024",
                r#""2023-W53": ISO year 2023 has 52 weeks"#,
            ),
            ("2024-01...2024-03", &format!(r#"".2024-03": {year}"#)),
            ("24..2024", &format!(r#""24": {year}"#)),
            (
                "2024..9999",
                r#""9999": it runs past 9999-12-30, the last supported day"#,
            ),
        ];
        for &(text, reason) in cases {
            let error = Period::parse(text).expect_err(text);
            assert_eq!(message(error), format!("invalid period {text:?}: {reason}"));
        }
    }

    #[test]
    fn never_panics_and_round_trips_whatever_it_accepts() {
        // Every string of up to five characters over an alphabet of the
        // grammar's pieces, plus some that are not.
        let alphabet = ['2', '0', '1', '9', '-', '.', 'W', 'q', 'H', 'é', ' '];
        let mut texts = vec![String::new()];
        let mut accepted = 0;
        for _ in 0..5 {
            texts = texts
                .iter()
                .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                .collect();
            for text in &texts {
                if let Ok(p) = Period::parse(text) {
                    accepted += 1;
                    assert_eq!(period(&p.to_string()), p, "{text}");
                }
            }
        }
        assert!(accepted > 0);
    }

    #[test]
    fn display_round_trips() {
        let mut periods = Vec::new();
        let mut day = date("1990-01-01");
        while day < date("2031-01-01") {
            for g in Granularity::ALL {
                periods.push(Period::containing(g, day));
            }
            let end = day.checked_add(jiff::Span::new().days(40)).unwrap();
            periods.push(Period::from_bounds(day, end).unwrap());
            day = day.checked_add(jiff::Span::new().days(13)).unwrap();
        }
        for text in [
            "0001",
            "0001-W01",
            "0001-01-01..0001-03-05",
            "9999-12-30",
            "9999-W51",
        ] {
            periods.push(period(text));
        }
        for p in periods {
            let text = p.to_string();
            assert_eq!(period(&text), p, "{text}");
        }
    }

    #[test]
    fn from_bounds_names_the_range() {
        // (start, exclusive end, canonical)
        let cases = [
            ("2024-01-01", "2025-01-01", "2024"),
            ("2024-07-01", "2025-01-01", "2024-H2"),
            ("2024-04-01", "2024-07-01", "2024-Q2"),
            ("2024-06-01", "2024-07-01", "2024-06"),
            ("2024-06-10", "2024-06-17", "2024-W24"),
            ("2024-06-12", "2024-06-13", "2024-06-12"),
            ("2024-06-12", "2024-06-14", "2024-06-12..2024-06-13"),
            ("2024-01-15", "2024-02-15", "2024-01-15..2024-02-14"),
            ("9999-12-01", "9999-12-31", "9999-12-01..9999-12-30"),
        ];
        for (start, end, canonical) in cases {
            let p = Period::from_bounds(date(start), date(end)).unwrap();
            assert_eq!(p.to_string(), canonical);
            assert_eq!(p, period(canonical));
        }
        let errors = [
            (
                "2024-06-12",
                "2024-06-12",
                r#"invalid period "2024-06-12..2024-06-11": the range is empty (it ends before it starts)"#,
            ),
            (
                "2024-06-12",
                "2024-01-01",
                r#"invalid period "2024-06-12..2023-12-31": the range is empty (it ends before it starts)"#,
            ),
            (
                "0000-12-31",
                "0001-01-02",
                r#"invalid period "0000-12-31..0001-01-01": it starts before 0001-01-01, the first supported day"#,
            ),
        ];
        for (start, end, expected) in errors {
            let error = Period::from_bounds(date(start), date(end)).unwrap_err();
            assert_eq!(message(error), expected);
        }
        // The earliest date jiff has, whose yesterday it has not.
        assert!(Period::from_bounds(Date::MIN, Date::MIN).is_err());
    }

    #[test]
    fn from_day_numbers_matches_from_bounds() {
        let cases = [
            (19723, 19723 + 366, "2024"),
            (0, 1, "1970-01-01"),
            (-1, 0, "1969-12-31"),
            (-365, 0, "1969"),
            (19723, 19723 + 7, "2024-W01"),
        ];
        for (start, end, canonical) in cases {
            let p = Period::from_day_numbers(start, end).unwrap();
            assert_eq!(p.to_string(), canonical);
            assert_eq!((p.start_day(), p.end_day()), (start, end));
        }
        let errors = [
            (
                5,
                5,
                r#"invalid period "days 5..5": the range is empty (it ends before it starts)"#,
            ),
            (
                6,
                5,
                r#"invalid period "days 6..5": the range is empty (it ends before it starts)"#,
            ),
            (
                0,
                i32::MAX,
                r#"invalid period "days 0..2147483647": day number 2147483647 is outside the supported days"#,
            ),
            (
                i32::MIN,
                0,
                r#"invalid period "days -2147483648..0": day number -2147483648 is outside the supported days"#,
            ),
        ];
        for (start, end, expected) in errors {
            let error = Period::from_day_numbers(start, end).unwrap_err();
            assert_eq!(message(error), expected);
        }
        // In jiff's range but before year 1.
        let year_zero = day_number(date("0000-06-01"));
        assert!(Period::from_day_numbers(year_zero, year_zero + 1).is_err());
    }

    #[test]
    fn day_numbers_count_from_1970() {
        let cases = [
            ("1970-01-01", 0),
            ("1970-01-02", 1),
            ("1969-12-31", -1),
            ("2000-03-01", 11_017),
            ("2024-01-01", 19_723),
            ("0001-01-01", -719_162),
        ];
        for (text, number) in cases {
            assert_eq!(day_number(date(text)), number, "{text}");
            assert_eq!(date_from_day_number(number), Some(date(text)), "{text}");
        }
        for d in [Date::MIN, Date::MAX] {
            assert_eq!(date_from_day_number(day_number(d)), Some(d));
        }
        assert_eq!(date_from_day_number(day_number(Date::MAX) + 1), None);
        assert_eq!(date_from_day_number(day_number(Date::MIN) - 1), None);
        assert_eq!(date_from_day_number(i32::MAX), None);
        assert_eq!(date_from_day_number(i32::MIN), None);
    }

    #[test]
    fn containing_finds_the_period_of_a_day() {
        use Granularity::*;
        let cases = [
            (Year, "2024-06-12", "2024"),
            (Year, "2024-12-31", "2024"),
            (Half, "2024-06-30", "2024-H1"),
            (Half, "2024-07-01", "2024-H2"),
            (Quarter, "2024-06-30", "2024-Q2"),
            (Quarter, "2024-10-01", "2024-Q4"),
            (Month, "2024-02-29", "2024-02"),
            (Week, "2024-06-12", "2024-W24"),
            (Week, "2024-06-10", "2024-W24"),
            (Week, "2024-06-16", "2024-W24"),
            (Week, "2024-12-30", "2025-W01"),
            (Week, "2021-01-03", "2020-W53"),
            (Week, "2027-01-03", "2026-W53"),
            (Week, "0001-01-01", "0001-W01"),
            (Day, "2024-06-12", "2024-06-12"),
            // Cut short or moved into the supported days rather than failing.
            (Year, "9999-06-01", "9999-01-01..9999-12-30"),
            (Day, "9999-12-31", "9999-12-30"),
            (Year, "0000-06-01", "0001"),
        ];
        for (g, day, canonical) in cases {
            let p = Period::containing(g, date(day));
            assert_eq!(p.to_string(), canonical, "{g:?} {day}");
        }
        assert_eq!(Period::containing(Year, Date::MIN).to_string(), "0001");
        assert_eq!(
            Period::containing(Week, Date::MAX).to_string(),
            "9999-12-27..9999-12-30"
        );
    }

    #[test]
    fn accessors() {
        let p = period("2024-06");
        assert_eq!(p.last_day(), date("2024-06-30"));
        assert_eq!(p.days(), 30);
        assert_eq!(p.granularity(), Some(Granularity::Month));
        assert_eq!(period("2024-01-15..2024-02-14").granularity(), None);
        assert_eq!(period("2024").days(), 366);
        assert_eq!(period("2023").days(), 365);
        assert_eq!(period("2024-W23").last_day(), date("2024-06-09"));
        assert_eq!(period("1970-01-01").midpoint(), 0.5);
        assert_eq!(period("1970-01-01..1970-01-02").midpoint(), 1.0);
        assert_eq!(period("1969-12-31").midpoint(), -0.5);
        assert_eq!(period("2024").midpoint(), 19_723.0 + 183.0);
    }

    #[test]
    fn contains_and_overlaps() {
        // (a, b, a contains b, they overlap)
        let cases = [
            ("2024", "2024-06", true, true),
            ("2024-06", "2024", false, true),
            ("2024", "2024", true, true),
            ("2024-W01", "2024-01-07", true, true),
            ("2024-W01", "2024-01-08", false, false),
            ("2024-Q1", "2024-W14", false, false),
            ("2024-Q1", "2024-W13", true, true),
            ("2024-06", "2024-W22", false, true),
            ("2024-05", "2024-06", false, false),
            ("2023", "2024-W01", false, false),
            ("2024", "2025-W01", false, true),
            ("2024-01-15..2024-02-14", "2024-02", false, true),
        ];
        for (a, b, contains, overlaps) in cases {
            let (a, b) = (period(a), period(b));
            assert_eq!(a.contains(&b), contains, "{a} contains {b}");
            assert_eq!(a.overlaps(&b), overlaps, "{a} overlaps {b}");
            assert_eq!(b.overlaps(&a), overlaps, "{b} overlaps {a}");
        }
    }

    #[test]
    fn split_tiles_exactly_or_not_at_all() {
        use Granularity::*;
        let names = |text: &str, g| {
            period(text)
                .split(g)
                .map(|parts| parts.iter().map(ToString::to_string).collect::<Vec<_>>())
        };
        let cases: &[(&str, Granularity, Option<&[&str]>)] = &[
            ("2024", Year, Some(&["2024"])),
            ("2024", Half, Some(&["2024-H1", "2024-H2"])),
            (
                "2024",
                Quarter,
                Some(&["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"]),
            ),
            ("2024-H2", Quarter, Some(&["2024-Q3", "2024-Q4"])),
            ("2024-Q2", Month, Some(&["2024-04", "2024-05", "2024-06"])),
            ("2024-06", Month, Some(&["2024-06"])),
            ("2024-01..2024-02", Month, Some(&["2024-01", "2024-02"])),
            (
                "2024-W01..2024-W03",
                Week,
                Some(&["2024-W01", "2024-W02", "2024-W03"]),
            ),
            (
                "2024-12-30..2025-01-12",
                Week,
                Some(&["2025-W01", "2025-W02"]),
            ),
            ("2020-W53", Week, Some(&["2020-W53"])),
            ("2024-06-12", Day, Some(&["2024-06-12"])),
            (
                "2024-W23",
                Day,
                Some(&[
                    "2024-06-03",
                    "2024-06-04",
                    "2024-06-05",
                    "2024-06-06",
                    "2024-06-07",
                    "2024-06-08",
                    "2024-06-09",
                ]),
            ),
            ("2024", Week, None),
            ("2021", Week, None),
            ("2024-06", Week, None),
            ("2024-06", Quarter, None),
            ("2024-Q2", Year, None),
            ("2024-Q2", Half, None),
            ("2024-W23", Month, None),
            ("2024-06-12", Week, None),
            ("2024-01-15..2024-02-14", Month, None),
            ("2024-01..2024-03-15", Month, None),
            ("2024-02..2024-03-15", Quarter, None),
        ];
        for &(text, g, expected) in cases {
            let expected = expected.map(|names| names.iter().map(ToString::to_string).collect());
            assert_eq!(names(text, g), expected, "{text} split {g:?}");
        }
        let days = period("2024").split(Day).unwrap();
        assert_eq!(days.len(), 366);
        assert_eq!(days[0].to_string(), "2024-01-01");
        assert_eq!(days[365].to_string(), "2024-12-31");
        assert_eq!(period("2024").split(Month).unwrap().len(), 12);
        // The pieces are proper periods of their kind.
        for piece in period("2024-Q1").split(Week).unwrap_or_default() {
            assert_eq!(piece.kind(), PeriodKind::Week);
        }
        assert!(period("2024-12-30..2025-01-12").split(Week).is_some());
    }

    #[test]
    fn shift_back_keeps_the_kind() {
        let cases = [
            // Years, halves, quarters and months by whole multiples.
            ("2024", "1y", "2023"),
            ("2024", "2h", "2023"),
            ("2024", "4h", "2022"),
            ("2024", "4q", "2023"),
            ("2024", "12m", "2023"),
            ("2024", "24m", "2022"),
            ("2024-H2", "1h", "2024-H1"),
            ("2024-H1", "1h", "2023-H2"),
            ("2024-H1", "1y", "2023-H1"),
            ("2024-H1", "2q", "2023-H2"),
            ("2024-H1", "6m", "2023-H2"),
            ("2024-Q2", "1q", "2024-Q1"),
            ("2024-Q1", "1q", "2023-Q4"),
            ("2024-Q2", "1y", "2023-Q2"),
            ("2024-Q2", "1h", "2023-Q4"),
            ("2024-Q2", "3m", "2024-Q1"),
            ("2024-06", "1y", "2023-06"),
            ("2024-06", "1q", "2024-03"),
            ("2024-06", "1h", "2023-12"),
            ("2024-06", "2h", "2023-06"),
            ("2024-06", "1m", "2024-05"),
            ("2024-01", "1m", "2023-12"),
            ("2024-03", "1m", "2024-02"),
            ("0001-12", "11m", "0001-01"),
            // Weeks keep their ISO week number over years.
            ("2024-W23", "1y", "2023-W23"),
            ("2026-W53", "6y", "2020-W53"),
            ("2024-W01", "1y", "2023-W01"),
            ("2024-W23", "1w", "2024-W22"),
            ("2024-W23", "2w", "2024-W21"),
            ("2024-W01", "1w", "2023-W52"),
            ("2021-W01", "1w", "2020-W53"),
            ("2024-W23", "14d", "2024-W21"),
            ("2024-W23", "7d", "2024-W22"),
            // Days keep their calendar date, clamped to the month's end.
            ("2024-02-29", "1y", "2023-02-28"),
            ("2024-02-29", "4y", "2020-02-29"),
            ("2024-03-31", "1m", "2024-02-29"),
            ("2023-03-31", "1m", "2023-02-28"),
            ("2024-05-31", "1q", "2024-02-29"),
            ("2024-08-31", "1h", "2024-02-29"),
            ("2024-06-12", "1w", "2024-06-05"),
            ("2024-06-12", "12d", "2024-05-31"),
            ("2024-01-01", "1d", "2023-12-31"),
            ("2024-03-01", "1d", "2024-02-29"),
            // Other ranges move both bounds, then are renamed if they can be.
            ("2024-01-15..2024-02-14", "1m", "2023-12-15..2024-01-14"),
            ("2024-01-15..2024-02-14", "1y", "2023-01-15..2023-02-14"),
            ("2024-01-15..2024-02-14", "1w", "2024-01-08..2024-02-07"),
            ("2024-01-02..2024-12-31", "1y", "2023-01-02..2023-12-31"),
            ("2024-02..2024-03-15", "1m", "2024-01-01..2024-02-15"),
            ("2024-03-31..2024-04-29", "1m", "2024-02-29..2024-03-29"),
            ("2024-06-12..2024-06-18", "2d", "2024-W24"),
            ("2024-06-12..2024-06-18", "1q", "2024-03-12..2024-03-18"),
        ];
        for (text, over, expected) in cases {
            let shifted = period(text)
                .shift_back(span(over))
                .unwrap_or_else(|e| panic!("{text} over {over}: {e}"));
            assert_eq!(shifted.to_string(), expected, "{text} over {over}");
            if period(text).kind() != PeriodKind::Range {
                assert_eq!(shifted.kind(), period(text).kind(), "{text} over {over}");
            }
        }
    }

    #[test]
    fn shift_back_errors() {
        let year = "a year moves in whole years";
        let half = "a half moves in whole halves";
        let quarter = "a quarter moves in whole quarters";
        let month = "a month moves in whole months";
        let week = "a week moves in whole weeks or ISO years";
        let early = "the result would start before 0001-01-01, the first supported day";
        let cases = [
            ("2024", "1q", year),
            ("2024", "1h", year),
            ("2024", "6m", year),
            ("2024", "1w", year),
            ("2024", "365d", year),
            ("2024-H1", "1q", half),
            ("2024-H1", "3m", half),
            ("2024-H1", "2w", half),
            ("2024-Q2", "1m", quarter),
            ("2024-Q2", "1d", quarter),
            ("2024-06", "1w", month),
            ("2024-06", "30d", month),
            ("2024-W23", "1m", week),
            ("2024-W23", "1q", week),
            ("2024-W23", "1h", week),
            ("2024-W23", "10d", week),
            ("2020-W53", "1y", "ISO year 2019 has no week 53"),
            ("2026-W53", "1y", "ISO year 2025 has no week 53"),
            (
                "2024-03-29..2024-03-30",
                "1m",
                "the shifted range would be empty",
            ),
            ("0001", "1y", early),
            ("0001-H1", "1h", early),
            ("0001-Q1", "1q", early),
            ("0001-06", "1y", early),
            ("0002-01", "13m", early),
            ("0001-06-12", "1y", early),
            ("0001-01-01", "1d", early),
            ("0001-W01", "1w", early),
            ("0001-W10", "1y", early),
            ("0001-01-01..0001-01-05", "1d", early),
            ("2024", "9999y", early),
        ];
        for (text, over, reason) in cases {
            let error = period(text).shift_back(span(over)).expect_err(text);
            let canonical = period(text);
            assert_eq!(
                message(error),
                format!("cannot shift {canonical} back {over}: {reason}"),
            );
        }
        // Spans built directly, beyond what Span::parse accepts, fail too.
        for unit in [
            SpanUnit::Year,
            SpanUnit::Month,
            SpanUnit::Week,
            SpanUnit::Day,
        ] {
            let huge = Span {
                count: u32::MAX,
                unit,
            };
            for text in [
                "2024",
                "2024-06",
                "2024-W23",
                "2024-06-12",
                "2024-01-15..2024-02-14",
            ] {
                let _ = period(text).shift_back(huge);
            }
            assert!(period("2024-06-12").shift_back(huge).is_err());
        }
    }

    #[test]
    fn granularity_words() {
        use Granularity::*;
        let cases = [
            (Year, "year", "years"),
            (Half, "half", "halves"),
            (Quarter, "quarter", "quarters"),
            (Month, "month", "months"),
            (Week, "week", "weeks"),
            (Day, "day", "days"),
        ];
        for (g, name, plural) in cases {
            assert_eq!(g.name(), name);
            assert_eq!(g.plural(), plural);
            assert_eq!(Granularity::parse(name), Some(g));
            assert_eq!(Granularity::parse(&name.to_uppercase()), Some(g));
        }
        assert_eq!(Granularity::parse("Quarter"), Some(Quarter));
        for word in ["", "years", "halves", "y", "hour", "mónth", " day"] {
            assert_eq!(Granularity::parse(word), None, "{word}");
        }
    }

    #[test]
    fn parses_spans() {
        use SpanUnit::*;
        let cases = [
            ("1y", 1, Year, "1y"),
            ("1Y", 1, Year, "1y"),
            ("2h", 2, Half, "2h"),
            ("3Q", 3, Quarter, "3q"),
            ("3m", 3, Month, "3m"),
            ("12M", 12, Month, "12m"),
            ("52w", 52, Week, "52w"),
            ("7d", 7, Day, "7d"),
            ("9999d", 9999, Day, "9999d"),
            ("01y", 1, Year, "1y"),
            (" 1y ", 1, Year, "1y"),
        ];
        for (text, count, unit, canonical) in cases {
            let s = span(text);
            assert_eq!(s, Span { count, unit }, "{text}");
            assert_eq!(s.to_string(), canonical);
            assert_eq!(span(canonical), s);
        }
        let form = "expected a number then y, h, q, m, w or d, e.g. 1y or 3m";
        let errors = [
            ("1x", form),
            ("", form),
            ("y", form),
            ("1", form),
            ("1yy", form),
            ("1 y", form),
            ("-1y", form),
            ("+1y", form),
            ("1.5y", form),
            ("y1", form),
            ("٣m", form),
            ("1é", form),
            ("0y", "a span must be at least 1"),
            ("000d", "a span must be at least 1"),
            ("10000y", "a span must be at most 9999"),
            ("99999999999999999999999y", "a span must be at most 9999"),
        ];
        for (text, reason) in errors {
            let error = Span::parse(text).expect_err(text);
            assert_eq!(message(error), format!("invalid span {text:?}: {reason}"));
        }
    }
}
