//! Choosing the endpoints: `over` shifting the `to` period back,
//! `earliest` and `latest`, and `asof` answering from older revisions.

use super::*;

// ---------------------------------------------------------------- over

#[test]
fn over_shifts_the_to_period_back_keeping_its_type() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2023-06 s=10",
        "insert 2024-05 s=15",
        "insert 2024-06 s=20",
        "insert 2024-Q1 s=30",
        "insert 2024-Q2 s=40",
        "insert 2023-W10 s=50",
        "insert 2024-W10 s=60",
        "insert 2023-02-28 s=70",
        "insert 2024-02-29 s=80",
        "insert 2023 s=90",
        "insert 2024 s=100",
        "insert 2021-03-01 s=1",
        "insert 2020-02-29 s=3",
        "insert 2022-03-01 s=2",
    ]);
    // (command, from_period, from_value, to_period)
    let cases = [
        ("growth s over 1y to 2024-06", "2023-06", 10.0, "2024-06"),
        ("growth s over 1m to 2024-06", "2024-05", 15.0, "2024-06"),
        ("growth s over 12m to 2024-06", "2023-06", 10.0, "2024-06"),
        ("growth s over 1q to 2024-Q2", "2024-Q1", 30.0, "2024-Q2"),
        ("growth s over 1y to 2024-W10", "2023-W10", 50.0, "2024-W10"),
        (
            "growth s over 1y to 2024-02-29",
            "2023-02-28",
            70.0,
            "2024-02-29",
        ),
        (
            "growth s over 4y to 2024-02-29",
            "2020-02-29",
            3.0,
            "2024-02-29",
        ),
        (
            "growth s over 1y to 2022-03-01",
            "2021-03-01",
            1.0,
            "2022-03-01",
        ),
        ("growth s over 1y to 2024", "2023", 90.0, "2024"),
        // Without `to`, the series' latest period: 2024 ends last.
        ("growth s over 1y", "2023", 90.0, "2024"),
        ("growth s over 1y to latest", "2023", 90.0, "2024"),
    ];
    for (command, from_period, from_value, to_period) in cases {
        let rows = query(&mut ex, command);
        assert_eq!(
            text(&rows, 0, "from_period").as_deref(),
            Some(from_period),
            "{command}"
        );
        assert_eq!(num(&rows, 0, "from_value"), Some(from_value), "{command}");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some(to_period),
            "{command}"
        );
        assert_eq!(text(&rows, 0, "note"), None, "{command}");
    }
}

#[test]
fn over_a_week_53_without_a_twin_is_an_error() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2019 s=1",
        "insert 2020-W53 s=2",
    ]);
    // 2020 has an ISO week 53; 2019 has none.
    let err = fails(&mut ex, "growth s over 1y to 2020-W53");
    assert!(err.contains("53"), "{err}");
    let err = fails(&mut ex, "growth s over 1y");
    assert!(err.contains("53"), "{err}");
}

#[test]
fn over_resolves_the_shifted_period_by_the_rules() {
    let mut ex = with(&[
        "metric f kind=flow",
        "insert 2023-01 f=1",
        "insert 2023-02 f=2",
        "insert 2023-03 f=3",
        "insert 2024-Q1 f=10",
    ]);
    let rows = query(&mut ex, "growth f over 1y");
    assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2023-Q1"));
    assert_eq!(num(&rows, 0, "from_value"), Some(6.0));
    assert!(note_of(&rows, 0).contains("from"), "{}", note_of(&rows, 0));
    let err = fails(&mut ex, "growth f over 2y");
    assert!(err.contains("no data") && err.contains("2022-Q1"), "{err}");
}

// ---------------------------------------------------------------- earliest, latest

#[test]
fn earliest_and_latest_are_per_series() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2022 s=1",
        "insert 2023-06 s=2",
        "insert 2024-H1 s=3",
        "insert 2024 s=4",
        "insert 2020-W01 s{a=1}=10",
        "insert 2021-03-05 s{a=1}=20",
    ]);
    let rows = query(&mut ex, "growth s* from earliest to latest");
    assert_eq!(series_names(&rows), vec!["s", "s{a=1}"]);
    let got: Vec<_> = (0..2)
        .map(|i| {
            (
                text(&rows, i, "from_period").unwrap(),
                num(&rows, i, "from_value").unwrap(),
                text(&rows, i, "to_period").unwrap(),
                num(&rows, i, "to_value").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("2022".to_string(), 1.0, "2024".to_string(), 4.0),
            ("2020-W01".to_string(), 10.0, "2021-03-05".to_string(), 20.0),
        ]
    );
    assert_eq!(texts(&rows, "note"), vec![None, None]);
    let rows = query(&mut ex, "growth s from earliest to 2023-06");
    assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2022"));
    let rows = query(&mut ex, "growth s from latest to earliest");
    assert!(num(&rows, 0, "years").unwrap() < 0.0);
    assert_eq!(num(&rows, 0, "cagr_pct"), None);
}

