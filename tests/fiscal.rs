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
    let before = crate::common::state(&sandbox.db());
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
        assert_eq!(crate::common::state(&sandbox.db()), before, "{bad}");
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
        "/schema/sqlite/0001_initial.sql"
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
    if crate::common::sqlite_only("a store file of the previous release") {
        return;
    }
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
    if crate::common::sqlite_only(
        "the SQLite DDL .schema prints (tests/postgres.rs checks PostgreSQL's)",
    ) {
        return;
    }
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

// ---------------------------------------------------------------- fiscal periods

/// Monthly revenue (a flow) from 2022-04 to 2024-05: month M of year Y is
/// worth Y - 2000 + M / 100, so that every sum says which months it took.
fn monthly_revenue() -> String {
    let mut script = String::from("metric revenue kind=flow\n");
    for (year, months) in [(2022, 4..=12), (2023, 1..=12), (2024, 1..=5)] {
        for month in months {
            let value = f64::from(year - 2000) + f64::from(month) / 100.0;
            script.push_str(&format!("insert {year}-{month:02} revenue={value}\n"));
        }
    }
    script
}

fn fiscal_store(calendar: &str) -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.load(&format!("{}{calendar}\n", monthly_revenue()));
    sandbox
}

/// (from_period, to_period) of the one growth row.
fn growth_ends(sandbox: &Sandbox, query: &str) -> (String, String) {
    let out = sandbox.csv(query);
    out.clean();
    let rows = out.rows();
    assert_eq!(rows.len(), 1, "{query}: {out:#?}");
    (
        cell(&rows[0], "from_period").to_string(),
        cell(&rows[0], "to_period").to_string(),
    )
}

fn ends(from: &str, to: &str) -> (String, String) {
    (from.to_string(), to.to_string())
}

#[test]
fn a_fiscal_period_is_its_days_in_the_stores_calendar_and_shown_as_asked() {
    let sandbox = fiscal_store("calendar fiscal_year_start=4");
    assert_eq!(
        growth_ends(&sandbox, "growth revenue from fy2023q1 to FY2024-q1"),
        ends("FY2023-Q1", "FY2024-Q1")
    );
    // FY2025-Q1 is 2024-04..2024-06, of which June is not recorded.
    let out = sandbox.csv("growth revenue from FY2024-Q1 to FY2025-Q1");
    assert_eq!(
        out.only_error(),
        "error: line 1: FY2025-Q1 is only partly recorded for revenue: present 2024-04, 2024-05; missing 2024-06"
    );
    let out = sandbox.csv("growth revenue from FY2024-Q1 to FY2024-Q4");
    out.clean();
    let row = &out.rows()[0];
    assert_eq!(cell(row, "from_value"), (23.04 + 23.05 + 23.06).to_string());
    assert_eq!(cell(row, "to_value"), (24.01 + 24.02 + 24.03).to_string());
    // A fiscal year labelled by its start.
    sandbox.load("calendar fiscal_year_label=start\n");
    let out = sandbox.csv("series revenue every fiscal_year from FY2022 to FY2023");
    out.clean();
    let rows = out.rows();
    let periods: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (cell(r, "period"), cell(r, "start"), cell(r, "end")))
        .collect();
    assert_eq!(
        periods,
        [
            ("FY2022", "2022-04-01", "2023-03-31"),
            ("FY2023", "2023-04-01", "2024-03-31")
        ]
    );
}

