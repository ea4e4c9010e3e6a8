//! The executor over an in-memory store, driven by commands parsed from text
//! and checked against the contract (SPEC.md sections 2 and 4).

use std::thread::sleep;
use std::time::Duration;

use jiff::Timestamp;

use super::*;
use crate::core::parser::parse_command;
use crate::core::rows::{Cell, NumberStyle};

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

// ---------------------------------------------------------------- metric, insert

#[test]
fn metric_defines_then_updates_only_the_attributes_given() {
    let mut ex = executor();
    let out = ok(
        &mut ex,
        r#"metric users kind=stock unit=people desc="all users""#,
    );
    assert!(out.rows.is_none());
    assert_eq!(out.notes, vec!["defined metric users"]);
    let out = ok(&mut ex, "metric users unit=persons");
    assert_eq!(out.notes, vec!["updated metric users"]);
    let rows = query(&mut ex, "metrics");
    assert_eq!(texts(&rows, "metric"), vec![Some("users".into())]);
    assert_eq!(text(&rows, 0, "kind").as_deref(), Some("stock"));
    assert_eq!(text(&rows, 0, "unit").as_deref(), Some("persons"));
    assert_eq!(text(&rows, 0, "description").as_deref(), Some("all users"));
    ok(&mut ex, "metric users kind=flow");
    let rows = query(&mut ex, "metrics");
    assert_eq!(text(&rows, 0, "kind").as_deref(), Some("flow"));
    assert_eq!(text(&rows, 0, "unit").as_deref(), Some("persons"));
}

#[test]
fn insert_creates_an_unknown_metric_without_a_kind_with_a_note() {
    let mut ex = executor();
    let out = ok(&mut ex, "insert 2024-01 users=100");
    assert!(out.rows.is_none());
    let created = out
        .notes
        .iter()
        .find(|n| n.contains("created metric users"))
        .unwrap_or_else(|| panic!("no creation note in {:?}", out.notes));
    assert!(created.contains("without a kind"), "{created}");
    assert!(created.contains("metric users kind="), "{created}");
    assert!(
        out.notes.iter().any(|n| n.contains("inserted 1")),
        "{:?}",
        out.notes
    );
    let rows = query(&mut ex, "metrics");
    assert_eq!(cell(&rows, 0, "kind"), &Cell::Null);
    assert_eq!(cell(&rows, 0, "series"), &Cell::Int(1));
    assert_eq!(cell(&rows, 0, "snapshots"), &Cell::Int(1));

    // A new series of a known metric: no creation note.
    let out = ok(&mut ex, "insert 2024-01 users{line=a}=60");
    assert!(
        !out.notes.iter().any(|n| n.contains("created")),
        "{:?}",
        out.notes
    );
    // A defined metric is not redefined by an insert.
    ok(&mut ex, "metric revenue kind=flow");
    let out = ok(&mut ex, "insert 2024-01 revenue=5");
    assert!(
        !out.notes.iter().any(|n| n.contains("created")),
        "{:?}",
        out.notes
    );
    let rows = query(&mut ex, "metrics revenue");
    assert_eq!(text(&rows, 0, "kind").as_deref(), Some("flow"));
}

#[test]
fn insert_conflict_rules() {
    let mut ex = with(&["insert 2024-01 users=100 source=\"q1 report\""]);

    // (command, Ok(note fragment) or Err(error fragments))
    let cases: &[(&str, std::result::Result<&str, &[&str]>)] = &[
        ("insert 2024-01 users=100", Ok("unchanged 1")),
        ("insert 2024-01 users=1e2", Ok("unchanged 1")),
        ("insert 2024-01 users=100 note=\"again\"", Ok("unchanged 1")),
        (
            "insert 2024-01 users=101",
            Err(&["users", "100", "2024-01", "revise"]),
        ),
        (
            "insert 2024-01 users=99.5 source=\"other\"",
            Err(&["100", "revise"]),
        ),
        // A different period of the same series is a new snapshot.
        ("insert 2024-02 users=101", Ok("inserted 1")),
        ("insert 2024-Q1 users=7", Ok("inserted 1")),
    ];
    for (command, expected) in cases {
        match expected {
            Ok(note) => {
                let out = ok(&mut ex, command);
                assert!(
                    out.notes.iter().any(|n| n.contains(note)),
                    "{command}: {:?}",
                    out.notes
                );
            }
            Err(parts) => {
                let err = fails(&mut ex, command);
                for part in *parts {
                    assert!(err.contains(part), "{command}: {err:?} lacks {part:?}");
                }
            }
        }
    }
    // Unchanged and conflicting inserts added no revision.
    let rows = query(&mut ex, "history users 2024-01");
    assert_eq!(rows.rows.len(), 1);
    assert_eq!(
        cell(&rows, 0, "value"),
        &Cell::Number(100.0, NumberStyle::Plain)
    );
    assert_eq!(text(&rows, 0, "source").as_deref(), Some("q1 report"));
    assert_eq!(text(&rows, 0, "note"), None);
}

#[test]
fn a_conflicting_insert_changes_nothing_at_all() {
    let mut ex = with(&["insert 2024-01 users=100"]);
    // New series and a new metric come before the conflict in the command.
    let err = fails(
        &mut ex,
        "insert 2024-01 newmetric=7 users{line=a}=60 users=101 users{line=b}=40",
    );
    assert!(err.contains("revise"), "{err}");
    let rows = query(&mut ex, "metrics");
    assert_eq!(texts(&rows, "metric"), vec![Some("users".into())]);
    assert_eq!(cell(&rows, 0, "series"), &Cell::Int(1));
    assert_eq!(cell(&rows, 0, "snapshots"), &Cell::Int(1));
    assert!(fails(&mut ex, "history users{line=a}").contains("users{line=a}"));
    assert_eq!(query(&mut ex, "history users").rows.len(), 1);

    // Nothing remembered from the failed command: the same writes work.
    let out = ok(
        &mut ex,
        "insert 2024-01 newmetric=7 users{line=a}=60 users=100",
    );
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("created metric newmetric")),
        "{:?}",
        out.notes
    );
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("inserted 2") && n.contains("unchanged 1")),
        "{:?}",
        out.notes
    );
    let rows = query(&mut ex, "metrics");
    assert_eq!(
        texts(&rows, "metric"),
        vec![Some("newmetric".into()), Some("users".into())]
    );
}

#[test]
fn a_failing_command_inside_a_transaction_keeps_the_ones_before() {
    let mut ex = with(&["insert 2024-01 users=100"]);
    ex.store().begin().unwrap();
    ok(&mut ex, "insert 2024-02 users=110");
    fails(&mut ex, "insert 2024-02 other=1 users{a=b}=1 users=111");
    fails(&mut ex, "insert 2024-01 other=1 users=1");
    assert!(ex.store().in_transaction());
    ok(&mut ex, "insert 2024-03 users=120");
    ex.store().commit().unwrap();
    let rows = query(&mut ex, "series users");
    assert_eq!(
        texts(&rows, "period"),
        vec![
            Some("2024-01".into()),
            Some("2024-02".into()),
            Some("2024-03".into())
        ]
    );
    assert_eq!(num(&rows, 2, "value"), Some(120.0));
    assert_eq!(texts(&query(&mut ex, "metrics"), "metric").len(), 1);
}

// ---------------------------------------------------------------- revise, delete

#[test]
fn revising_a_missing_snapshot_is_an_error() {
    let mut ex = with(&[
        "insert 2024-01 users=100",
        "insert 2024-02 users=110",
        "delete users 2024-02",
    ]);
    for command in [
        "revise 2024-03 users=5",                 // period never recorded
        "revise 2024 users=5",                    // a containing period is not it
        "revise 2024-01 users{line=a}=5",         // series never recorded
        "revise 2024-01 nosuchmetric=5",          // metric never recorded
        "revise 2024-02 users=5",                 // deleted
        "revise 2024-01 users=5 users{line=a}=5", // one missing: nothing changes
    ] {
        let err = fails(&mut ex, command);
        assert!(err.contains("no snapshot"), "{command}: {err}");
    }
    let rows = query(&mut ex, "history users 2024-01");
    assert_eq!(rows.rows.len(), 1);
    assert_eq!(num(&rows, 0, "value"), Some(100.0));
    assert!(query(&mut ex, "metrics nosuchmetric").rows.is_empty());
}

