//! SPEC §4 and §5, the rules version 2 changed: row order by label values
//! as plain text, `by` over averages and ratios, roll-ups, two ends on one
//! recorded period, commands whose every row failed, and `metric PATTERN`.
use crate::common::{Sandbox, cell, query, series_of};

// ------------------------------------------------------------ row order

/// Countries whose canonical names quote some values: quoted text would
/// sort `"New Zealand"` and `"Korea, Rep."` before `Australia`.
const COUNTRIES: &str = r#"metric pop kind=stock
insert 2000 pop{continent=Oceania,country="New Zealand"}=3.9M pop{continent=Oceania,country=Australia}=19M pop{continent=Asia,country="Korea, Rep."}=47M pop{continent=Asia,country=Japan}=127M
insert 2010 pop{continent=Oceania,country="New Zealand"}=4.4M pop{continent=Oceania,country=Australia}=22M pop{continent=Asia,country="Korea, Rep."}=49M pop{continent=Asia,country=Japan}=128M
"#;

const IN_PLAIN_TEXT_ORDER: [&str; 4] = [
    r#"pop{continent=Asia,country=Japan}"#,
    r#"pop{continent=Asia,country="Korea, Rep."}"#,
    r#"pop{continent=Oceania,country=Australia}"#,
    r#"pop{continent=Oceania,country="New Zealand"}"#,
];

#[test]
fn rows_of_several_series_are_ordered_by_label_values_as_plain_text() {
    let sandbox = Sandbox::new();
    sandbox.load(COUNTRIES);
    let growth = sandbox.csv("growth pop* from 2000 to 2010");
    growth.clean();
    assert_eq!(series_of(&growth.rows()), IN_PLAIN_TEXT_ORDER);

    let series = sandbox.csv("series pop*");
    series.clean();
    let rows = series.rows();
    let mut names: Vec<&str> = series_of(&rows);
    names.dedup();
    assert_eq!(names, IN_PLAIN_TEXT_ORDER);

    sandbox.load(".export all.csv");
    let exported = std::fs::read_to_string(sandbox.path("all.csv")).expect("the export");
    let mut reader = ::csv::Reader::from_reader(exported.as_bytes());
    let mut names: Vec<String> = reader
        .records()
        .map(|r| r.expect("a csv record")[0].to_string())
        .collect();
    names.dedup();
    assert_eq!(names, IN_PLAIN_TEXT_ORDER);

    let oceania = sandbox.csv("growth pop{continent=Oceania} from 2000 to 2010 by country");
    oceania.clean();
    assert_eq!(
        series_of(&oceania.rows()),
        [
            IN_PLAIN_TEXT_ORDER[2],
            IN_PLAIN_TEXT_ORDER[3],
            "pop{continent=Oceania}"
        ]
    );
}

#[test]
fn metrics_come_before_their_labels_and_the_total_first() {
    let rows = query(&[
        "metric a kind=stock",
        "metric b kind=stock",
        "insert 2000 b{x=Z}=1 b=2 a{x=\"y z\"}=3 a{x=y}=4 b{x=a}=5",
        "insert 2001 b{x=Z}=1 b=2 a{x=\"y z\"}=3 a{x=y}=4 b{x=a}=5",
        "growth * from 2000 to 2001",
    ]);
    // Plain text compares code points: upper case before lower case.
    assert_eq!(
        series_of(&rows),
        ["a{x=y}", "a{x=\"y z\"}", "b", "b{x=Z}", "b{x=a}"]
    );
}

// ------------------------------------------------------- metric PATTERN

#[test]
fn metric_with_a_pattern_updates_every_matching_metric() {
    let sandbox = Sandbox::new();
    sandbox.load(concat!(
        "insert 2024 jobs.open=5 jobs.filled=3 jobsite=1\n",
        "metric jobs.filled desc=\"filled\"\n",
    ));
    let out = sandbox.run_db(&[], "metric jobs.* kind=stock unit=jobs\n");
    out.ok();
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "updated 2 metrics matching jobs.*\n");

    let metrics = sandbox.csv("metrics");
    metrics.clean();
    let rows = metrics.rows();
    let attributes: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                cell(r, "metric"),
                cell(r, "kind"),
                cell(r, "unit"),
                cell(r, "description"),
            )
        })
        .collect();
    assert_eq!(
        attributes,
        [
            ("jobs.filled", "stock", "jobs", "filled"),
            ("jobs.open", "stock", "jobs", ""),
            ("jobsite", "", "", ""),
        ]
    );
    // Quiet mode says nothing.
    let out = sandbox.run_db(&["-q"], "metric * desc=\"all\"\n");
    out.clean();
    assert_eq!(out.stdout, "");
}

