//! The fiscal calendar (schema version 2), and stores of version 1
//! upgraded to it.

use super::*;
use crate::core::period::{FiscalCalendar, FiscalLabel};

/// A store file as the release with schema version 1 wrote it, with one
/// metric in it.
fn version_one_store(path: &Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(MIGRATIONS[0]).unwrap();
    conn.pragma_update(None, "user_version", 1).unwrap();
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.execute(
        "INSERT INTO metric (name, kind) VALUES ('users', 'stock')",
        [],
    )
    .unwrap();
}

#[test]
fn a_new_store_has_the_default_calendar() {
    let store = memory();
    assert_eq!(store.fiscal_calendar().unwrap(), FiscalCalendar::default());
}

#[test]
fn the_calendar_is_set_and_read_back() {
    let store = memory();
    for month in 1..=12 {
        for label in FiscalLabel::ALL {
            let calendar = FiscalCalendar::new(month, label).unwrap();
            store.set_fiscal_calendar(calendar).unwrap();
            assert_eq!(store.fiscal_calendar().unwrap(), calendar);
        }
    }
    let rows: i64 = store
        .conn
        .query_row("SELECT count(*) FROM calendar", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn a_version_one_store_is_upgraded_and_keeps_its_data() {
    let (_dir, path) = temp_path("v1.db");
    version_one_store(&path);
    let store = Store::open(path_text(&path), false).unwrap();
    assert_eq!(pragma_i64(&store, "user_version"), 2);
    assert_eq!(store.fiscal_calendar().unwrap(), FiscalCalendar::default());
    assert!(store.metric("users").unwrap().is_some());
    store
        .set_fiscal_calendar(FiscalCalendar::new(4, FiscalLabel::Start).unwrap())
        .unwrap();
    drop(store);
    let store = Store::open(path_text(&path), false).unwrap();
    assert_eq!(
        store.fiscal_calendar().unwrap(),
        FiscalCalendar::new(4, FiscalLabel::Start).unwrap()
    );
}

#[test]
fn a_version_one_store_opened_readonly_has_the_default_calendar_and_is_left_as_it_was() {
    let (_dir, path) = temp_path("v1.db");
    version_one_store(&path);
    let before = std::fs::read(&path).unwrap();
    let store = Store::open(path_text(&path), true).unwrap();
    assert_eq!(pragma_i64(&store, "user_version"), 1);
    assert_eq!(store.fiscal_calendar().unwrap(), FiscalCalendar::default());
    drop(store);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_damaged_calendar_row_is_reported() {
    let store = memory();
    store
        .conn
        .execute_batch(
            "PRAGMA ignore_check_constraints = ON; UPDATE calendar SET fiscal_year_start = 13",
        )
        .unwrap();
    let err = store.fiscal_calendar().unwrap_err();
    assert!(err.to_string().contains("fiscal_year_start=13"), "{err}");
}
