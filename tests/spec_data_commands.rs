//! SPEC §4 Commands: the data commands `insert`, `revise` and `delete`, and
//! the listing commands `series`, `metrics` and `history`.
use crate::common::{cell, column, csv, query, query_error};

// ---------------------------------------------------------------- data

#[test]
fn insert_creates_undefined_metrics_without_a_kind_with_a_note() {
    let out = crate::common::memory(&[], "insert 2020 fresh=1\nmetrics\n");
    out.ok();
    assert!(out.stderr.contains("fresh"), "a note names the metric");
    assert!(!out.stdout.contains("created"), "notes never go to stdout");
    let rows = query(&["insert 2020 fresh=1", "metrics"]);
    assert_eq!(cell(&rows[0], "kind"), "");
}

#[test]
fn reinserting_the_same_value_is_unchanged() {
    let out = crate::common::memory(&[], "insert 2020 a=1\ninsert 2020 a=1.0 a{k=v}=2\n");
    out.ok();
    assert!(out.stderr.contains("unchanged"), "{out:#?}");
    let rows = query(&["insert 2020 a=1", "insert 2020 a=1", "history a"]);
    assert_eq!(rows.len(), 1, "no new revision");
}

#[test]
fn insert_after_delete_adds_a_revision_and_new_rows_follow_recorded_ones() {
    // New, recorded, new again: each row is written or left as it should
    // be whatever the rows before it were.
    let rows = query(&[
        "insert 2020 a=1",
        "delete a 2020",
        "insert 2021 a=2",
        "insert 2021 a=2",
        "insert 2020 a=3",
        "insert 2022 a=4",
        "history a",
    ]);
    assert_eq!(
        column(&rows, "period"),
        ["2020", "2020", "2020", "2021", "2022"]
    );
    assert_eq!(column(&rows, "revision"), ["1", "2", "3", "1", "1"]);
    assert_eq!(column(&rows, "value"), ["1", "", "3", "2", "4"]);
    let error = query_error(&["insert 2020 a=1", "insert 2020 a=1", "insert 2020 a=2"]);
    assert!(error.contains("revise"), "{error}");
}

#[test]
fn a_conflicting_insert_names_the_recorded_value_and_changes_nothing() {
    let error = query_error(&["insert 2020 a=17", "insert 2020 b=5 a=18"]);
    assert!(error.contains("17"), "{error}");
    assert!(error.contains("revise"), "{error}");
    let out = csv("insert 2020 a=17\ninsert 2020 b=5 a=18\nmetrics\nhistory a\n");
    let results = out.results();
    assert_eq!(column(&results[0], "metric"), ["a"], "b was not created");
    assert_eq!(column(&results[1], "value"), ["17"]);
}

#[test]
fn revise_keeps_old_revisions_and_needs_an_existing_snapshot() {
    let rows = query(&[
        "insert 2020 a=1 source=\"first\"",
        "revise 2020 a=2 source=\"second\" note=\"restated\"",
        "history a",
    ]);
    assert_eq!(column(&rows, "revision"), ["1", "2"]);
    assert_eq!(column(&rows, "value"), ["1", "2"]);
    assert_eq!(column(&rows, "status"), ["superseded", "current"]);
    assert_eq!(column(&rows, "source"), ["first", "second"]);
    assert_eq!(column(&rows, "note"), ["", "restated"]);

    let error = query_error(&["insert 2020 a=1", "revise 2021 a=2"]);
    assert!(error.contains("2021"), "{error}");
    // A revise naming one missing snapshot changes nothing.
    let out = csv("insert 2020 a=1 b=1\nrevise 2020 a=5 c=3\nseries a\n");
    assert_eq!(out.failed().len(), 1);
    assert_eq!(column(&out.rows(), "value"), ["1"]);
}