// ---------------------------------------------------------------- asof

#[test]
fn asof_answers_from_the_revisions_recorded_by_then() {
    let mut ex = executor();
    let before_all = instant_between();
    ok(&mut ex, "metric users kind=stock");
    ok(&mut ex, "insert 2023 users=100");
    ok(&mut ex, "insert 2024 users=150");
    let first = instant_between();
    ok(&mut ex, "revise 2024 users=180");
    let revised = instant_between();
    ok(&mut ex, "delete users 2024");

    let growth = |ex: &mut Executor, asof: &str| -> std::result::Result<Rows, String> {
        run(ex, &format!("growth users from 2023 to 2024 asof {asof}"))
            .map(|o| o.rows.unwrap())
            .map_err(|e| e.to_string())
    };
    let rows = growth(&mut ex, &first).unwrap();
    assert_eq!(num(&rows, 0, "to_value"), Some(150.0));
    assert_eq!(text(&rows, 0, "note"), None);
    let rows = growth(&mut ex, &revised).unwrap();
    assert_eq!(num(&rows, 0, "to_value"), Some(180.0));
    // Now 2024 is deleted: the stock is stale from 2023, where the other
    // end stands too, so no growth can be measured.
    let err = run(&mut ex, "growth users from 2023 to 2024").unwrap_err();
    assert_eq!(err.kind(), crate::core::error::ErrorKind::SamePeriod);
    assert!(err.to_string().contains("both resolve to 2023"), "{err}");
    let err = growth(&mut ex, &before_all).unwrap_err();
    assert!(err.contains("no data"), "{err}");

    // The session's default asof applies unless the query names its own.
    let command = parse_command("growth users from 2023 to 2024").unwrap();
    let rows = ex
        .execute(&command, Some(first.parse().unwrap()))
        .unwrap()
        .rows
        .unwrap();
    assert_eq!(num(&rows, 0, "to_value"), Some(150.0));
    let command = parse_command(&format!("growth users from 2023 to 2024 asof {revised}")).unwrap();
    let rows = ex
        .execute(&command, Some(first.parse().unwrap()))
        .unwrap()
        .rows
        .unwrap();
    assert_eq!(num(&rows, 0, "to_value"), Some(180.0));

    let rows = query(&mut ex, &format!("series users asof {first}"));
    assert_eq!(
        (0..rows.rows.len())
            .map(|i| num(&rows, i, "value"))
            .collect::<Vec<_>>(),
        vec![Some(100.0), Some(150.0)]
    );
    let rows = query(&mut ex, "series users");
    assert_eq!(rows.rows.len(), 1);
    let rows = query(
        &mut ex,
        &format!("growth users from earliest to latest asof {first}"),
    );
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024"));
}

#[test]
fn asof_a_day_includes_everything_recorded_that_day() {
    // Revisions recorded at chosen times, through the store.
    let store = Store::open(":memory:", false).unwrap();
    let metric = store
        .create_metric("m", Some(crate::core::command::Kind::Stock), None, None)
        .unwrap();
    let mut series = store
        .create_series(metric.id, "m", &crate::core::labels::LabelSet::new(), 0)
        .unwrap();
    let p2023 = Period::parse("2023").unwrap();
    let p2024 = Period::parse("2024").unwrap();
    let add = |series: &SeriesRow, p: &Period, rev: i64, value: Option<f64>, at: &str| {
        let at = at
            .parse::<jiff::Timestamp>()
            .expect("an RFC 3339 time")
            .as_microsecond();
        store
            .add_revision(
                series.id,
                p.start_day(),
                p.end_day(),
                rev,
                value,
                at,
                None,
                None,
            )
            .unwrap();
    };
    add(
        &series,
        &p2023,
        1,
        Some(10.0),
        "2024-01-10T08:00:00.000000Z",
    );
    add(
        &series,
        &p2024,
        1,
        Some(20.0),
        "2024-06-12T23:59:59.999999Z",
    );
    add(
        &series,
        &p2024,
        2,
        Some(25.0),
        "2024-06-13T00:00:00.000000Z",
    );
    store
        .note_period_length(series.id, &mut series.max_days, 366)
        .unwrap();
    let mut ex = Executor::new(store);

    // Err: no 2024 yet, so 2024 is a stale 2023 for a stock, and both
    // ends stand on 2023.
    let cases: &[(&str, std::result::Result<f64, ()>)] = &[
        ("2024-06-11", Err(())),
        ("2024-06-12", Ok(20.0)),
        ("2024-06-12T23:59:59Z", Err(())),
        ("2024-06-13T00:00:00Z", Ok(25.0)),
        ("2024-06-13T01:30:00+02:00", Err(())),
        ("2024-06-12T20:00:00-04:00", Ok(25.0)),
        ("2024-06-13", Ok(25.0)),
    ];
    for (asof, expected) in cases {
        let command = format!("growth m from 2023 to 2024 asof {asof}");
        match expected {
            Ok(value) => {
                let rows = query(&mut ex, &command);
                assert_eq!(num(&rows, 0, "to_value"), Some(*value), "{asof}");
            }
            Err(()) => {
                let err = fails(&mut ex, &command);
                assert_eq!(
                    err,
                    "m: from 2023 and to 2024 both resolve to 2023, so no growth can be measured",
                    "{asof}"
                );
            }
        }
    }
    let err = fails(&mut ex, "growth m from 2023 to 2024 asof 2024-01-09");
    assert!(err.contains("no data"), "{err}");
}

