//! Writes: metrics and series, numbered revisions, history, and
//! transactions and savepoints.

use super::*;

// ---------------------------------------------------------------- metrics and series

#[test]
fn metrics_are_created_and_updated_attribute_by_attribute() {
    let store = memory();
    let created = store
        .create_metric(
            "users",
            Some(crate::core::command::Kind::Stock),
            Some("people"),
            Some("all users"),
        )
        .unwrap();
    assert_eq!(store.metric("users").unwrap(), Some(created.clone()));
    store
        .update_metric(created.id, None, Some("persons"), None)
        .unwrap();
    let updated = store.metric("users").unwrap().unwrap();
    assert_eq!(updated.kind, Some(crate::core::command::Kind::Stock));
    assert_eq!(updated.unit.as_deref(), Some("persons"));
    assert_eq!(updated.description.as_deref(), Some("all users"));
    assert!(
        store.metric("Users").unwrap().is_none(),
        "names are case-sensitive"
    );
    // A name is unique; the schema refuses unknown kinds.
    assert!(store.create_metric("users", None, None, None).is_err());
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
            &crate::core::labels::LabelSet::new()
                .with("country", "Korea, Dem. Rep.")
                .with("continent", "Asia"),
            0,
        )
        .unwrap();
    store
        .create_series(metric.id, "pop", &crate::core::labels::LabelSet::new(), 0)
        .unwrap();
    let found = store.series_by_name(name).unwrap().unwrap();
    assert_eq!(found.id, created.id);
    assert_eq!(
        found.labels.iter().collect::<Vec<_>>(),
        [("continent", "Asia"), ("country", "Korea, Dem. Rep.")]
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
    let (store, mut series) = store_with_series();
    let (start, end) = days("2024-01");
    store
        .note_period_length(series.id, &mut series.max_days, end - start)
        .unwrap();
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
    assert_eq!(store.latest(&series, None).unwrap(), None);
    assert!(current_view(&store).is_empty());

    // Recorded again after the deletion.
    store
        .add_revision(series.id, start, end, 4, Some(11.0), T4, None, None)
        .unwrap();
    assert_eq!(
        store.latest_revision(series.id, start, end).unwrap(),
        Some((Some(11.0), 4))
    );
    // Every revision is a row of its own, the deletion included; none
    // was changed by the later ones.
    assert_eq!(count(&store, "SELECT count(*) FROM snapshot"), 4);
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM snapshot WHERE value IS NULL AND revision = 3"
        ),
        1
    );
    assert_eq!(
        store
            .conn
            .query_row(
                "SELECT count(DISTINCT start_day || '..' || end_day), max(revision) FROM snapshot",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            )
            .unwrap(),
        (1, 4)
    );
    assert_eq!(
        store
            .revision(series.id, start, end, 2)
            .unwrap()
            .unwrap()
            .value,
        Some(12.5)
    );
    // The view shows one row per period, at the latest revision.
    assert_eq!(
        current_view(&store),
        vec![(
            "m".to_string(),
            "2024-01-01".to_string(),
            "2024-01-31".to_string(),
            11.0,
            4
        )]
    );
    assert_eq!(
        named(store.latest(&series, None).unwrap()),
        Some(("2024-01".into(), 11.0))
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
fn one_revision_is_read_back_as_recorded() {
    let (store, series) = store_with_series();
    let (start, end) = days("2024-01");
    // Microseconds are kept exactly.
    let recorded = at("2024-01-15T12:34:56.789012Z");
    store
        .add_revision(
            series.id,
            start,
            end,
            1,
            Some(10.0),
            recorded,
            Some("report"),
            Some("first"),
        )
        .unwrap();
    store
        .add_revision(series.id, start, end, 2, None, T2, None, Some("gone"))
        .unwrap();
    assert_eq!(
        store.revision(series.id, start, end, 1).unwrap(),
        Some(RevisionRow {
            start_day: start,
            end_day: end,
            revision: 1,
            value: Some(10.0),
            recorded_at: recorded,
            source: Some("report".into()),
            note: Some("first".into()),
            current: false,
        })
    );
    assert_eq!(
        store.revision(series.id, start, end, 2).unwrap(),
        Some(RevisionRow {
            start_day: start,
            end_day: end,
            revision: 2,
            value: None,
            recorded_at: T2,
            source: None,
            note: Some("gone".into()),
            current: false,
        })
    );
    assert_eq!(store.revision(series.id, start, end, 3).unwrap(), None);
    assert_eq!(store.revision(series.id, start, end + 1, 1).unwrap(), None);
    assert_eq!(store.revision(series.id + 1, start, end, 1).unwrap(), None);
    assert_eq!(
        store.history(series.id, None).unwrap()[0].recorded_at,
        recorded
    );
}

#[test]
fn the_current_revision_is_marked_only_if_live() {
    let (store, mut series) = store_with_series();
    // Revised: the second is current.
    record(&store, &mut series, "2024-01", 1.0, T1);
    revise(&store, &series, "2024-01", Some(1.5), T2);
    // Deleted: none is current.
    record(&store, &mut series, "2024-02", 2.0, T1);
    revise(&store, &series, "2024-02", None, T2);
    // Deleted and recorded again: the third is current.
    record(&store, &mut series, "2024-03", 3.0, T1);
    revise(&store, &series, "2024-03", None, T2);
    revise(&store, &series, "2024-03", Some(3.5), T3);
    // Recorded once.
    record(&store, &mut series, "2024-04", 4.0, T1);
    // Another series' revisions are not listed.
    let mut other = store
        .create_series(
            series.metric_id,
            "m{a=b}",
            &crate::core::labels::LabelSet::new().with("a", "b"),
            0,
        )
        .unwrap();
    record(&store, &mut other, "2024-01", 9.0, T1);

    let s = |p: &str, r: i64, v: Option<f64>, c: bool| (p.to_string(), r, v, c);
    let all = store.history(series.id, None).unwrap();
    assert_eq!(
        listed(&all),
        vec![
            s("2024-01", 1, Some(1.0), false),
            s("2024-01", 2, Some(1.5), true),
            s("2024-02", 1, Some(2.0), false),
            s("2024-02", 2, None, false),
            s("2024-03", 1, Some(3.0), false),
            s("2024-03", 2, None, false),
            s("2024-03", 3, Some(3.5), true),
            s("2024-04", 1, Some(4.0), true),
        ]
    );

    let current = |period: Option<(i32, i32)>| {
        let mut rows = Vec::new();
        store
            .for_each_revision(series.id, period, true, |row| {
                rows.push(row);
                Ok::<_, StoreError>(())
            })
            .unwrap();
        rows
    };
    // Exactly the current revisions, whole, in order.
    let expected: Vec<RevisionRow> = all.iter().filter(|r| r.current).cloned().collect();
    assert_eq!(current(None), expected);
    assert_eq!(
        listed(&current(None)),
        vec![
            s("2024-01", 2, Some(1.5), true),
            s("2024-03", 3, Some(3.5), true),
            s("2024-04", 1, Some(4.0), true),
        ]
    );
    // They are the live snapshots and the rows of the view.
    let live = store
        .snapshots_within(series.id, i32::MIN, i32::MAX, None)
        .unwrap();
    assert_eq!(
        live.iter()
            .map(|o| (o.start_day, o.end_day, o.value))
            .collect::<Vec<_>>(),
        expected
            .iter()
            .map(|r| (r.start_day, r.end_day, r.value.unwrap()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        current_view(&store)
            .into_iter()
            .filter(|row| row.0 == "m")
            .map(|row| (row.3, row.4))
            .collect::<Vec<_>>(),
        vec![(1.5, 2), (3.5, 3), (4.0, 1)]
    );
    // One period: its current revision, or nothing once deleted.
    assert_eq!(
        listed(&current(Some(days("2024-03")))),
        vec![s("2024-03", 3, Some(3.5), true)]
    );
    assert!(current(Some(days("2024-02"))).is_empty());
    assert!(current(Some(days("2024-05"))).is_empty());
    // A period's history alone still marks its current revision.
    assert_eq!(
        listed(&store.history(series.id, Some(days("2024-01"))).unwrap()),
        vec![
            s("2024-01", 1, Some(1.0), false),
            s("2024-01", 2, Some(1.5), true)
        ]
    );
}

#[test]
fn for_each_revision_stops_at_the_first_error() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2024-01", 1.0, T1);
    record(&store, &mut series, "2024-02", 2.0, T1);
    record(&store, &mut series, "2024-03", 3.0, T1);
    let mut seen = Vec::new();
    let result = store.for_each_revision(series.id, None, false, |row| {
        seen.push(name(row.start_day, row.end_day));
        if seen.len() == 2 {
            Err(StoreError::Locked)
        } else {
            Ok(())
        }
    });
    assert!(matches!(result, Err(StoreError::Locked)));
    assert_eq!(seen, vec!["2024-01", "2024-02"]);
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
    let stale = series.clone();
    store
        .note_period_length(series.id, &mut series.max_days, 31)
        .unwrap();
    store
        .note_period_length(series.id, &mut series.max_days, 366)
        .unwrap();
    store
        .note_period_length(series.id, &mut series.max_days, 7)
        .unwrap();
    assert_eq!(series.max_days, 366);
    assert_eq!(store.series_by_name("m").unwrap().unwrap().max_days, 366);
    // A caller holding an older bound widens its own copy, never narrows
    // the stored one.
    let mut bound = stale.max_days;
    assert_eq!(bound, 0);
    store.note_period_length(stale.id, &mut bound, 31).unwrap();
    assert_eq!(bound, 31);
    assert_eq!(store.series_by_name("m").unwrap().unwrap().max_days, 366);
    // Other series keep their own bound.
    let other = store
        .create_series(
            series.metric_id,
            "m{a=b}",
            &crate::core::labels::LabelSet::new().with("a", "b"),
            0,
        )
        .unwrap();
    let mut other_bound = other.max_days;
    store
        .note_period_length(other.id, &mut other_bound, 92)
        .unwrap();
    assert_eq!(
        store.series_by_name("m{a=b}").unwrap().unwrap().max_days,
        92
    );
    assert_eq!(store.series_by_name("m").unwrap().unwrap().max_days, 366);
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
        .create_series(
            metric.id,
            "other{a=b}",
            &crate::core::labels::LabelSet::new().with("a", "b"),
            0,
        )
        .unwrap();
    record(&store, &mut other, "2024", 5.0, T1);
    revise(&store, &series, "2024-01", Some(2.0), T2);
    store
        .update_metric(
            series.metric_id,
            Some(crate::core::command::Kind::Flow),
            None,
            None,
        )
        .unwrap();
    store.rollback_to_savepoint().unwrap();
    assert!(store.in_transaction(), "the outer transaction goes on");
    store.commit().unwrap();
    assert!(!store.in_transaction());

    assert!(store.metric("other").unwrap().is_none());
    assert!(store.series_by_name("other{a=b}").unwrap().is_none());
    assert_eq!(count(&store, "SELECT count(*) FROM series_label"), 0);
    // Only the revision recorded before the savepoint is left, and the
    // view shows it alone.
    assert_eq!(count(&store, "SELECT count(*) FROM snapshot"), 1);
    assert_eq!(count(&store, "SELECT count(*) FROM current_snapshot"), 1);
    assert_eq!(store.history(series.id, None).unwrap().len(), 1);
    let (start, end) = days("2024-01");
    assert_eq!(
        store.latest_revision(series.id, start, end).unwrap(),
        Some((Some(1.0), 1))
    );
    assert_eq!(
        store.metric("m").unwrap().unwrap().kind,
        Some(crate::core::command::Kind::Stock)
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
