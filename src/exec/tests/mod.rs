//! The executor over an in-memory store, driven by commands parsed from text
//! and checked against the contract (SPEC.md sections 2 and 4).
//!
//! Split by concern: data commands in `writes`, endpoint resolution rules
//! 1–6 in `resolution`, `over`, `earliest`/`latest` and `asof` in
//! `endpoints`, measures, patterns and sorting in `measures`, `by KEY` in
//! `by`, and the listing commands in `listing`.

use std::thread::sleep;
use std::time::Duration;

use jiff::Timestamp;

use super::*;
use crate::core::parser::parse_command;
use crate::core::rows::{Cell, NumberStyle};

mod by;
mod endpoints;
mod listing;
mod measures;
mod resolution;
mod writes;

// ---------------------------------------------------------------- helpers

const DAYS_PER_YEAR: f64 = 365.2425;

fn executor() -> Executor {
    Executor::new(Store::open(":memory:", false).unwrap())
}

/// An executor that has run every line of `setup` successfully.
fn with(setup: &[&str]) -> Executor {
    let mut ex = executor();
    for line in setup {
        ok(&mut ex, line);
    }
    ex
}

fn run(ex: &mut Executor, text: &str) -> Result<Outcome> {
    let command = parse_command(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    ex.execute(&command, None)
}

fn ok(ex: &mut Executor, text: &str) -> Outcome {
    run(ex, text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn fails(ex: &mut Executor, text: &str) -> String {
    match run(ex, text) {
        Ok(outcome) => panic!("{text}: expected an error, got {outcome:?}"),
        Err(err) => err.to_string(),
    }
}

fn query(ex: &mut Executor, text: &str) -> Rows {
    ok(ex, text)
        .rows
        .unwrap_or_else(|| panic!("{text}: no rows"))
}

fn col(rows: &Rows, name: &str) -> usize {
    rows.column(name)
        .unwrap_or_else(|| panic!("no column {name} in {:?}", rows.columns))
}

fn cell<'a>(rows: &'a Rows, row: usize, name: &str) -> &'a Cell {
    &rows.rows[row][col(rows, name)]
}

fn num(rows: &Rows, row: usize, name: &str) -> Option<f64> {
    let cell = cell(rows, row, name);
    assert!(
        matches!(cell, Cell::Null | Cell::Number(..) | Cell::Int(_)),
        "{name} is not a number: {cell:?}"
    );
    cell.as_f64()
}

fn text(rows: &Rows, row: usize, name: &str) -> Option<String> {
    match cell(rows, row, name) {
        Cell::Null => None,
        Cell::Text(t) => Some(t.clone()),
        other => panic!("{name} is not text: {other:?}"),
    }
}

/// One column's text cells, row by row.
fn texts(rows: &Rows, name: &str) -> Vec<Option<String>> {
    (0..rows.rows.len()).map(|i| text(rows, i, name)).collect()
}

/// The series column, for comparing with a list of names.
fn series_names(rows: &Rows) -> Vec<String> {
    texts(rows, "series")
        .into_iter()
        .map(|t| t.expect("every row names its series"))
        .collect()
}

/// The index of the row for `series`.
fn row_of(rows: &Rows, series: &str) -> usize {
    series_names(rows)
        .iter()
        .position(|s| s == series)
        .unwrap_or_else(|| panic!("no row for {series} in {:?}", series_names(rows)))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[track_caller]
fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what}: null, expected {expected}"));
    assert!(close(actual, expected), "{what}: {actual} != {expected}");
}

fn note_of(rows: &Rows, row: usize) -> String {
    text(rows, row, "note").unwrap_or_default()
}

/// The timestamp text a command accepts, strictly between revisions
/// recorded before and after it.
fn instant_between() -> String {
    sleep(Duration::from_millis(3));
    let now = Timestamp::now();
    sleep(Duration::from_millis(3));
    now.to_string()
}

/// Two metrics matched by patterns, with labelled series, in 2023 and 2024.
fn patterns() -> Executor {
    with(&[
        "metric creators.monthly kind=distinct",
        "metric creators.daily kind=average",
        "insert 2023 creators.monthly=10 creators.monthly{region=cn}=4 creators.monthly{region=us}=6 creators.daily{region=cn}=1",
        "insert 2024 creators.monthly=20 creators.monthly{region=cn}=8 creators.monthly{region=us}=12 creators.daily{region=cn}=3",
        "insert 2023 users=5 users{line=a,region=cn}=1",
        "insert 2024 users=6 users{line=a,region=cn}=2",
    ])
}