// ---------------------------------------------------------------- one recorded period

#[test]
fn two_ends_asked_differently_on_one_recorded_period_measure_no_growth() {
    let mut ex = with(&[
        "metric a kind=stock",
        "metric b kind=stock",
        "insert 2024 a=5 b=7",
        "insert 2023 b=6",
    ]);
    let cases = [
        (
            "growth a from earliest to latest",
            "a: from earliest and to latest both resolve to 2024, so no growth can be measured",
        ),
        // A year contains both months (rule 4).
        (
            "growth a over 1m to 2024-06",
            "a: from 2024-05 and to 2024-06 both resolve to 2024, so no growth can be measured",
        ),
        // Both ends stale on 2024.
        (
            "growth a from 2025-01 to 2025-06",
            "a: from 2025-01 and to 2025-06 both resolve to 2024, so no growth can be measured",
        ),
    ];
    for (command, message) in cases {
        let err = run(&mut ex, command).unwrap_err();
        assert_eq!(err.to_string(), message, "{command}");
        assert_eq!(
            err.kind(),
            crate::core::error::ErrorKind::SamePeriod,
            "{command}"
        );
    }
    // In a pattern, that series' row is empty and says why.
    let rows = query(&mut ex, "growth * from earliest to latest");
    assert_eq!(series_names(&rows), vec!["a", "b"]);
    assert_eq!(num(&rows, 0, "change"), None);
    assert_eq!(text(&rows, 0, "from_period"), None);
    assert!(note_of(&rows, 0).contains("both resolve to 2024"));
    assert_eq!(num(&rows, 1, "change"), Some(1.0));
}

#[test]
fn the_same_period_asked_for_both_ends_is_no_change() {
    let mut ex = with(&["metric a kind=stock", "insert 2024 a=5"]);
    for command in [
        "growth a from 2024 to 2024",
        "growth a from latest to latest",
        "growth a from 2024-06 to 2024-06",
    ] {
        let rows = query(&mut ex, command);
        assert_eq!(num(&rows, 0, "change"), Some(0.0), "{command}");
        assert_eq!(num(&rows, 0, "years"), Some(0.0), "{command}");
        assert_eq!(num(&rows, 0, "cagr_pct"), None, "{command}");
    }
}

#[test]
fn a_command_whose_every_row_failed_fails_with_the_first_reason() {
    let mut ex = with(&[
        "metric a kind=stock",
        "metric b kind=flow",
        "insert 2024 a=5 b=7",
    ]);
    let err = run(&mut ex, "growth * from earliest to latest").unwrap_err();
    assert_eq!(
        err.to_string(),
        "all 2 series failed; first: a: from earliest and to latest both resolve to 2024, so no growth can be measured"
    );
    assert_eq!(err.kind(), crate::core::error::ErrorKind::SamePeriod);
    // The first reason gives the kind, whatever the others are.
    let err = run(&mut ex, "growth * from 2020 to 2024").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("all 2 series failed; first: no data for a in or before 2020"),
        "{err}"
    );
    assert_eq!(err.kind(), crate::core::error::ErrorKind::NoData);
    // One row that resolves is enough.
    ok(&mut ex, "insert 2023 b=6");
    let rows = query(&mut ex, "growth * from earliest to latest");
    assert_eq!(num(&rows, 1, "change"), Some(1.0));
}

#[test]
fn a_series_listing_whose_every_step_failed_fails() {
    let mut ex = with(&[
        "metric d kind=distinct",
        "insert 2024-01 d=1",
        "insert 2024-02 d=2",
        "insert 2024-03 d=3",
        "insert 2024-04 d=4",
    ]);
    let err = run(&mut ex, "series d from 2024-01 to 2024-03 every quarter").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("1 series failed; first: d is a distinct count, so 2024-Q1"),
        "{err}"
    );
    assert_eq!(err.kind(), crate::core::error::ErrorKind::CannotCombine);
    // A step that resolves keeps the listing, with notes on the others.
    let rows = query(&mut ex, "series d every month");
    assert_eq!(rows.rows.len(), 4);
    ok(&mut ex, "insert 2024-Q2 d=9");
    let rows = query(&mut ex, "series d every quarter");
    assert_eq!(num(&rows, 0, "value"), None);
    assert_eq!(num(&rows, 1, "value"), Some(9.0));
}