#[test]
fn metric_with_a_pattern_that_matches_none_fails_and_changes_nothing() {
    if crate::common::sqlite_only("the SQLite file's bytes") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2024 jobs.open=5\n");
    let before = std::fs::read(sandbox.db()).expect("the store");
    let out = sandbox.run_db(&[], "metric nothing.* kind=stock\n");
    assert_eq!(
        out.only_error(),
        "error: line 1: no defined metric matches nothing.*; a pattern updates existing metrics (define one with: metric NAME)"
    );
    let out = sandbox.run_db(&["--format", "json"], "metric nothing.* kind=stock\n");
    let error: serde_json::Value =
        serde_json::from_str(out.only_error()).expect("a JSON error object");
    assert_eq!(error["kind"], "not_found");
    assert_eq!(std::fs::read(sandbox.db()).expect("the store"), before);

    // A pattern that sets nothing is a syntax error, naming what to add.
    let out = sandbox.run_db(&["--format", "json"], "metric jobs.*\n");
    let error: serde_json::Value =
        serde_json::from_str(out.only_error()).expect("a JSON error object");
    assert_eq!(error["kind"], "syntax");
    assert_eq!(
        error["error"],
        "column 14: unexpected end of command; expected kind=, unit= or desc= to set on every metric matching \"jobs.*\""
    );
    assert_eq!(std::fs::read(sandbox.db()).expect("the store"), before);
}

#[test]
fn the_help_example_of_metric_with_a_pattern_runs() {
    let sandbox = crate::common::alipay();
    let help = sandbox.run_db(&["-c", ".help metric"], "");
    help.clean();
    assert!(
        help.stdout.contains("metric content.* unit=minutes"),
        "{help:?}"
    );
    let out = sandbox.run_db(&["-c", "metric content.* unit=minutes"], "");
    out.ok();
    assert_eq!(out.stderr, "updated 1 metric matching content.*\n");
}

// ------------------------------------------------- two ends on one period

const ONE_SNAPSHOT: &str =
    "metric a kind=stock\nmetric b kind=stock\ninsert 2024 a=5 b=7\ninsert 2023 b=6\n";

#[test]
fn two_ends_on_one_recorded_period_fail_a_single_series() {
    let sandbox = Sandbox::new();
    sandbox.load(ONE_SNAPSHOT);
    let cases = [
        (
            "growth a from earliest to latest",
            "a: from earliest and to latest both resolve to 2024, so no growth can be measured",
        ),
        // A stale `to` falls back onto `from`'s period.
        (
            "growth b from 2024 to 2025-06",
            "b: from 2024 and to 2025-06 both resolve to 2024, so no growth can be measured",
        ),
    ];
    for (command, message) in cases {
        let out = sandbox.csv(command);
        assert_eq!(out.only_error(), format!("error: line 1: {message}"));
        assert_eq!(out.stdout, "");
        let out = sandbox.run_db(&["--format", "json"], command);
        let error: serde_json::Value = serde_json::from_str(out.only_error()).expect("JSON");
        assert_eq!(error["kind"], "same_period", "{command}");
        assert_eq!(error["error"], message);
    }
}

#[test]
fn two_ends_on_one_recorded_period_give_an_empty_row_in_a_pattern() {
    let sandbox = Sandbox::new();
    sandbox.load(ONE_SNAPSHOT);
    let out = sandbox.csv("growth * from earliest to latest");
    out.clean();
    let rows = out.rows();
    assert_eq!(series_of(&rows), ["a", "b"]);
    for field in ["from_period", "from_value", "to_period", "change", "years"] {
        assert_eq!(cell(&rows[0], field), "", "{field}");
    }
    assert_eq!(
        cell(&rows[0], "note"),
        "a: from earliest and to latest both resolve to 2024, so no growth can be measured"
    );
    assert_eq!(cell(&rows[1], "change"), "1");
}

#[test]
fn the_same_period_asked_for_both_ends_is_a_row_of_no_change() {
    let rows = query(&[
        "metric a kind=stock",
        "insert 2024 a=5",
        "growth a from 2024 to 2024",
    ]);
    assert_eq!(cell(&rows[0], "change"), "0");
    assert_eq!(cell(&rows[0], "years"), "0");
    assert_eq!(cell(&rows[0], "cagr_pct"), "");
}

// ------------------------------------------------- every row failed

#[test]
fn a_command_whose_every_row_failed_fails_with_one_line() {
    let sandbox = Sandbox::new();
    sandbox.load(
        "metric a kind=stock\nmetric b kind=flow\nmetric c kind=stock\ninsert 2024 a=5 b=7 c=1\n",
    );
    let out = sandbox.csv("growth * from 2020 to 2024");
    assert_eq!(
        out.only_error(),
        "error: line 1: all 3 series failed; first: no data for a in or before 2020"
    );
    assert_eq!(out.stdout, "");
    // The kind is the first reason's.
    let out = sandbox.run_db(&["--format", "jsonl"], "growth * from earliest to latest");
    let error: serde_json::Value = serde_json::from_str(out.only_error()).expect("JSON");
    assert_eq!(error["kind"], "same_period");
    assert!(
        error["error"]
            .as_str()
            .expect("a message")
            .starts_with("all 3 series failed; first: a: from earliest and to latest"),
        "{error}"
    );
    // Later commands still run; the exit status says one failed.
    let out = sandbox.csv("growth * from 2020 to 2024\nseries a\n");
    assert_eq!(out.code, 1);
    assert_eq!(out.rows().len(), 1);

    // A listing whose every step failed fails the same way.
    sandbox.load(
        "metric d kind=distinct\ninsert 2024-01 d=1\ninsert 2024-02 d=2\ninsert 2024-03 d=3\n",
    );
    let out = sandbox.csv("series d every quarter");
    assert_eq!(
        out.only_error(),
        "error: line 1: 1 series failed; first: d is a distinct count, so 2024-Q1 cannot be derived from its 3 months; record 2024-Q1 itself"
    );
}
