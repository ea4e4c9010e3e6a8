//! Many snapshot values written as one: what an `.import` records.
//!
//! The executor hands the values over one at a time, in the order it
//! checks them, and each backend records them its own way with the same
//! result: a new snapshot gets its first revision (or the next one after
//! a deletion), the value already current changes nothing, and another
//! value is a conflict (the first given, in that order, is reported) or,
//! when revising, the next revision. SQLite gathers the values into runs
//! of bounded size and writes each run in key order through the
//! statements held on its connection (once values come out of key order,
//! the runs are sorted on disk and merged before they are written).
//! PostgreSQL gathers and sorts them the same way, then copies them in key
//! order at the end, straight into the store when they are all new, else
//! into a temporary table merged in one statement, as one round trip per
//! value would be far slower over a network.
//! Either way the caller's transaction makes the whole all or nothing.
use super::{Backend, Result, SeriesId, Store, postgres, sqlite};

/// One value to record.
#[derive(Debug, Clone, Copy)]
pub struct BulkValue<'a> {
    pub series: SeriesId,
    pub start_day: i32,
    pub end_day: i32,
    pub value: f64,
    pub source: Option<&'a str>,
    pub note: Option<&'a str>,
    /// Where it came from (a line, or a row and column), handed back with
    /// a conflict.
    pub place: (u64, u32),
}

/// A value that differs from the one recorded, when not revising.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkConflict {
    /// The series' canonical name.
    pub series: String,
    pub start_day: i32,
    pub end_day: i32,
    /// The value recorded, and its revision.
    pub recorded: f64,
    pub revision: i64,
    /// The value given, and where it came from.
    pub value: f64,
    pub place: (u64, u32),
}

/// What became of the values: new snapshots (or new after a deletion),
/// values already current, and new revisions.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BulkCounts {
    pub new: u64,
    pub unchanged: u64,
    pub revised: u64,
}

/// A bulk write in progress, begun by [`Store::bulk`].
pub struct Bulk(State);

enum State {
    Sqlite(sqlite::Bulk),
    Postgres(postgres::Bulk),
}

/// SQLite's check of `snapshot.series_id` against `series` switched off
/// until this is dropped (see [`Store::unchecked_series_keys`]).
pub struct UncheckedSeriesKeys<'a>(Option<&'a sqlite::Store>);

impl Drop for UncheckedSeriesKeys<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.0 {
            store.check_foreign_keys(true);
        }
    }
}

impl Store {
    /// Switches SQLite's foreign-key checks off for a bulk write about to
    /// begin its transaction, and back on when the guard is dropped, however
    /// the write ends. Each row's check is a lookup in `series` that costs
    /// about a tenth of an imported row, and is idle: a bulk write only
    /// writes series it has just found or created (a series is never
    /// deleted), and `.check` still finds any snapshot without its series.
    /// Inside a transaction SQLite cannot switch them, and they stay on.
    pub fn unchecked_series_keys(&self) -> UncheckedSeriesKeys<'_> {
        match &self.backend {
            Backend::Sqlite(store) if !store.in_transaction() => {
                store.check_foreign_keys(false);
                UncheckedSeriesKeys(Some(store))
            }
            _ => UncheckedSeriesKeys(None),
        }
    }

    /// Begins recording values inside the caller's transaction; `revise`
    /// makes a differing value the next revision instead of a conflict,
    /// and `now` is the time revisions are recorded at.
    pub fn bulk(&self, revise: bool, now: i64) -> Result<Bulk> {
        self.require_writable("import")?;
        Ok(Bulk(match &self.backend {
            Backend::Sqlite(_) => State::Sqlite(sqlite::Bulk::new(revise, now)),
            Backend::Postgres(store) => State::Postgres(store.bulk(revise, now)?),
        }))
    }

    /// [`Store::bulk`] in SQLite with runs of `run_limit` values, so that
    /// tests can make many runs of a few values.
    #[cfg(test)]
    pub(super) fn bulk_with_runs_of(&self, run_limit: usize, revise: bool, now: i64) -> Bulk {
        match &self.backend {
            Backend::Sqlite(_) => Bulk(State::Sqlite(sqlite::Bulk::with_runs_of(
                run_limit, revise, now,
            ))),
            Backend::Postgres(_) => unreachable!("runs are SQLite's"),
        }
    }

    /// Adds one value; a conflict when one is found already (values may
    /// wait to be written, so it may be one given earlier).
    pub fn bulk_add(&self, bulk: &mut Bulk, value: &BulkValue) -> Result<Option<BulkConflict>> {
        match (&self.backend, &mut bulk.0) {
            (Backend::Sqlite(store), State::Sqlite(bulk)) => bulk.add(store, value),
            (Backend::Postgres(store), State::Postgres(bulk)) => {
                store.bulk_add(bulk, value).map(|()| None)
            }
            _ => unreachable!("a bulk write is begun on its own store"),
        }
    }

    /// The first conflict among the values added so far, if any: what to
    /// report when a later value cannot be read at all.
    pub fn bulk_conflict(&self, bulk: &mut Bulk) -> Result<Option<BulkConflict>> {
        match (&self.backend, &mut bulk.0) {
            (Backend::Sqlite(store), State::Sqlite(bulk)) => bulk.conflict(store),
            (Backend::Postgres(store), State::Postgres(bulk)) => store.bulk_conflict(bulk),
            _ => unreachable!("a bulk write is begun on its own store"),
        }
    }

    /// Records what is left; what became of every value, or the first
    /// conflict (after which the caller rolls back).
    pub fn bulk_finish(&self, bulk: Bulk) -> Result<Result<BulkCounts, BulkConflict>> {
        match (&self.backend, bulk.0) {
            (Backend::Sqlite(store), State::Sqlite(bulk)) => bulk.finish(store),
            (Backend::Postgres(store), State::Postgres(bulk)) => store.bulk_finish(bulk),
            _ => unreachable!("a bulk write is begun on its own store"),
        }
    }
}
