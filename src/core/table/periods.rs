//! Period cells: any period form, a four-digit year (text or number), a
//! spreadsheet date, or text read with `--period-format`; then `--grain`.
use jiff::civil::Date;
use jiff::fmt::strtime;

use super::TableCell;
use crate::core::period::{Granularity, Period, PeriodError};

/// Why a cell is not a period, or not one `--grain` can hold.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PeriodCellError {
    #[error("the period is empty")]
    Empty,
    /// A number that is not a four-digit year.
    #[error("{0} is not a period; expected a four-digit year or a period such as 2024-06")]
    Number(String),
    /// Text that `--period-format` does not read; `hint` names a known
    /// format that does, and what it reads.
    #[error(
        "\"{text}\" does not match --period-format {}{}",
        quote_option(format),
        hint_text(hint)
    )]
    NoMatch {
        text: String,
        format: String,
        hint: Option<(&'static str, &'static str)>,
    },
    /// Text in a known format other than the period forms.
    #[error(
        "\"{text}\" is not a period; for {what} add --period-format {}",
        quote_option(format)
    )]
    KnownFormat {
        text: String,
        format: &'static str,
        what: &'static str,
    },
    /// A period form that is merely invalid (`2024-02-30`).
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error(
        "\"{0}\" is not a period; expected a year (2024), quarter (2024-Q2), month (2024-06) or day (2024-06-12), or other text with --period-format"
    )]
    NotAPeriod(String),
    #[error("{period} is longer than a {}; --grain {} cannot hold it", grain.name(), grain.name())]
    LongerThanGrain { period: Period, grain: Granularity },
    #[error(
        "{period} straddles two {} ({holder} and the next); --grain {} cannot hold it",
        grain.plural(),
        grain.name()
    )]
    Straddles {
        period: Period,
        holder: Period,
        grain: Granularity,
    },
    #[error(
        "--period-format {} names no year; use directives such as %Y, %m, %b and %d",
        quote_option(.0)
    )]
    FormatWithoutYear(String),
}

/// `; for WHAT use --period-format FORMAT`, when a known format fits.
fn hint_text(hint: &Option<(&'static str, &'static str)>) -> String {
    match hint {
        Some((format, what)) => {
            format!("; for {what} use --period-format {}", quote_option(format))
        }
        None => String::new(),
    }
}

/// The finest period a `--period-format` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Finest {
    Year,
    Month,
    Day,
}

/// Reads period cells as the options say.
#[derive(Debug, Clone)]
pub struct PeriodReader {
    format: Option<(String, Finest)>,
    grain: Option<Granularity>,
}

/// Formats tried on a cell that is not a period, to tell the user which
/// `--period-format` to give. Month before day where both could match,
/// as in the downloads most often met.
const KNOWN_FORMATS: [(&str, &str); 25] = [
    ("%m/%d/%Y", "month/day/year"),
    ("%d/%m/%Y", "day/month/year"),
    ("%Y/%m/%d", "year/month/day"),
    ("%m/%d/%y", "month/day/two-digit year"),
    ("%d.%m.%Y", "day.month.year"),
    ("%Y.%m.%d", "year.month.day"),
    ("%m-%d-%Y", "month-day-year"),
    ("%d-%m-%Y", "day-month-year"),
    ("%b %d %Y", "month name, day and year"),
    ("%b %d, %Y", "month name, day and year"),
    ("%d %b %Y", "day, month name and year"),
    ("%d-%b-%Y", "day-month name-year"),
    ("%d-%b-%y", "day-month name-two-digit year"),
    ("%b %Y", "month name and year"),
    ("%b-%y", "month name and two-digit year"),
    ("%Y%m%d", "year, month and day digits"),
    ("%Y%m", "year and month digits"),
    ("%Y/%m", "year/month"),
    ("%m/%Y", "month/year"),
    ("%Y-%m-%dT%H:%M:%S%.fZ", "a date and time"),
    ("%Y-%m-%dT%H:%M:%SZ", "a date and time"),
    ("%Y-%m-%dT%H:%M:%S%:z", "a date and time"),
    ("%Y-%m-%d %H:%M:%S", "a date and time"),
    ("%Y-%m-%dT%H:%M:%S", "a date and time"),
    ("%Y-%m-%d %H:%M", "a date and time"),
];

impl PeriodReader {
    /// A reader for `--period-format` (if any) and `--grain` (if any).
    pub fn new(
        format: Option<&str>,
        grain: Option<Granularity>,
    ) -> Result<PeriodReader, PeriodCellError> {
        let format = match format {
            Some(format) => Some((format.to_string(), finest(format)?)),
            None => None,
        };
        Ok(PeriodReader { format, grain })
    }

    /// The period of a cell, as GRAIN when `--grain` is given. The error
    /// says what is wrong and, when it can tell, how to fix it.
    pub fn read(&self, cell: &TableCell) -> Result<Period, PeriodCellError> {
        let period = self.read_exact(cell)?;
        self.to_grain(period)
    }