#[test]
fn notes_and_errors_name_a_period_as_it_was_asked() {
    let sandbox = fiscal_store("calendar fiscal_year_start=4");
    let notes = |query: &str| -> Vec<(String, String)> {
        let out = sandbox.csv(query);
        out.clean();
        out.rows()
            .iter()
            .map(|r| (cell(r, "period").to_string(), cell(r, "note").to_string()))
            .collect()
    };
    let fiscal = notes("series revenue every fiscal_quarter from FY2024-Q4 to FY2025-Q1");
    assert_eq!(
        fiscal,
        [
            ends("FY2024-Q4", "FY2024-Q4 = sum of 3 months"),
            ends(
                "FY2025-Q1",
                "FY2025-Q1 is only partly recorded for revenue: present 2024-04, 2024-05; missing 2024-06"
            ),
        ]
    );
    // The same days asked in calendar form keep their calendar names.
    let calendar = notes("series revenue every quarter from 2024-Q1 to 2024-Q2");
    assert_eq!(
        calendar,
        [
            ends("2024-Q1", "2024-Q1 = sum of 3 months"),
            ends(
                "2024-Q2",
                "2024-Q2 is only partly recorded for revenue: present 2024-04, 2024-05; missing 2024-06"
            ),
        ]
    );
    let out = sandbox.csv("growth revenue over 1q to FY2024-Q1");
    out.clean();
    assert_eq!(
        cell(&out.rows()[0], "note"),
        "from: FY2023-Q4 = sum of 3 months; to: FY2024-Q1 = sum of 3 months"
    );
    let out =
        sandbox.csv("growth revenue over 1y every fiscal_quarter from FY2024-Q4 to FY2025-Q1");
    out.ok();
    let last = out.rows().pop().unwrap();
    assert_eq!(
        (cell(&last, "to_period"), cell(&last, "note")),
        (
            "FY2025-Q1",
            "FY2025-Q1 is only partly recorded for revenue: present 2024-04, 2024-05; missing 2024-06"
        )
    );
    let out = sandbox.csv("growth revenue from FY2022-Q1 to FY2024-Q1");
    assert_eq!(
        out.only_error(),
        "error: line 1: no data for revenue in or before FY2022-Q1"
    );
}

#[test]
fn over_keeps_a_fiscal_period_fiscal() {
    let sandbox = fiscal_store("calendar fiscal_year_start=apr");
    for (query, expected) in [
        (
            "growth revenue over 1q to FY2024-Q1",
            ends("FY2023-Q4", "FY2024-Q1"),
        ),
        (
            "growth revenue over 1y to FY2024-Q1",
            ends("FY2023-Q1", "FY2024-Q1"),
        ),
        (
            "growth revenue over 1h to FY2024-Q3",
            ends("FY2024-Q1", "FY2024-Q3"),
        ),
        (
            "growth revenue over 1y to FY2024-H2",
            ends("FY2023-H2", "FY2024-H2"),
        ),
        ("growth revenue over 1y to FY2024", ends("FY2023", "FY2024")),
    ] {
        assert_eq!(growth_ends(&sandbox, query), expected, "{query}");
    }
    let out = sandbox.csv("growth revenue over 1m to FY2024-Q1");
    assert_eq!(
        out.only_error(),
        "error: line 1: cannot shift FY2024-Q1 back 1m: a fiscal quarter moves in whole fiscal quarters or longer units"
    );
}

#[test]
fn every_fiscal_quarter_steps_in_the_stores_calendar() {
    let sandbox = fiscal_store("calendar fiscal_year_start=4");
    let out = sandbox.csv("series revenue every fiscal_quarter from 2023-04 to 2024-03");
    out.clean();
    let rows = out.rows();
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (cell(r, "period"), cell(r, "start"), cell(r, "end")))
        .collect();
    assert_eq!(
        got,
        [
            ("FY2024-Q1", "2023-04-01", "2023-06-30"),
            ("FY2024-Q2", "2023-07-01", "2023-09-30"),
            ("FY2024-Q3", "2023-10-01", "2023-12-31"),
            ("FY2024-Q4", "2024-01-01", "2024-03-31"),
        ]
    );
    // Every fiscal half, too; in the default calendar they are the halves.
    let out = csv(&format!(
        "{}series revenue every fiscal_half from 2023 to 2023",
        monthly_revenue()
    ));
    out.clean();
    let periods: Vec<String> = out.rows().iter().map(|r| r["period"].clone()).collect();
    assert_eq!(periods, ["FY2023-H1", "FY2023-H2"]);
}

#[test]
fn recorded_periods_are_shown_by_calendar_name_else_fiscal_name_else_as_a_range() {
    let sandbox = Sandbox::new();
    sandbox.load(
        "calendar fiscal_year_start=4\n\
         insert FY2024 sales=100\n\
         insert 2024-Q2 sales=30\n\
         insert 2024-04-01..2024-05-15 sales=10\n",
    );
    let out = sandbox.csv("series sales");
    out.clean();
    let periods: Vec<String> = out.rows().iter().map(|r| r["period"].clone()).collect();
    assert_eq!(periods, ["FY2024", "2024-04-01..2024-05-15", "2024-Q2"]);
    let out = sandbox.csv("history sales FY2024");
    out.clean();
    assert_eq!(out.rows()[0]["period"], "FY2024");
    assert_eq!(out.rows()[0]["value"], "100");
    // Rule 1 for the same days written as a range.
    assert_eq!(
        growth_ends(&sandbox, "growth sales from 2023-04..2024-03 to 2024-Q2"),
        ends("FY2024", "2024-Q2")
    );
    // Exported as days, which mean the same in any store.
    sandbox.run_db(&["-q"], ".export sales.csv sales\n").clean();
    let export = std::fs::read_to_string(sandbox.path("sales.csv")).unwrap();
    assert!(
        export.contains("sales,2023-04-01..2024-03-31,100"),
        "{export}"
    );
    // Deleted by its fiscal name.
    let out = sandbox.run_db(&[], "delete sales FY2024\n");
    out.ok();
    assert_eq!(out.stderr, "deleted sales for FY2024\n");
}

