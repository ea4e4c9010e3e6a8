//! `.sql QUERY`: read-only SQL on the store, in every output format.
use crate::common::{Sandbox, alipay};

#[test]
fn a_query_prints_its_rows_under_sqlites_column_names() {
    let sandbox = alipay();
    let out = sandbox.csv(
        ".sql SELECT name, kind FROM metric WHERE name LIKE 'users%' ORDER BY name\n\
         .sql SELECT 'a;b # c' AS text, 1.5 AS x, NULL AS missing, 7 AS n",
    );
    out.clean();
    assert_eq!(
        out.stdout,
        "name,kind\nusers,stock\ntext,x,missing,n\na;b # c,1.5,,7\n"
    );
    let json = sandbox.run_db(
        &[
            "--format",
            "jsonl",
            "-c",
            ".sql SELECT 1 AS one, 'x' AS two",
        ],
        "",
    );
    json.clean();
    assert_eq!(json.stdout, "{\"one\":1,\"two\":\"x\"}\n");
}

#[test]
fn writes_are_refused_and_change_nothing() {
    if crate::common::sqlite_only(
        "SQLite's SQL and its messages (tests/postgres.rs sql_only_reads is PostgreSQL's)",
    ) {
        return;
    }
    let sandbox = alipay();
    let before = std::fs::read(sandbox.db()).unwrap();
    for statement in [
        "DROP TABLE snapshot",
        "DELETE FROM series",
        "UPDATE metric SET kind = NULL",
        "PRAGMA user_version = 99",
        "INSERT INTO metric (name) VALUES ('x')",
    ] {
        let out = sandbox.run_db(&["-q", "-c", &format!(".sql {statement}")], "");
        let error = out.only_error();
        assert!(error.contains("readonly"), "{statement}: {error}");
    }
    assert_eq!(std::fs::read(sandbox.db()).unwrap(), before);
    // The session goes on writing as usual afterwards.
    sandbox
        .run_db(
            &["-q", "-c", ".sql SELECT 1", "-c", "insert 2030 after=1"],
            "",
        )
        .clean();
}

#[test]
fn bad_queries_are_one_clear_error() {
    if crate::common::sqlite_only(
        "SQLite's SQL and its messages (tests/postgres.rs sql_only_reads is PostgreSQL's)",
    ) {
        return;
    }
    let cases = [
        (".sql", "usage: .sql QUERY"),
        (".sql SELECT * FROM nosuch", "no such table: nosuch"),
        (".sql SELECT 1; SELECT 2", "one SQL statement at a time"),
        (".sql SELEC 1", "syntax error"),
    ];
    let sandbox = Sandbox::new();
    for (command, message) in cases {
        let out = sandbox.run_db(&["-c", command], "");
        let error = out.only_error();
        assert!(error.contains(message), "{command}: {error}");
    }
}

#[test]
fn it_works_on_a_memory_store_and_a_readonly_one() {
    let out = crate::common::memory(
        &["--format", "csv", "-q"],
        "insert 2024 a=1\n.sql SELECT series, value FROM current_snapshot\n",
    );
    out.clean();
    assert_eq!(out.stdout, "series,value\na,1\n");
    let sandbox = alipay();
    let out = sandbox.run_db(
        &[
            "--readonly",
            "--format",
            "csv",
            "-c",
            ".sql SELECT count(*) AS n FROM series",
        ],
        "",
    );
    out.clean();
    assert_eq!(out.stdout, "n\n9\n");
}