    /// The period a cell names, before `--grain`.
    pub fn read_exact(&self, cell: &TableCell) -> Result<Period, PeriodCellError> {
        match cell {
            TableCell::Empty => Err(PeriodCellError::Empty),
            TableCell::Date(date) => Ok(Period::containing(Granularity::Day, *date)),
            TableCell::Number(n) | TableCell::Percent(n) => {
                let text = super::number_text(*n);
                if n.fract() == 0.0 && (1000.0..=9999.0).contains(n) && self.format.is_none() {
                    return Ok(Period::parse(&text)?);
                }
                match &self.format {
                    Some(_) if n.fract() == 0.0 => self.read_text(&text),
                    _ => Err(PeriodCellError::Number(text)),
                }
            }
            TableCell::Text(text) => self.read_text(text.trim()),
        }
    }

    fn read_text(&self, text: &str) -> Result<Period, PeriodCellError> {
        if text.is_empty() {
            return Err(PeriodCellError::Empty);
        }
        if let Some((format, finest)) = &self.format {
            return parse_with(format, *finest, text).ok_or_else(|| PeriodCellError::NoMatch {
                text: text.to_string(),
                format: format.clone(),
                hint: known_format(text).filter(|(known, _)| known != format),
            });
        }
        Period::parse(text).map_err(|error| match known_format(text) {
            Some((format, what)) => PeriodCellError::KnownFormat {
                text: text.to_string(),
                format,
                what,
            },
            None if looks_like_period(text) => PeriodCellError::Period(error),
            None => PeriodCellError::NotAPeriod(text.to_string()),
        })
    }

    /// The GRAIN period that holds `period`; an error when it does not fit
    /// in one.
    pub fn to_grain(&self, period: Period) -> Result<Period, PeriodCellError> {
        let Some(grain) = self.grain else {
            return Ok(period);
        };
        let holder = Period::containing(grain, period.start());
        if holder.contains(&period) {
            return Ok(holder);
        }
        if period.days() > holder.days() {
            Err(PeriodCellError::LongerThanGrain { period, grain })
        } else {
            Err(PeriodCellError::Straddles {
                period,
                holder,
                grain,
            })
        }
    }
}

/// A period form of section 3 that is merely invalid (`2024-02-30`,
/// `2024-Q5`) gets the period parser's own reason.
fn looks_like_period(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 4 && bytes[..4].iter().all(u8::is_ascii_digit)
}

/// `%b %d %Y` needs quotes on a command line; `%m/%d/%Y` does not.
fn quote_option(text: &str) -> String {
    if text.contains([' ', ',', '=', ';', '#']) {
        format!("\"{text}\"")
    } else {
        text.to_string()
    }
}

/// The first known format that reads `text`, with its description.
fn known_format(text: &str) -> Option<(&'static str, &'static str)> {
    KNOWN_FORMATS.into_iter().find(|(format, _)| {
        let finest = finest(format).expect("known formats name a year");
        parse_with(format, finest, text).is_some()
    })
}

/// The finest period a format's directives name.
fn finest(format: &str) -> Result<Finest, PeriodCellError> {
    let mut directives = Vec::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c == '%' {
            // Flags and widths (`%-d`, `%02d`) come before the letter.
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() || d == '%' {
                    directives.push(d);
                    break;
                }
            }
        }
    }
    let has = |set: &[char]| directives.iter().any(|d| set.contains(d));
    if has(&['d', 'e', 'j', 'F', 'D', 'x']) {
        Ok(Finest::Day)
    } else if has(&['m', 'b', 'B', 'h']) {
        Ok(Finest::Month)
    } else if has(&['Y', 'y', 'G', 'g']) {
        Ok(Finest::Year)
    } else {
        Err(PeriodCellError::FormatWithoutYear(format.to_string()))
    }
}

