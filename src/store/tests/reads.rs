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
        named(store.latest(&series, None).unwrap()),
        Some(("2024-01".into(), 1.0))
    );
    assert_eq!(
        named(
            store
                .latest_ending_by(&series, days("2025").0, None)
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
                .latest_ending_by(&series, days(period).0, None)
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
        named(store.latest(&series, None).unwrap()),
        Some(("2024-H2".into(), 2.0))
    );
    let other = store
        .create_series(
            series.metric_id,
            "m{a=b}",
            &crate::core::labels::LabelSet::new().with("a", "b"),
            0,
        )
        .unwrap();
    assert_eq!(store.earliest(other.id, None).unwrap(), None);
    assert_eq!(store.latest(&other, None).unwrap(), None);
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

    let before = at("2023-12-31T23:59:59.999999Z");
    let jan = at("2024-01-15T00:00:00Z");
    let feb = at("2024-02-15T00:00:00Z");
    let mar = at("2024-03-15T00:00:00Z");
    let (start, end) = days("2024");
    let overlapping = |asof: Option<i64>| -> Vec<(String, f64)> {
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
        named(store.latest(&series, Some(feb)).unwrap()),
        Some(s("2024-02", 2.0))
    );
    assert_eq!(
        named(store.latest(&series, None).unwrap()),
        Some(s("2024-03", 3.0))
    );
    let by_april = days("2024-04").0;
    assert_eq!(
        named(
            store
                .latest_ending_by(&series, by_april, Some(jan))
                .unwrap()
        ),
        Some(s("2024-01", 1.0))
    );
    assert_eq!(
        named(
            store
                .latest_ending_by(&series, by_april, Some(mar))
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

    let mut total = store
        .create_series(metric.id, "users", &crate::core::labels::LabelSet::new(), 0)
        .unwrap();
    let mut line = store
        .create_series(
            metric.id,
            "users{line=a}",
            &crate::core::labels::LabelSet::new().with("line", "a"),
            0,
        )
        .unwrap();
    store
        .create_series(
            metric.id,
            "users{line=b}",
            &crate::core::labels::LabelSet::new().with("line", "b"),
            0,
        )
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

// ---------------------------------------------------------------- deletions, asof, mixed lengths

/// Every read of a series' live snapshots at once, as period names:
/// overlapping all time, earliest, latest, latest ending by `by`, and
/// within all time.
#[derive(Debug, PartialEq)]
struct Reads {
    overlapping: Vec<(String, f64)>,
    earliest: Option<(String, f64)>,
    latest: Option<(String, f64)>,
    latest_by: Option<(String, f64)>,
    within: Vec<(String, f64)>,
}

fn reads(store: &Store, series: &SeriesRow, by: &str, asof: Option<i64>) -> Reads {
    let pairs = |found: Vec<Observation>| -> Vec<(String, f64)> {
        found
            .into_iter()
            .map(|o| (name(o.start_day, o.end_day), o.value))
            .collect()
    };
    let (from, to) = days("1900..2100");
    Reads {
        overlapping: pairs(store.overlapping(series, from, to, asof).unwrap()),
        earliest: named(store.earliest(series.id, asof).unwrap()),
        latest: named(store.latest(series, asof).unwrap()),
        latest_by: named(store.latest_ending_by(series, days(by).0, asof).unwrap()),
        within: pairs(store.snapshots_within(series.id, from, to, asof).unwrap()),
    }
}

/// What every read returns when only `period` is live with `value`.
fn only(period: &str, value: f64) -> Reads {
    let one = (period.to_string(), value);
    Reads {
        overlapping: vec![one.clone()],
        earliest: Some(one.clone()),
        latest: Some(one.clone()),
        latest_by: Some(one.clone()),
        within: vec![one],
    }
}

fn nothing() -> Reads {
    Reads {
        overlapping: vec![],
        earliest: None,
        latest: None,
        latest_by: None,
        within: vec![],
    }
}

#[test]
fn a_deleted_latest_revision_hides_the_period() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2024-01", 1.0, T1);
    revise(&store, &series, "2024-01", Some(1.5), T2);
    assert_eq!(reads(&store, &series, "2025", None), only("2024-01", 1.5));
    revise(&store, &series, "2024-01", None, T3);
    // Its earlier revisions do not show through.
    assert_eq!(reads(&store, &series, "2025", None), nothing());
    let stats = store.metric_stats(series.metric_id).unwrap();
    assert_eq!((stats.snapshots, stats.first, stats.last), (0, None, None));
    assert!(current_view(&store).is_empty());
    let mut current = 0;
    store
        .for_each_revision(series.id, None, true, |_| {
            current += 1;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert_eq!(current, 0);
    // Recorded again, it is live with the new value.
    revise(&store, &series, "2024-01", Some(2.0), T4);
    assert_eq!(reads(&store, &series, "2025", None), only("2024-01", 2.0));
    assert_eq!(store.metric_stats(series.metric_id).unwrap().snapshots, 1);
}

#[test]
fn a_deleted_period_between_live_ones_is_skipped() {
    let (store, mut series) = store_with_series();
    for (period, value) in [("2023-12", 12.0), ("2024-01", 1.0), ("2024-02", 2.0)] {
        record(&store, &mut series, period, value, T1);
    }
    revise(&store, &series, "2024-01", None, T2);
    let s = |p: &str, v: f64| (p.to_string(), v);
    assert_eq!(
        reads(&store, &series, "2024-02", None),
        Reads {
            overlapping: vec![s("2023-12", 12.0), s("2024-02", 2.0)],
            earliest: Some(s("2023-12", 12.0)),
            latest: Some(s("2024-02", 2.0)),
            // 2024-01 would end by February 1; 2023-12 is the one before.
            latest_by: Some(s("2023-12", 12.0)),
            within: vec![s("2023-12", 12.0), s("2024-02", 2.0)],
        }
    );
    let (start, end) = days("2024-01-15");
    assert!(
        store
            .overlapping(&series, start, end, None)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn asof_between_revisions_picks_the_one_recorded_by_then() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2024-01", 1.0, T1);
    revise(&store, &series, "2024-01", Some(2.0), T2);
    revise(&store, &series, "2024-01", None, T4);
    let read = |asof: i64| reads(&store, &series, "2024-06", Some(asof));

    assert_eq!(read(T1 - 1), nothing());
    assert_eq!(read(T1), only("2024-01", 1.0));
    // Between the first and the second revision, to the microsecond.
    assert_eq!(read(at("2024-01-20T08:00:00Z")), only("2024-01", 1.0));
    assert_eq!(read(T2 - 1), only("2024-01", 1.0));
    assert_eq!(read(T2), only("2024-01", 2.0));
    // A deletion recorded after the time asked for does not hide it.
    assert_eq!(read(T3), only("2024-01", 2.0));
    assert_eq!(read(T4 - 1), only("2024-01", 2.0));
    assert_eq!(read(T4), nothing());
    assert_eq!(read(at("2030-01-01T00:00:00Z")), nothing());
    assert_eq!(reads(&store, &series, "2024-06", None), nothing());
}

#[test]
fn asof_picks_per_period_among_neighbours() {
    let (store, mut series) = store_with_series();
    // 2024-03 is recorded last but ends last; 2024-02 is deleted after T3.
    record(&store, &mut series, "2024-01", 1.0, T1);
    record(&store, &mut series, "2024-02", 2.0, T1);
    revise(&store, &series, "2024-02", Some(2.5), T2);
    revise(&store, &series, "2024-02", None, T4);
    record(&store, &mut series, "2024-03", 3.0, T3);
    let s = |p: &str, v: f64| (p.to_string(), v);
    let read = |asof: Option<i64>| reads(&store, &series, "2024-03", asof);
    assert_eq!(
        read(Some(T2)),
        Reads {
            overlapping: vec![s("2024-01", 1.0), s("2024-02", 2.5)],
            earliest: Some(s("2024-01", 1.0)),
            latest: Some(s("2024-02", 2.5)),
            latest_by: Some(s("2024-02", 2.5)),
            within: vec![s("2024-01", 1.0), s("2024-02", 2.5)],
        }
    );
    assert_eq!(
        read(Some(T3)),
        Reads {
            overlapping: vec![s("2024-01", 1.0), s("2024-02", 2.5), s("2024-03", 3.0)],
            earliest: Some(s("2024-01", 1.0)),
            latest: Some(s("2024-03", 3.0)),
            latest_by: Some(s("2024-02", 2.5)),
            within: vec![s("2024-01", 1.0), s("2024-02", 2.5), s("2024-03", 3.0)],
        }
    );
    assert_eq!(
        read(None),
        Reads {
            overlapping: vec![s("2024-01", 1.0), s("2024-03", 3.0)],
            earliest: Some(s("2024-01", 1.0)),
            latest: Some(s("2024-03", 3.0)),
            latest_by: Some(s("2024-01", 1.0)),
            within: vec![s("2024-01", 1.0), s("2024-03", 3.0)],
        }
    );
}

/// Periods ending together on 2024-01-01, longest first, and one ending a
/// month earlier.
const ENDING_TOGETHER: [&str; 6] = [
    "2023",
    "2023-H2",
    "2023-Q4",
    "2023-12",
    "2023-W52",
    "2023-12-31",
];

#[test]
fn latest_prefers_the_shortest_of_periods_ending_together() {
    let store = memory();
    let metric = store.create_metric("m", None, None, None).unwrap();
    // Recorded longest first, shortest first, and interleaved.
    let orders: [Vec<&str>; 3] = [
        ENDING_TOGETHER.to_vec(),
        ENDING_TOGETHER.iter().rev().copied().collect(),
        vec![
            "2023-Q4",
            "2023-12-31",
            "2023",
            "2023-W52",
            "2023-H2",
            "2023-12",
        ],
    ];
    for (n, order) in orders.iter().enumerate() {
        let mut series = store
            .create_series(
                metric.id,
                &format!("m{{order={n}}}"),
                &crate::core::labels::LabelSet::new(),
                0,
            )
            .unwrap();
        record(&store, &mut series, "2023-11", 11.0, T1);
        for (i, period) in order.iter().enumerate() {
            let value = ENDING_TOGETHER.iter().position(|p| p == period).unwrap() as f64;
            record(&store, &mut series, period, value, T1 + i as i64);
        }
        // Read back from the store, as a query does.
        let series = store.series_by_name(&series.name).unwrap().unwrap();
        assert_eq!(series.max_days, 365, "{order:?}");
        let by = |day: &str| named(store.latest_ending_by(&series, days(day).0, None).unwrap());
        let latest = || named(store.latest(&series, None).unwrap());
        assert_eq!(latest(), Some(("2023-12-31".into(), 5.0)), "{order:?}");
        assert_eq!(by("2024-01-01"), Some(("2023-12-31".into(), 5.0)));
        assert_eq!(by("2025"), Some(("2023-12-31".into(), 5.0)));
        assert_eq!(by("2023-12-31"), Some(("2023-11".into(), 11.0)));
        assert_eq!(by("2023-12-01"), Some(("2023-11".into(), 11.0)));
        assert_eq!(by("2023-11-30"), None);
        // Deleting the shortest, one at a time, leaves the next shortest.
        for (i, period) in ENDING_TOGETHER.iter().enumerate().rev() {
            revise(&store, &series, period, None, T2);
            let expected = match i {
                0 => ("2023-11".to_string(), 11.0),
                _ => (ENDING_TOGETHER[i - 1].to_string(), (i - 1) as f64),
            };
            assert_eq!(
                latest(),
                Some(expected.clone()),
                "{order:?} without {period}"
            );
            assert_eq!(
                by("2024-01-01"),
                Some(expected),
                "{order:?} without {period}"
            );
        }
        // As of before the deletions, the shortest again.
        assert_eq!(
            named(store.latest(&series, Some(T2 - 1)).unwrap()),
            Some(("2023-12-31".into(), 5.0))
        );
        assert_eq!(
            named(
                store
                    .latest_ending_by(&series, days("2024-01-01").0, Some(T2 - 1))
                    .unwrap()
            ),
            Some(("2023-12-31".into(), 5.0))
        );
    }
}

#[test]
fn a_year_and_its_last_month_end_together_and_the_month_wins() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2023", 23.0, T1);
    record(&store, &mut series, "2023-12", 12.0, T1);
    let month = Some(("2023-12".to_string(), 12.0));
    let year = Some(("2023".to_string(), 23.0));
    assert_eq!(named(store.latest(&series, None).unwrap()), month);
    let by = |day: &str, asof| named(store.latest_ending_by(&series, days(day).0, asof).unwrap());
    assert_eq!(by("2024-01-01", None), month);
    // The month deleted, the year is the latest.
    revise(&store, &series, "2023-12", None, T2);
    assert_eq!(named(store.latest(&series, None).unwrap()), year);
    assert_eq!(by("2024-01-01", None), year);
    assert_eq!(by("2024-01-01", Some(T1)), month);
    // And the other way round.
    revise(&store, &series, "2023-12", Some(12.5), T3);
    revise(&store, &series, "2023", None, T4);
    assert_eq!(
        named(store.latest(&series, None).unwrap()),
        Some(("2023-12".into(), 12.5))
    );
    assert_eq!(by("2024-01-01", Some(T2)), year);
    assert_eq!(by("2024-01-01", Some(T3)), Some(("2023-12".into(), 12.5)));
    revise(&store, &series, "2023-12", None, T4);
    assert_eq!(store.latest(&series, None).unwrap(), None);
    assert_eq!(by("2024-06", None), None);
}

#[test]
fn latest_finds_a_long_period_recorded_before_short_ones() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2020..2024", 100.0, T1);
    // Many shorter periods inside it, recorded later, end earlier.
    for year in 2020..=2024 {
        for month in ["01", "06", "11"] {
            record(&store, &mut series, &format!("{year}-{month}"), 1.0, T2);
        }
    }
    record(&store, &mut series, "2024-06-12", 12.0, T2);
    let long = "2020-01-01..2024-12-31".to_string();
    // Read back from the store, as a query does.
    let series = store.series_by_name("m").unwrap().unwrap();
    let (long_start, long_end) = days("2020..2024");
    assert_eq!(series.max_days, long_end - long_start);
    assert_eq!(
        named(store.latest(&series, None).unwrap()),
        Some((long.clone(), 100.0))
    );
    let by = |day: &str, asof| {
        named(store.latest_ending_by(&series, days(day).0, asof).unwrap()).map(|(p, _)| p)
    };
    assert_eq!(by("2025-01-01", None), Some(long.clone()));
    assert_eq!(by("2031", None), Some(long.clone()));
    // Before the long period ends, the short ones.
    assert_eq!(by("2024-12-31", None), Some("2024-11".into()));
    assert_eq!(by("2024-07-01", None), Some("2024-06".into()));
    assert_eq!(by("2024-06-30", None), Some("2024-06-12".into()));
    assert_eq!(by("2024-06-13", None), Some("2024-06-12".into()));
    assert_eq!(by("2024-06-12", None), Some("2024-01".into()));
    assert_eq!(by("2020-02-01", None), Some("2020-01".into()));
    assert_eq!(by("2020-01-31", None), None);
    // As of before the short ones were recorded, only the long one.
    assert_eq!(by("2031", Some(T1)), Some(long.clone()));
    assert_eq!(by("2024-12-31", Some(T1)), None);

    // The long period deleted, the latest of the short ones.
    revise(&store, &series, "2020..2024", None, T3);
    assert_eq!(
        named(store.latest(&series, None).unwrap()),
        Some(("2024-11".into(), 1.0))
    );
    assert_eq!(by("2031", None), Some("2024-11".into()));
    assert_eq!(by("2031", Some(T2)), Some(long.clone()));
    assert_eq!(
        named(store.latest(&series, Some(T2)).unwrap()),
        Some((long, 100.0))
    );
}

#[test]
fn latest_falls_back_when_the_latest_ending_period_is_deleted() {
    let (store, mut series) = store_with_series();
    for (period, value) in [("2024-01", 1.0), ("2024-02", 2.0), ("2024-03", 3.0)] {
        record(&store, &mut series, period, value, T1);
    }
    // A long period ending before them, recorded after.
    record(&store, &mut series, "2021..2023", 20.0, T1);
    let latest = |asof| named(store.latest(&series, asof).unwrap());
    let by = |day: &str| named(store.latest_ending_by(&series, days(day).0, None).unwrap());
    assert_eq!(latest(None), Some(("2024-03".into(), 3.0)));
    revise(&store, &series, "2024-03", None, T2);
    assert_eq!(latest(None), Some(("2024-02".into(), 2.0)));
    assert_eq!(by("2024-04"), Some(("2024-02".into(), 2.0)));
    assert_eq!(latest(Some(T1)), Some(("2024-03".into(), 3.0)));
    revise(&store, &series, "2024-02", None, T2);
    revise(&store, &series, "2024-01", None, T3);
    // Past every deleted month to the long period.
    let long = Some(("2021-01-01..2023-12-31".to_string(), 20.0));
    assert_eq!(latest(None), long);
    assert_eq!(by("2024-04"), long);
    assert_eq!(latest(Some(T2)), Some(("2024-01".into(), 1.0)));
    revise(&store, &series, "2021..2023", None, T3);
    assert_eq!(latest(None), None);
    assert_eq!(by("2030"), None);
}

#[test]
fn earliest_skips_a_deleted_first_period() {
    let (store, mut series) = store_with_series();
    record(&store, &mut series, "2022-01", 1.0, T1);
    record(&store, &mut series, "2022", 22.0, T1);
    record(&store, &mut series, "2022-02", 2.0, T1);
    let earliest = |asof| named(store.earliest(series.id, asof).unwrap());
    assert_eq!(earliest(None), Some(("2022-01".into(), 1.0)));
    revise(&store, &series, "2022-01", None, T2);
    // The longer period starting the same day.
    assert_eq!(earliest(None), Some(("2022".into(), 22.0)));
    revise(&store, &series, "2022", None, T3);
    assert_eq!(earliest(None), Some(("2022-02".into(), 2.0)));
    assert_eq!(earliest(Some(T1)), Some(("2022-01".into(), 1.0)));
    assert_eq!(earliest(Some(T2)), Some(("2022".into(), 22.0)));
    revise(&store, &series, "2022-02", None, T4);
    assert_eq!(earliest(None), None);
    assert_eq!(earliest(Some(T3)), Some(("2022-02".into(), 2.0)));
}

#[test]
fn the_current_snapshot_view_shows_only_current_values() {
    let store = memory();
    let metric = store.create_metric("users", None, None, None).unwrap();
    let mut total = store
        .create_series(metric.id, "users", &crate::core::labels::LabelSet::new(), 0)
        .unwrap();
    let mut line = store
        .create_series(
            metric.id,
            "users{line=a}",
            &crate::core::labels::LabelSet::new().with("line", "a"),
            0,
        )
        .unwrap();
    record(&store, &mut total, "2024-01", 1.0, T1);
    let (start, end) = days("2024-01");
    let revised_at = at("2024-02-03T04:05:06.789Z");
    store
        .add_revision(
            total.id,
            start,
            end,
            2,
            Some(1.5),
            revised_at,
            Some("report"),
            Some("fixed"),
        )
        .unwrap();
    record(&store, &mut total, "2024-Q1", 3.0, T1);
    revise(&store, &total, "2024-Q1", None, T2);
    record(&store, &mut line, "2024-W05", 5.0, T3);

    type ViewRow = (
        String,
        String,
        String,
        String,
        f64,
        i64,
        String,
        Option<String>,
        Option<String>,
    );
    let mut stmt = store
        .conn
        .prepare("SELECT * FROM current_snapshot ORDER BY series, first_day")
        .unwrap();
    let rows: Vec<ViewRow> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let row = |series: &str, first: &str, last: &str, value, revision, recorded: &str| {
        (
            "users".to_string(),
            series.to_string(),
            first.to_string(),
            last.to_string(),
            value,
            revision,
            recorded.to_string(),
            None::<String>,
            None::<String>,
        )
    };
    let mut revised = row(
        "users",
        "2024-01-01",
        "2024-01-31",
        1.5,
        2,
        "2024-02-03T04:05:06.789Z",
    );
    revised.7 = Some("report".into());
    revised.8 = Some("fixed".into());
    // The deleted quarter and the first revision of January are not shown.
    assert_eq!(
        rows,
        vec![
            revised,
            row(
                "users{line=a}",
                "2024-01-29",
                "2024-02-04",
                5.0,
                1,
                "2024-03-01T00:00:00.000Z"
            ),
        ]
    );
    // `recorded_at` is RFC 3339 text for the same instant.
    assert_eq!(at(&rows[0].6), revised_at);
    assert_eq!(at(&rows[1].6), T3);
}