#[test]
fn revise_replaces_the_value_and_keeps_history() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users=50",
        "insert 2024 users=100 users{line=a}=60 source=\"draft\"",
    ]);
    let out = ok(
        &mut ex,
        "revise 2024 users=120 users{line=a}=60 source=\"audit\" note=\"restated\"",
    );
    assert_eq!(out.notes.len(), 1);
    assert!(out.notes[0].contains("revised 1"), "{:?}", out.notes);
    assert!(out.notes[0].contains("unchanged 1"), "{:?}", out.notes);
    ok(&mut ex, "revise 2024 users=130");

    let rows = query(&mut ex, "history users 2024");
    assert_eq!(
        rows.columns,
        vec![
            "series",
            "period",
            "revision",
            "value",
            "status",
            "recorded_at",
            "source",
            "note"
        ]
    );
    type Revision = (Option<f64>, Option<f64>, Option<String>, Option<String>);
    let revisions: Vec<Revision> = (0..3)
        .map(|i| {
            (
                num(&rows, i, "revision"),
                num(&rows, i, "value"),
                text(&rows, i, "status"),
                text(&rows, i, "source"),
            )
        })
        .collect();
    assert_eq!(
        revisions,
        vec![
            (
                Some(1.0),
                Some(100.0),
                Some("superseded".into()),
                Some("draft".into())
            ),
            (
                Some(2.0),
                Some(120.0),
                Some("superseded".into()),
                Some("audit".into())
            ),
            (Some(3.0), Some(130.0), Some("current".into()), None),
        ]
    );
    assert_eq!(text(&rows, 1, "note").as_deref(), Some("restated"));
    assert_eq!(texts(&rows, "period"), vec![Some("2024".into()); 3]);
    // RFC 3339 UTC, in order.
    let times: Vec<String> = texts(&rows, "recorded_at")
        .into_iter()
        .map(Option::unwrap)
        .collect();
    for t in &times {
        assert!(t.ends_with('Z') && t.parse::<Timestamp>().is_ok(), "{t}");
    }
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    // Queries use the current value.
    let rows = query(&mut ex, "growth users from 2023 to 2024");
    assert_eq!(num(&rows, 0, "to_value"), Some(130.0));
    // The unchanged segment kept its single revision.
    assert_eq!(query(&mut ex, "history users{line=a}").rows.len(), 1);
}

#[test]
fn delete_hides_a_snapshot_from_queries_but_not_from_history() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2024-01 users=1",
        "insert 2024-02 users=2",
    ]);
    let out = ok(&mut ex, "delete users 2024-02");
    assert!(out.rows.is_none());
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("users") && n.contains("2024-02")),
        "{:?}",
        out.notes
    );

    let rows = query(&mut ex, "series users");
    assert_eq!(texts(&rows, "period"), vec![Some("2024-01".into())]);
    let rows = query(&mut ex, "growth users from earliest to latest");
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024-01"));
    // The deleted month is not found: the value is the stale January.
    let rows = query(&mut ex, "growth users from 2024-01 to 2024-02");
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024-01"));
    assert!(note_of(&rows, 0).contains("stale"), "{}", note_of(&rows, 0));
    let rows = query(&mut ex, "metrics");
    assert_eq!(cell(&rows, 0, "snapshots"), &Cell::Int(1));
    assert_eq!(text(&rows, 0, "last").as_deref(), Some("2024-01"));

    let rows = query(&mut ex, "history users");
    let listed: Vec<(Option<String>, Option<f64>, Option<String>)> = (0..rows.rows.len())
        .map(|i| {
            (
                text(&rows, i, "period"),
                num(&rows, i, "value"),
                text(&rows, i, "status"),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            (Some("2024-01".into()), Some(1.0), Some("current".into())),
            (Some("2024-02".into()), Some(2.0), Some("superseded".into())),
            (Some("2024-02".into()), None, Some("deleted".into())),
        ]
    );

    for command in [
        "delete users 2024-02",
        "delete users 2024-03",
        "delete users 2024",
        "delete users{line=a} 2024-01",
        "delete nosuch 2024-01",
    ] {
        let err = fails(&mut ex, command);
        assert!(err.contains("no snapshot"), "{command}: {err}");
    }
    assert_eq!(query(&mut ex, "history users").rows.len(), 3);
}

#[test]
fn insert_after_delete_records_the_next_revision() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2024-01 users=1",
        "insert 2024-02 users=2",
        "delete users 2024-02",
    ]);
    let out = ok(&mut ex, "insert 2024-02 users=5");
    assert!(
        out.notes.iter().any(|n| n.contains("inserted 1")),
        "{:?}",
        out.notes
    );
    let rows = query(&mut ex, "history users 2024-02");
    assert_eq!(
        texts(&rows, "status"),
        vec![
            Some("superseded".into()),
            Some("deleted".into()),
            Some("current".into())
        ]
    );
    assert_eq!(num(&rows, 2, "revision"), Some(3.0));
    assert_eq!(num(&rows, 2, "value"), Some(5.0));
    let rows = query(&mut ex, "growth users from 2024-01 to 2024-02");
    assert_eq!(num(&rows, 0, "to_value"), Some(5.0));
    assert_eq!(text(&rows, 0, "note"), None);
    // Now it exists again, so a different value conflicts.
    assert!(fails(&mut ex, "insert 2024-02 users=6").contains("revise"));
}

// ---------------------------------------------------------------- resolution rules

#[test]
fn rule_1_exact_periods_and_all_measures() {
    let mut ex = with(&["insert 2023 users=50_000", "insert 2024 users=500k"]);
    let rows = query(&mut ex, "growth users from 2023 to 2024");
    assert_eq!(
        rows.columns,
        vec![
            "series",
            "metric",
            "from_period",
            "from_value",
            "to_period",
            "to_value",
            "change",
            "change_pct",
            "multiple",
            "years",
            "cagr_pct",
            "change_pp",
            "share_pct",
            "note"
        ]
    );
    assert_eq!(rows.rows.len(), 1);
    assert_eq!(text(&rows, 0, "series").as_deref(), Some("users"));
    assert_eq!(text(&rows, 0, "metric").as_deref(), Some("users"));
    assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2023"));
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024"));
    assert_eq!(
        cell(&rows, 0, "from_value"),
        &Cell::Number(50_000.0, NumberStyle::Plain)
    );
    assert_eq!(num(&rows, 0, "to_value"), Some(500_000.0));
    assert_eq!(num(&rows, 0, "change"), Some(450_000.0));
    assert_eq!(num(&rows, 0, "change_pct"), Some(900.0));
    assert_eq!(num(&rows, 0, "multiple"), Some(10.0));
    // Midpoints: 2023-07-02T12:00 and 2024-07-02T00:00, 365.5 days apart.
    let years = 365.5 / DAYS_PER_YEAR;
    assert_close(num(&rows, 0, "years"), years, "years");
    assert_close(
        num(&rows, 0, "cagr_pct"),
        (10f64.powf(1.0 / years) - 1.0) * 100.0,
        "cagr_pct",
    );
    assert_eq!(cell(&rows, 0, "change_pp"), &Cell::Null);
    assert_eq!(cell(&rows, 0, "share_pct"), &Cell::Null);
    assert_eq!(cell(&rows, 0, "note"), &Cell::Null);
}

/// A metric `m` of `kind` (or none) with 2023-Q1 and the three months of
/// 2024-Q1 recorded.
fn months_of_q1(kind: Option<&str>, values: [f64; 4]) -> Executor {
    let mut setup = Vec::new();
    if let Some(kind) = kind {
        setup.push(format!("metric m kind={kind}"));
    }
    setup.push(format!("insert 2023-Q1 m={}", values[0]));
    for (month, value) in ["01", "02", "03"].iter().zip(&values[1..]) {
        setup.push(format!("insert 2024-{month} m={value}"));
    }
    let setup: Vec<&str> = setup.iter().map(String::as_str).collect();
    with(&setup)
}

