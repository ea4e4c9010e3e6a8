//! The store on its own: opening and refusing files, the schema, revisions,
//! and every read, now and as of a time.
//!
//! Split by concern: opening and refusing files in `open`, metrics, series,
//! revisions and transactions in `revisions`, and reads in `reads`.

use std::path::{Path, PathBuf};

use super::*;
use crate::core::period::Period;

mod bulk;
mod calendar;
mod open;
mod reads;
mod revisions;

// ---------------------------------------------------------------- helpers

fn memory() -> Store {
    Store::open(":memory:", false).unwrap()
}

fn path_text(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// A fresh directory and a path inside it that does not exist yet.
fn temp_path(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

fn pragma_i64(store: &Store, name: &str) -> i64 {
    store
        .conn
        .pragma_query_value(None, name, |row| row.get(0))
        .unwrap()
}

fn pragma_text(store: &Store, name: &str) -> String {
    store
        .conn
        .pragma_query_value(None, name, |row| row.get(0))
        .unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

/// The objects in `sqlite_master`, as (type, name), sorted.
fn objects(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .conn
        .prepare(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .unwrap();
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// A period's day numbers `[start, end)`.
fn days(text: &str) -> (i32, i32) {
    let p = Period::parse(text).unwrap();
    (p.start_day(), p.end_day())
}

/// A period's canonical name from day numbers.
fn name(start: i32, end: i32) -> String {
    Period::from_day_numbers(start, end).unwrap().to_string()
}

fn names(observations: &[Observation]) -> Vec<String> {
    observations
        .iter()
        .map(|o| name(o.start_day, o.end_day))
        .collect()
}

fn named(observation: Option<Observation>) -> Option<(String, f64)> {
    observation.map(|o| (name(o.start_day, o.end_day), o.value))
}

/// A time in microseconds since 1970-01-01 UTC, as `recorded_at` and
/// `asof` take it, from RFC 3339 text.
fn at(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>().unwrap().as_microsecond()
}

// Recording times in microseconds since 1970-01-01 UTC (checked against
// `at` in `open::recording_times_are_microseconds_since_1970`).
/// 2024-01-01T00:00:00Z
const T1: i64 = 1_704_067_200_000_000;
/// 2024-02-01T00:00:00Z
const T2: i64 = 1_706_745_600_000_000;
/// 2024-03-01T00:00:00Z
const T3: i64 = 1_709_251_200_000_000;
/// 2024-04-01T00:00:00Z
const T4: i64 = 1_711_929_600_000_000;

/// A metric `m` with the total series `m`.
fn store_with_series() -> (Store, SeriesRow) {
    let store = memory();
    let metric = store
        .create_metric("m", Some(crate::core::command::Kind::Stock), None, None)
        .unwrap();
    let series = store
        .create_series(metric.id, "m", &crate::core::labels::LabelSet::new(), 0)
        .unwrap();
    (store, series)
}

/// Records revision 1 of `period`, widening the series' longest period
/// as the executor does.
fn record(store: &Store, series: &mut SeriesRow, period: &str, value: f64, at: i64) {
    let (start, end) = days(period);
    store
        .add_revision(series.id, start, end, 1, Some(value), at, None, None)
        .unwrap();
    store
        .note_period_length(series.id, &mut series.max_days, end - start)
        .unwrap();
}

/// Records the next revision of an existing snapshot (None deletes it).
fn revise(store: &Store, series: &SeriesRow, period: &str, value: Option<f64>, at: i64) {
    let (start, end) = days(period);
    let (_, revision) = store
        .latest_revision(series.id, start, end)
        .unwrap()
        .expect("a recorded snapshot");
    store
        .add_revision(series.id, start, end, revision + 1, value, at, None, None)
        .unwrap();
}

/// The rows of the `current_snapshot` view as (series, first_day,
/// last_day, value, revision), by series and period.
fn current_view(store: &Store) -> Vec<(String, String, String, f64, i64)> {
    let mut stmt = store
        .conn
        .prepare(
            "SELECT series, first_day, last_day, value, revision FROM current_snapshot
             ORDER BY series, first_day, last_day",
        )
        .unwrap();
    stmt.query_map([], |row| {
        Ok((
            row.get(0)?,
            row.get(1)?,
            row.get(2)?,
            row.get(3)?,
            row.get(4)?,
        ))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// A series' revisions as (period, revision, value, current), in order.
fn listed(revisions: &[RevisionRow]) -> Vec<(String, i64, Option<f64>, bool)> {
    revisions
        .iter()
        .map(|r| (name(r.start_day, r.end_day), r.revision, r.value, r.current))
        .collect()
}

/// A growthdb store file at `path` holding one metric, closed again.
fn make_store_file(path: &Path) {
    let store = Store::open(path_text(path), false).unwrap();
    store
        .create_metric("users", Some(crate::core::command::Kind::Stock), None, None)
        .unwrap();
}
