//! A scratch table for the cells of a large table import: a temporary table
//! of this connection (never in the store's file), so that gathering and
//! combining millions of cells needs no memory that grows with the file.
use rusqlite::{OptionalExtension, params};

use super::{Result, Store};

/// One series and period's cells, combined so far, as the importer keeps
/// them (see the core's table combining).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StagedCell {
    pub series: u32,
    pub start: i32,
    pub end: i32,
    pub value: f64,
    pub days: i64,
    pub latest_end: i32,
    pub first_start: i32,
    pub last_end: i32,
    pub count: u32,
    pub row: u64,
    pub column: u32,
    pub source: Option<u32>,
}

const COLUMNS: &str =
    "series, start, end, value, days, latest_end, first_start, last_end, count, row, col, source";

fn staged(row: &rusqlite::Row) -> rusqlite::Result<StagedCell> {
    Ok(StagedCell {
        series: row.get(0)?,
        start: row.get(1)?,
        end: row.get(2)?,
        value: row.get(3)?,
        days: row.get(4)?,
        latest_end: row.get(5)?,
        first_start: row.get(6)?,
        last_end: row.get(7)?,
        count: row.get(8)?,
        row: row.get::<_, i64>(9)? as u64,
        column: row.get(10)?,
        source: row.get(11)?,
    })
}

impl Store {
    /// Creates the scratch table, empty, in a temporary file (the store
    /// opens with `temp_store = FILE`).
    pub fn stage_begin(&self) -> Result<()> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS import_stage (
                 series INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
                 value REAL NOT NULL, days INTEGER NOT NULL, latest_end INTEGER NOT NULL,
                 first_start INTEGER NOT NULL, last_end INTEGER NOT NULL, count INTEGER NOT NULL,
                 row INTEGER NOT NULL, col INTEGER NOT NULL, source INTEGER,
                 PRIMARY KEY (series, start, end)
             ) WITHOUT ROWID;
             DELETE FROM temp.import_stage;",
        )?;
        Ok(())
    }

    pub fn stage_get(&self, series: u32, start: i32, end: i32) -> Result<Option<StagedCell>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM temp.import_stage WHERE series = ?1 AND start = ?2 AND end = ?3"
        ))?;
        Ok(stmt
            .query_row(params![series, start, end], staged)
            .optional()?)
    }

    pub fn stage_put(&self, cell: &StagedCell) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO temp.import_stage ({COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
        ))?;
        stmt.execute(params![
            cell.series,
            cell.start,
            cell.end,
            cell.value,
            cell.days,
            cell.latest_end,
            cell.first_start,
            cell.last_end,
            cell.count,
            cell.row as i64,
            cell.column,
            cell.source
        ])?;
        Ok(())
    }

    /// The cells of one series, ordered by period.
    pub fn stage_series(&self, series: u32) -> Result<Vec<StagedCell>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM temp.import_stage WHERE series = ?1 ORDER BY start, end"
        ))?;
        let rows = stmt.query_map([series], staged)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Drops the scratch table.
    pub fn stage_end(&self) -> Result<()> {
        self.conn
            .execute_batch("DROP TABLE IF EXISTS temp.import_stage")?;
        Ok(())
    }
}
