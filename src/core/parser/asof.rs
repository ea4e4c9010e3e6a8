//! The time after `asof`.
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{ParseError, Parser, invalid_at};
use crate::core::lexer::TokenKind;

/// A time after `asof` that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid asof time \"{text}\": {reason}")]
pub struct AsofError {
    text: String,
    reason: AsofReason,
}

const EXPECTED: &str =
    "expected an RFC 3339 timestamp such as 2024-06-12T10:00:00Z or a day such as 2024-06-12";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum AsofReason {
    #[error("the year must be 0001 to 9999")]
    Year,
    #[error("month must be 01 to 12")]
    Month,
    #[error("{year:04}-{month:02} has {days} days")]
    DaysInMonth { year: i16, month: i16, days: i8 },
    #[error("the offset +/-{0:02}:MM is out of range; RFC 3339 offsets run from -23:59 to +23:59")]
    Offset(u32),
    #[error("{EXPECTED}")]
    Expected,
    /// jiff's detail, which helps with a near miss (`T25:00`).
    #[error("{EXPECTED} ({0})")]
    NearMiss(String),
    /// A day that jiff refuses (out of its range).
    #[error("{0}")]
    Jiff(String),
    /// A time past the last instant a time can name.
    #[error(
        "times run up to {}; a day such as 9999-12-31 means everything recorded",
        Timestamp::MAX
    )]
    Range,
}

/// Parses an `asof` time: an RFC 3339 timestamp with offset, or a day
/// `YYYY-MM-DD`, which means the last instant of that day in UTC, so that
/// everything recorded during the day is included.
pub fn parse_asof(text: &str) -> Result<Timestamp, AsofError> {
    let invalid = |reason| AsofError {
        text: text.to_string(),
        reason,
    };
    let jiff = |e: jiff::Error| invalid(AsofReason::Jiff(e.to_string()));
    let b = text.as_bytes();
    let is_day = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if is_day {
        // Only ASCII digits and dashes, so these slices and parses succeed.
        let number = |range: std::ops::Range<usize>| text[range].parse::<i16>().unwrap_or(0);
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        // As for periods: years 0001 to 9999.
        if year == 0 {
            return Err(invalid(AsofReason::Year));
        }
        if !(1..=12).contains(&month) {
            return Err(invalid(AsofReason::Month));
        }
        let first = Date::new(year, month as i8, 1).map_err(jiff)?;
        if day < 1 || day > i16::from(first.days_in_month()) {
            return Err(invalid(AsofReason::DaysInMonth {
                year,
                month,
                days: first.days_in_month(),
            }));
        }
        let date = Date::new(year, month as i8, day as i8).map_err(jiff)?;
        // The end of the last days lies past the last instant a timestamp
        // can hold; nothing can have been recorded after that instant.
        return Ok(TimeZone::UTC
            .to_timestamp(date.at(23, 59, 59, 999_999_999))
            .unwrap_or(Timestamp::MAX));
    }
    if let Some(hours) = offset_hours(text).filter(|&h| h > 23) {
        return Err(invalid(AsofReason::Offset(hours)));
    }
    text.parse::<Timestamp>().map_err(|e| {
        // A well-formed time past the range reads as a civil time.
        let civil = text
            .get(..19)
            .and_then(|t| t.parse::<jiff::civil::DateTime>().ok());
        if civil.is_some_and(|t| t.year() >= 9999) {
            invalid(AsofReason::Range)
        } else if text.starts_with(|c: char| c.is_ascii_digit()) {
            invalid(AsofReason::NearMiss(e.to_string()))
        } else {
            invalid(AsofReason::Expected)
        }
    })
}

/// The hours of a numeric UTC offset after the time (`+05:30` gives 5),
/// which jiff accepts up to 25 but RFC 3339 only up to 23.
fn offset_hours(text: &str) -> Option<u32> {
    let time = &text[text.find(['T', 't', ' '])?..];
    let sign = time.rfind(['+', '-'])?;
    let digits = time.get(sign + 1..sign + 3)?;
    digits
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| digits.parse().ok())
        .flatten()
}

impl Parser<'_> {
    pub(super) fn asof(&mut self) -> Result<Timestamp, ParseError> {
        let token = self.take(&[TokenKind::Word, TokenKind::Str], "a time after \"asof\"")?;
        parse_asof(&token.text).map_err(|e| invalid_at(token, e))
    }
}
