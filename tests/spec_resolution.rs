//! SPEC §4 Commands: endpoint resolution rules 1–6, selectors that match
//! nothing, `over`, earliest/latest and `asof`.
use crate::common::{
    Sandbox, assert_close, backdate, cell, column, ends, growth_row, num, query, query_error,
    row_of,
};

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