#[test]
fn rule_2_finer_periods_tiling_combine_by_kind() {
    // Jan 31, Feb 29 and Mar 31 days.
    let weighted = |a: f64, b: f64, c: f64| (a * 31.0 + b * 29.0 + c * 31.0) / 91.0;
    let cases: &[(&str, [f64; 4], f64, &str)] = &[
        ("stock", [5.0, 10.0, 20.0, 30.0], 30.0, "last"),
        ("flow", [5.0, 10.0, 20.0, 30.0], 60.0, "sum"),
        (
            "average",
            [5.0, 10.0, 20.0, 30.0],
            weighted(10.0, 20.0, 30.0),
            "mean",
        ),
        (
            "ratio",
            [0.05, 0.1, 0.2, 0.3],
            weighted(0.1, 0.2, 0.3),
            "mean",
        ),
    ];
    for (kind, values, expected, how) in cases {
        let mut ex = months_of_q1(Some(kind), *values);
        let rows = query(&mut ex, "growth m from 2023-Q1 to 2024-Q1");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some("2024-Q1"),
            "{kind}"
        );
        assert_close(num(&rows, 0, "to_value"), *expected, kind);
        assert_close(num(&rows, 0, "change"), expected - values[0], kind);
        // Both are quarters: years between their midpoints.
        let years = (365.0 + (91.0 - 90.0) / 2.0) / DAYS_PER_YEAR;
        assert_close(num(&rows, 0, "years"), years, kind);
        let note = note_of(&rows, 0);
        assert!(
            note.contains("to") && note.contains("2024-Q1") && note.contains(how),
            "{kind}: {note:?}"
        );
        assert!(!note.contains("from"), "{kind}: {note:?}");
        // The same rule for `from`.
        let rows = query(&mut ex, "growth m from 2024-Q1 to 2024-03");
        assert_eq!(
            text(&rows, 0, "from_period").as_deref(),
            Some("2024-Q1"),
            "{kind}"
        );
        assert_close(num(&rows, 0, "from_value"), *expected, kind);
        assert!(note_of(&rows, 0).contains("from"), "{kind}");
    }
}

#[test]
fn rule_2_refuses_distinct_counts_and_metrics_without_a_kind() {
    let mut ex = months_of_q1(Some("distinct"), [5.0, 10.0, 20.0, 30.0]);
    let err = fails(&mut ex, "growth m from 2023-Q1 to 2024-Q1");
    assert!(err.contains("distinct"), "{err}");
    assert!(err.contains("2024-Q1"), "{err}");

    let mut ex = months_of_q1(None, [5.0, 10.0, 20.0, 30.0]);
    let err = fails(&mut ex, "growth m from 2023-Q1 to 2024-Q1");
    assert!(err.contains("no kind"), "{err}");
    assert!(err.contains("metric m kind="), "{err}");
    // Setting the kind as told makes it work.
    ok(&mut ex, "metric m kind=flow");
    let rows = query(&mut ex, "growth m from 2023-Q1 to 2024-Q1");
    assert_eq!(num(&rows, 0, "to_value"), Some(60.0));
    // Without a kind, exact periods still work.
    let mut ex = months_of_q1(None, [5.0, 10.0, 20.0, 30.0]);
    let rows = query(&mut ex, "growth m from 2024-01 to 2024-03");
    assert_eq!(num(&rows, 0, "change"), Some(20.0));
}

#[test]
fn rule_2_any_single_finer_granularity_and_before_containing_periods() {
    let mut months: Vec<String> = (1..=12)
        .map(|m| format!("insert 2024-{m:02} f={m}"))
        .collect();
    months.extend([
        "metric f kind=flow".to_string(),
        "insert 2023 f=10".to_string(),
        // Three of four quarters: they do not tile the year, the months do.
        "insert 2024-Q1 f=1000".to_string(),
        "insert 2024-Q2 f=1000".to_string(),
        "insert 2024-Q3 f=1000".to_string(),
        // The days of one ISO week.
        "insert 2024-H2 f=5000".to_string(),
    ]);
    for day in 10..=16 {
        months.push(format!("insert 2024-06-{day} f={day}"));
    }
    let setup: Vec<&str> = months.iter().map(String::as_str).collect();
    let mut ex = with(&setup);

    let rows = query(&mut ex, "growth f from 2023 to 2024");
    assert_eq!(num(&rows, 0, "to_value"), Some(78.0));
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024"));
    assert!(
        note_of(&rows, 0).contains("12 months"),
        "{}",
        note_of(&rows, 0)
    );

    // Quarters tile the half even though the half's months are recorded too.
    let rows = query(&mut ex, "growth f from 2023 to 2024-H1");
    assert_eq!(num(&rows, 0, "to_value"), Some(2000.0));

    // Tiling comes before the containing periods 2024-06 and 2024-Q2.
    let rows = query(&mut ex, "growth f from 2023 to 2024-W24");
    assert_eq!(
        num(&rows, 0, "to_value"),
        Some((10..=16).sum::<i32>() as f64)
    );
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024-W24"));
    assert!(
        note_of(&rows, 0).contains("7 days"),
        "{}",
        note_of(&rows, 0)
    );
}

#[test]
fn rule_2_tiling_wins_over_a_containing_period() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2023-Q1 s=1",
        "insert 2024 s=100",
        "insert 2024-01 s=10",
        "insert 2024-02 s=20",
        "insert 2024-03 s=30",
    ]);
    let rows = query(&mut ex, "growth s from 2023-Q1 to 2024-Q1");
    assert_eq!(num(&rows, 0, "to_value"), Some(30.0));
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024-Q1"));
}

#[test]
fn rule_3_partial_coverage_fails_naming_present_and_missing() {
    for kind in ["flow", "stock"] {
        let mut ex = with(&[
            &format!("metric m kind={kind}"),
            "insert 2023-Q2 m=1",
            "insert 2023 m=1",
            "insert 2024-04 m=2",
            "insert 2024-05 m=3",
        ]);
        let err = fails(&mut ex, "growth m from 2023-Q2 to 2024-Q2");
        for part in ["2024-Q2", "2024-04", "2024-05", "2024-06", "missing"] {
            assert!(err.contains(part), "{kind}: {err:?} lacks {part}");
        }
        let present = err.find("2024-04").unwrap();
        let missing = err.find("missing").unwrap();
        assert!(
            present < missing && err[missing..].contains("2024-06"),
            "{kind}: {err}"
        );
        assert!(!err[missing..].contains("2024-04"), "{kind}: {err}");
    }
}

#[test]
fn rule_3_a_week_across_two_recorded_months() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2023 s=1",
        "insert 2024-05 s=2",
        "insert 2024-06 s=3",
    ]);
    // 2024-W22 is 2024-05-27 .. 2024-06-02.
    let err = fails(&mut ex, "growth s from 2023 to 2024-W22");
    assert!(err.contains("2024-W22"), "{err}");
    assert!(err.contains("2024-05") && err.contains("2024-06"), "{err}");
}

#[test]
fn rule_4_the_shortest_containing_period_is_used() {
    for kind in ["stock", "flow", "average", "distinct"] {
        let mut ex = with(&[
            &format!("metric m kind={kind}"),
            "insert 2023 m=50",
            "insert 2024 m=100",
            "insert 2024-H1 m=80",
        ]);
        let rows = query(&mut ex, "growth m from 2023 to 2024-03");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some("2024-H1"),
            "{kind}"
        );
        assert_eq!(num(&rows, 0, "to_value"), Some(80.0), "{kind}");
        let note = note_of(&rows, 0);
        assert!(
            note.contains("to") && note.contains("2024-H1") && note.contains("2024-03"),
            "{kind}: {note}"
        );
        assert!(note.contains("contain"), "{kind}: {note}");
        // years between the data's periods: mid(2024-H1) - mid(2023).
        assert_close(
            num(&rows, 0, "years"),
            (365.0 + 91.0 - 182.5) / DAYS_PER_YEAR,
            kind,
        );

        let rows = query(&mut ex, "growth m from 2023-06 to 2024-Q3");
        assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2023"));
        assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024"));
        assert_eq!(num(&rows, 0, "years"), Some(365.5 / DAYS_PER_YEAR));
        let note = note_of(&rows, 0);
        assert!(
            note.contains("from") && note.contains("2023-06"),
            "{kind}: {note}"
        );
        assert!(
            note.contains("to") && note.contains("2024-Q3"),
            "{kind}: {note}"
        );
    }
}

