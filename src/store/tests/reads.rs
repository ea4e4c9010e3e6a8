//! Reads: overlapping snapshots, latest and earliest, snapshots within a
//! range, reads as of a time, and metric stats.

use super::*;

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
