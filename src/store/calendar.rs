//! The store's fiscal calendar (schema version 2): one row.
use rusqlite::OptionalExtension;

use super::{Result, Store, StoreError};
use crate::core::period::{FiscalCalendar, FiscalLabel};

impl Store {
    /// The fiscal calendar everyone who uses the store shares. A store of
    /// schema version 1 opened read-only has no calendar table yet: it has
    /// the default calendar, as it would after its upgrade.
    pub fn fiscal_calendar(&self) -> Result<FiscalCalendar> {
        let has_table: bool = self
            .conn
            .prepare_cached(
                "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'calendar'",
            )?
            .query_row([], |row| row.get(0))?;
        if !has_table {
            return Ok(FiscalCalendar::default());
        }
        let row: Option<(i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT fiscal_year_start, fiscal_year_label FROM calendar WHERE id = 1",
            )?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        let Some((start, label)) = row else {
            return Ok(FiscalCalendar::default());
        };
        let calendar = i8::try_from(start)
            .ok()
            .zip(FiscalLabel::parse(&label))
            .and_then(|(start, label)| FiscalCalendar::new(start, label));
        calendar.ok_or_else(|| StoreError::Damaged {
            path: "the store".into(),
            reason: format!(
                "its calendar row holds fiscal_year_start={start}, fiscal_year_label={label}"
            ),
        })
    }

    /// Replaces the fiscal calendar; the caller owns the transaction.
    pub fn set_fiscal_calendar(&self, calendar: FiscalCalendar) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO calendar (id, fiscal_year_start, fiscal_year_label) VALUES (1, ?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET fiscal_year_start = excluded.fiscal_year_start,
                                                fiscal_year_label = excluded.fiscal_year_label",
            )?
            .execute(rusqlite::params![
                i64::from(calendar.start_month()),
                calendar.label.name()
            ])?;
        Ok(())
    }
}
