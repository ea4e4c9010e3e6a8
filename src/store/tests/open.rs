//! Opening a store: the schema and its version, the application id, files
//! refused and left unchanged, read-only opening and WAL mode.

use super::*;

// ---------------------------------------------------------------- opening

#[test]
fn memory_store_gets_schema_version_and_application_id() {
    let store = memory();
    assert!(!store.is_readonly());
    assert_eq!(pragma_i64(&store, "user_version"), MIGRATIONS.len() as i64);
    assert_eq!(Store::schema_version(), MIGRATIONS.len());
    assert_eq!(pragma_i64(&store, "application_id"), APPLICATION_ID);
    assert_eq!(APPLICATION_ID, i64::from_be_bytes(*b"\0\0\0\0GrDb"));
    // One table holds every revision; there is no separate `revision`
    // table and no index beside the snapshot key.
    let objects = objects(&store);
    let expected: Vec<(String, String)> = [
        ("index", "series_by_metric"),
        ("table", "calendar"),
        ("table", "metric"),
        ("table", "series"),
        ("table", "series_label"),
        ("table", "snapshot"),
        ("view", "current_snapshot"),
    ]
    .iter()
    .map(|(kind, name)| (kind.to_string(), name.to_string()))
    .collect();
    assert_eq!(objects, expected);
    assert!(!store.in_transaction());
    let schema = store.schema_sql().unwrap();
    assert_eq!(schema.len(), objects.len());
    assert!(schema[0].starts_with("CREATE TABLE metric"), "{schema:?}");
}

