//! The fiscal calendar: fiscal years, halves and quarters, how any period is
//! named in a calendar, and the ranges built from a day or a period (to
//! date, trailing).
//!
//! A fiscal year starts on the first day of its first month and is
//! labelled by the calendar year in which it ends (`end`, the default) or
//! starts (`start`). With a first month of January both labels agree and
//! fiscal periods are calendar ones.
use jiff::civil::Date;

use super::calendar::last_of;
use super::{FIRST_DAY, Granularity, Period, PeriodError, Reason, Span, invalid_period};

/// Which calendar year a fiscal year is labelled by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum FiscalLabel {
    /// The year in which the fiscal year ends.
    #[default]
    End,
    /// The year in which it starts.
    Start,
}

impl FiscalLabel {
    pub const ALL: [FiscalLabel; 2] = [FiscalLabel::End, FiscalLabel::Start];

    pub fn name(self) -> &'static str {
        match self {
            FiscalLabel::End => "end",
            FiscalLabel::Start => "start",
        }
    }

    /// Case-insensitive.
    pub fn parse(word: &str) -> Option<FiscalLabel> {
        FiscalLabel::ALL
            .into_iter()
            .find(|l| l.name().eq_ignore_ascii_case(word))
    }
}

/// The store's fiscal calendar: the month its fiscal year starts in, and
/// how fiscal years are labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FiscalCalendar {
    start_month: i8,
    pub label: FiscalLabel,
}

impl Default for FiscalCalendar {
    /// January, labelled by the year in which it ends: the calendar year.
    fn default() -> FiscalCalendar {
        FiscalCalendar {
            start_month: 1,
            label: FiscalLabel::End,
        }
    }
}

/// English month names, January first; each also matches its first three letters.
pub const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl FiscalCalendar {
    /// `None` unless `start_month` is 1 to 12.
    pub fn new(start_month: i8, label: FiscalLabel) -> Option<FiscalCalendar> {
        (1..=12)
            .contains(&start_month)
            .then_some(FiscalCalendar { start_month, label })
    }

    /// The first month, 1 to 12.
    pub fn start_month(&self) -> i8 {
        self.start_month
    }

    /// A month as `fiscal_year_start=` takes it: `1`..`12`, or an English
    /// month name or its three-letter abbreviation, case-insensitive.
    pub fn parse_month(text: &str) -> Option<i8> {
        if let Ok(number) = text.parse::<u8>()
            && text.bytes().all(|b| b.is_ascii_digit())
        {
            return (1..=12).contains(&number).then_some(number as i8);
        }
        let lower = text.to_ascii_lowercase();
        MONTH_NAMES
            .iter()
            .position(|name| *name == lower || (lower.len() == 3 && name.starts_with(&lower)))
            .map(|index| index as i8 + 1)
    }

    /// Months from January to the first month: what fiscal units are aligned by.
    pub(super) fn first_month_offset(&self) -> i64 {
        i64::from(self.start_month - 1)
    }

    /// Months since year 0 of the first month of fiscal year `year`.
    fn year_start_index(&self, year: i64) -> i64 {
        year * 12 + self.first_month_offset() - self.label_shift()
    }

    /// Twelve when a fiscal year labelled by its end starts in the year before.
    fn label_shift(&self) -> i64 {
        match self.label {
            FiscalLabel::End if self.start_month != 1 => 12,
            _ => 0,
        }
    }

    /// The fiscal year, half or quarter that `period` is exactly, if any.
    pub fn fiscal_of(&self, period: &Period) -> Option<FiscalPeriod> {
        let (start, last) = (period.start, period.last);
        // Whole months, as many as a fiscal unit has, starting on one's
        // first month.
        if start.day() != 1 || last.day() != last.days_in_month() {
            return None;
        }
        let index = i64::from(start.year()) * 12 + i64::from(start.month() - 1);
        let months = (i64::from(last.year()) * 12 + i64::from(last.month() - 1)) - index + 1;
        let grain = Granularity::FISCAL.into_iter().find(|g| {
            g.months() == Some(months) && (index - self.first_month_offset()) % months == 0
        })?;
        let year = (index - self.first_month_offset() + self.label_shift()).div_euclid(12);
        let part = (index - self.year_start_index(year)) / months + 1;
        let year = i16::try_from(year)
            .ok()
            .filter(|y| (1..=9999).contains(y))?;
        Some(FiscalPeriod {
            year,
            grain,
            part: part as u8,
        })
    }

    /// How a period that was not asked for in fiscal form is shown: by its
    /// calendar name when it has one, else by its fiscal name, else as a
    /// range of days.
    pub fn name(&self, period: &Period) -> String {
        match period.granularity() {
            None => match self.fiscal_of(period) {
                Some(fiscal) => fiscal.to_string(),
                None => period.to_string(),
            },
            Some(_) => period.to_string(),
        }
    }
}

/// A fiscal year (`FY2024`), half (`FY2024-H1`) or quarter (`FY2024-Q3`),
/// as written: which days it covers depends on the [`FiscalCalendar`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FiscalPeriod {
    pub year: i16,
    /// [`Granularity::FiscalYear`], `FiscalHalf` or `FiscalQuarter`.
    pub grain: Granularity,
    /// 1 for a year; 1..=2 for a half; 1..=4 for a quarter.
    pub part: u8,
}

impl FiscalPeriod {
    /// Whether text is meant as a fiscal period: it starts with `FY`.
    pub fn looks_fiscal(text: &str) -> bool {
        text.trim()
            .get(..2)
            .is_some_and(|fy| fy.eq_ignore_ascii_case("fy"))
    }