#[test]
fn rule_5_stale_values_for_every_kind_but_flow() {
    // (kind, the value of 2024-01)
    let cases: &[(Option<&str>, f64)] = &[
        (Some("stock"), 20.0),
        (Some("average"), 20.0),
        (Some("ratio"), 0.2),
        (Some("distinct"), 20.0),
        (None, 20.0),
    ];
    for (kind, value) in cases {
        let mut setup = vec![
            "insert 2023 m=10".to_string(),
            format!("insert 2024-01 m={value}"),
        ];
        if let Some(kind) = kind {
            setup.insert(0, format!("metric m kind={kind}"));
        }
        let setup: Vec<&str> = setup.iter().map(String::as_str).collect();
        let mut ex = with(&setup);
        let rows = query(&mut ex, "growth m from 2023 to 2024-06");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some("2024-01"),
            "{kind:?}"
        );
        assert_eq!(num(&rows, 0, "to_value"), Some(*value), "{kind:?}");
        let note = note_of(&rows, 0);
        assert!(
            note.contains("stale") && note.contains("2024-06") && note.contains("2024-01"),
            "{kind:?}: {note}"
        );
        assert_close(
            num(&rows, 0, "years"),
            (365.0 + 15.5 - 182.5) / DAYS_PER_YEAR,
            "years",
        );
        // The latest period ending on or before the start, not the longest.
        let rows = query(&mut ex, "growth m from 2023 to 2025");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some("2024-01"),
            "{kind:?}"
        );
    }
}

#[test]
fn rule_5_a_flow_is_never_stale() {
    let mut ex = with(&[
        "metric f kind=flow",
        "insert 2023 f=10",
        "insert 2024-01 f=20",
    ]);
    for command in [
        "growth f from 2023 to 2024-06",
        "growth f from 2023 to 2025",
        "growth f from 2023 to 2024-02",
    ] {
        let err = fails(&mut ex, command);
        assert!(err.contains("no data"), "{command}: {err}");
    }
}

#[test]
fn rule_6_no_data_for_the_period() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2024 s=10",
        "insert 2025 s=20",
    ]);
    for (command, period) in [
        ("growth s from 2020 to 2024", "2020"),
        ("growth s from 2024 to 2023-W10", "2023-W10"),
        ("growth s over 1y to 2024", "2023"),
    ] {
        let err = fails(&mut ex, command);
        assert!(
            err.contains("no data") && err.contains(period),
            "{command}: {err}"
        );
    }
}

#[test]
fn rule_1_notes_are_empty_and_other_rules_say_which_applied() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2022 s=5",
        "insert 2023 s=10",
        "insert 2024-01 s=1",
        "insert 2024-02 s=2",
    ]);
    // (command, to_period, note fragments; empty for rule 1)
    let cases: &[(&str, &str, &[&str])] = &[
        ("growth s from 2022 to 2023", "2023", &[]),
        // A range equal to a named period is that period: rule 1.
        ("growth s from 2022 to 2023-01..2023-12", "2023", &[]),
        (
            "growth s from 2022 to 2024-01..2024-02",
            "2024-01-01..2024-02-29",
            &["last"],
        ),
        ("growth s from 2022 to 2023-05", "2023", &["contain"]),
        ("growth s from 2022 to 2024-Q3", "2024-02", &["stale"]),
    ];
    for (command, to_period, fragments) in cases {
        let rows = query(&mut ex, command);
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some(*to_period),
            "{command}"
        );
        let note = text(&rows, 0, "note");
        if fragments.is_empty() {
            assert_eq!(note, None, "{command}");
        } else {
            let note = note.unwrap_or_else(|| panic!("{command}: no note"));
            for f in *fragments {
                assert!(note.contains(f), "{command}: {note}");
            }
        }
    }
}

// ---------------------------------------------------------------- measures

#[test]
fn measures_and_their_nulls() {
    struct Case {
        from: &'static str,
        to: &'static str,
        change: f64,
        change_pct: Option<f64>,
        multiple: Option<f64>,
        cagr_pct: Option<f64>,
    }
    let years = 365.5 / DAYS_PER_YEAR;
    let cases = [
        Case {
            from: "100",
            to: "150",
            change: 50.0,
            change_pct: Some(50.0),
            multiple: Some(1.5),
            cagr_pct: Some((1.5f64.powf(1.0 / years) - 1.0) * 100.0),
        },
        Case {
            from: "0",
            to: "5",
            change: 5.0,
            change_pct: None,
            multiple: None,
            cagr_pct: None,
        },
        Case {
            from: "-4",
            to: "2",
            change: 6.0,
            change_pct: Some(150.0),
            multiple: None,
            cagr_pct: None,
        },
        Case {
            from: "-4",
            to: "-8",
            change: -4.0,
            change_pct: Some(-100.0),
            multiple: None,
            cagr_pct: None,
        },
        Case {
            from: "4",
            to: "-2",
            change: -6.0,
            change_pct: Some(-150.0),
            multiple: None,
            cagr_pct: None,
        },
        Case {
            from: "4",
            to: "0",
            change: -4.0,
            change_pct: Some(-100.0),
            multiple: Some(0.0),
            cagr_pct: Some(-100.0),
        },
        Case {
            from: "0",
            to: "0",
            change: 0.0,
            change_pct: None,
            multiple: None,
            cagr_pct: None,
        },
    ];
    for case in cases {
        let what = format!("{} -> {}", case.from, case.to);
        let mut ex = with(&[
            &format!("insert 2023 m={}", case.from),
            &format!("insert 2024 m={}", case.to),
        ]);
        let rows = query(&mut ex, "growth m from 2023 to 2024");
        assert_eq!(num(&rows, 0, "change"), Some(case.change), "{what}");
        assert_eq!(num(&rows, 0, "change_pct"), case.change_pct, "{what}");
        assert_eq!(num(&rows, 0, "multiple"), case.multiple, "{what}");
        assert_close(num(&rows, 0, "years"), years, &what);
        match case.cagr_pct {
            None => assert_eq!(num(&rows, 0, "cagr_pct"), None, "{what}"),
            Some(c) => assert_close(num(&rows, 0, "cagr_pct"), c, &what),
        }
        assert_eq!(num(&rows, 0, "change_pp"), None, "{what}");
    }
}

#[test]
fn from_after_to_has_negative_years_and_no_cagr() {
    let mut ex = with(&["insert 2023 m=100", "insert 2024 m=200"]);
    let rows = query(&mut ex, "growth m from 2024 to 2023");
    assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2024"));
    assert_eq!(num(&rows, 0, "from_value"), Some(200.0));
    assert_eq!(num(&rows, 0, "to_value"), Some(100.0));
    assert_eq!(num(&rows, 0, "change"), Some(-100.0));
    assert_eq!(num(&rows, 0, "change_pct"), Some(-50.0));
    assert_eq!(num(&rows, 0, "multiple"), Some(0.5));
    assert_close(num(&rows, 0, "years"), -365.5 / DAYS_PER_YEAR, "years");
    assert_eq!(num(&rows, 0, "cagr_pct"), None);
    // The same period at both ends: zero years, no cagr.
    let rows = query(&mut ex, "growth m from 2024 to 2024");
    assert_eq!(num(&rows, 0, "years"), Some(0.0));
    assert_eq!(num(&rows, 0, "cagr_pct"), None);
    assert_eq!(num(&rows, 0, "multiple"), Some(1.0));
}

#[test]
fn change_pp_only_for_ratio_metrics() {
    let mut ex = with(&[
        "metric share kind=ratio",
        "insert 2023 share=65%",
        "insert 2024 share=0.70",
        "metric level kind=stock",
        "insert 2023 level=0.65",
        "insert 2024 level=0.70",
    ]);
    let rows = query(&mut ex, "growth share from 2023 to 2024");
    assert_eq!(
        cell(&rows, 0, "from_value"),
        &Cell::Number(0.65, NumberStyle::Fraction)
    );
    assert_eq!(
        cell(&rows, 0, "to_value"),
        &Cell::Number(0.70, NumberStyle::Fraction)
    );
    assert_close(num(&rows, 0, "change"), 0.05, "change");
    assert_close(num(&rows, 0, "change_pp"), 5.0, "change_pp");
    assert_close(
        num(&rows, 0, "change_pct"),
        0.05 / 0.65 * 100.0,
        "change_pct",
    );

    let rows = query(&mut ex, "growth level from 2023 to 2024");
    assert_eq!(cell(&rows, 0, "change_pp"), &Cell::Null);
    assert_eq!(
        cell(&rows, 0, "from_value"),
        &Cell::Number(0.65, NumberStyle::Plain)
    );
}

