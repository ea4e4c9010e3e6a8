//! `.check`: SQLite's integrity check and the store's own invariants.
use crate::common::{Row, Sandbox, cell};
use rusqlite::Connection;

/// The rows of `.check`'s csv output.
fn check_rows(stdout: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        ["check", "result", "detail"]
    );
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            header
                .iter()
                .map(str::to_string)
                .zip(record.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn corrupt(db: &str, sql: &str) {
    let conn = Connection::open(db).unwrap();
    // Damage that growthdb itself would refuse to write.
    conn.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
    conn.execute_batch(sql).unwrap();
}

#[test]
fn a_healthy_store_passes_every_check() {
    let sandbox = Sandbox::new();
    sandbox.load(
        "insert 2023 users=1 users{line=a}=2\nrevise 2023 users=3\ndelete users{line=a} 2023\n",
    );
    let out = sandbox.csv(".check");
    out.clean();
    let rows = check_rows(&out.stdout);
    assert!(rows.len() >= 5, "{rows:?}");
    for row in &rows {
        assert_eq!(cell(row, "result"), "ok", "{row:?}");
        assert_eq!(cell(row, "detail"), "", "{row:?}");
    }
    if !crate::common::on_postgres() {
        assert_eq!(cell(&rows[0], "check"), "sqlite integrity_check");
    }
}

#[test]
fn each_broken_invariant_is_reported_and_fails() {
    if crate::common::sqlite_only("damage done to SQLite's tables behind growthdb's back") {
        return;
    }
    // (damage done behind growthdb's back, the check that must catch it)
    let cases = [
        (
            "INSERT INTO snapshot VALUES (1, 100, 50, 1, 1.0, 0, NULL, NULL)",
            "every period is a valid range of days",
        ),
        (
            "INSERT INTO snapshot VALUES (1, 19000, 19001, 3, 1.0, 0, NULL, NULL)",
            "revisions of each snapshot run 1, 2, ... without gaps",
        ),
        (
            "INSERT INTO snapshot VALUES (99, 19000, 19001, 1, 1.0, 0, NULL, NULL)",
            "every snapshot belongs to a series",
        ),
        (
            "INSERT INTO series (id, metric_id, name) VALUES (50, 77, 'ghost')",
            "every series and label belongs to a metric and a series",
        ),
        (
            "UPDATE series SET max_days = 1",
            "no period is longer than its series' recorded longest (max_days)",
        ),
        (
            "UPDATE snapshot SET recorded_at = 0 WHERE revision = 2",
            "revisions are recorded in time order",
        ),
        (
            "UPDATE series SET name = 'users{line=x}'",
            "every series' name is its metric and labels",
        ),
    ];
    for (damage, check) in cases {
        let sandbox = Sandbox::new();
        sandbox.load("insert 2023 users=1\nrevise 2023 users=2\n");
        corrupt(&sandbox.db(), damage);
        let out = sandbox.csv(".check");
        assert_eq!(
            out.only_error(),
            "error: line 1: the store check found 1 problem(s)",
            "{damage}"
        );
        let rows = check_rows(&out.stdout);
        let row = rows
            .iter()
            .find(|r| cell(r, "check") == check)
            .unwrap_or_else(|| panic!("{check} missing: {rows:?}"));
        assert_eq!(cell(row, "result"), "problem", "{damage}");
        assert!(cell(row, "detail").starts_with("1 found, e.g. "), "{row:?}");
        let others = rows.iter().filter(|r| cell(r, "result") != "ok").count();
        assert_eq!(others, 1, "{damage} tripped other checks: {rows:?}");
    }
}
