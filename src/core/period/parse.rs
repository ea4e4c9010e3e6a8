//! Text to periods and spans: `2024-Q2`, `2024-01..2024-03`, `3m`.
use jiff::civil::{Date, ISOWeekDate, Weekday};

use super::{Granularity, Period, PeriodError, Reason, Span, calendar::last_of, invalid_period};

impl Period {
    /// Parses any period form of the language, case-insensitively:
    /// `2024`, `2024-H1`/`2024H1`, `2024-Q2`/`2024Q2`, `2024-06`, `2024-W23`/`2024W23`,
    /// `2024-06-12`, and ranges `A..B` of any two of those. Surrounding
    /// whitespace is ignored.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        parse_period(text.trim()).map_err(|reason| invalid_period(text, reason))
    }
}

/// A period or a range `A..B` of two non-range periods.
fn parse_period(text: &str) -> Result<Period, Reason> {
    let Some((left, right)) = split_range(text) else {
        // A named period is of its own kind: no search for it (and being
        // named, it starts in year 1 or later and ends after it starts).
        let (g, start, last) = parse_named(text)?;
        return Ok(Period {
            start,
            last,
            kind: Some(g),
        });
    };
    let (left, right) = (left.trim(), right.trim());
    if left.is_empty() || right.is_empty() {
        return Err(Reason::RangeSide);
    }
    if right.contains("..") {
        return Err(Reason::RangeTwice);
    }
    let side = |text: &str| {
        parse_named(text).map_err(|reason| Reason::Side {
            text: text.to_string(),
            reason: Box::new(reason),
        })
    };
    let (_, start, _) = side(left)?;
    let (_, _, last) = side(right)?;
    Period::checked(start, last)
}

/// The sides of `A..B`, if `text` is a range. A period's own dots are rare
/// (a range is the one form with any), so a search for one `.` comes first.
fn split_range(text: &str) -> Option<(&str, &str)> {
    let dot = text.find('.')?;
    text[dot..].split_once("..").map(|(before, after)| {
        let at = dot + before.len();
        (&text[..at], after)
    })
}

/// The kind, first and last days of a named (non-range) period: `2024`,
/// `2024-H1`, `2024-Q2`, `2024-06`, `2024-W23` or `2024-06-12`, letters in
/// either case and the dash before `H`, `Q` and `W` optional.
fn parse_named(text: &str) -> Result<(Granularity, Date, Date), Reason> {
    // Working on bytes keeps slicing safe whatever the text: only ASCII
    // digits and letters are ever accepted.
    let bytes = text.as_bytes();
    if leading_digits(bytes) != 4 {
        return Err(Reason::Year);
    }
    let year = number(&bytes[..4]) as i16;
    if year == 0 {
        return Err(Reason::YearZero);
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
        _ => return Err(Reason::Form),
    };
    // Only 9999-W52, which ends on 10000-01-02, runs past the last day.
    let last = last_of(g, start).ok_or(Reason::PastLastDay)?;
    Ok((g, start, last))
}

/// `H1`, `Q2` or `W23` (the letter already upper-cased) after the year.
fn parse_lettered(year: i16, letter: u8, tail: &[u8]) -> Result<(Granularity, Date), Reason> {
    match letter {
        b'H' => match tail {
            [half @ b'1'..=b'2'] => {
                Ok((Granularity::Half, ymd(year, (half - b'1') as i8 * 6 + 1, 1)))
            }
            _ => Err(Reason::Half),
        },
        b'Q' => match tail {
            [quarter @ b'1'..=b'4'] => Ok((
                Granularity::Quarter,
                ymd(year, (quarter - b'1') as i8 * 3 + 1, 1),
            )),
            _ => Err(Reason::Quarter),
        },
        b'W' => {
            if tail.len() != 2 || leading_digits(tail) != 2 {
                return Err(Reason::WeekDigits);
            }
            let week = number(tail) as i8;
            if !(1..=53).contains(&week) {
                return Err(Reason::Week);
            }
            let first = ISOWeekDate::new(year, 1, Weekday::Monday)
                .expect("every year 1..=9999 has an ISO week 1");
            let weeks = first.weeks_in_year();
            if week > weeks {
                return Err(Reason::WeeksInYear { year, weeks });
            }
            let monday = ISOWeekDate::new(year, week, Weekday::Monday)
                .expect("the week is within the ISO year");
            Ok((Granularity::Week, monday.date()))
        }
        _ => Err(Reason::Form),
    }
}

/// `06` or `06-12` after `YYYY-`.
fn parse_month_or_day(year: i16, tail: &[u8]) -> Result<(Granularity, Date), Reason> {
    if leading_digits(tail) != 2 {
        return Err(Reason::MonthDigits);
    }
    let month = number(&tail[..2]) as i8;
    if !(1..=12).contains(&month) {
        return Err(Reason::Month);
    }
    let first = ymd(year, month, 1);
    match &tail[2..] {
        [] => Ok((Granularity::Month, first)),
        [b'-', day @ ..] => {
            if day.len() != 2 || leading_digits(day) != 2 {
                return Err(Reason::DayDigits);
            }
            let (day, last) = (number(day) as i8, first.days_in_month());
            if !(1..=31).contains(&day) {
                return Err(Reason::Day);
            }
            if day > last {
                return Err(Reason::DaysInMonth {
                    year,
                    month,
                    days: last,
                });
            }
            Ok((Granularity::Day, ymd(year, month, day)))
        }
        _ => Err(Reason::Form),
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

impl Span {
    /// The largest count [`Span::parse`] accepts.
    pub const MAX_COUNT: u32 = 9999;

    /// `N` then `y`, `h`, `q`, `m`, `w` or `d` (case-insensitive): `1y`, `3m`.
    /// `N` is 1 to 9999, in ASCII digits without a sign. Surrounding
    /// whitespace is ignored.
    pub fn parse(text: &str) -> Result<Span, PeriodError> {
        let invalid = |reason| PeriodError::Span {
            text: text.to_string(),
            reason,
        };
        let bytes = text.trim().as_bytes();
        let digits = leading_digits(bytes);
        let unit = match &bytes[digits..] {
            [letter] if digits > 0 => Granularity::CALENDAR
                .into_iter()
                .find(|g| g.letter() == Some(char::from(letter.to_ascii_lowercase()))),
            _ => None,
        };
        let Some(unit) = unit else {
            return Err(invalid(Reason::SpanForm));
        };
        let count = number(&bytes[..digits]);
        if count == 0 {
            return Err(invalid(Reason::SpanZero));
        }
        match u32::try_from(count) {
            Ok(count) if count <= Span::MAX_COUNT => Ok(Span { count, unit }),
            _ => Err(invalid(Reason::SpanTooLong)),
        }
    }
}