// ---------------------------------------------------------------- over

#[test]
fn over_shifts_the_to_period_back_keeping_its_type() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2023-06 s=10",
        "insert 2024-05 s=15",
        "insert 2024-06 s=20",
        "insert 2024-Q1 s=30",
        "insert 2024-Q2 s=40",
        "insert 2023-W10 s=50",
        "insert 2024-W10 s=60",
        "insert 2023-02-28 s=70",
        "insert 2024-02-29 s=80",
        "insert 2023 s=90",
        "insert 2024 s=100",
        "insert 2021-03-01 s=1",
        "insert 2020-02-29 s=3",
        "insert 2022-03-01 s=2",
    ]);
    // (command, from_period, from_value, to_period)
    let cases = [
        ("growth s over 1y to 2024-06", "2023-06", 10.0, "2024-06"),
        ("growth s over 1m to 2024-06", "2024-05", 15.0, "2024-06"),
        ("growth s over 12m to 2024-06", "2023-06", 10.0, "2024-06"),
        ("growth s over 1q to 2024-Q2", "2024-Q1", 30.0, "2024-Q2"),
        ("growth s over 1y to 2024-W10", "2023-W10", 50.0, "2024-W10"),
        (
            "growth s over 1y to 2024-02-29",
            "2023-02-28",
            70.0,
            "2024-02-29",
        ),
        (
            "growth s over 4y to 2024-02-29",
            "2020-02-29",
            3.0,
            "2024-02-29",
        ),
        (
            "growth s over 1y to 2022-03-01",
            "2021-03-01",
            1.0,
            "2022-03-01",
        ),
        ("growth s over 1y to 2024", "2023", 90.0, "2024"),
        // Without `to`, the series' latest period: 2024 ends last.
        ("growth s over 1y", "2023", 90.0, "2024"),
        ("growth s over 1y to latest", "2023", 90.0, "2024"),
    ];
    for (command, from_period, from_value, to_period) in cases {
        let rows = query(&mut ex, command);
        assert_eq!(
            text(&rows, 0, "from_period").as_deref(),
            Some(from_period),
            "{command}"
        );
        assert_eq!(num(&rows, 0, "from_value"), Some(from_value), "{command}");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some(to_period),
            "{command}"
        );
        assert_eq!(text(&rows, 0, "note"), None, "{command}");
    }
}

#[test]
fn over_a_week_53_without_a_twin_is_an_error() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2019 s=1",
        "insert 2020-W53 s=2",
    ]);
    // 2020 has an ISO week 53; 2019 has none.
    let err = fails(&mut ex, "growth s over 1y to 2020-W53");
    assert!(err.contains("53"), "{err}");
    let err = fails(&mut ex, "growth s over 1y");
    assert!(err.contains("53"), "{err}");
}

#[test]
fn over_resolves_the_shifted_period_by_the_rules() {
    let mut ex = with(&[
        "metric f kind=flow",
        "insert 2023-01 f=1",
        "insert 2023-02 f=2",
        "insert 2023-03 f=3",
        "insert 2024-Q1 f=10",
    ]);
    let rows = query(&mut ex, "growth f over 1y");
    assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2023-Q1"));
    assert_eq!(num(&rows, 0, "from_value"), Some(6.0));
    assert!(note_of(&rows, 0).contains("from"), "{}", note_of(&rows, 0));
    let err = fails(&mut ex, "growth f over 2y");
    assert!(err.contains("no data") && err.contains("2022-Q1"), "{err}");
}

// ---------------------------------------------------------------- by

#[test]
fn by_key_with_a_recorded_total_that_matches() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users=100 users{line=a}=60 users{line=b}=40 users{line=a,region=cn}=1 users{region=cn}=2",
        "insert 2024 users=150 users{line=a}=90 users{line=b}=60 users{line=a,region=cn}=9 users{region=cn}=3",
    ]);
    let rows = query(&mut ex, "growth users from 2023 to 2024 by line");
    assert_eq!(
        series_names(&rows),
        vec!["users{line=a}", "users{line=b}", "users"]
    );
    assert_eq!(num(&rows, 0, "change"), Some(30.0));
    assert_eq!(num(&rows, 0, "share_pct"), Some(60.0));
    assert_eq!(num(&rows, 1, "share_pct"), Some(40.0));
    assert_eq!(num(&rows, 2, "share_pct"), Some(100.0));
    assert_eq!(num(&rows, 2, "from_value"), Some(100.0));
    assert_eq!(num(&rows, 2, "to_value"), Some(150.0));
    assert_eq!(text(&rows, 2, "metric").as_deref(), Some("users"));
}

#[test]
fn by_key_without_a_recorded_total_sums_the_segments() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users{line=a}=60 users{line=b}=40",
        "insert 2024 users{line=a}=90 users{line=b}=30",
    ]);
    let rows = query(&mut ex, "growth users from 2023 to 2024 by line");
    assert_eq!(
        series_names(&rows),
        vec!["users{line=a}", "users{line=b}", "users"]
    );
    let total = 2;
    assert_eq!(num(&rows, total, "from_value"), Some(100.0));
    assert_eq!(num(&rows, total, "to_value"), Some(120.0));
    assert_eq!(num(&rows, total, "change"), Some(20.0));
    assert_eq!(num(&rows, total, "change_pct"), Some(20.0));
    assert_eq!(text(&rows, total, "from_period").as_deref(), Some("2023"));
    assert_eq!(text(&rows, total, "to_period").as_deref(), Some("2024"));
    assert_eq!(num(&rows, total, "share_pct"), Some(100.0));
    // One segment grew more than the total, the other shrank.
    assert_eq!(num(&rows, 0, "share_pct"), Some(150.0));
    assert_eq!(num(&rows, 1, "share_pct"), Some(-50.0));
}

#[test]
fn by_key_with_a_recorded_total_that_differs_adds_an_unattributed_row() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users=100 users{line=a}=60 users{line=b}=40",
        "insert 2024 users=200 users{line=a}=90 users{line=b}=60",
    ]);
    let rows = query(&mut ex, "growth users from 2023 to 2024 by line");
    assert_eq!(
        series_names(&rows),
        vec![
            "users{line=a}",
            "users{line=b}",
            "users (unattributed)",
            "users"
        ]
    );
    let un = row_of(&rows, "users (unattributed)");
    assert_eq!(num(&rows, un, "from_value"), Some(0.0));
    assert_eq!(num(&rows, un, "to_value"), Some(50.0));
    assert_eq!(num(&rows, un, "change"), Some(50.0));
    let shares: Vec<f64> = (0..3)
        .map(|i| num(&rows, i, "share_pct").unwrap())
        .collect();
    assert_eq!(shares, vec![30.0, 20.0, 50.0]);
    assert_eq!(shares.iter().sum::<f64>(), 100.0);
    assert_eq!(num(&rows, 3, "share_pct"), Some(100.0));
}

#[test]
fn by_key_under_selector_labels_and_patterns() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users{region=cn}=10 users{line=a,region=cn}=4 users{line=b,region=cn}=6 users{line=a,region=us}=100",
        "insert 2024 users{region=cn}=20 users{line=a,region=cn}=9 users{line=b,region=cn}=11 users{line=a,region=us}=200",
    ]);
    let rows = query(&mut ex, "growth users{region=cn} from 2023 to 2024 by line");
    assert_eq!(
        series_names(&rows),
        vec![
            "users{line=a,region=cn}",
            "users{line=b,region=cn}",
            "users{region=cn}"
        ]
    );
    assert_eq!(num(&rows, 0, "share_pct"), Some(50.0));
    assert_eq!(num(&rows, 2, "change"), Some(10.0));
    let rows = query(&mut ex, "growth users* from 2023 to 2024 by region");
    // No series is users plus only a region, except users{region=cn}.
    assert_eq!(series_names(&rows), vec!["users{region=cn}", "users"]);
    let err = fails(&mut ex, "growth users from 2023 to 2024 by channel");
    assert!(err.contains("channel"), "{err}");
    let err = fails(
        &mut ex,
        "growth users{region=cn} from 2023 to 2024 by region",
    );
    assert!(err.contains("region"), "{err}");
}

