//! Tests of the period module, by concern.
use jiff::civil::Date;

use super::{Period, PeriodError, Span};

mod calendar;
mod text;

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
