//! SPEC §7 Store: one SQLite file with a versioned schema, foreign and newer
//! files refused untouched, WAL mode with concurrent writers, atomic
//! commands, read-only opening, and a schema other tools can read.
use std::fs::File;
use std::process::{Child, Stdio};

use crate::common::{Sandbox, column};
use rusqlite::Connection;

/// How many schema files the project ships: the version a new store gets.
fn schema_files() -> i64 {
    let dir = format!("{}/schema/sqlite", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_dir(dir)
        .expect("the schema directory")
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "sql")
        })
        .count() as i64
}

fn pragma(db: &str, name: &str) -> String {
    let conn = Connection::open(db).unwrap();
    conn.pragma_query_value(None, name, |row| {
        row.get::<_, rusqlite::types::Value>(0).map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
    })
    .unwrap()
}

#[test]
fn a_new_store_has_the_schema_its_version_and_wal_mode() {
    if crate::common::sqlite_only("the SQLite file's schema, version and WAL mode") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2020 a=1\n");
    let db = sandbox.db();
    assert_eq!(pragma(&db, "journal_mode"), "wal");
    assert_eq!(pragma(&db, "user_version"), schema_files().to_string());
    // Other SQLite tools can read a store directly.
    let conn = Connection::open(&db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for table in ["metric", "series", "snapshot"] {
        assert!(tables.iter().any(|t| t == table), "{table} in {tables:?}");
    }
    let name: String = conn
        .query_row("SELECT name FROM metric", [], |row| row.get(0))
        .unwrap();
    assert_eq!(name, "a");
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_unchanged() {
    if crate::common::sqlite_only("a foreign SQLite file") {
        return;
    }
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["-c", "metrics"][..],
        &["-c", "insert 2020 a=1"][..],
        &["--readonly", "-c", "metrics"][..],
        &["--format", "json", "-c", "metrics"][..],
    ] {
        let out = sandbox.run_db(args, "");
        let error = out.only_error();
        assert!(error.contains("not a growthdb store"), "{args:?}: {error}");
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{args:?}: bytes unchanged"
        );
    }
    let leftovers: Vec<String> = std::fs::read_dir(sandbox.dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("store.db") && n != "store.db")
        .collect();
    assert!(leftovers.is_empty(), "no journal files left: {leftovers:?}");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_unchanged() {
    if crate::common::sqlite_only("a store file that is not SQLite") {
        return;
    }
    let sandbox = Sandbox::new();
    let path = sandbox.write("store.db", "just some text, not a database\n");
    let out = sandbox.run_db(&["-c", "metrics"], "");
    out.only_error();
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        "just some text, not a database\n"
    );
}

#[test]
fn a_store_newer_than_the_program_is_refused_and_left_unchanged() {
    if crate::common::sqlite_only("the SQLite file's user_version") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2020 a=1\n");
    let db = sandbox.db();
    {
        let conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", schema_files() + 1)
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    for args in [
        &["-c", "metrics"][..],
        &["-c", "insert 2021 a=2"][..],
        &["--readonly", "-c", "metrics"][..],
    ] {
        let out = sandbox.run_db(args, "");
        let error = out.only_error();
        assert!(error.contains("newer"), "{args:?}: {error}");
        assert!(
            error.contains(&(schema_files() + 1).to_string()),
            "names the version: {error}"
        );
        assert_eq!(std::fs::read(&db).unwrap(), before, "{args:?}");
    }
}

#[test]
fn readonly_answers_queries_and_refuses_data_commands() {
    if crate::common::sqlite_only("the SQLite file's bytes") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("metric m kind=stock\ninsert 2020 m=1\ninsert 2021 m=2\n");
    let db = sandbox.db();
    let before = std::fs::read(&db).unwrap();
    let out = sandbox.run_db(
        &[
            "--readonly",
            "--format",
            "csv",
            "-c",
            "growth m from 2020 to 2021",
        ],
        "",
    );
    out.clean();
    assert_eq!(out.rows().len(), 1);
    for command in [
        "insert 2022 m=3",
        "revise 2021 m=5",
        "delete m 2020",
        "metric m kind=flow",
        "metric n",
    ] {
        let out = sandbox.run_db(&["--readonly", "-c", command], "");
        let error = out.only_error();
        assert!(error.contains("read-only"), "{command}: {error}");
    }
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the store file is unchanged"
    );
    let out = sandbox.csv("history m\nmetrics\n");
    let results = out.results();
    assert_eq!(results[0].len(), 2);
    assert_eq!(column(&results[1], "kind"), ["stock"]);
}