#[test]
fn delete_hides_a_snapshot_but_history_keeps_it() {
    let out = csv("insert 2020 a=1\ninsert 2021 a=2\ndelete a 2020\nseries a\nhistory a\n");
    out.clean();
    let results = out.results();
    assert_eq!(column(&results[0], "period"), ["2021"]);
    let history = &results[1];
    assert_eq!(column(history, "period"), ["2020", "2020", "2021"]);
    assert_eq!(
        column(history, "status"),
        ["superseded", "deleted", "current"]
    );
    assert_eq!(cell(&history[1], "value"), "", "a deletion has no value");

    for lines in [
        &["insert 2020 a=1", "delete a 2021"][..],
        &["insert 2020 a=1", "delete a 2020", "delete a 2020"][..],
        &["insert 2020 a=1", "delete b 2020"][..],
    ] {
        query_error(lines);
    }
}

#[test]
fn growth_ignores_deleted_snapshots() {
    let error = query_error(&[
        "metric s kind=flow",
        "insert 2020 s=1",
        "insert 2021 s=2",
        "delete s 2020",
        "growth s from 2020 to 2021",
    ]);
    assert!(error.contains("2020"), "{error}");
}

// ------------------------------------------- series, metrics, history

#[test]
fn series_lists_values_between_periods_at_a_granularity() {
    let rows = query(&[
        "metric f kind=flow",
        "insert 2024-01 f=1",
        "insert 2024-02 f=2",
        "insert 2024-03 f=3",
        "insert 2024-04 f=4",
        "insert 2024-05 f=5",
        "insert 2024-06 f=6",
        "series f from 2024-02 to 2024-04",
    ]);
    assert_eq!(column(&rows, "period"), ["2024-02", "2024-03", "2024-04"]);
    assert_eq!(column(&rows, "change"), ["", "1", "1"]);
    assert_eq!(column(&rows, "change_pct"), ["", "50", "33.33333333333333"]);
    let rows = query(&[
        "metric f kind=flow",
        "insert 2024-01 f=1",
        "insert 2024-02 f=2",
        "insert 2024-03 f=3",
        "insert 2024-04 f=4",
        "insert 2024-05 f=5",
        "insert 2024-06 f=6",
        "series f every quarter",
    ]);
    assert_eq!(column(&rows, "period"), ["2024-Q1", "2024-Q2"]);
    assert_eq!(column(&rows, "value"), ["6", "15"]);
    assert_eq!(column(&rows, "start"), ["2024-01-01", "2024-04-01"]);
    assert_eq!(column(&rows, "end"), ["2024-03-31", "2024-06-30"]);
}

#[test]
fn metrics_lists_kind_unit_series_and_span() {
    let rows = query(&[
        "metric users kind=stock unit=people desc=\"All users\"",
        "insert 2022 users=1 users{line=a}=1",
        "insert 2023-Q2 users=2",
        "metric empty kind=flow",
        "metrics",
    ]);
    assert_eq!(column(&rows, "metric"), ["empty", "users"]);
    let users = &rows[1];
    let fields = [
        "kind",
        "unit",
        "series",
        "snapshots",
        "first",
        "last",
        "description",
    ];
    let values: Vec<&str> = fields.iter().map(|f| cell(users, f)).collect();
    assert_eq!(
        values,
        ["stock", "people", "2", "3", "2022", "2023-Q2", "All users"]
    );
    let empty: Vec<&str> = fields.iter().map(|f| cell(&rows[0], f)).collect();
    assert_eq!(empty, ["flow", "", "0", "0", "", "", ""]);

    let rows = query(&["insert 2020 ab=1 ac=1 b=1", "metrics a*"]);
    assert_eq!(column(&rows, "metric"), ["ab", "ac"]);
}

#[test]
fn history_can_be_limited_to_a_period() {
    let rows = query(&[
        "insert 2022 m=1",
        "insert 2023 m=2",
        "revise 2023 m=3",
        "history m 2023",
    ]);
    assert_eq!(column(&rows, "period"), ["2023", "2023"]);
    assert_eq!(column(&rows, "revision"), ["1", "2"]);
}