/// (name, declared type, not null, position in the primary key) of a
/// table's columns, in order.
fn columns(store: &Store, table: &str) -> Vec<(String, String, bool, i64)> {
    let mut stmt = store
        .conn
        .prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid")
        .unwrap();
    stmt.query_map([table], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

#[test]
fn the_snapshot_table_is_keyed_by_period_and_revision() {
    let store = memory();
    let c = |name: &str, kind: &str, not_null: bool, pk: i64| {
        (name.to_string(), kind.to_string(), not_null, pk)
    };
    assert_eq!(
        columns(&store, "snapshot"),
        vec![
            c("series_id", "INTEGER", true, 1),
            c("start_day", "INTEGER", true, 2),
            c("end_day", "INTEGER", true, 3),
            c("revision", "INTEGER", true, 4),
            // NULL records a deletion.
            c("value", "REAL", false, 0),
            // Microseconds since 1970.
            c("recorded_at", "INTEGER", true, 0),
            c("source", "TEXT", false, 0),
            c("note", "TEXT", false, 0),
        ]
    );
    // The key is the table: no rowid, no second copy of the rows.
    let without_rowid: i64 = store
        .conn
        .query_row(
            "SELECT \"wr\" FROM pragma_table_list WHERE name = 'snapshot'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(without_rowid, 1);
    let view: Vec<String> = columns(&store, "current_snapshot")
        .into_iter()
        .map(|(name, ..)| name)
        .collect();
    assert_eq!(
        view,
        vec![
            "metric",
            "series",
            "first_day",
            "last_day",
            "value",
            "revision",
            "recorded_at",
            "source",
            "note"
        ]
    );
}

#[test]
fn recording_times_are_microseconds_since_1970() {
    assert_eq!(at("1970-01-01T00:00:00Z"), 0);
    assert_eq!(T1, at("2024-01-01T00:00:00Z"));
    assert_eq!(T2, at("2024-02-01T00:00:00Z"));
    assert_eq!(T3, at("2024-03-01T00:00:00Z"));
    assert_eq!(T4, at("2024-04-01T00:00:00Z"));
    assert_eq!(at("2024-01-01T00:00:00.000001Z"), T1 + 1);
}

#[test]
fn file_store_is_created_with_schema_in_wal_mode() {
    let (_dir, path) = temp_path("growth.db");
    let store = Store::open(path_text(&path), false).unwrap();
    assert!(path.exists());
    assert_eq!(pragma_i64(&store, "user_version"), MIGRATIONS.len() as i64);
    assert_eq!(pragma_i64(&store, "application_id"), APPLICATION_ID);
    assert_eq!(pragma_text(&store, "journal_mode"), "wal");
    // Waiting for locks is growthdb's own busy handler, not SQLite's timer.
    assert_eq!(pragma_i64(&store, "busy_timeout"), 0);
    assert!(wait_for_lock(0), "a first wait is allowed");
    let limit = i32::try_from(BUSY_TIMEOUT.as_millis() / LOCK_POLL.as_millis()).unwrap();
    assert!(!wait_for_lock(limit), "no waiting past the timeout");
    // Tools such as sqlite3 see the same header fields.
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
}

#[test]
fn reopening_a_store_is_idempotent() {
    let (_dir, path) = temp_path("growth.db");
    make_store_file(&path);
    let first = Store::open(path_text(&path), false).unwrap();
    let schema = first.schema_sql().unwrap();
    drop(first);
    for _ in 0..2 {
        let store = Store::open(path_text(&path), false).unwrap();
        assert_eq!(store.schema_sql().unwrap(), schema);
        assert_eq!(pragma_i64(&store, "user_version"), MIGRATIONS.len() as i64);
        assert_eq!(pragma_i64(&store, "application_id"), APPLICATION_ID);
        assert_eq!(pragma_text(&store, "journal_mode"), "wal");
        // The data survives and nothing was applied twice.
        assert_eq!(store.metrics_matching(None).unwrap().len(), 1);
        assert_eq!(count(&store, "SELECT count(*) FROM metric"), 1);
    }
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_unchanged() {
    let (_dir, path) = temp_path("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
             INSERT INTO customers (name) VALUES ('Ada'), ('Grace');",
        )
        .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    for readonly in [false, true] {
        let err = Store::open(path_text(&path), readonly)
            .err()
            .expect("a foreign file must be refused");
        assert!(
            matches!(&err, StoreError::Foreign { path: p, .. } if p == path_text(&path)),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(message.contains("is not a growthdb store"), "{message}");
        assert!(message.contains("left unchanged"), "{message}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "readonly={readonly}");
    }
    // No WAL or journal files were left beside it either.
    let entries: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, vec![std::ffi::OsString::from("other.db")]);
}

#[test]
fn sqlite_files_marked_by_other_programs_are_refused() {
    // No tables, but a header field that growthdb did not write.
    for pragma in ["application_id = 1234", "user_version = 7"] {
        let (_dir, path) = temp_path("marked.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(&format!("PRAGMA {pragma};")).unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(path_text(&path), false).err().expect(pragma);
        assert!(
            matches!(err, StoreError::Foreign { .. }),
            "{pragma}: {err:?}"
        );
        assert_eq!(std::fs::read(&path).unwrap(), before, "{pragma}");
    }
}

#[test]
fn an_empty_file_becomes_a_store() {
    let (_dir, path) = temp_path("empty.db");
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(path_text(&path), false).unwrap();
    assert_eq!(pragma_i64(&store, "user_version"), MIGRATIONS.len() as i64);
    assert_eq!(pragma_i64(&store, "application_id"), APPLICATION_ID);
    store.create_metric("users", None, None, None).unwrap();
    drop(store);
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
    let store = Store::open(path_text(&path), true).unwrap();
    assert!(store.metric("users").unwrap().is_some());
}

#[test]
fn an_empty_file_opened_readonly_is_refused_and_stays_empty() {
    let (_dir, path) = temp_path("empty.db");
    std::fs::write(&path, b"").unwrap();
    let err = Store::open(path_text(&path), true).err().unwrap();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_and_left_unchanged() {
    let text = "series,period,value\nusers,2024-01,100\n".repeat(200);
    for readonly in [false, true] {
        let (_dir, path) = temp_path("notes.csv");
        std::fs::write(&path, &text).unwrap();
        let err = Store::open(path_text(&path), readonly)
            .err()
            .expect("text is not a store");
        assert!(
            matches!(err, StoreError::Foreign { .. } | StoreError::Open { .. }),
            "{err:?}"
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "readonly={readonly}"
        );
    }
}

#[test]
fn a_negative_schema_version_is_damage_not_a_version() {
    let (_dir, path) = temp_path("negative.db");
    make_store_file(&path);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", -1).unwrap();
    }
    for readonly in [false, true] {
        let err = Store::open(path_text(&path), readonly).err().unwrap();
        assert!(
            matches!(&err, StoreError::Damaged { reason, .. } if reason.contains("user_version is -1")),
            "{err:?}"
        );
    }
}

#[test]
fn a_store_newer_than_the_program_is_refused() {
    let (_dir, path) = temp_path("future.db");
    make_store_file(&path);
    let newer = MIGRATIONS.len() as i64 + 1;
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", newer).unwrap();
    }
    for readonly in [false, true] {
        let err = Store::open(path_text(&path), readonly).err().unwrap();
        match &err {
            StoreError::TooNew {
                found, supported, ..
            } => {
                assert_eq!(*found, newer);
                assert_eq!(*supported, MIGRATIONS.len());
            }
            other => panic!("expected TooNew, got {other:?}"),
        }
        assert!(err.to_string().contains("upgrade growthdb"), "{err}");
    }
    // Left as it was.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, newer);
}

#[test]
fn readonly_on_a_missing_path_errors_and_creates_nothing() {
    let (dir, path) = temp_path("missing.db");
    let err = Store::open(path_text(&path), true).err().unwrap();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    assert!(err.to_string().contains("--readonly"), "{err}");
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn readonly_store_reads_but_refuses_writes() {
    let (_dir, path) = temp_path("growth.db");
    {
        let store = Store::open(path_text(&path), false).unwrap();
        let metric = store
            .create_metric("users", Some(crate::core::command::Kind::Stock), None, None)
            .unwrap();
        let mut series = store
            .create_series(metric.id, "users", &crate::core::labels::LabelSet::new(), 0)
            .unwrap();
        record(&store, &mut series, "2024-01", 5.0, T1);
    }
    let store = Store::open(path_text(&path), true).unwrap();
    assert!(store.is_readonly());
    let metric = store.metric("users").unwrap().unwrap();
    let series = store.series_by_name("users").unwrap().unwrap();
    assert_eq!(
        named(store.latest(&series, None).unwrap()),
        Some(("2024-01".into(), 5.0))
    );
    assert_eq!(store.metric_stats(metric.id).unwrap().snapshots, 1);

    let err = store.require_writable("insert").unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly("insert")), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the store is read-only (--readonly): insert changes nothing"
    );
    assert!(matches!(
        store.create_metric("other", None, None, None),
        Err(StoreError::ReadOnly(_))
    ));
    assert!(matches!(
        store.update_metric(
            metric.id,
            Some(crate::core::command::Kind::Flow),
            None,
            None
        ),
        Err(StoreError::ReadOnly(_))
    ));
    assert!(matches!(
        store.create_series(
            metric.id,
            "users{a=b}",
            &crate::core::labels::LabelSet::new().with("a", "b"),
            0
        ),
        Err(StoreError::ReadOnly(_))
    ));
    let (start, end) = days("2024-02");
    assert!(matches!(
        store.add_revision(series.id, start, end, 1, Some(1.0), T2, None, None),
        Err(StoreError::ReadOnly(_))
    ));
    assert!(matches!(
        store.add_revision(series.id, start, end, 1, None, T2, None, None),
        Err(StoreError::ReadOnly("delete"))
    ));
    assert_eq!(
        store.metric("users").unwrap().unwrap().kind,
        Some(crate::core::command::Kind::Stock)
    );
}

#[test]
fn readonly_memory_store_has_a_schema_but_refuses_writes() {
    let store = Store::open(":memory:", true).unwrap();
    assert!(store.is_readonly());
    assert_eq!(pragma_i64(&store, "user_version"), MIGRATIONS.len() as i64);
    assert!(store.metrics_matching(None).unwrap().is_empty());
    assert!(store.require_writable("metric").is_err());
}

#[test]
fn a_second_connection_reads_while_the_first_writes() {
    let (_dir, path) = temp_path("growth.db");
    let writer = Store::open(path_text(&path), false).unwrap();
    let reader = Store::open(path_text(&path), false).unwrap();
    writer.begin().unwrap();
    writer.create_metric("users", None, None, None).unwrap();
    // WAL: the reader is not blocked and sees the last commit.
    assert!(reader.metric("users").unwrap().is_none());
    writer.commit().unwrap();
    assert!(reader.metric("users").unwrap().is_some());
}
