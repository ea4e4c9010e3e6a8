//! Tests of the period module, by concern.
use jiff::civil::Date;

use super::{Period, PeriodError, Span, day_number};

mod calendar;
mod fiscal;
mod text;

fn period(text: &str) -> Period {
    Period::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn date(text: &str) -> Date {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The day number of an exclusive end written as a date, which may be
/// 10000-01-01, the day after jiff's last.
fn end_day(text: &str) -> i32 {
    match text {
        "10000-01-01" => day_number(Date::MAX) + 1,
        _ => day_number(date(text)),
    }
}

fn span(text: &str) -> Span {
    Span::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn message(error: PeriodError) -> String {
    error.to_string()
}
