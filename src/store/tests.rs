//! The store on its own: opening and refusing files, the schema, revisions,
//! and every read, now and as of a time.

use std::path::{Path, PathBuf};

use super::*;
use crate::core::period::Period;

// ---------------------------------------------------------------- helpers

fn memory() -> Store {
    Store::open(":memory:", false).unwrap()
}

fn path_text(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// A fresh directory and a path inside it that does not exist yet.
fn temp_path(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

fn pragma_i64(store: &Store, name: &str) -> i64 {
    store
        .conn
        .pragma_query_value(None, name, |row| row.get(0))
        .unwrap()
}

fn pragma_text(store: &Store, name: &str) -> String {
    store
        .conn
        .pragma_query_value(None, name, |row| row.get(0))
        .unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

/// The objects in `sqlite_master`, as (type, name), sorted.
fn objects(store: &Store) -> Vec<(String, String)> {
    let mut stmt = store
        .conn
        .prepare(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .unwrap();
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// A period's day numbers `[start, end)`.
fn days(text: &str) -> (i32, i32) {
    let p = Period::parse(text).unwrap();
    (p.start_day(), p.end_day())
}

/// A period's canonical name from day numbers.
fn name(start: i32, end: i32) -> String {
    Period::from_day_numbers(start, end).unwrap().to_string()
}

fn names(observations: &[Observation]) -> Vec<String> {
    observations
        .iter()
        .map(|o| name(o.start_day, o.end_day))
        .collect()
}

fn named(observation: Option<Observation>) -> Option<(String, f64)> {
    observation.map(|o| (name(o.start_day, o.end_day), o.value))
}

const T1: &str = "2024-01-01T00:00:00.000000Z";
const T2: &str = "2024-02-01T00:00:00.000000Z";
const T3: &str = "2024-03-01T00:00:00.000000Z";
const T4: &str = "2024-04-01T00:00:00.000000Z";

/// A metric `m` with the total series `m`.
fn store_with_series() -> (Store, SeriesRow) {
    let store = memory();
    let metric = store.create_metric("m", Some("stock"), None, None).unwrap();
    let series = store.create_series(metric.id, "m", &[]).unwrap();
    (store, series)
}

/// Records revision 1 of `period`, widening the series' longest period
/// as the executor does.
fn record(store: &Store, series: &mut SeriesRow, period: &str, value: f64, at: &str) {
    let (start, end) = days(period);
    store
        .add_revision(series.id, start, end, 1, Some(value), at, None, None)
        .unwrap();
    store.note_period_length(series, end - start).unwrap();
}

/// Records the next revision of an existing snapshot (None deletes it).
fn revise(store: &Store, series: &SeriesRow, period: &str, value: Option<f64>, at: &str) {
    let (start, end) = days(period);
    let (_, revision) = store
        .latest_revision(series.id, start, end)
        .unwrap()
        .expect("a recorded snapshot");
    store
        .add_revision(series.id, start, end, revision + 1, value, at, None, None)
        .unwrap();
}

/// A growthdb store file at `path` holding one metric, closed again.
fn make_store_file(path: &Path) {
    let store = Store::open(path_text(path), false).unwrap();
    store
        .create_metric("users", Some("stock"), None, None)
        .unwrap();
}

// ---------------------------------------------------------------- opening

#[test]
fn memory_store_gets_schema_version_and_application_id() {
    let store = memory();
    assert!(!store.is_readonly());
    assert_eq!(pragma_i64(&store, "user_version"), MIGRATIONS.len() as i64);
    assert_eq!(Store::schema_version(), MIGRATIONS.len());
    assert_eq!(pragma_i64(&store, "application_id"), APPLICATION_ID);
    assert_eq!(APPLICATION_ID, i64::from_be_bytes(*b"\0\0\0\0GrDb"));
    let objects = objects(&store);
    for (kind, name) in [
        ("table", "metric"),
        ("table", "series"),
        ("table", "series_label"),
        ("table", "revision"),
        ("table", "snapshot"),
        ("index", "series_by_metric"),
        ("index", "snapshot_by_end"),
        ("view", "current_snapshot"),
    ] {
        assert!(
            objects.contains(&(kind.to_string(), name.to_string())),
            "{kind} {name} missing from {objects:?}"
        );
    }
    assert!(!store.in_transaction());
    let schema = store.schema_sql().unwrap();
    assert_eq!(schema.len(), objects.len());
    assert!(schema[0].starts_with("CREATE TABLE metric"), "{schema:?}");
}

#[test]
fn file_store_is_created_with_schema_in_wal_mode() {
    let (_dir, path) = temp_path("growth.db");
    let store = Store::open(path_text(&path), false).unwrap();
    assert!(path.exists());
    assert_eq!(pragma_i64(&store, "user_version"), MIGRATIONS.len() as i64);
    assert_eq!(pragma_i64(&store, "application_id"), APPLICATION_ID);
    assert_eq!(pragma_text(&store, "journal_mode"), "wal");
    assert_eq!(pragma_i64(&store, "busy_timeout"), 10_000);
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
            .create_metric("users", Some("stock"), None, None)
            .unwrap();
        let mut series = store.create_series(metric.id, "users", &[]).unwrap();
        record(&store, &mut series, "2024-01", 5.0, T1);
    }
    let store = Store::open(path_text(&path), true).unwrap();
    assert!(store.is_readonly());
    let metric = store.metric("users").unwrap().unwrap();
    let series = store.series_by_name("users").unwrap().unwrap();
    assert_eq!(
        named(store.latest(series.id, None).unwrap()),
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
        store.update_metric(metric.id, Some("flow"), None, None),
        Err(StoreError::ReadOnly(_))
    ));
    assert!(matches!(
        store.create_series(metric.id, "users{a=b}", &[("a", "b")]),
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
        store.metric("users").unwrap().unwrap().kind.as_deref(),
        Some("stock")
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

// ---------------------------------------------------------------- metrics and series

#[test]
fn metrics_are_created_and_updated_attribute_by_attribute() {
    let store = memory();
    let created = store
        .create_metric("users", Some("stock"), Some("people"), Some("all users"))
        .unwrap();
    assert_eq!(store.metric("users").unwrap(), Some(created.clone()));
    store
        .update_metric(created.id, None, Some("persons"), None)
        .unwrap();
    let updated = store.metric("users").unwrap().unwrap();
    assert_eq!(updated.kind.as_deref(), Some("stock"));
    assert_eq!(updated.unit.as_deref(), Some("persons"));
    assert_eq!(updated.description.as_deref(), Some("all users"));
    assert!(
        store.metric("Users").unwrap().is_none(),
        "names are case-sensitive"
    );
    // A name is unique; the schema refuses unknown kinds.
    assert!(store.create_metric("users", None, None, None).is_err());
    assert!(store.create_metric("x", Some("gauge"), None, None).is_err());
}

#[test]
fn series_keep_their_labels_sorted_by_key() {
    let store = memory();
    let metric = store.create_metric("pop", None, None, None).unwrap();
    let name = r#"pop{continent=Asia,country="Korea, Dem. Rep."}"#;
    let created = store
        .create_series(
            metric.id,
            name,
            &[("country", "Korea, Dem. Rep."), ("continent", "Asia")],
        )
        .unwrap();
    store.create_series(metric.id, "pop", &[]).unwrap();
    let found = store.series_by_name(name).unwrap().unwrap();
    assert_eq!(found.id, created.id);
    assert_eq!(
        found.labels,
        vec![
            ("continent".to_string(), "Asia".to_string()),
            ("country".to_string(), "Korea, Dem. Rep.".to_string()),
        ]
    );
    assert_eq!(found.max_days, 0);
    let all = store.series_of_metric(metric.id).unwrap();
    let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["pop", name]);
    assert!(all[0].labels.is_empty());
    assert!(
        store
            .series_by_name("pop{continent=Asia}")
            .unwrap()
            .is_none()
    );
}

#[test]
fn metrics_matching_patterns() {
    let store = memory();
    for name in [
        "users",
        "users.active",
        "creators.monthly",
        "creators.daily",
        "revenue",
    ] {
        store.create_metric(name, None, None, None).unwrap();
    }
    let matching = |pattern: Option<&str>| -> Vec<String> {
        store
            .metrics_matching(pattern)
            .unwrap()
            .into_iter()
            .map(|m| m.name)
            .collect()
    };
    let all = vec![
        "creators.daily",
        "creators.monthly",
        "revenue",
        "users",
        "users.active",
    ];
    let cases: &[(Option<&str>, &[&str])] = &[
        (None, &all),
        (Some("*"), &all),
        (Some("creators.*"), &["creators.daily", "creators.monthly"]),
        (Some("users*"), &["users", "users.active"]),
        (Some("users"), &["users"]),
        (Some("*.monthly"), &["creators.monthly"]),
        (
            Some("*e*s*"),
            &[
                "creators.daily",
                "creators.monthly",
                "users",
                "users.active",
            ],
        ),
        (Some("Users*"), &[]),
        (Some("nothing*"), &[]),
    ];
    for (pattern, expected) in cases {
        assert_eq!(matching(*pattern), *expected, "{pattern:?}");
    }
}

// ---------------------------------------------------------------- revisions

#[test]
fn revisions_are_numbered_and_the_snapshot_follows_the_latest() {
    let (store, series) = store_with_series();
    let (start, end) = days("2024-01");
    assert_eq!(store.latest_revision(series.id, start, end).unwrap(), None);

    store
        .add_revision(
            series.id,
            start,
            end,
            1,
            Some(10.0),
            T1,
            Some("report"),
            Some("first"),
        )
        .unwrap();
    assert_eq!(
        store.latest_revision(series.id, start, end).unwrap(),
        Some((Some(10.0), 1))
    );
    store
        .add_revision(series.id, start, end, 2, Some(12.5), T2, None, None)
        .unwrap();
    assert_eq!(
        store.latest_revision(series.id, start, end).unwrap(),
        Some((Some(12.5), 2))
    );
    let history = store.history(series.id, None).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|r| (r.revision, r.value, r.current))
            .collect::<Vec<_>>(),
        vec![(1, Some(10.0), false), (2, Some(12.5), true)]
    );
    assert_eq!(history[0].recorded_at, T1);
    assert_eq!(history[0].source.as_deref(), Some("report"));
    assert_eq!(history[0].note.as_deref(), Some("first"));
    assert_eq!(history[1].source, None);

    // A deletion is a revision with no value.
    store
        .add_revision(series.id, start, end, 3, None, T3, None, None)
        .unwrap();
    assert_eq!(
        store.latest_revision(series.id, start, end).unwrap(),
        Some((None, 3))
    );
    let history = store.history(series.id, None).unwrap();
    assert_eq!(
        history
            .iter()
            .map(|r| (r.revision, r.value, r.current))
            .collect::<Vec<_>>(),
        vec![
            (1, Some(10.0), false),
            (2, Some(12.5), false),
            (3, None, false)
        ]
    );
    assert_eq!(store.latest(series.id, None).unwrap(), None);

    // Recorded again after the deletion.
    store
        .add_revision(series.id, start, end, 4, Some(11.0), T4, None, None)
        .unwrap();
    assert_eq!(
        store.latest_revision(series.id, start, end).unwrap(),
        Some((Some(11.0), 4))
    );
    assert_eq!(count(&store, "SELECT count(*) FROM revision"), 4);
    // One snapshot row per period, at the latest revision.
    assert_eq!(
        store
            .conn
            .query_row(
                "SELECT count(*), max(revision), max(value) FROM snapshot",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, f64>(2)?,
                    ))
                }
            )
            .unwrap(),
        (1, 4, 11.0)
    );
    assert_eq!(
        store
            .history(series.id, None)
            .unwrap()
            .iter()
            .map(|r| r.current)
            .collect::<Vec<_>>(),
        vec![false, false, false, true]
    );
}

