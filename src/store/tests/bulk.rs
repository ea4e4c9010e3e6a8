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
            store
                .create_series(metric.id, &name, &labels, 0)
                .unwrap()
                .id
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
    let bulk = store.bulk(false, 1).unwrap();
    import_through(store, bulk, values)
}

/// Adds every value in order through `bulk`, begun inside a transaction,
/// then finishes and commits (or, on a conflict, rolls back).
fn import_through(
    store: &Store,
    mut bulk: crate::store::Bulk,
    values: &[BulkValue],
) -> Result<BulkCounts, BulkConflict> {
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

/// Adds every value in order through a bulk write of runs of `run_limit`
/// (revising or not), then finishes: the first conflict reported.
fn import_in_runs(
    store: &Store,
    run_limit: usize,
    revise: bool,
    values: &[BulkValue],
) -> Result<BulkCounts, BulkConflict> {
    store.begin().unwrap();
    let bulk = store.bulk_with_runs_of(run_limit, revise, 1);
    import_through(store, bulk, values)
}

/// Every revision of a store, in key order, with its texts.
fn revisions(store: &Store) -> Vec<String> {
    let Backend::Sqlite(s) = &store.backend else {
        unreachable!("the store is in memory")
    };
    let mut stmt = s
        .conn
        .prepare(
            "SELECT series_id, start_day, end_day, revision, value, source, note FROM snapshot
             ORDER BY series_id, start_day, end_day, revision",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok(format!(
            "{} {} {} {} {:?} {:?} {:?}",
            r.get::<_, i64>(0)?,
            r.get::<_, i32>(1)?,
            r.get::<_, i32>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<f64>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn values_out_of_key_order_sorted_on_disk_record_what_runs_in_memory_record() {
    // Day by day over 23 series, with texts that change every few values
    // and each snapshot given twice (the same value, then for some a new
    // one): runs of 5 spill to disk from the first, runs of 10,000 hold
    // everything in memory.
    let values_of = |ids: &[SeriesId]| -> Vec<BulkValue<'static>> {
        let sources = [None, Some("a"), Some("b,\n\"c\"")];
        let notes = [None, Some(""), Some("n")];
        let mut values = Vec::new();
        for round in 0..2 {
            for day in 0..30 {
                for (i, &s) in ids.iter().enumerate() {
                    let n = day as usize * 23 + i;
                    let changed = round == 1 && n.is_multiple_of(7);
                    values.push(BulkValue {
                        source: sources[n / 4 % 3],
                        note: notes[n / 5 % 3],
                        ..value(s, day, n as f64 + f64::from(u8::from(changed)), n as u64)
                    });
                }
            }
        }
        values
    };
    let mut outcomes = Vec::new();
    for run_limit in [5, 10_000] {
        let (store, ids) = store_with(23);
        let values = values_of(&ids);
        let conflict = import_in_runs(&store, run_limit, false, &values).unwrap_err();
        assert_eq!(snapshots(&store), 0, "a conflict keeps nothing");
        let revised = import_in_runs(&store, run_limit, true, &values).unwrap();
        // Again: the 99 snapshots given two values are revised twice more
        // (to the first value, then back to the second).
        let again = import_in_runs(&store, run_limit, true, &values).unwrap();
        outcomes.push((conflict, revised, again, revisions(&store)));
    }
    assert_eq!(outcomes[0], outcomes[1]);
    let (conflict, revised, again, rows) = &outcomes[0];
    // The first value given that differs: the second round's first.
    assert_eq!((conflict.place, conflict.value), ((0, 0), 1.0));
    assert_eq!(
        (revised.new, revised.unchanged, revised.revised),
        (690, 591, 99)
    );
    assert_eq!((again.new, again.unchanged, again.revised), (0, 1182, 198));
    assert_eq!(rows.len(), 690 + 99 + 198);
    assert!(
        rows.iter()
            .any(|r| r.ends_with("Some(\"b,\\n\\\"c\\\"\") Some(\"\")"))
    );
}

#[test]
fn a_conflict_among_runs_on_disk_is_the_one_given_first() {
    let (store, ids) = store_with(40);
    // Stored: day 3 of every series.
    let stored: Vec<_> = ids.iter().map(|&s| value(s, 3, 1.0, 0)).collect();
    import(&store, &stored).unwrap();
    // Day-major: two conflicts, the one given first on a series that
    // sorts last, the other early in key order but given later.
    let mut values = Vec::new();
    for day in 0..6 {
        for &s in &ids {
            let differs = day == 3 && (s == ids[39] || s == ids[0]);
            values.push(value(
                s,
                day,
                if differs { 9.0 } else { 1.0 },
                values.len() as u64,
            ));
        }
    }
    values.swap(3 * 40, 3 * 40 + 39);
    let conflict = import_in_runs(&store, 7, false, &values).unwrap_err();
    assert_eq!(conflict.series, "m{k=39}");
    assert_eq!(conflict.place, (3 * 40 + 39, 0));
    assert_eq!(snapshots(&store), 40);
    // A conflict waiting in runs on disk is found when asked for.
    store.begin().unwrap();
    let mut bulk = store.bulk_with_runs_of(7, false, 1);
    for v in &values[..3 * 40 + 5] {
        assert_eq!(store.bulk_add(&mut bulk, v).unwrap(), None);
    }
    let conflict = store.bulk_conflict(&mut bulk).unwrap().unwrap();
    assert_eq!(conflict.series, "m{k=39}");
    store.rollback().unwrap();
}

#[test]
fn a_file_imported_again_is_read_back_in_batches_that_see_deletions_and_changes() {
    let (store, ids) = store_with(1);
    let values: Vec<_> = (0..300)
        .map(|day| value(ids[0], day, 1.0, day as u64))
        .collect();
    import(&store, &values).unwrap();
    // A deletion and a changed value fall inside later batches.
    store.begin().unwrap();
    store
        .add_revision(ids[0], 150, 150, 2, None, 2, None, None)
        .unwrap();
    store.commit().unwrap();
    let mut again = values.clone();
    again[230].value = 2.0;
    let counts = import_in_runs(&store, 10_000, true, &again).unwrap();
    assert_eq!((counts.new, counts.unchanged, counts.revised), (1, 298, 1));
    let counts = import(&store, &again).unwrap();
    assert_eq!((counts.new, counts.unchanged, counts.revised), (0, 300, 0));
    // 300 first revisions, the deletion, the value after it, the revision.
    assert_eq!(snapshots(&store), 300 + 3);
}
