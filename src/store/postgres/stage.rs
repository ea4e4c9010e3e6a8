//! The scratch table of a large table import: a temporary table of this
//! session, never in the store's schema.
use postgres::Row;

use super::Store;
use crate::store::{Result, StagedCell};

fn staged(row: &Row) -> StagedCell {
    let unsigned = |at: usize| u32::try_from(row.get::<_, i64>(at)).unwrap_or(u32::MAX);
    StagedCell {
        series: unsigned(0),
        start: row.get(1),
        end: row.get(2),
        value: row.get(3),
        days: row.get(4),
        latest_end: row.get(5),
        first_start: row.get(6),
        last_end: row.get(7),
        count: unsigned(8),
        row: u64::try_from(row.get::<_, i64>(9)).unwrap_or(u64::MAX),
        column: unsigned(10),
        source: row
            .get::<_, Option<i64>>(11)
            .map(|s| u32::try_from(s).unwrap_or(u32::MAX)),
    }
}

impl Store {
    pub fn stage_begin(&self) -> Result<()> {
        self.batch(
            "CREATE TEMP TABLE IF NOT EXISTS import_stage (
                 series bigint NOT NULL, start_day integer NOT NULL, end_day integer NOT NULL,
                 value double precision NOT NULL, days bigint NOT NULL,
                 latest_end integer NOT NULL, first_start integer NOT NULL,
                 last_end integer NOT NULL, count bigint NOT NULL,
                 row_number bigint NOT NULL, col bigint NOT NULL, source bigint,
                 PRIMARY KEY (series, start_day, end_day)
             );
             DELETE FROM pg_temp.import_stage;",
        )
    }

    pub fn stage_get(&self, series: u32, start: i32, end: i32) -> Result<Option<StagedCell>> {
        Ok(self
            .query_opt(
                "SELECT * FROM pg_temp.import_stage
                 WHERE series = $1 AND start_day = $2 AND end_day = $3",
                &[&i64::from(series), &start, &end],
            )?
            .as_ref()
            .map(staged))
    }

    pub fn stage_put(&self, cell: &StagedCell) -> Result<()> {
        self.execute(
            "INSERT INTO pg_temp.import_stage VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (series, start_day, end_day) DO UPDATE SET
               value = excluded.value, days = excluded.days, latest_end = excluded.latest_end,
               first_start = excluded.first_start, last_end = excluded.last_end,
               count = excluded.count, row_number = excluded.row_number, col = excluded.col,
               source = excluded.source",
            &[
                &i64::from(cell.series),
                &cell.start,
                &cell.end,
                &cell.value,
                &cell.days,
                &cell.latest_end,
                &cell.first_start,
                &cell.last_end,
                &i64::from(cell.count),
                &i64::try_from(cell.row).unwrap_or(i64::MAX),
                &i64::from(cell.column),
                &cell.source.map(i64::from),
            ],
        )?;
        Ok(())
    }

    pub fn stage_series(&self, series: u32) -> Result<Vec<StagedCell>> {
        Ok(self
            .query(
                "SELECT * FROM pg_temp.import_stage WHERE series = $1 ORDER BY start_day, end_day",
                &[&i64::from(series)],
            )?
            .iter()
            .map(staged)
            .collect())
    }

    pub fn stage_end(&self) -> Result<()> {
        self.batch("DROP TABLE IF EXISTS pg_temp.import_stage")
    }
}