#[test]
fn a_readonly_memory_store_refuses_data_commands() {
    if crate::common::sqlite_only("a read-only :memory: store") {
        return;
    }
    let out = crate::common::memory(&["--readonly"], "insert 2020 a=1\nmetrics\n");
    assert!(out.only_error().contains("read-only"));
    assert_eq!(out.stdout.lines().count(), 1);
}

#[test]
fn a_failing_command_leaves_no_trace_and_earlier_commands_are_kept() {
    for bail in [false, true] {
        let sandbox = Sandbox::new();
        let mut args = vec!["-q"];
        if bail {
            args.push("--bail");
        }
        let out = sandbox.run_db(
            &args,
            "insert 2020 a=1\ninsert 2020 b=1 c=1 a=2\ninsert 2020 d=1\n",
        );
        assert_eq!(out.failed().len(), 1);
        let out = sandbox.csv("metrics\nhistory a\n");
        out.clean();
        let results = out.results();
        let expected: &[&str] = if bail { &["a"] } else { &["a", "d"] };
        assert_eq!(column(&results[0], "metric"), expected, "bail {bail}");
        assert_eq!(column(&results[1], "value"), ["1"]);
    }
}

fn spawn_writer(sandbox: &Sandbox, script: &str) -> Child {
    let stdin = sandbox.write(&format!("{script}.growth"), &writer_script(script));
    sandbox
        .growthdb()
        .args(["--db", &sandbox.db(), "-q"])
        .stdin(File::open(stdin).unwrap())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start growthdb")
}

/// 200 inserts into series of metric `name`, then queries in between.
fn writer_script(name: &str) -> String {
    (0..200)
        .map(|i| format!("insert 2020 {name}{{i=n{i}}}={i}\nseries {name}{{i=n{i}}}\n"))
        .collect()
}

fn snapshot_count(db: &str) -> i64 {
    let conn = Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*) FROM snapshot WHERE value IS NOT NULL",
        [],
        |row| row.get(0),
    )
    .unwrap()
}

#[test]
fn concurrent_writers_lose_no_snapshot() {
    if crate::common::sqlite_only(
        "a SQLite file, counted with rusqlite (postgres_concurrency covers PostgreSQL)",
    ) {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("metric first kind=stock\n");
    let writers = [spawn_writer(&sandbox, "one"), spawn_writer(&sandbox, "two")];
    for writer in writers {
        let out = writer.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
    }
    assert_eq!(snapshot_count(&sandbox.db()), 400);
}

#[test]
fn a_writer_waits_for_another_processs_write_lock() {
    if crate::common::sqlite_only("SQLite's file lock, held with rusqlite") {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.load("insert 2020 a=1\n");
    let conn = Connection::open(sandbox.db()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let writer = spawn_writer(&sandbox, "waiting");
    // Hold the lock for a while; the busy timeout is far longer.
    std::thread::sleep(std::time::Duration::from_millis(300));
    conn.execute_batch("COMMIT").unwrap();
    let out = writer.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(snapshot_count(&sandbox.db()), 201);
}

/// Two processes that both find the store missing must still both succeed.
#[test]
fn concurrent_writers_creating_a_new_store_lose_no_snapshot() {
    if crate::common::sqlite_only(
        "a SQLite file, counted with rusqlite (postgres_concurrency covers PostgreSQL)",
    ) {
        return;
    }
    for _ in 0..30 {
        let sandbox = Sandbox::new();
        let writers = [spawn_writer(&sandbox, "one"), spawn_writer(&sandbox, "two")];
        for writer in writers {
            let out = writer.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{stderr}");
        }
        assert_eq!(snapshot_count(&sandbox.db()), 400);
    }
}