#[test]
fn notes_and_errors_name_a_recorded_period_without_a_calendar_name_by_its_fiscal_name() {
    let sandbox = Sandbox::new();
    // Fiscal years from April: FY2024 is 2023-04..2024-03 and FY2024-H1
    // 2023-04..2023-09, neither of them a calendar period.
    sandbox.load(
        "calendar fiscal_year_start=4\n\
         metric sales kind=flow\n\
         metric staff kind=stock\n\
         insert FY2024 sales=100\n\
         insert 2024-04 sales=9\n\
         insert FY2024-H1 staff=5\n\
         insert 2024-Q1 staff=7\n",
    );
    let note = |query: &str| {
        let out = sandbox.csv(query);
        out.clean();
        cell(&out.rows()[0], "note").to_string()
    };
    assert_eq!(
        note("growth sales from 2023-06 to 2024-04"),
        "from: FY2024 contains 2023-06"
    );
    assert_eq!(
        note("growth staff from 2023-12 to 2024-Q1"),
        "from: stale: 2023-12 as of FY2024-H1"
    );
    assert_eq!(
        note("series staff every month from 2023-06 to 2023-06"),
        "FY2024-H1 contains 2023-06"
    );
    // Days asked for as a range are named like a recorded period; a period
    // with a calendar name keeps it.
    assert_eq!(
        note("growth sales from 2023-10-01..2024-03-31 to 2024-04"),
        "from: FY2024 contains FY2024-H2"
    );
    assert_eq!(
        note("growth sales from 2024-Q1 to 2024-04"),
        "from: FY2024 contains 2024-Q1"
    );
    let error = |query: &str| sandbox.csv(query).only_error().to_string();
    assert_eq!(
        error("growth staff from 2023-06 to 2023-08"),
        "error: line 1: staff: from 2023-06 and to 2023-08 both resolve to FY2024-H1, so no growth can be measured"
    );
    assert_eq!(
        error("growth sales from 2023 to 2024-04"),
        "error: line 1: 2023 is only partly recorded for sales: present FY2024; missing 2023-Q1"
    );
    assert_eq!(
        error("growth sales from 2023-04-01..2024-04-30 to 2024-04"),
        "error: line 1: sales has FY2024, 2024-04 overlapping 2023-04-01..2024-04-30, but they neither tile it at one granularity nor contain it; ask for a period they tile"
    );
}

#[test]
fn inserting_a_fiscal_period_records_its_days_in_the_calendar_of_the_moment() {
    let sandbox = Sandbox::new();
    let out = sandbox.run_db(&[], "calendar fiscal_year_start=7\ninsert FY2024 sales=5\n");
    out.ok();
    assert!(
        out.stderr.ends_with("FY2024: inserted 1\n"),
        "{}",
        out.stderr
    );
    // The snapshot keeps its days when the calendar changes.
    sandbox.load("calendar fiscal_year_start=1\n");
    let out = sandbox.csv("series sales");
    out.clean();
    let row = &out.rows()[0];
    assert_eq!(
        (cell(row, "period"), cell(row, "start"), cell(row, "end")),
        ("2023-07-01..2024-06-30", "2023-07-01", "2024-06-30")
    );
}

#[test]
fn bad_fiscal_periods_are_clear_errors() {
    for (query, expected) in [
        (
            "growth revenue from FY24 to latest",
            "column 21: invalid period \"FY24\": ",
        ),
        (
            "series revenue from FY2024-H3",
            "column 21: invalid period \"FY2024-H3\": fiscal half must be H1 or H2",
        ),
    ] {
        let out = csv(&format!("insert 2024 revenue=1\n{query}"));
        let error = out.only_error();
        assert!(
            error.starts_with(&format!("error: line 2: {expected}")),
            "{query}: {error}"
        );
    }
}