#[test]
fn by_key_shares_are_null_when_the_total_does_not_change() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users{line=a}=60 users{line=b}=40",
        "insert 2024 users{line=a}=70 users{line=b}=30",
    ]);
    let rows = query(&mut ex, "growth users from 2023 to 2024 by line");
    assert_eq!(num(&rows, 2, "change"), Some(0.0));
    for i in 0..3 {
        assert_eq!(num(&rows, i, "share_pct"), None, "row {i}");
    }
}

#[test]
fn by_key_of_a_ratio_has_percentage_points() {
    let mut ex = with(&[
        "metric share kind=ratio",
        "insert 2023 share=60% share{app=a}=50% share{app=b}=10%",
        "insert 2024 share=70% share{app=a}=55% share{app=b}=15%",
    ]);
    let rows = query(&mut ex, "growth share from 2023 to 2024 by app");
    assert_eq!(
        series_names(&rows),
        vec!["share{app=a}", "share{app=b}", "share"]
    );
    assert_close(num(&rows, 0, "change_pp"), 5.0, "a");
    assert_close(num(&rows, 2, "change_pp"), 10.0, "total");
}

// ---------------------------------------------------------------- selectors

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

#[test]
fn selectors_name_one_series_or_every_series_matching_a_pattern() {
    let mut ex = patterns();
    let cases: &[(&str, &[&str])] = &[
        ("users", &["users"]),
        ("users{line=a,region=cn}", &["users{line=a,region=cn}"]),
        (
            "creators.*",
            &[
                "creators.daily{region=cn}",
                "creators.monthly",
                "creators.monthly{region=cn}",
                "creators.monthly{region=us}",
            ],
        ),
        (
            "*{region=cn}",
            &[
                "creators.daily{region=cn}",
                "creators.monthly{region=cn}",
                "users{line=a,region=cn}",
            ],
        ),
        ("users*", &["users", "users{line=a,region=cn}"]),
        ("*{line=a,region=cn}", &["users{line=a,region=cn}"]),
        ("*.monthly{region=us}", &["creators.monthly{region=us}"]),
    ];
    for (selector, expected) in cases {
        let rows = query(&mut ex, &format!("growth {selector} from 2023 to 2024"));
        assert_eq!(series_names(&rows), *expected, "{selector}");
        let metric = row_of(&rows, expected[0]);
        assert!(
            expected[0].starts_with(text(&rows, metric, "metric").unwrap().as_str()),
            "{selector}"
        );
    }
    let rows = query(&mut ex, "growth *{region=cn} from 2023 to 2024");
    assert_eq!(num(&rows, 0, "to_value"), Some(3.0));
    assert_eq!(num(&rows, 2, "change"), Some(1.0));

    for selector in [
        "nosuch",
        "nosuch.*",
        "*{region=xx}",
        "users{region=cn}",
        "users{line=a}",
        "Users",
    ] {
        let err = fails(&mut ex, &format!("growth {selector} from 2023 to 2024"));
        assert!(err.contains("no recorded series"), "{selector}: {err}");
    }
}

#[test]
fn among_many_series_one_that_fails_becomes_a_row_with_a_note() {
    let mut ex = with(&[
        "metric f kind=flow",
        "insert 2023 f{a=1}=1 f{a=2}=2",
        "insert 2024 f{a=1}=3",
    ]);
    let rows = query(&mut ex, "growth f* from 2023 to 2024");
    assert_eq!(series_names(&rows), vec!["f{a=1}", "f{a=2}"]);
    assert_eq!(num(&rows, 0, "change"), Some(2.0));
    assert_eq!(cell(&rows, 1, "to_value"), &Cell::Null);
    assert_eq!(cell(&rows, 1, "change"), &Cell::Null);
    assert!(
        note_of(&rows, 1).contains("no data"),
        "{}",
        note_of(&rows, 1)
    );
    // One series alone: the failure is the command's.
    assert!(fails(&mut ex, "growth f{a=2} from 2023 to 2024").contains("no data"));
}

#[test]
fn earliest_and_latest_are_per_series() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2022 s=1",
        "insert 2023-06 s=2",
        "insert 2024-H1 s=3",
        "insert 2024 s=4",
        "insert 2020-W01 s{a=1}=10",
        "insert 2021-03-05 s{a=1}=20",
    ]);
    let rows = query(&mut ex, "growth s* from earliest to latest");
    assert_eq!(series_names(&rows), vec!["s", "s{a=1}"]);
    let got: Vec<_> = (0..2)
        .map(|i| {
            (
                text(&rows, i, "from_period").unwrap(),
                num(&rows, i, "from_value").unwrap(),
                text(&rows, i, "to_period").unwrap(),
                num(&rows, i, "to_value").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("2022".to_string(), 1.0, "2024".to_string(), 4.0),
            ("2020-W01".to_string(), 10.0, "2021-03-05".to_string(), 20.0),
        ]
    );
    assert_eq!(texts(&rows, "note"), vec![None, None]);
    let rows = query(&mut ex, "growth s from earliest to 2023-06");
    assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2022"));
    let rows = query(&mut ex, "growth s from latest to earliest");
    assert!(num(&rows, 0, "years").unwrap() < 0.0);
    assert_eq!(num(&rows, 0, "cagr_pct"), None);
}

#[test]
fn sort_ascending_or_descending_with_nulls_last_and_limit() {
    let mut ex = with(&[
        "metric g kind=stock",
        "insert 2023 g{s=a}=0 g{s=b}=100 g{s=c}=100 g{s=d}=100",
        "insert 2024 g{s=a}=10 g{s=b}=150 g{s=c}=200 g{s=d}=90",
    ]);
    let cases: &[(&str, &[&str])] = &[
        ("", &["a", "b", "c", "d"]),
        ("sort change_pct", &["d", "b", "c", "a"]),
        ("sort change_pct asc", &["d", "b", "c", "a"]),
        ("sort change_pct desc", &["c", "b", "d", "a"]),
        ("sort change_pct desc limit 2", &["c", "b"]),
        ("limit 1 sort multiple asc", &["d", "b", "c"][..1]),
        ("sort multiple desc", &["c", "b", "d", "a"]),
        ("sort change desc", &["c", "b", "a", "d"]),
        ("sort from_value asc", &["a", "b", "c", "d"]),
        ("limit 3", &["a", "b", "c"]),
        ("limit 0", &[]),
        ("sort cagr_pct asc limit 10", &["d", "b", "c", "a"]),
    ];
    for (clauses, expected) in cases {
        let rows = query(&mut ex, &format!("growth g* from 2023 to 2024 {clauses}"));
        let expected: Vec<String> = expected.iter().map(|s| format!("g{{s={s}}}")).collect();
        assert_eq!(series_names(&rows), expected, "{clauses}");
    }
}

#[test]
fn sort_and_limit_with_by_apply_to_the_segments_and_keep_the_total_last() {
    let mut ex = with(&[
        "metric g kind=stock",
        "insert 2023 g{s=a}=0 g{s=b}=100 g{s=c}=100",
        "insert 2024 g{s=a}=10 g{s=b}=150 g{s=c}=200",
    ]);
    let cases: &[(&str, &[&str])] = &[
        ("sort change desc", &["g{s=c}", "g{s=b}", "g{s=a}", "g"]),
        ("sort change_pct desc", &["g{s=c}", "g{s=b}", "g{s=a}", "g"]),
        ("sort change asc limit 1", &["g{s=a}", "g"]),
    ];
    for (clauses, expected) in cases {
        let rows = query(
            &mut ex,
            &format!("growth g from 2023 to 2024 by s {clauses}"),
        );
        assert_eq!(series_names(&rows), *expected, "{clauses}");
        let total = rows.rows.len() - 1;
        // The total is of every segment, listed or not.
        assert_eq!(num(&rows, total, "change"), Some(160.0), "{clauses}");
        assert_eq!(num(&rows, total, "share_pct"), Some(100.0), "{clauses}");
    }
}

