//! SPEC §4 Commands: data commands, endpoint resolution rules 1–6, the
//! measures and their nulls, `over`, `by`, patterns, earliest/latest,
//! `asof`, `sort` and `limit`, and the listing commands.
mod common;

use common::{
    Row, Sandbox, assert_close, backdate, cell, column, csv, num, query, query_error, row_of,
    series_of,
};

/// The single growth row of a query.
#[track_caller]
fn growth_row(lines: &[&str]) -> Row {
    let mut rows = query(lines);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    rows.remove(0)
}

/// (from_period, from_value, to_period, to_value, note) of a growth row.
fn ends(row: &Row) -> (&str, &str, &str, &str, &str) {
    (
        cell(row, "from_period"),
        cell(row, "from_value"),
        cell(row, "to_period"),
        cell(row, "to_value"),
        cell(row, "note"),
    )
}

// ---------------------------------------------------------------- data

#[test]
fn insert_creates_undefined_metrics_without_a_kind_with_a_note() {
    let out = common::memory(&[], "insert 2020 fresh=1\nmetrics\n");
    out.ok();
    assert!(out.stderr.contains("fresh"), "a note names the metric");
    assert!(!out.stdout.contains("created"), "notes never go to stdout");
    let rows = query(&["insert 2020 fresh=1", "metrics"]);
    assert_eq!(cell(&rows[0], "kind"), "");
}

#[test]
fn reinserting_the_same_value_is_unchanged() {
    let out = common::memory(&[], "insert 2020 a=1\ninsert 2020 a=1.0 a{k=v}=2\n");
    out.ok();
    assert!(out.stderr.contains("unchanged"), "{out:#?}");
    let rows = query(&["insert 2020 a=1", "insert 2020 a=1", "history a"]);
    assert_eq!(rows.len(), 1, "no new revision");
}

#[test]
fn a_conflicting_insert_names_the_recorded_value_and_changes_nothing() {
    let error = query_error(&["insert 2020 a=17", "insert 2020 b=5 a=18"]);
    assert!(error.contains("17"), "{error}");
    assert!(error.contains("revise"), "{error}");
    let out = csv("insert 2020 a=17\ninsert 2020 b=5 a=18\nmetrics\nhistory a\n");
    let results = out.results();
    assert_eq!(column(&results[0], "metric"), ["a"], "b was not created");
    assert_eq!(column(&results[1], "value"), ["17"]);
}

#[test]
fn revise_keeps_old_revisions_and_needs_an_existing_snapshot() {
    let rows = query(&[
        "insert 2020 a=1 source=\"first\"",
        "revise 2020 a=2 source=\"second\" note=\"restated\"",
        "history a",
    ]);
    assert_eq!(column(&rows, "revision"), ["1", "2"]);
    assert_eq!(column(&rows, "value"), ["1", "2"]);
    assert_eq!(column(&rows, "status"), ["superseded", "current"]);
    assert_eq!(column(&rows, "source"), ["first", "second"]);
    assert_eq!(column(&rows, "note"), ["", "restated"]);

    let error = query_error(&["insert 2020 a=1", "revise 2021 a=2"]);
    assert!(error.contains("2021"), "{error}");
    // A revise naming one missing snapshot changes nothing.
    let out = csv("insert 2020 a=1 b=1\nrevise 2020 a=5 c=3\nseries a\n");
    assert_eq!(out.failed().len(), 1);
    assert_eq!(column(&out.rows(), "value"), ["1"]);
}

#[test]
fn delete_hides_a_snapshot_but_history_keeps_it() {
    let out = csv("insert 2020 a=1\ninsert 2021 a=2\ndelete a 2020\nseries a\nhistory a\n");
    out.clean();
    let results = out.results();
    assert_eq!(column(&results[0], "period"), ["2021"]);
    let history = &results[1];
    assert_eq!(column(history, "period"), ["2020", "2020", "2021"]);
    assert_eq!(
        column(history, "status"),
        ["superseded", "deleted", "current"]
    );
    assert_eq!(cell(&history[1], "value"), "", "a deletion has no value");

    for lines in [
        &["insert 2020 a=1", "delete a 2021"][..],
        &["insert 2020 a=1", "delete a 2020", "delete a 2020"][..],
        &["insert 2020 a=1", "delete b 2020"][..],
    ] {
        query_error(lines);
    }
}