#[test]
fn a_revision_number_is_never_reused() {
    let (store, series) = store_with_series();
    let (start, end) = days("2024-01");
    store
        .add_revision(series.id, start, end, 1, Some(1.0), T1, None, None)
        .unwrap();
    let err = store
        .add_revision(series.id, start, end, 1, Some(2.0), T2, None, None)
        .unwrap_err();
    assert!(matches!(err, StoreError::Sqlite(_)), "{err:?}");
    assert_eq!(
        store.latest_revision(series.id, start, end).unwrap(),
        Some((Some(1.0), 1))
    );
}

#[test]
fn history_lists_periods_in_order_and_filters_by_period() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2024-02", 2.0, T1);
    record(&store, &mut series, "2024", 24.0, T1);
    record(&store, &mut series, "2024-01", 1.0, T1);
    revise(&store, &series, "2024-01", Some(1.5), T2);
    let all = store.history(series.id, None).unwrap();
    let listed: Vec<(String, i64)> = all
        .iter()
        .map(|r| (name(r.start_day, r.end_day), r.revision))
        .collect();
    assert_eq!(
        listed,
        vec![
            ("2024-01".to_string(), 1),
            ("2024-01".to_string(), 2),
            // Same start: the shorter period first.
            ("2024".to_string(), 1),
            ("2024-02".to_string(), 1),
        ]
    );
    let one = store.history(series.id, Some(days("2024-01"))).unwrap();
    assert_eq!(one.len(), 2);
    assert!(
        one.iter()
            .all(|r| name(r.start_day, r.end_day) == "2024-01")
    );
    assert!(
        store
            .history(series.id, Some(days("2024-03")))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn period_lengths_only_widen_and_are_stored() {
    let (store, mut series) = store_with_series();
    store.note_period_length(&mut series, 31).unwrap();
    store.note_period_length(&mut series, 366).unwrap();
    store.note_period_length(&mut series, 7).unwrap();
    assert_eq!(series.max_days, 366);
    assert_eq!(store.series_by_name("m").unwrap().unwrap().max_days, 366);
}

// ---------------------------------------------------------------- reads

#[test]
fn overlapping_finds_snapshots_sharing_a_day() {
    let (store, mut series) = store_with_series();
    for (period, value) in [
        ("2023-12", 0.0),
        ("2024-01", 1.0),
        ("2024-02", 2.0),
        ("2024-03", 3.0),
        ("2024-04", 4.0),
        ("2024-W05", 5.0),
    ] {
        record(&store, &mut series, period, value, T1);
    }
    let (start, end) = days("2024-Q1");
    let found = store.overlapping(&series, start, end, None).unwrap();
    // Half-open: 2023-12 ends where Q1 starts, 2024-04 starts where it ends.
    assert_eq!(
        names(&found),
        vec!["2024-01", "2024-W05", "2024-02", "2024-03"]
    );
    assert_eq!(found[0].value, 1.0);
    let (start, end) = days("2024-01-15");
    assert_eq!(
        names(&store.overlapping(&series, start, end, None).unwrap()),
        vec!["2024-01"]
    );
    let (start, end) = days("2025");
    assert!(
        store
            .overlapping(&series, start, end, None)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn overlapping_finds_a_long_period_recorded_before_short_ones() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2020..2024", 100.0, T1);
    record(&store, &mut series, "2024-06", 6.0, T1);
    record(&store, &mut series, "2024-06-12", 1.0, T1);
    let (long_start, long_end) = days("2020..2024");
    assert_eq!(series.max_days, long_end - long_start);
    let long = name(long_start, long_end);
    assert_eq!(long, "2020-01-01..2024-12-31");
    // Read back from the store, as a query does.
    let series = store.series_by_name("m").unwrap().unwrap();
    let (start, end) = days("2024-06-12");
    assert_eq!(
        names(&store.overlapping(&series, start, end, None).unwrap()),
        vec![long.as_str(), "2024-06", "2024-06-12"]
    );
    // The long period's last day and first day are both found.
    let (start, end) = days("2024-12-31");
    assert_eq!(
        names(&store.overlapping(&series, start, end, None).unwrap()),
        vec![long.clone()]
    );
    let (start, end) = days("2020-01-01");
    assert_eq!(
        names(&store.overlapping(&series, start, end, None).unwrap()),
        vec![long.clone()]
    );
    let (start, end) = days("2019-12-31");
    assert!(
        store
            .overlapping(&series, start, end, None)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn deleted_snapshots_are_not_live() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2024-01", 1.0, T1);
    record(&store, &mut series, "2024-02", 2.0, T1);
    revise(&store, &series, "2024-02", None, T2);
    let (start, end) = days("2024");
    assert_eq!(
        names(&store.overlapping(&series, start, end, None).unwrap()),
        vec!["2024-01"]
    );
    assert_eq!(
        named(store.latest(series.id, None).unwrap()),
        Some(("2024-01".into(), 1.0))
    );
    assert_eq!(
        named(
            store
                .latest_ending_by(series.id, days("2025").0, None)
                .unwrap()
        ),
        Some(("2024-01".into(), 1.0))
    );
    assert_eq!(
        names(&store.snapshots_within(series.id, start, end, None).unwrap()),
        vec!["2024-01"]
    );
}

#[test]
fn latest_ending_by_a_day() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2023", 23.0, T1);
    record(&store, &mut series, "2023-12", 12.0, T1);
    record(&store, &mut series, "2024-03", 3.0, T1);
    let by = |period: &str| {
        named(
            store
                .latest_ending_by(series.id, days(period).0, None)
                .unwrap(),
        )
    };
    // Ending on the day counts; of those ending together, the shortest.
    assert_eq!(by("2024-01"), Some(("2023-12".into(), 12.0)));
    assert_eq!(by("2024-04"), Some(("2024-03".into(), 3.0)));
    assert_eq!(by("2024-03"), Some(("2023-12".into(), 12.0)));
    assert_eq!(by("2024-06"), Some(("2024-03".into(), 3.0)));
    assert_eq!(by("2023-12"), None);
    assert_eq!(by("2020"), None);
}

#[test]
fn earliest_and_latest_prefer_the_shortest_at_the_edge() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2022", 22.0, T1);
    record(&store, &mut series, "2022-01", 1.0, T1);
    record(&store, &mut series, "2023-06", 6.0, T1);
    record(&store, &mut series, "2024", 24.0, T1);
    record(&store, &mut series, "2024-H2", 2.0, T1);
    assert_eq!(
        named(store.earliest(series.id, None).unwrap()),
        Some(("2022-01".into(), 1.0))
    );
    assert_eq!(
        named(store.latest(series.id, None).unwrap()),
        Some(("2024-H2".into(), 2.0))
    );
    let other = store
        .create_series(series.metric_id, "m{a=b}", &[("a", "b")])
        .unwrap();
    assert_eq!(store.earliest(other.id, None).unwrap(), None);
    assert_eq!(store.latest(other.id, None).unwrap(), None);
}

#[test]
fn snapshots_within_a_range() {
    let (store, mut series) = store_with_series();
    for period in [
        "2023-12",
        "2024",
        "2024-01",
        "2024-Q1",
        "2024-W09",
        "2024-03-31",
        "2024-04",
    ] {
        record(&store, &mut series, period, 1.0, T1);
    }
    let (start, end) = days("2024-Q1");
    // Wholly inside only: 2024 sticks out, 2024-W09 (Feb 26 .. Mar 3) is inside.
    assert_eq!(
        names(&store.snapshots_within(series.id, start, end, None).unwrap()),
        vec!["2024-01", "2024-Q1", "2024-W09", "2024-03-31"]
    );
    assert_eq!(
        store
            .snapshots_within(series.id, i32::MIN, i32::MAX, None)
            .unwrap()
            .len(),
        7
    );
}

#[test]
fn reads_as_of_a_time_use_the_revisions_recorded_by_then() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2024-01", 1.0, T1);
    revise(&store, &series, "2024-01", Some(1.5), T2);
    revise(&store, &series, "2024-01", None, T3);
    record(&store, &mut series, "2024-02", 2.0, T2);
    record(&store, &mut series, "2024-03", 3.0, T4);

    let before = "2023-12-31T23:59:59.999999Z";
    let jan = "2024-01-15T00:00:00.000000Z";
    let feb = "2024-02-15T00:00:00.000000Z";
    let mar = "2024-03-15T00:00:00.000000Z";
    let (start, end) = days("2024");
    let overlapping = |asof: Option<&str>| -> Vec<(String, f64)> {
        store
            .overlapping(&series, start, end, asof)
            .unwrap()
            .into_iter()
            .map(|o| (name(o.start_day, o.end_day), o.value))
            .collect()
    };
    let s = |t: &str, v: f64| (t.to_string(), v);
    assert_eq!(overlapping(Some(before)), vec![]);
    assert_eq!(overlapping(Some(jan)), vec![s("2024-01", 1.0)]);
    // Exactly at a revision's time counts.
    assert_eq!(
        overlapping(Some(T2)),
        vec![s("2024-01", 1.5), s("2024-02", 2.0)]
    );
    assert_eq!(
        overlapping(Some(feb)),
        vec![s("2024-01", 1.5), s("2024-02", 2.0)]
    );
    assert_eq!(overlapping(Some(mar)), vec![s("2024-02", 2.0)]);
    assert_eq!(
        overlapping(None),
        vec![s("2024-02", 2.0), s("2024-03", 3.0)]
    );

    assert_eq!(
        named(store.earliest(series.id, Some(jan)).unwrap()),
        Some(s("2024-01", 1.0))
    );
    assert_eq!(
        named(store.earliest(series.id, Some(mar)).unwrap()),
        Some(s("2024-02", 2.0))
    );
    assert_eq!(
        named(store.earliest(series.id, Some(before)).unwrap()),
        None
    );
    assert_eq!(
        named(store.latest(series.id, Some(feb)).unwrap()),
        Some(s("2024-02", 2.0))
    );
    assert_eq!(
        named(store.latest(series.id, None).unwrap()),
        Some(s("2024-03", 3.0))
    );
    let by_april = days("2024-04").0;
    assert_eq!(
        named(
            store
                .latest_ending_by(series.id, by_april, Some(jan))
                .unwrap()
        ),
        Some(s("2024-01", 1.0))
    );
    assert_eq!(
        named(
            store
                .latest_ending_by(series.id, by_april, Some(mar))
                .unwrap()
        ),
        Some(s("2024-02", 2.0))
    );
    let within = |asof| names(&store.snapshots_within(series.id, start, end, asof).unwrap());
    assert_eq!(within(Some(feb)), vec!["2024-01", "2024-02"]);
    assert_eq!(within(Some(mar)), vec!["2024-02"]);
    assert_eq!(within(None), vec!["2024-02", "2024-03"]);
    // History is not filtered by time.
    assert_eq!(store.history(series.id, None).unwrap().len(), 5);
}