#[test]
fn sort_by_share_pct_with_by() {
    let mut ex = with(&[
        "metric g kind=stock",
        "insert 2023 g{s=a}=0 g{s=b}=100 g{s=c}=100",
        "insert 2024 g{s=a}=10 g{s=b}=150 g{s=c}=200",
    ]);
    // Shares: a 6.25, b 31.25, c 62.5 of a total change of 160.
    let cases: &[(&str, &[&str])] = &[
        ("sort share_pct desc", &["g{s=c}", "g{s=b}", "g{s=a}", "g"]),
        ("sort share_pct asc", &["g{s=a}", "g{s=b}", "g{s=c}", "g"]),
        ("sort share_pct desc limit 1", &["g{s=c}", "g"]),
    ];
    for (clauses, expected) in cases {
        let rows = query(
            &mut ex,
            &format!("growth g from 2023 to 2024 by s {clauses}"),
        );
        assert_eq!(series_names(&rows), *expected, "{clauses}");
    }
}

// ---------------------------------------------------------------- asof

#[test]
fn asof_answers_from_the_revisions_recorded_by_then() {
    let mut ex = executor();
    let before_all = instant_between();
    ok(&mut ex, "metric users kind=stock");
    ok(&mut ex, "insert 2023 users=100");
    ok(&mut ex, "insert 2024 users=150");
    let first = instant_between();
    ok(&mut ex, "revise 2024 users=180");
    let revised = instant_between();
    ok(&mut ex, "delete users 2024");

    let growth = |ex: &mut Executor, asof: &str| -> std::result::Result<Rows, String> {
        run(ex, &format!("growth users from 2023 to 2024 asof {asof}"))
            .map(|o| o.rows.unwrap())
            .map_err(|e| e.to_string())
    };
    let rows = growth(&mut ex, &first).unwrap();
    assert_eq!(num(&rows, 0, "to_value"), Some(150.0));
    assert_eq!(text(&rows, 0, "note"), None);
    let rows = growth(&mut ex, &revised).unwrap();
    assert_eq!(num(&rows, 0, "to_value"), Some(180.0));
    // Now 2024 is deleted: the stock is stale from 2023.
    let rows = query(&mut ex, "growth users from 2023 to 2024");
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2023"));
    let err = growth(&mut ex, &before_all).unwrap_err();
    assert!(err.contains("no data"), "{err}");

    // The session's default asof applies unless the query names its own.
    let command = parse_command("growth users from 2023 to 2024").unwrap();
    let rows = ex
        .execute(&command, Some(first.parse().unwrap()))
        .unwrap()
        .rows
        .unwrap();
    assert_eq!(num(&rows, 0, "to_value"), Some(150.0));
    let command = parse_command(&format!("growth users from 2023 to 2024 asof {revised}")).unwrap();
    let rows = ex
        .execute(&command, Some(first.parse().unwrap()))
        .unwrap()
        .rows
        .unwrap();
    assert_eq!(num(&rows, 0, "to_value"), Some(180.0));

    let rows = query(&mut ex, &format!("series users asof {first}"));
    assert_eq!(
        (0..rows.rows.len())
            .map(|i| num(&rows, i, "value"))
            .collect::<Vec<_>>(),
        vec![Some(100.0), Some(150.0)]
    );
    let rows = query(&mut ex, "series users");
    assert_eq!(rows.rows.len(), 1);
    let rows = query(
        &mut ex,
        &format!("growth users from earliest to latest asof {first}"),
    );
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024"));
}

#[test]
fn asof_a_day_includes_everything_recorded_that_day() {
    // Revisions recorded at chosen times, through the store.
    let store = Store::open(":memory:", false).unwrap();
    let metric = store.create_metric("m", Some("stock"), None, None).unwrap();
    let mut series = store.create_series(metric.id, "m", &[]).unwrap();
    let p2023 = Period::parse("2023").unwrap();
    let p2024 = Period::parse("2024").unwrap();
    let add = |series: &SeriesRow, p: &Period, rev: i64, value: Option<f64>, at: &str| {
        store
            .add_revision(
                series.id,
                p.start_day(),
                p.end_day(),
                rev,
                value,
                at,
                None,
                None,
            )
            .unwrap();
    };
    add(
        &series,
        &p2023,
        1,
        Some(10.0),
        "2024-01-10T08:00:00.000000Z",
    );
    add(
        &series,
        &p2024,
        1,
        Some(20.0),
        "2024-06-12T23:59:59.999999Z",
    );
    add(
        &series,
        &p2024,
        2,
        Some(25.0),
        "2024-06-13T00:00:00.000000Z",
    );
    store.note_period_length(&mut series, 366).unwrap();
    let mut ex = Executor::new(store);

    let cases: &[(&str, std::result::Result<f64, &str>)] = &[
        ("2024-06-11", Err("no data")),
        ("2024-06-12", Ok(20.0)),
        ("2024-06-12T23:59:59Z", Err("no data")),
        ("2024-06-13T00:00:00Z", Ok(25.0)),
        ("2024-06-13T01:30:00+02:00", Err("stale")),
        ("2024-06-12T20:00:00-04:00", Ok(25.0)),
        ("2024-06-13", Ok(25.0)),
    ];
    for (asof, expected) in cases {
        let command = format!("growth m from 2023 to 2024 asof {asof}");
        match expected {
            Ok(value) => {
                let rows = query(&mut ex, &command);
                assert_eq!(num(&rows, 0, "to_value"), Some(*value), "{asof}");
            }
            Err(message) => {
                // No 2024 yet: a stale 2023 for a stock, noted.
                let rows = query(&mut ex, &command);
                assert_eq!(
                    text(&rows, 0, "to_period").as_deref(),
                    Some("2023"),
                    "{asof}: {message}"
                );
                assert!(note_of(&rows, 0).contains("stale"), "{asof}");
            }
        }
    }
    let err = fails(&mut ex, "growth m from 2023 to 2024 asof 2024-01-09");
    assert!(err.contains("no data"), "{err}");
}

// ---------------------------------------------------------------- series

#[test]
fn series_lists_recorded_snapshots() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2024-01 s=10",
        "insert 2024-02 s=20",
        "insert 2024-03 s=15",
        "insert 2024-04 s=0",
        "insert 2024-05 s=30",
        "insert 2023 s=5",
        "insert 2024-06 s{a=1}=7",
    ]);
    let rows = query(&mut ex, "series s");
    assert_eq!(
        rows.columns,
        vec![
            "series",
            "period",
            "start",
            "end",
            "value",
            "change",
            "change_pct",
            "note"
        ]
    );
    assert_eq!(
        texts(&rows, "period"),
        [
            "2023", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05"
        ]
        .map(|p| Some(p.to_string()))
        .to_vec()
    );
    assert!(series_names(&rows).iter().all(|s| s == "s"));
    assert_eq!(text(&rows, 0, "start").as_deref(), Some("2023-01-01"));
    assert_eq!(text(&rows, 0, "end").as_deref(), Some("2023-12-31"));
    assert_eq!(text(&rows, 2, "start").as_deref(), Some("2024-02-01"));
    assert_eq!(text(&rows, 2, "end").as_deref(), Some("2024-02-29"));
    let changes: Vec<(Option<f64>, Option<f64>, Option<f64>)> = (0..rows.rows.len())
        .map(|i| {
            (
                num(&rows, i, "value"),
                num(&rows, i, "change"),
                num(&rows, i, "change_pct"),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            (Some(5.0), None, None),
            // A month is not compared with a year.
            (Some(10.0), None, None),
            (Some(20.0), Some(10.0), Some(100.0)),
            (Some(15.0), Some(-5.0), Some(-25.0)),
            (Some(0.0), Some(-15.0), Some(-100.0)),
            (Some(30.0), Some(30.0), None),
        ]
    );

    let rows = query(&mut ex, "series s from 2024-02 to 2024-03");
    assert_eq!(
        texts(&rows, "period"),
        vec![Some("2024-02".into()), Some("2024-03".into())]
    );
    let rows = query(&mut ex, "series s* from 2024-05");
    assert_eq!(series_names(&rows), vec!["s", "s{a=1}"]);
    let err = fails(&mut ex, "series s from 2024-03 to 2024-02");
    assert!(err.contains("empty"), "{err}");
    assert!(fails(&mut ex, "series nosuch").contains("no recorded series"));
}