#[test]
fn growth_ignores_deleted_snapshots() {
    let error = query_error(&[
        "metric s kind=flow",
        "insert 2020 s=1",
        "insert 2021 s=2",
        "delete s 2020",
        "growth s from 2020 to 2021",
    ]);
    assert!(error.contains("2020"), "{error}");
}

// ---------------------------------------------------- resolution rules

const QUARTERS_2024: [&str; 4] = [
    "insert 2024-Q1 m=1",
    "insert 2024-Q2 m=2",
    "insert 2024-Q3 m=3",
    "insert 2024-Q4 m=4",
];

#[test]
fn rule_1_an_exact_snapshot_is_used_without_a_note() {
    let row = growth_row(&[
        "insert 2024 m=100",
        QUARTERS_2024[0],
        "insert 2023 m=50",
        "growth m from 2023 to 2024",
    ]);
    assert_eq!(ends(&row), ("2023", "50", "2024", "100", ""));
}

#[test]
fn rule_2_finer_snapshots_that_tile_combine_by_kind() {
    // (kind, 2024 from its four quarters)
    let cases = [
        ("stock", 4.0),
        ("flow", 10.0),
        // Day-weighted: 91, 91, 92 and 92 days in 2024.
        (
            "average",
            (91.0 + 2.0 * 91.0 + 3.0 * 92.0 + 4.0 * 92.0) / 366.0,
        ),
    ];
    for (kind, value) in cases {
        let mut lines = vec![format!("metric m kind={kind}"), "insert 2023 m=5".into()];
        lines.extend(QUARTERS_2024.iter().map(|s| s.to_string()));
        lines.push("growth m from 2023 to 2024".into());
        let row = growth_row(&lines.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(cell(&row, "to_period"), "2024", "{kind}");
        assert_close(num(&row, "to_value"), Some(value), kind);
        assert!(cell(&row, "note").contains("4 quarters"), "{kind}: {row:?}");
    }
    // Ratios, stored as fractions, are weighted by days as well.
    let row = growth_row(&[
        "metric r kind=ratio",
        "insert 2024-01 r=10%",
        "insert 2024-02 r=40%",
        "insert 2024-03 r=70%",
        "growth r from 2024-01 to 2024-Q1",
    ]);
    let expected = (0.1 * 31.0 + 0.4 * 29.0 + 0.7 * 31.0) / 91.0;
    assert_close(num(&row, "to_value"), Some(expected), "ratio");
    // Weeks tile from days, years from halves.
    let mut lines = vec!["metric f kind=flow".to_string()];
    lines.extend((3..=9).map(|d| format!("insert 2024-06-0{d} f={d}")));
    lines.push("insert 2023-H1 f=1".into());
    lines.push("insert 2023-H2 f=2".into());
    lines.push("growth f from 2023 to 2024-W23".into());
    let row = growth_row(&lines.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(cell(&row, "to_period"), "2024-W23");
    assert_eq!(
        (cell(&row, "from_value"), cell(&row, "to_value")),
        ("3", "42")
    );
}

#[test]
fn rule_2_refuses_distinct_counts_and_metrics_without_a_kind() {
    let mut lines = vec!["metric m kind=distinct", "insert 2023 m=5"];
    lines.extend(QUARTERS_2024);
    lines.push("growth m from 2023 to 2024");
    let error = query_error(&lines);
    assert!(error.contains("distinct"), "{error}");

    let mut lines = vec!["insert 2023 m=5"];
    lines.extend(QUARTERS_2024);
    lines.push("growth m from 2023 to 2024");
    let error = query_error(&lines);
    assert!(
        error.contains("metric m kind="),
        "says how to set the kind: {error}"
    );
}

#[test]
fn rule_3_partial_coverage_fails_naming_present_and_missing() {
    let error = query_error(&[
        "metric m kind=flow",
        "insert 2024-04 m=1",
        "insert 2024-05 m=2",
        "insert 2023 m=9",
        "growth m from 2023 to 2024-Q2",
    ]);
    assert!(error.contains("2024-04, 2024-05"), "present: {error}");
    assert!(error.contains("2024-06"), "missing: {error}");

    // An ISO week across two recorded months: covered, neither tiled nor contained.
    let error = query_error(&[
        "metric m kind=stock",
        "insert 2024-05 m=1",
        "insert 2024-06 m=2",
        "insert 2023 m=9",
        "growth m from 2023 to 2024-W22",
    ]);
    assert!(
        error.contains("2024-05") && error.contains("2024-06"),
        "{error}"
    );
}

#[test]
fn rule_4_the_shortest_containing_period_is_used() {
    let row = growth_row(&[
        "metric m kind=stock",
        "insert 2023 m=1",
        "insert 2023-H2 m=2",
        "insert 2024 m=3",
        "growth m from 2023-10 to 2024-06-12",
    ]);
    let (from, from_value, to, to_value, note) = ends(&row);
    assert_eq!(
        (from, from_value, to, to_value),
        ("2023-H2", "2", "2024", "3")
    );
    assert!(note.contains("from:") && note.contains("to:"), "{note}");
    // `years` is measured between the data's periods.
    let years = (366.0 / 2.0 + 365.0 - (181.0 + 184.0 / 2.0)) / 365.2425;
    assert_close(num(&row, "years"), Some(years), "years");
}

#[test]
fn rule_5_a_stale_value_for_kinds_other_than_flow() {
    for kind in ["stock", "average", "ratio", "distinct", ""] {
        let define = if kind.is_empty() {
            "metric m unit=x".to_string()
        } else {
            format!("metric m kind={kind}")
        };
        let row = growth_row(&[
            &define,
            "insert 2022 m=1",
            "insert 2024-06 m=2",
            "growth m from 2022 to 2025",
        ]);
        let (_, _, to, to_value, note) = ends(&row);
        assert_eq!((to, to_value), ("2024-06", "2"), "{kind}");
        assert!(note.contains("stale"), "{kind}: {note}");
        assert!(note.contains("2024-06"), "{kind}: {note}");
    }
    let error = query_error(&[
        "metric m kind=flow",
        "insert 2022 m=1",
        "insert 2024-06 m=2",
        "growth m from 2022 to 2025",
    ]);
    assert!(error.contains("2025"), "{error}");
}

#[test]
fn rule_6_no_data_for_the_period() {
    let error = query_error(&[
        "metric m kind=stock",
        "insert 2023 m=1",
        "growth m from 2022 to 2023",
    ]);
    assert!(error.contains("no data"), "{error}");
    assert!(error.contains("2022"), "{error}");
}

#[test]
fn selectors_that_match_no_recorded_series_are_errors() {
    let cases: &[&[&str]] = &[
        &["growth nosuch over 1y"],
        &["metric m kind=stock", "growth m over 1y"],
        &["insert 2020 u=1", "growth u{line=a} over 1y"],
        &["insert 2020 u=1", "growth zz* over 1y"],
        &["insert 2020 u{region=us}=1", "growth *{region=cn} over 1y"],
        &["insert 2020 u=1", "series nosuch"],
    ];
    for lines in cases {
        query_error(lines);
    }
}

// ------------------------------------------------------------ measures

/// (from, to, change, change_pct, multiple, cagr_pct)
type Measured = (
    &'static str,
    &'static str,
    f64,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

#[test]
fn measures_and_their_nulls() {
    let y = 365.0 / 365.2425;
    let cases: [Measured; 7] = [
        (
            "100",
            "150",
            50.0,
            Some(50.0),
            Some(1.5),
            Some((1.5f64.powf(1.0 / y) - 1.0) * 100.0),
        ),
        ("0", "5", 5.0, None, None, None),
        ("-4", "2", 6.0, Some(150.0), None, None),
        ("4", "-2", -6.0, Some(-150.0), None, None),
        ("4", "0", -4.0, Some(-100.0), Some(0.0), Some(-100.0)),
        ("-4", "-8", -4.0, Some(-100.0), None, None),
        ("0", "0", 0.0, None, None, None),
    ];
    for (from, to, change, change_pct, multiple, cagr_pct) in cases {
        let row = growth_row(&[
            "metric s kind=stock",
            &format!("insert 2022 s={from}"),
            &format!("insert 2023 s={to}"),
            "growth s from 2022 to 2023",
        ]);
        let what = format!("{from} -> {to}");
        assert_close(num(&row, "change"), Some(change), &what);
        assert_close(num(&row, "change_pct"), change_pct, &what);
        assert_close(num(&row, "multiple"), multiple, &what);
        assert_close(num(&row, "years"), Some(y), &what);
        assert_close(num(&row, "cagr_pct"), cagr_pct, &what);
        assert_eq!(num(&row, "change_pp"), None, "{what}: not a ratio");
        assert_eq!(num(&row, "share_pct"), None, "{what}: no by");
    }
}

#[test]
fn years_is_between_midpoints_and_may_be_zero_or_negative() {
    // (from, to, years)
    let cases = [
        ("2023-05", "2024-05", 366.0 / 365.2425),
        ("2022", "2023", 365.0 / 365.2425),
        ("2023", "2023", 0.0),
        (
            "2023",
            "2023-H2",
            (181.0 + 184.0 / 2.0 - 365.0 / 2.0) / 365.2425,
        ),
        ("2023", "2022", -365.0 / 365.2425),
    ];
    for (from, to, years) in cases {
        let to_insert = if from == to {
            String::new()
        } else {
            format!("insert {to} s=2")
        };
        let row = growth_row(&[
            "metric s kind=stock",
            &format!("insert {from} s=1"),
            &to_insert,
            "insert 2024 s=4",
            &format!("growth s from {from} to {to}"),
        ]);
        assert_close(num(&row, "years"), Some(years), &format!("{from}..{to}"));
        if years <= 0.0 {
            assert_eq!(num(&row, "cagr_pct"), None, "{from}..{to}");
        }
    }
}

#[test]
fn from_after_to_has_negative_years_and_no_cagr() {
    let row = growth_row(&[
        "insert 2022 s=1",
        "insert 2023 s=2",
        "growth s from 2023 to 2022",
    ]);
    assert_eq!(ends(&row), ("2023", "2", "2022", "1", ""));
    assert!(num(&row, "years").unwrap() < 0.0);
    assert_eq!(num(&row, "cagr_pct"), None);
    assert_close(num(&row, "multiple"), Some(0.5), "multiple");
}

#[test]
fn change_pp_is_for_ratio_metrics() {
    let row = growth_row(&[
        "metric r kind=ratio",
        "insert 2023 r=65%",
        "insert 2024 r=70%",
        "growth r from 2023 to 2024",
    ]);
    assert_close(num(&row, "from_value"), Some(0.65), "from");
    assert_close(num(&row, "change"), Some(0.05), "change");
    assert_close(num(&row, "change_pp"), Some(5.0), "change_pp");
}

// ---------------------------------------------------------------- over

#[test]
fn over_shifts_back_keeping_the_period_type() {
    // (to, span, from)
    let cases = [
        ("2024", "1y", "2023"),
        ("2024-H1", "1y", "2023-H1"),
        ("2024-H1", "1h", "2023-H2"),
        ("2024-Q2", "1q", "2024-Q1"),
        ("2024-Q2", "1y", "2023-Q2"),
        ("2024-06", "1y", "2023-06"),
        ("2024-06", "1m", "2024-05"),
        ("2024-06", "1q", "2024-03"),
        ("2024-W23", "1y", "2023-W23"),
        ("2024-W23", "52w", "2023-W23"),
        ("2021-W01", "1w", "2020-W53"),
        ("2020-W53", "5y", "2015-W53"),
        ("2024-06-12", "1y", "2023-06-12"),
        ("2024-06-12", "366d", "2023-06-12"),
        ("2024-02-29", "1y", "2023-02-28"),
        ("2024-02-29", "4y", "2020-02-29"),
        ("2023-03-01", "1d", "2023-02-28"),
        ("2024-01-05..2024-02-03", "1y", "2023-01-05..2023-02-03"),
    ];
    for (to, span, from) in cases {
        let row = growth_row(&[
            "metric s kind=stock",
            &format!("insert {from} s=1"),
            &format!("insert {to} s=2"),
            &format!("growth s over {span} to {to}"),
        ]);
        assert_eq!(ends(&row), (from, "1", to, "2", ""), "{to} over {span}");
    }
}

#[test]
fn over_fails_when_the_shifted_period_does_not_exist() {
    // ISO week 53 has no twin a year earlier.
    for (to, span) in [("2020-W53", "1y"), ("2026-W53", "1y"), ("2024-Q2", "1m")] {
        let error = query_error(&[
            "metric s kind=stock",
            "insert 2000 s=1",
            &format!("insert {to} s=2"),
            &format!("growth s over {span} to {to}"),
        ]);
        assert!(error.contains(to), "{to} over {span}: {error}");
    }
}

/// SPEC §4 gives "2021-W53 over 1y" as its example of a week with no twin;
/// 2021 has only 52 ISO weeks, so the period itself is already invalid.
#[test]
fn the_specs_own_week_53_example_is_an_error() {
    let error = query_error(&["insert 2020 s=1", "growth s over 1y to 2021-W53"]);
    assert!(error.contains("2021-W53"), "{error}");
}

#[test]
fn over_without_to_uses_each_series_latest_period() {
    let rows = query(&[
        "metric s kind=stock",
        "insert 2022 s{k=a}=1 s{k=b}=10",
        "insert 2023 s{k=a}=2",
        "insert 2023-Q4 s{k=b}=20",
        "insert 2022-Q4 s{k=b}=15",
        "growth s* over 1y",
    ]);
    let a = row_of(&rows, "s{k=a}");
    assert_eq!(ends(a), ("2022", "1", "2023", "2", ""));
    let b = row_of(&rows, "s{k=b}");
    assert_eq!(ends(b), ("2022-Q4", "15", "2023-Q4", "20", ""));
}

// ------------------------------------------------------------------ by

#[test]
fn by_with_a_recorded_total_that_matches_its_segments() {
    let rows = query(&[
        "metric users kind=stock",
        "insert 2022 users=900M users{line=a}=500M users{line=b}=400M",
        "insert 2023 users=1B users{line=a}=530M users{line=b}=470M",
        "growth users from 2022 to 2023 by line",
    ]);
    assert_eq!(
        series_of(&rows),
        ["users{line=a}", "users{line=b}", "users"]
    );
    let shares: Vec<Option<f64>> = rows.iter().map(|r| num(r, "share_pct")).collect();
    assert_eq!(shares, [Some(30.0), Some(70.0), Some(100.0)]);
    assert_eq!(cell(&rows[2], "to_value"), "1000000000");
}

#[test]
fn by_with_a_recorded_total_that_differs_adds_an_unattributed_row() {
    let rows = query(&[
        "metric u kind=stock",
        "insert 2022 u=100 u{line=a}=50 u{line=b}=30",
        "insert 2023 u=150 u{line=a}=70 u{line=b}=40",
        "growth u from 2022 to 2023 by line",
    ]);
    assert_eq!(
        series_of(&rows),
        ["u{line=a}", "u{line=b}", "u (unattributed)", "u"]
    );
    let unattributed = row_of(&rows, "u (unattributed)");
    assert_eq!(
        (
            cell(unattributed, "from_value"),
            cell(unattributed, "to_value")
        ),
        ("20", "40")
    );
    let shares: Vec<f64> = rows.iter().map(|r| num(r, "share_pct").unwrap()).collect();
    assert_eq!(shares, [40.0, 20.0, 40.0, 100.0]);
    assert_eq!(shares[..3].iter().sum::<f64>(), 100.0, "shares add up");
}

#[test]
fn by_without_a_recorded_total_sums_the_segments() {
    let rows = query(&[
        "metric v kind=stock",
        "insert 2022 v{line=a,region=cn}=10 v{line=b,region=cn}=20 v{line=a,region=us}=5",
        "insert 2023 v{line=a,region=cn}=20 v{line=b,region=cn}=50 v{line=a,region=us}=7",
        "growth v{region=cn} from 2022 to 2023 by line",
    ]);
    assert_eq!(
        series_of(&rows),
        ["v{line=a,region=cn}", "v{line=b,region=cn}", "v{region=cn}"]
    );
    let total = &rows[2];
    assert_eq!(
        (cell(total, "from_value"), cell(total, "to_value")),
        ("30", "70")
    );
    let shares: Vec<f64> = rows.iter().map(|r| num(r, "share_pct").unwrap()).collect();
    assert_eq!(shares, [25.0, 75.0, 100.0]);
}

#[test]
fn by_sorts_and_limits_the_segments_and_keeps_the_total_last() {
    let setup = [
        "metric u kind=stock",
        "insert 2022 u=100 u{line=a}=10 u{line=b}=20 u{line=c}=30",
        "insert 2023 u=200 u{line=a}=40 u{line=b}=30 u{line=c}=80",
    ];
    // Shares: a 30, b 10, c 50, unattributed 10.
    let cases: [(&str, &[&str]); 4] = [
        (
            "sort share_pct desc",
            &["u{line=c}", "u{line=a}", "u{line=b}"],
        ),
        (
            "sort share_pct asc",
            &["u{line=b}", "u{line=a}", "u{line=c}"],
        ),
        ("sort change desc limit 2", &["u{line=c}", "u{line=a}"]),
        ("limit 1", &["u{line=a}"]),
    ];
    for (clauses, segments) in cases {
        let mut lines = setup.to_vec();
        let command = format!("growth u from 2022 to 2023 by line {clauses}");
        lines.push(&command);
        let rows = query(&lines);
        let mut expected = segments.to_vec();
        expected.extend(["u (unattributed)", "u"]);
        assert_eq!(series_of(&rows), expected, "{clauses}");
    }
}

#[test]
fn by_shares_are_null_when_the_total_does_not_change() {
    let rows = query(&[
        "metric u kind=stock",
        "insert 2022 u{line=a}=50 u{line=b}=30",
        "insert 2023 u{line=a}=60 u{line=b}=20",
        "growth u from 2022 to 2023 by line",
    ]);
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert_eq!(num(row, "share_pct"), None, "{row:?}");
    }
}

#[test]
fn by_a_key_no_series_has_is_an_error() {
    query_error(&[
        "insert 2022 u=1 u{line=a}=1",
        "growth u from 2022 to 2022 by region",
    ]);
}

// ------------------------------------------------------------ patterns

#[test]
fn patterns_select_every_series_of_the_matching_metrics() {
    let setup = [
        "insert 2022 creators.monthly=1 creators.daily=2 consumers=3 c{region=cn}=4 c{region=us}=5 c=6",
        "insert 2023 creators.monthly=2 creators.daily=4 consumers=6 c{region=cn}=8 c{region=us}=10 c=12",
    ];
    // (selector, series selected)
    let cases: [(&str, &[&str]); 5] = [
        ("creators.*", &["creators.daily", "creators.monthly"]),
        (
            "c*",
            &[
                "c",
                "c{region=cn}",
                "c{region=us}",
                "consumers",
                "creators.daily",
                "creators.monthly",
            ],
        ),
        (
            "*",
            &[
                "c",
                "c{region=cn}",
                "c{region=us}",
                "consumers",
                "creators.daily",
                "creators.monthly",
            ],
        ),
        ("*{region=cn}", &["c{region=cn}"]),
        ("c", &["c"]),
    ];
    for (selector, expected) in cases {
        let mut lines = setup.to_vec();
        let command = format!("growth {selector} from 2022 to 2023");
        lines.push(&command);
        let rows = query(&lines);
        let mut series = series_of(&rows);
        series.sort();
        let mut expected = expected.to_vec();
        expected.sort();
        assert_eq!(series, expected, "{selector}");
    }
}

// --------------------------------------------------- earliest / latest

#[test]
fn earliest_and_latest_are_per_series() {
    let rows = query(&[
        "metric s kind=stock",
        "insert 2021 s{k=a}=1",
        "insert 2022-06 s{k=a}=2 s{k=b}=20",
        "insert 2023-Q1 s{k=b}=30",
        "insert 2022-H2 s{k=b}=25",
        "growth s* from earliest to latest",
    ]);
    assert_eq!(
        ends(row_of(&rows, "s{k=a}")),
        ("2021", "1", "2022-06", "2", "")
    );
    assert_eq!(
        ends(row_of(&rows, "s{k=b}")),
        ("2022-06", "20", "2023-Q1", "30", "")
    );
    let row = growth_row(&[
        "insert 2020 s=1",
        "insert 2021 s=2",
        "growth s from latest to earliest",
    ]);
    assert_eq!(ends(&row), ("2021", "2", "2020", "1", ""));
}

// ---------------------------------------------------------------- asof

#[test]
fn asof_answers_from_the_revisions_recorded_by_then() {
    let sandbox = Sandbox::new();
    sandbox.load("metric m kind=stock\ninsert 2022 m=1\ninsert 2023 m=10\nrevise 2023 m=12\n");
    let db = sandbox.db();
    backdate(&db, "m", 1, "2020-01-01T00:00:00.000000Z");
    backdate(&db, "m", 2, "2021-01-01T00:00:00.000000Z");
    // (asof, to_value)
    let cases = [
        ("2020-06-01", "10"),
        ("2020-06-01T12:00:00Z", "10"),
        ("2021-06-01", "12"),
        ("2021-01-01T00:00:01Z", "12"),
        ("2999-01-01T00:00:00+02:00", "12"),
    ];
    for (asof, value) in cases {
        let out = sandbox.csv(&format!("growth m from 2022 to 2023 asof {asof}"));
        out.clean();
        assert_eq!(cell(&out.rows()[0], "to_value"), value, "asof {asof}");
    }
    let out = sandbox.csv("growth m from 2022 to 2023 asof 2019-06-01");
    assert!(out.only_error().contains("no data"), "{out:#?}");
    let out = sandbox.csv("series m asof 2020-06-01");
    out.clean();
    assert_eq!(column(&out.rows(), "value"), ["1", "10"]);
    let out = sandbox.csv("series m asof bogus");
    assert!(out.only_error().contains("bogus"));
}

#[test]
fn asof_sees_deletions_only_after_they_happen() {
    let sandbox = Sandbox::new();
    sandbox.load("insert 2022 m=1\ninsert 2023 m=2\ndelete m 2023\n");
    backdate(&sandbox.db(), "m", 1, "2020-01-01T00:00:00.000000Z");
    backdate(&sandbox.db(), "m", 2, "2021-01-01T00:00:00.000000Z");
    let out = sandbox.csv("series m asof 2020-06-01\nseries m asof 2021-06-01\nseries m\n");
    out.clean();
    let periods: Vec<Vec<String>> = out.results().iter().map(|r| column(r, "period")).collect();
    assert_eq!(periods, [vec!["2022", "2023"], vec!["2022"], vec!["2022"]]);
}

// ------------------------------------------------------- sort and limit

const SORT_SETUP: [&str; 3] = [
    "metric m kind=stock",
    "insert 2022 m{k=a}=10 m{k=b}=0 m{k=c}=5 m{k=d}=40",
    "insert 2023 m{k=a}=20 m{k=b}=7 m{k=c}=20 m{k=d}=50",
];

fn sorted(clauses: &str) -> Vec<String> {
    let mut lines = SORT_SETUP.to_vec();
    let command = format!("growth m* from 2022 to 2023 {clauses}");
    lines.push(&command);
    query(&lines)
        .iter()
        .map(|r| {
            cell(r, "series")
                .trim_start_matches("m{k=")
                .trim_end_matches('}')
                .to_string()
        })
        .collect()
}

#[test]
fn sort_by_any_numeric_field_with_nulls_last() {
    // multiple: a 2, b null (from 0), c 4, d 1.25
    let cases = [
        ("sort multiple", ["d", "a", "c", "b"]),
        ("sort multiple asc", ["d", "a", "c", "b"]),
        ("sort multiple desc", ["c", "a", "d", "b"]),
        ("sort change desc", ["c", "a", "d", "b"]),
        ("sort change asc", ["b", "a", "d", "c"]),
        ("sort to_value desc", ["d", "a", "c", "b"]),
        ("sort change_pct desc", ["c", "a", "d", "b"]),
        ("sort cagr_pct asc", ["d", "a", "c", "b"]),
    ];
    for (clause, expected) in cases {
        assert_eq!(sorted(clause), expected, "{clause}");
    }
}

#[test]
fn limit_and_clauses_in_any_order() {
    assert_eq!(sorted("limit 2"), ["a", "b"]);
    assert_eq!(sorted("sort change desc limit 2"), ["c", "a"]);
    assert_eq!(sorted("limit 2 sort change desc"), ["c", "a"]);
    assert_eq!(
        sorted("asof 2999-01-01 limit 1 sort change_pct desc"),
        ["c"]
    );
    assert!(sorted("limit 0").is_empty());
}

#[test]
fn clauses_at_most_once_and_sort_fields_must_be_numeric() {
    for clauses in [
        "limit 1 limit 2",
        "sort change sort multiple",
        "asof 2999-01-01 asof 2999-01-02",
        "by k by k",
        "sort series",
        "sort note",
        "sort nosuch",
        "limit -1",
        "limit x",
    ] {
        let mut lines = SORT_SETUP.to_vec();
        let command = format!("growth m* from 2022 to 2023 {clauses}");
        lines.push(&command);
        query_error(&lines);
    }
}

// ------------------------------------------- series, metrics, history

#[test]
fn series_lists_values_between_periods_at_a_granularity() {
    let rows = query(&[
        "metric f kind=flow",
        "insert 2024-01 f=1",
        "insert 2024-02 f=2",
        "insert 2024-03 f=3",
        "insert 2024-04 f=4",
        "insert 2024-05 f=5",
        "insert 2024-06 f=6",
        "series f from 2024-02 to 2024-04",
    ]);
    assert_eq!(column(&rows, "period"), ["2024-02", "2024-03", "2024-04"]);
    assert_eq!(column(&rows, "change"), ["", "1", "1"]);
    assert_eq!(column(&rows, "change_pct"), ["", "50", "33.33333333333333"]);
    let rows = query(&[
        "metric f kind=flow",
        "insert 2024-01 f=1",
        "insert 2024-02 f=2",
        "insert 2024-03 f=3",
        "insert 2024-04 f=4",
        "insert 2024-05 f=5",
        "insert 2024-06 f=6",
        "series f every quarter",
    ]);
    assert_eq!(column(&rows, "period"), ["2024-Q1", "2024-Q2"]);
    assert_eq!(column(&rows, "value"), ["6", "15"]);
    assert_eq!(column(&rows, "start"), ["2024-01-01", "2024-04-01"]);
    assert_eq!(column(&rows, "end"), ["2024-03-31", "2024-06-30"]);
}

#[test]
fn metrics_lists_kind_unit_series_and_span() {
    let rows = query(&[
        "metric users kind=stock unit=people desc=\"All users\"",
        "insert 2022 users=1 users{line=a}=1",
        "insert 2023-Q2 users=2",
        "metric empty kind=flow",
        "metrics",
    ]);
    assert_eq!(column(&rows, "metric"), ["empty", "users"]);
    let users = &rows[1];
    let fields = [
        "kind",
        "unit",
        "series",
        "snapshots",
        "first",
        "last",
        "description",
    ];
    let values: Vec<&str> = fields.iter().map(|f| cell(users, f)).collect();
    assert_eq!(
        values,
        ["stock", "people", "2", "3", "2022", "2023-Q2", "All users"]
    );
    let empty: Vec<&str> = fields.iter().map(|f| cell(&rows[0], f)).collect();
    assert_eq!(empty, ["flow", "", "0", "0", "", "", ""]);

    let rows = query(&["insert 2020 ab=1 ac=1 b=1", "metrics a*"]);
    assert_eq!(column(&rows, "metric"), ["ab", "ac"]);
}

#[test]
fn history_can_be_limited_to_a_period() {
    let rows = query(&[
        "insert 2022 m=1",
        "insert 2023 m=2",
        "revise 2023 m=3",
        "history m 2023",
    ]);
    assert_eq!(column(&rows, "period"), ["2023", "2023"]);
    assert_eq!(column(&rows, "revision"), ["1", "2"]);
}