#[test]
fn metric_stats_count_series_and_live_snapshots() {
    let store = memory();
    let metric = store.create_metric("users", None, None, None).unwrap();
    let empty = store.create_metric("empty", None, None, None).unwrap();
    assert_eq!(
        store.metric_stats(empty.id).unwrap(),
        MetricStats::default()
    );

    let mut total = store.create_series(metric.id, "users", &[]).unwrap();
    let mut line = store
        .create_series(metric.id, "users{line=a}", &[("line", "a")])
        .unwrap();
    store
        .create_series(metric.id, "users{line=b}", &[("line", "b")])
        .unwrap();
    record(&store, &mut total, "2023", 1.0, T1);
    record(&store, &mut total, "2024-06", 2.0, T1);
    record(&store, &mut line, "2022-07", 3.0, T1);
    record(&store, &mut line, "2025-01", 4.0, T1);
    revise(&store, &line, "2025-01", None, T2);
    let stats = store.metric_stats(metric.id).unwrap();
    assert_eq!(stats.series, 3);
    assert_eq!(stats.snapshots, 3);
    assert_eq!(stats.first, Some(days("2022-07")));
    assert_eq!(stats.last, Some(days("2024-06")));
    assert_eq!(
        store.metric_stats(empty.id).unwrap(),
        MetricStats::default()
    );
}

