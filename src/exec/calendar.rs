//! `calendar`: the store's fiscal calendar, set or printed.
use crate::core::command::CalendarSettings;
use crate::core::period::{FiscalCalendar, FiscalLabel, FiscalPeriod, Granularity, MONTH_NAMES};
use crate::core::rows::{Cell, Rows};

use super::{Executor, Outcome, Result};

pub const CALENDAR_FIELDS: [&str; 2] = ["fiscal_year_start", "fiscal_year_label"];

impl Executor {
    /// The store's fiscal calendar, read afresh for each command: another
    /// process may change it between two commands. A query reads it once,
    /// since it runs in one snapshot of the store and names every period
    /// it resolves with it. Fiscal periods (`FY2024-Q1`), fiscal `every`
    /// steps and fiscal to-date endpoints are resolved in it.
    pub fn calendar(&self) -> Result<FiscalCalendar> {
        let (reading, known) = self.query_calendar.get();
        if let Some(calendar) = known {
            return Ok(calendar);
        }
        let calendar = self.store.fiscal_calendar()?;
        if reading {
            self.query_calendar.set((true, Some(calendar)));
        }
        Ok(calendar)
    }

    /// `calendar fiscal_year_start=... fiscal_year_label=...`: a setting
    /// left out stays as it was.
    pub(super) fn set_calendar(&mut self, settings: &CalendarSettings) -> Result<Outcome> {
        let old = self.calendar()?;
        let calendar = FiscalCalendar::new(
            settings.start_month.unwrap_or(old.start_month()),
            settings.label.unwrap_or(old.label),
        )
        .expect("the parser checks the month");
        self.store.set_fiscal_calendar(calendar)?;
        let mut notes = Vec::new();
        if self.confirmations {
            notes.push(describe(calendar));
        }
        Ok(Outcome {
            notes,
            ..Outcome::default()
        })
    }

    /// `calendar` alone: one row.
    pub(super) fn calendar_rows(&self) -> Result<Rows> {
        let calendar = self.calendar()?;
        let mut out = Rows::new(&CALENDAR_FIELDS);
        out.push(vec![
            Cell::Int(i64::from(calendar.start_month())),
            Cell::text(calendar.label.name()),
        ]);
        Ok(out)
    }
}

/// The confirmation: which days a fiscal year now covers, by example.
fn describe(calendar: FiscalCalendar) -> String {
    let example = FiscalPeriod {
        year: 2024,
        grain: Granularity::FiscalYear,
        part: 1,
    };
    let days = example
        .period(calendar)
        .map(|p| {
            format!(
                "{}..{}",
                p.start().strftime("%Y-%m-%d"),
                p.last_day().strftime("%Y-%m-%d")
            )
        })
        .unwrap_or_default();
    let label = match calendar.label {
        FiscalLabel::End => "end",
        FiscalLabel::Start => "start",
    };
    let month = MONTH_NAMES[calendar.start_month() as usize - 1];
    let mut month = month.to_string();
    month[..1].make_ascii_uppercase();
    format!(
        "calendar: fiscal years start in {month} and are labelled by the year in which they {label} (FY2024 is {days})"
    )
}
