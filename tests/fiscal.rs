//! SPEC §8 fiscal calendar: `calendar` set and printed, stores of the
//! previous schema upgraded, fiscal periods, `every fiscal_*`, and the
//! to-date endpoints.
use rusqlite::Connection;

use crate::common::{Sandbox, cell, csv};

/// The one row `calendar` prints, as (fiscal_year_start, fiscal_year_label).
fn calendar_row(out: &crate::common::Output) -> (String, String) {
    let rows = out.rows();
    assert_eq!(rows.len(), 1, "{out:#?}");
    (
        cell(&rows[0], "fiscal_year_start").to_string(),
        cell(&rows[0], "fiscal_year_label").to_string(),
    )
}

fn pair(start: &str, label: &str) -> (String, String) {
    (start.to_string(), label.to_string())
}

#[test]
fn calendar_prints_the_default_then_what_was_set() {
    let out = csv("calendar");
    out.clean();
    assert_eq!(out.stdout, "fiscal_year_start,fiscal_year_label\n1,end\n");
    for (setting, expected) in [
        ("fiscal_year_start=4", pair("4", "end")),
        ("fiscal_year_start=april", pair("4", "end")),
        ("FISCAL_YEAR_START=Apr", pair("4", "end")),
        ("fiscal_year_start=SEP", pair("9", "end")),
        ("fiscal_year_start=december", pair("12", "end")),
        ("fiscal_year_label=start", pair("1", "start")),
        (
            "fiscal_year_start=7 fiscal_year_label=START",
            pair("7", "start"),
        ),
    ] {
        let out = csv(&format!("calendar {setting}\ncalendar"));
        out.clean();
        assert_eq!(calendar_row(&out), expected, "{setting}");
    }
}

#[test]
fn one_setting_leaves_the_other() {
    let sandbox = Sandbox::new();
    sandbox.load("calendar fiscal_year_start=4 fiscal_year_label=start\n");
    sandbox.load("calendar fiscal_year_start=10\n");
    assert_eq!(calendar_row(&sandbox.csv("calendar")), pair("10", "start"));
    sandbox.load("calendar fiscal_year_label=end\n");
    assert_eq!(calendar_row(&sandbox.csv("calendar")), pair("10", "end"));
}

#[test]
fn setting_the_calendar_is_confirmed_on_stderr() {
    let out = crate::common::memory(&[], "calendar fiscal_year_start=4\n");
    out.ok();
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        "calendar: fiscal years start in April and are labelled by the year in which they end (FY2024 is 2023-04-01..2024-03-31)\n"
    );
}

#[test]
fn bad_settings_are_clear_errors_that_change_nothing() {
    let sandbox = Sandbox::new();
    sandbox.load("calendar fiscal_year_start=4\n");
    let before = std::fs::read(sandbox.db()).unwrap();
    for (bad, expected) in [
        (
            "calendar fiscal_year_start=13",
            "error: line 1: column 28: invalid month \"13\" after \"fiscal_year_start=\"; expected 1 to 12, or an English month name or its three-letter abbreviation (april, apr)",
        ),
        (
            "calendar fiscal_year_start=Sept",
            "error: line 1: column 28: invalid month \"Sept\" after \"fiscal_year_start=\"; expected 1 to 12, or an English month name or its three-letter abbreviation (april, apr)",
        ),
        (
            "calendar fiscal_year_label=begin",
            "error: line 1: column 28: unknown fiscal year label \"begin\"; expected end (the year in which the fiscal year ends) or start",
        ),
        (
            "calendar fiscal_year_start=5 fiscal_year_label=x",
            "error: line 1: column 48: unknown fiscal year label \"x\"; expected end (the year in which the fiscal year ends) or start",
        ),
        (
            "calendar year=4",
            "error: line 1: column 10: unexpected \"year\"; expected fiscal_year_start=MONTH or fiscal_year_label=end|start",
        ),
    ] {
        let out = sandbox.run_db(&["-q"], &format!("{bad}\n"));
        assert_eq!(out.only_error(), expected, "{bad}");
        assert_eq!(std::fs::read(sandbox.db()).unwrap(), before, "{bad}");
    }
    assert_eq!(calendar_row(&sandbox.csv("calendar")), pair("4", "end"));
}

#[test]
fn a_readonly_store_refuses_to_change_its_calendar() {
    let sandbox = Sandbox::new();
    sandbox.load("calendar fiscal_year_start=4\n");
    let out = sandbox.run_db(&["--readonly", "-q"], "calendar fiscal_year_start=5\n");
    assert!(out.only_error().contains("read-only"), "{out:#?}");
    let out = sandbox.run_db(&["--readonly", "--format", "csv"], "calendar\n");
    assert_eq!(calendar_row(&out), pair("4", "end"));
}

/// A store written by the release before the fiscal calendar (schema
/// version 1): its own schema file, as that release applied it.
fn version_one_store(sandbox: &Sandbox) {
    let schema = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/0001_initial.sql"
    ))
    .unwrap();
    let conn = Connection::open(sandbox.db()).unwrap();
    conn.execute_batch(&schema).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.pragma_update(None, "application_id", 0x4772_4462)
        .unwrap();
    conn.pragma_update(None, "journal_mode", "wal").unwrap();
    conn.execute_batch(
        "INSERT INTO metric (id, name, kind) VALUES (1, 'revenue', 'flow');
         INSERT INTO series (id, metric_id, name, max_days) VALUES (1, 1, 'revenue', 31);
         INSERT INTO snapshot VALUES (1, 19783, 19814, 1, 10.0, 0, NULL, NULL);",
    )
    .unwrap();
}

#[test]
fn a_store_of_the_previous_release_opens_and_upgrades() {
    let sandbox = Sandbox::new();
    version_one_store(&sandbox);
    // Read-only, it answers with the default calendar and stays version 1.
    let out = sandbox.run_db(
        &["--readonly", "--format", "csv"],
        "calendar\nseries revenue\n",
    );
    out.clean();
    assert_eq!(out.results()[0][0]["fiscal_year_start"], "1");
    assert_eq!(cell(&out.results()[1][0], "period"), "2024-03");
    let version = |db: &str| -> i64 {
        Connection::open(db)
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    };
    assert_eq!(version(&sandbox.db()), 1);
    // Opened to write, it is upgraded and keeps its data.
    let out = sandbox.csv("calendar fiscal_year_start=4\ncalendar\nseries revenue\n");
    out.clean();
    assert_eq!(version(&sandbox.db()), 2);
    assert_eq!(out.results()[0][0]["fiscal_year_start"], "4");
    assert_eq!(cell(&out.results()[1][0], "value"), "10");
}

#[test]
fn schema_lists_the_calendar_table() {
    let out = crate::common::memory(&[], ".schema\n");
    out.clean();
    assert!(
        out.stdout.contains("CREATE TABLE calendar ("),
        "{}",
        out.stdout
    );
    for column in ["fiscal_year_start", "fiscal_year_label"] {
        assert!(out.stdout.contains(column), "{column}");
    }
}

#[test]
fn the_help_examples_of_calendar_run() {
    let sandbox = crate::common::alipay();
    let help = sandbox.run_db(&["-c", ".help calendar"], "");
    help.clean();
    let (_, examples) = help.stdout.split_once("Examples:").unwrap();
    let examples: Vec<&str> = examples
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert!(examples.len() >= 2, "{examples:?}");
    for example in examples {
        sandbox.run_db(&["-q"], &format!("{example}\n")).clean();
    }
}
