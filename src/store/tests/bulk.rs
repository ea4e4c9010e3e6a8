//! Bulk writes, which SQLite gathers into runs and writes in key order:
//! the outcome is that of writing each value in the order given.
use crate::core::labels::LabelSet;
use crate::store::{Backend, BulkConflict, BulkCounts, BulkValue, SeriesId, Store};

/// A store with `n` series of one metric, and their ids.
fn store_with(n: usize) -> (Store, Vec<SeriesId>) {
    let store = Store::open(":memory:", false).unwrap();
    let metric = store.create_metric("m", None, None, None).unwrap();
    let ids = (0..n)
        .map(|i| {
            let labels = LabelSet::new().with("k", &i.to_string());
            let name = format!("m{{k={i}}}");
            store.create_series(metric.id, &name, &labels).unwrap().id
        })
        .collect();
    (store, ids)
}

/// How many revisions the store holds.
fn snapshots(store: &Store) -> i64 {
    match &store.backend {
        Backend::Sqlite(s) => super::count(s, "SELECT count(*) FROM snapshot"),
        Backend::Postgres(_) => unreachable!("the store is in memory"),
    }
}

fn value(series: SeriesId, day: i32, value: f64, line: u64) -> BulkValue<'static> {
    BulkValue {
        series,
        start_day: day,
        end_day: day,
        value,
        source: None,
        note: None,
        place: (line, 0),
    }
}

/// Adds every value in order, then finishes: the first conflict reported.
fn import(store: &Store, values: &[BulkValue]) -> Result<BulkCounts, BulkConflict> {
    store.begin().unwrap();
    let mut bulk = store.bulk(false, 1).unwrap();
    for v in values {
        if let Some(conflict) = store.bulk_add(&mut bulk, v).unwrap() {
            store.rollback().unwrap();
            return Err(conflict);
        }
    }
    let done = store.bulk_finish(bulk).unwrap();
    match done {
        Ok(_) => store.commit().unwrap(),
        Err(_) => store.rollback().unwrap(),
    }
    done
}

#[test]
fn values_given_day_by_day_over_several_runs_are_all_recorded() {
    // More values than one run holds, each series on every 300th value.
    let (store, ids) = store_with(300);
    let values: Vec<_> = (0..450)
        .flat_map(|day| {
            let ids = &ids;
            ids.iter()
                .map(move |&s| value(s, day, f64::from(day) + s as f64, 0))
        })
        .collect();
    let counts = import(&store, &values).unwrap();
    assert_eq!(counts.new, 135_000);
    assert_eq!(snapshots(&store), 135_000);
    // The same again changes nothing.
    let counts = import(&store, &values).unwrap();
    assert_eq!((counts.new, counts.unchanged), (0, 135_000));
    assert_eq!(snapshots(&store), 135_000);
}

#[test]
fn the_conflict_given_first_is_reported_whatever_the_key_order() {
    let (store, ids) = store_with(2);
    let (a, b) = (ids[0], ids[1]);
    import(&store, &[value(a, 10, 1.0, 2), value(b, 10, 1.0, 3)]).unwrap();
    // b sorts after a, but is given first.
    let conflict = import(
        &store,
        &[
            value(b, 11, 5.0, 2),
            value(b, 10, 2.0, 3),
            value(a, 10, 2.0, 4),
        ],
    )
    .unwrap_err();
    assert_eq!(conflict.series, "m{k=1}");
    assert_eq!((conflict.place, conflict.value), ((3, 0), 2.0));
    assert_eq!((conflict.recorded, conflict.revision), (1.0, 1));
    // Nothing was kept.
    assert_eq!(snapshots(&store), 2);
    // One snapshot twice: the same value is unchanged, another conflicts
    // with the first, whichever way the values sort.
    let counts = import(&store, &[value(b, 12, 1.0, 2), value(b, 12, 1.0, 3)]).unwrap();
    assert_eq!((counts.new, counts.unchanged), (1, 1));
    let conflict = import(
        &store,
        &[
            value(b, 13, 1.0, 2),
            value(a, 13, 7.0, 3),
            value(b, 13, 2.0, 4),
            value(a, 13, 8.0, 5),
        ],
    )
    .unwrap_err();
    assert_eq!(
        (conflict.series.as_str(), conflict.place),
        ("m{k=1}", (4, 0))
    );
}

#[test]
fn a_conflict_in_a_later_run_is_found_and_one_waiting_is_found_on_request() {
    let (store, ids) = store_with(300);
    import(&store, &[value(ids[7], 0, 1.0, 1)]).unwrap();
    // The conflict comes after a full run has been written.
    let mut values: Vec<_> = (1..=450)
        .flat_map(|day| {
            let ids = &ids;
            ids.iter().map(move |&s| value(s, day, 1.0, 0))
        })
        .collect();
    values.push(value(ids[7], 0, 2.0, 99));
    let conflict = import(&store, &values).unwrap_err();
    assert_eq!(
        (conflict.series.as_str(), conflict.place),
        ("m{k=7}", (99, 0))
    );
    // A conflict still waiting to be written is found when asked for.
    store.begin().unwrap();
    let mut bulk = store.bulk(false, 1).unwrap();
    assert_eq!(
        store
            .bulk_add(&mut bulk, &value(ids[7], 0, 3.0, 5))
            .unwrap(),
        None
    );
    let conflict = store.bulk_conflict(&mut bulk).unwrap().unwrap();
    assert_eq!(conflict.place, (5, 0));
    store.rollback().unwrap();
}

#[test]
fn foreign_keys_are_off_only_while_a_bulk_write_holds_them_off() {
    let (store, _) = store_with(1);
    let Backend::Sqlite(s) = &store.backend else {
        unreachable!("the store is in memory")
    };
    let on = |s| super::count(s, "PRAGMA foreign_keys") == 1;
    assert!(on(s));
    {
        let _unchecked = store.unchecked_series_keys();
        assert!(!on(s));
    }
    assert!(on(s));
    // Inside a transaction SQLite cannot switch them: they stay on.
    store.begin().unwrap();
    {
        let _unchecked = store.unchecked_series_keys();
        assert!(on(s));
    }
    store.rollback().unwrap();
    assert!(on(s));
}

#[test]
fn inserts_one_by_one_and_bulk_writes_each_write_their_own_series_and_texts() {
    let (store, ids) = store_with(2);
    let (a, b) = (ids[0], ids[1]);
    let add = |series, day, source| {
        assert!(
            store
                .add_first_revision(series, day, day + 1, 1.0, 1, source, None)
                .unwrap()
        );
    };
    add(a, 1, None);
    add(a, 2, None);
    add(b, 3, None);
    add(b, 4, Some("s"));
    add(b, 5, None);
    // The bulk write leaves series a bound where b was.
    import(&store, &[value(a, 6, 1.0, 1), value(a, 7, 1.0, 2)]).unwrap();
    add(b, 8, None);
    add(a, 9, None);
    let Backend::Sqlite(s) = &store.backend else {
        unreachable!("the store is in memory")
    };
    let of_a = format!("SELECT group_concat(start_day) FROM snapshot WHERE series_id = {a}");
    let days: String = s.conn.query_row(&of_a, [], |row| row.get(0)).unwrap();
    assert_eq!(days, "1,2,6,7,9");
    let sources: i64 = super::count(s, "SELECT count(*) FROM snapshot WHERE source = 's'");
    assert_eq!(sources, 1);
    let at_4: String = s
        .conn
        .query_row(
            "SELECT source FROM snapshot WHERE start_day = 4",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(at_4, "s");
}