    /// `FY2024`, `FY2024-H1`/`FY2024H1`, `FY2024-Q3`/`FY2024Q3`,
    /// case-insensitive, surrounding whitespace ignored.
    pub fn parse(text: &str) -> Result<FiscalPeriod, PeriodError> {
        parse_fiscal(text.trim()).map_err(|reason| invalid_period(text, reason))
    }

    /// The days it covers in `calendar`; an error when they fall outside
    /// 0001-01-01 ..= 9999-12-31.
    pub fn period(&self, calendar: FiscalCalendar) -> Result<Period, PeriodError> {
        let months = self.grain.months().expect("fiscal units are whole months");
        let index =
            calendar.year_start_index(i64::from(self.year)) + (i64::from(self.part) - 1) * months;
        let out_of_range = |reason| PeriodError::FiscalRange {
            period: *self,
            month: MONTH_NAMES[calendar.start_month as usize - 1],
            reason,
        };
        let year = i16::try_from(index.div_euclid(12))
            .ok()
            .filter(|&year| year >= 1)
            .ok_or_else(|| out_of_range(Reason::BeforeFirstDay))?;
        let start = Date::new(year, index.rem_euclid(12) as i8 + 1, 1)
            .map_err(|_| out_of_range(Reason::PastLastDay))?;
        let last = last_of(self.grain, start).ok_or_else(|| out_of_range(Reason::PastLastDay))?;
        Ok(Period::checked(start, last).expect("a fiscal period is a period"))
    }

    /// The same kind of fiscal period, `span` earlier (`over`): it moves in
    /// whole units of itself or longer (a fiscal quarter by quarters, halves
    /// or years), as a calendar one does.
    pub fn shift_back(&self, span: Span) -> Result<FiscalPeriod, PeriodError> {
        let months = self.grain.months().expect("fiscal units are whole months");
        let fail = |reason| PeriodError::FiscalShift {
            period: *self,
            span,
            reason,
        };
        let Some(shift) = span.months().filter(|m| m % months == 0) else {
            let name = match self.grain {
                Granularity::FiscalYear => "fiscal year",
                Granularity::FiscalHalf => "fiscal half",
                _ => "fiscal quarter",
            };
            return Err(fail(Reason::FiscalUnits {
                name,
                plural: self.grain.plural(),
            }));
        };
        let per_year = 12 / months;
        let unit = i64::from(self.year) * per_year + i64::from(self.part) - 1 - shift / months;
        let year = i16::try_from(unit.div_euclid(per_year))
            .ok()
            .filter(|&year| year >= 1)
            .ok_or_else(|| fail(Reason::BeforeFirstFiscalYear))?;
        Ok(FiscalPeriod {
            year,
            grain: self.grain,
            part: unit.rem_euclid(per_year) as u8 + 1,
        })
    }
}

impl std::fmt::Display for FiscalPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let year = self.year;
        match self.grain {
            Granularity::FiscalHalf => write!(f, "FY{year:04}-H{}", self.part),
            Granularity::FiscalQuarter => write!(f, "FY{year:04}-Q{}", self.part),
            _ => write!(f, "FY{year:04}"),
        }
    }
}

fn parse_fiscal(text: &str) -> Result<FiscalPeriod, Reason> {
    let bytes = text.as_bytes();
    let expected = || Reason::FiscalForm;
    let Some(rest) = bytes
        .get(..2)
        .filter(|fy| fy.eq_ignore_ascii_case(b"fy"))
        .map(|_| &bytes[2..])
    else {
        return Err(expected());
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits != 4 {
        return Err(Reason::FiscalYear);
    }
    let year = rest[..4]
        .iter()
        .fold(0i16, |n, d| n * 10 + i16::from(d - b'0'));
    if year == 0 {
        return Err(Reason::FiscalYearZero);
    }
    let tail = &rest[4..];
    let tail = tail.strip_prefix(b"-").unwrap_or(tail);
    let (grain, part) = match tail {
        [] if rest.len() == 4 => (Granularity::FiscalYear, 1),
        [letter, part] if letter.eq_ignore_ascii_case(&b'h') => match part {
            b'1'..=b'2' => (Granularity::FiscalHalf, part - b'0'),
            _ => return Err(Reason::FiscalHalf),
        },
        [letter, part] if letter.eq_ignore_ascii_case(&b'q') => match part {
            b'1'..=b'4' => (Granularity::FiscalQuarter, part - b'0'),
            _ => return Err(Reason::FiscalQuarter),
        },
        _ => return Err(expected()),
    };
    Ok(FiscalPeriod { year, grain, part })
}

impl Period {
    /// The to-date range of unit `g` at `day`: from the first day of the
    /// `g`-period holding `day` (fiscal units in `calendar`) to `day`.
    pub fn to_date(calendar: FiscalCalendar, g: Granularity, day: Date) -> Period {
        let start = Period::containing_in(calendar, g, day).start;
        Period::checked(start.max(FIRST_DAY), day).expect("a period's start is not after its days")
    }

    /// The range that ends where this period ends and is `span` long: its
    /// start is the exclusive end moved back by `span` as calendar units, a
    /// day that the month lacks becoming the month's last day.
    pub fn trailing(&self, span: Span) -> Result<Period, PeriodError> {
        let fail = || PeriodError::Trailing {
            period: *self,
            span,
            reason: Reason::BeforeFirstDay,
        };
        let start = self.end_back(span).ok_or_else(fail)?;
        Period::from_day_numbers(start, self.end_day()).map_err(|_| fail())
    }
}