// ---------------------------------------------------------------- transactions

#[test]
fn rolling_back_to_a_savepoint_leaves_no_trace() {
    let (store, mut series) = store_with_series();
    store.begin().unwrap();
    assert!(store.in_transaction());
    record(&store, &mut series, "2024-01", 1.0, T1);
    store.savepoint().unwrap();
    let metric = store.create_metric("other", None, None, None).unwrap();
    let mut other = store
        .create_series(metric.id, "other{a=b}", &[("a", "b")])
        .unwrap();
    record(&store, &mut other, "2024", 5.0, T1);
    revise(&store, &series, "2024-01", Some(2.0), T2);
    store
        .update_metric(series.metric_id, Some("flow"), None, None)
        .unwrap();
    store.rollback_to_savepoint().unwrap();
    assert!(store.in_transaction(), "the outer transaction goes on");
    store.commit().unwrap();
    assert!(!store.in_transaction());

    assert!(store.metric("other").unwrap().is_none());
    assert!(store.series_by_name("other{a=b}").unwrap().is_none());
    assert_eq!(count(&store, "SELECT count(*) FROM series_label"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM revision"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM snapshot"), 1);
    let (start, end) = days("2024-01");
    assert_eq!(
        store.latest_revision(series.id, start, end).unwrap(),
        Some((Some(1.0), 1))
    );
    assert_eq!(
        store.metric("m").unwrap().unwrap().kind.as_deref(),
        Some("stock")
    );
}