#[test]
fn series_every_granularity_resolves_each_step() {
    let mut ex = with(&[
        "metric f kind=flow",
        "insert 2024-01 f=1",
        "insert 2024-02 f=2",
        "insert 2024-03 f=3",
        "insert 2024-04 f=4",
        "insert 2024-05 f=5",
        "insert 2024-06 f=6",
        "metric s kind=stock",
        "insert 2023 s=100",
        "insert 2024-02 s=7",
    ]);
    let rows = query(&mut ex, "series f every quarter");
    assert_eq!(
        texts(&rows, "period"),
        vec![Some("2024-Q1".into()), Some("2024-Q2".into())]
    );
    assert_eq!(num(&rows, 0, "value"), Some(6.0));
    assert_eq!(num(&rows, 1, "value"), Some(15.0));
    assert_eq!(num(&rows, 1, "change"), Some(9.0));
    assert_eq!(num(&rows, 1, "change_pct"), Some(150.0));
    assert!(note_of(&rows, 0).contains("sum"), "{}", note_of(&rows, 0));

    let rows = query(&mut ex, "series f from 2024-Q1 to 2024-Q3 every quarter");
    assert_eq!(rows.rows.len(), 3);
    assert_eq!(cell(&rows, 2, "value"), &Cell::Null);
    assert!(
        note_of(&rows, 2).contains("no data"),
        "{}",
        note_of(&rows, 2)
    );
    let rows = query(&mut ex, "series f every month");
    assert_eq!(rows.rows.len(), 6);
    assert_eq!(texts(&rows, "note"), vec![None; 6]);
    assert_eq!(num(&rows, 5, "change"), Some(1.0));

    // A stock: containing, exact and stale steps.
    let rows = query(&mut ex, "series s from 2023-11 to 2024-03 every month");
    assert_eq!(
        texts(&rows, "period"),
        ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03"]
            .map(|p| Some(p.to_string()))
            .to_vec()
    );
    let values: Vec<Option<f64>> = (0..5).map(|i| num(&rows, i, "value")).collect();
    assert_eq!(
        values,
        vec![Some(100.0), Some(100.0), Some(100.0), Some(7.0), Some(7.0)]
    );
    assert!(note_of(&rows, 0).contains("2023"), "{}", note_of(&rows, 0));
    assert!(note_of(&rows, 2).contains("stale"), "{}", note_of(&rows, 2));
    assert_eq!(text(&rows, 3, "note"), None);
    assert!(note_of(&rows, 4).contains("stale"), "{}", note_of(&rows, 4));
}

// ---------------------------------------------------------------- metrics, history

#[test]
fn metrics_lists_counts_and_spans() {
    let mut ex = patterns();
    ok(
        &mut ex,
        r#"metric users kind=stock unit=people desc="all users""#,
    );
    ok(&mut ex, "insert 2025-01 users=7");
    ok(&mut ex, "delete users 2025-01");
    let rows = query(&mut ex, "metrics");
    assert_eq!(
        rows.columns,
        vec![
            "metric",
            "kind",
            "unit",
            "series",
            "snapshots",
            "first",
            "last",
            "description"
        ]
    );
    assert_eq!(
        texts(&rows, "metric"),
        vec![
            Some("creators.daily".into()),
            Some("creators.monthly".into()),
            Some("users".into())
        ]
    );
    let users = 2;
    assert_eq!(text(&rows, users, "kind").as_deref(), Some("stock"));
    assert_eq!(text(&rows, users, "unit").as_deref(), Some("people"));
    assert_eq!(cell(&rows, users, "series"), &Cell::Int(2));
    assert_eq!(cell(&rows, users, "snapshots"), &Cell::Int(4));
    assert_eq!(text(&rows, users, "first").as_deref(), Some("2023"));
    assert_eq!(text(&rows, users, "last").as_deref(), Some("2024"));
    assert_eq!(
        text(&rows, users, "description").as_deref(),
        Some("all users")
    );
    assert_eq!(cell(&rows, 1, "series"), &Cell::Int(3));
    assert_eq!(cell(&rows, 1, "snapshots"), &Cell::Int(6));
    assert_eq!(text(&rows, 1, "kind").as_deref(), Some("distinct"));
    assert_eq!(cell(&rows, 1, "unit"), &Cell::Null);

    let rows = query(&mut ex, "metrics creators.*");
    assert_eq!(
        texts(&rows, "metric"),
        vec![
            Some("creators.daily".into()),
            Some("creators.monthly".into())
        ]
    );
    assert!(query(&mut ex, "metrics nothing*").rows.is_empty());
    // A metric defined but not yet recorded.
    ok(&mut ex, "metric revenue kind=flow");
    let rows = query(&mut ex, "metrics revenue");
    assert_eq!(cell(&rows, 0, "series"), &Cell::Int(0));
    assert_eq!(cell(&rows, 0, "snapshots"), &Cell::Int(0));
    assert_eq!(cell(&rows, 0, "first"), &Cell::Null);
}

#[test]
fn history_of_a_series_or_one_period() {
    let mut ex = with(&[
        "metric share kind=ratio",
        "insert 2024-01 share=50% source=\"survey\" note=\"first wave\"",
        "insert 2024-02 share=55%",
        "revise 2024-01 share=52%",
        "insert 2024-01 share{app=a}=10%",
    ]);
    let rows = query(&mut ex, "history share");
    assert_eq!(
        texts(&rows, "period"),
        vec![
            Some("2024-01".into()),
            Some("2024-01".into()),
            Some("2024-02".into())
        ]
    );
    assert!(series_names(&rows).iter().all(|s| s == "share"));
    assert_eq!(
        cell(&rows, 0, "value"),
        &Cell::Number(0.5, NumberStyle::Fraction)
    );
    assert_eq!(cell(&rows, 0, "revision"), &Cell::Int(1));
    assert_eq!(cell(&rows, 1, "revision"), &Cell::Int(2));
    assert_eq!(text(&rows, 0, "source").as_deref(), Some("survey"));
    assert_eq!(text(&rows, 0, "note").as_deref(), Some("first wave"));
    assert_eq!(
        texts(&rows, "status"),
        vec![
            Some("superseded".into()),
            Some("current".into()),
            Some("current".into())
        ]
    );
    let rows = query(&mut ex, "history share 2024-02");
    assert_eq!(rows.rows.len(), 1);
    assert!(query(&mut ex, "history share 2024-03").rows.is_empty());
    let rows = query(&mut ex, "history share{app=a}");
    assert_eq!(series_names(&rows), vec!["share{app=a}"]);
    let err = fails(&mut ex, "history share{app=b}");
    assert!(err.contains("share{app=b}"), "{err}");
}

// ---------------------------------------------------------------- readonly

#[test]
fn a_readonly_store_refuses_data_commands_and_answers_queries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growth.db");
    let path = path.to_str().unwrap();
    {
        let mut ex = Executor::new(Store::open(path, false).unwrap());
        for line in [
            "metric users kind=stock",
            "insert 2023 users=1",
            "insert 2024 users=2",
        ] {
            ok(&mut ex, line);
        }
    }
    for path in [path, ":memory:"] {
        let mut ex = Executor::new(Store::open(path, true).unwrap());
        for command in [
            "metric users kind=flow",
            "metric other",
            "insert 2025 users=3",
            "insert 2023 users=1",
            "revise 2024 users=3",
            "delete users 2024",
        ] {
            let err = fails(&mut ex, command);
            assert!(err.contains("read-only"), "{path}: {command}: {err}");
        }
        if path != ":memory:" {
            let rows = query(&mut ex, "growth users from 2023 to 2024");
            assert_eq!(num(&rows, 0, "change"), Some(1.0));
            assert_eq!(query(&mut ex, "series users").rows.len(), 2);
            assert_eq!(query(&mut ex, "history users").rows.len(), 2);
            let rows = query(&mut ex, "metrics");
            assert_eq!(text(&rows, 0, "kind").as_deref(), Some("stock"));
        }
    }
}
