//! SPEC §4 Commands: the measures of `growth` and their nulls, `by`,
//! patterns, and `sort` and `limit`.
use crate::common::{
    assert_close, cell, ends, growth_row, num, query, query_error, row_of, series_of,
};

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