#[test]
fn a_released_savepoint_keeps_its_work() {
    let store = memory();
    store.begin().unwrap();
    store.savepoint().unwrap();
    store.create_metric("kept", None, None, None).unwrap();
    store.release_savepoint().unwrap();
    store.savepoint().unwrap();
    store.create_metric("dropped", None, None, None).unwrap();
    store.rollback_to_savepoint().unwrap();
    store.commit().unwrap();
    let names: Vec<String> = store
        .metrics_matching(None)
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(names, vec!["kept"]);
}

#[test]
fn a_savepoint_outside_a_transaction_is_one() {
    let store = memory();
    store.savepoint().unwrap();
    assert!(store.in_transaction());
    store.create_metric("gone", None, None, None).unwrap();
    store.rollback_to_savepoint().unwrap();
    assert!(!store.in_transaction());
    assert!(store.metric("gone").unwrap().is_none());
}

#[test]
fn a_rolled_back_transaction_leaves_no_trace() {
    let (_dir, path) = temp_path("growth.db");
    let store = Store::open(path_text(&path), false).unwrap();
    store.begin().unwrap();
    store.create_metric("gone", None, None, None).unwrap();
    store.rollback().unwrap();
    drop(store);
    let store = Store::open(path_text(&path), false).unwrap();
    assert!(store.metric("gone").unwrap().is_none());
}