fn parse_with(format: &str, finest: Finest, text: &str) -> Option<Period> {
    let parsed = strtime::parse(format, text).ok()?;
    let date = match finest {
        Finest::Day => parsed.to_date().ok()?,
        Finest::Month => Date::new(parsed.year()?, parsed.month()?, 1).ok()?,
        Finest::Year => Date::new(parsed.year()?, 1, 1).ok()?,
    };
    let granularity = match finest {
        Finest::Day => Granularity::Day,
        Finest::Month => Granularity::Month,
        Finest::Year => Granularity::Year,
    };
    Some(Period::containing(granularity, date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> TableCell {
        TableCell::Text(t.to_string())
    }

    fn reader(format: Option<&str>, grain: Option<Granularity>) -> PeriodReader {
        PeriodReader::new(format, grain).unwrap()
    }

    #[test]
    fn cells_without_a_format() {
        let r = reader(None, None);
        let cases = [
            (text("2024"), "2024"),
            (text(" 2024-Q2 "), "2024-Q2"),
            (text("2024-06"), "2024-06"),
            (text("2006-01-01"), "2006-01-01"),
            (text("2024w23"), "2024-W23"),
            (TableCell::Number(2000.0), "2000"),
            (TableCell::Date(Date::constant(2000, 1, 3)), "2000-01-03"),
        ];
        for (cell, expected) in cases {
            assert_eq!(r.read(&cell).unwrap().to_string(), expected, "{cell:?}");
        }
    }

    #[test]
    fn errors_tell_the_format_to_give() {
        let r = reader(None, None);
        let cases = [
            (
                text("1/31/2000"),
                "\"1/31/2000\" is not a period; for month/day/year add --period-format %m/%d/%Y",
            ),
            (
                text("31/1/2000"),
                "\"31/1/2000\" is not a period; for day/month/year add --period-format %d/%m/%Y",
            ),
            (
                text("Jan 1 2000"),
                "\"Jan 1 2000\" is not a period; for month name, day and year add --period-format \"%b %d %Y\"",
            ),
            (
                text("2012/01/01"),
                "\"2012/01/01\" is not a period; for year/month/day add --period-format %Y/%m/%d",
            ),
            (
                text("200001"),
                "\"200001\" is not a period; for year and month digits add --period-format %Y%m",
            ),
            (text("2024-02-30"), "invalid period \"2024-02-30\""),
            (
                text("2000-01-01T08:00:00.000Z"),
                "\"2000-01-01T08:00:00.000Z\" is not a period; for a date and time add --period-format %Y-%m-%dT%H:%M:%S%.fZ",
            ),
            (text("soon"), "\"soon\" is not a period; expected a year"),
            (text(""), "the period is empty"),
            (TableCell::Number(2000.5), "2000.5 is not a period"),
        ];
        for (cell, expected) in cases {
            let error = r.read(&cell).unwrap_err().to_string();
            assert!(error.starts_with(expected), "{cell:?}: {error}");
        }
    }

    #[test]
    fn formats_give_their_finest_period() {
        let cases = [
            ("%m/%d/%Y", "1/31/2000", "2000-01-31"),
            ("%b %d %Y", "Jan 1 2000", "2000-01-01"),
            ("%b %d %Y", "Dec 31 1999", "1999-12-31"),
            ("%Y%m", "200002", "2000-02"),
            ("%b %Y", "Mar 2001", "2001-03"),
            ("%Y", "1999", "1999"),
            ("%Y-%m-%d %H:%M:%S", "2000-01-02 13:45:00", "2000-01-02"),
            ("%d.%m.%Y", "02.03.2004", "2004-03-02"),
            (
                "%Y-%m-%dT%H:%M:%S%.fZ",
                "2000-01-01T08:00:00.000Z",
                "2000-01-01",
            ),
        ];
        for (format, cell, expected) in cases {
            let r = reader(Some(format), None);
            assert_eq!(
                r.read(&text(cell)).unwrap().to_string(),
                expected,
                "{format}"
            );
        }
        let r = reader(Some("%Y%m"), None);
        assert_eq!(
            r.read(&TableCell::Number(200003.0)).unwrap().to_string(),
            "2000-03"
        );
    }

    #[test]
    fn a_format_that_does_not_match() {
        let r = reader(Some("%d/%m/%Y"), None);
        assert_eq!(
            r.read(&text("2000-01-31")).unwrap_err().to_string(),
            "\"2000-01-31\" does not match --period-format %d/%m/%Y"
        );
        let r = reader(Some("%Y-%m-%d"), None);
        assert_eq!(
            r.read(&text("Jan 1 2000")).unwrap_err().to_string(),
            "\"Jan 1 2000\" does not match --period-format %Y-%m-%d; for month name, day and year use --period-format \"%b %d %Y\""
        );
        assert!(matches!(
            PeriodReader::new(Some("%H:%M"), None),
            Err(PeriodCellError::FormatWithoutYear(_))
        ));
    }

    #[test]
    fn grain_holds_each_period() {
        let month = reader(None, Some(Granularity::Month));
        let cases = [
            ("2000-01-01", Ok("2000-01")),
            ("2000-01-31", Ok("2000-01")),
            ("2000-03", Ok("2000-03")),
            ("2000-Q1", Err("2000-Q1 is longer than a month")),
            ("2000-W05", Err("2000-W05 straddles two months")),
        ];
        for (cell, expected) in cases {
            let got = month.read(&text(cell)).map(|p| p.to_string());
            match expected {
                Ok(want) => assert_eq!(got.unwrap(), want, "{cell}"),
                Err(want) => assert!(got.unwrap_err().to_string().starts_with(want), "{cell}"),
            }
        }
        let year = reader(Some("%b %d %Y"), Some(Granularity::Year));
        assert_eq!(year.read(&text("Jun 5 2001")).unwrap().to_string(), "2001");
    }
}
