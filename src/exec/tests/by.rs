//! `by KEY`: segments, the total, the unattributed row, shares, and `sort`
//! and `limit` applied to the segments.

use super::*;

// ---------------------------------------------------------------- by

#[test]
fn by_key_with_a_recorded_total_that_matches() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users=100 users{line=a}=60 users{line=b}=40 users{line=a,region=cn}=1 users{region=cn}=2",
        "insert 2024 users=150 users{line=a}=90 users{line=b}=60 users{line=a,region=cn}=9 users{region=cn}=3",
    ]);
    let rows = query(&mut ex, "growth users from 2023 to 2024 by line");
    assert_eq!(
        series_names(&rows),
        vec!["users{line=a}", "users{line=b}", "users"]
    );
    assert_eq!(num(&rows, 0, "change"), Some(30.0));
    assert_eq!(num(&rows, 0, "share_pct"), Some(60.0));
    assert_eq!(num(&rows, 1, "share_pct"), Some(40.0));
    assert_eq!(num(&rows, 2, "share_pct"), Some(100.0));
    assert_eq!(num(&rows, 2, "from_value"), Some(100.0));
    assert_eq!(num(&rows, 2, "to_value"), Some(150.0));
    assert_eq!(text(&rows, 2, "metric").as_deref(), Some("users"));
}

#[test]
fn by_key_without_a_recorded_total_sums_the_segments() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users{line=a}=60 users{line=b}=40",
        "insert 2024 users{line=a}=90 users{line=b}=30",
    ]);
    let rows = query(&mut ex, "growth users from 2023 to 2024 by line");
    assert_eq!(
        series_names(&rows),
        vec!["users{line=a}", "users{line=b}", "users"]
    );
    let total = 2;
    assert_eq!(num(&rows, total, "from_value"), Some(100.0));
    assert_eq!(num(&rows, total, "to_value"), Some(120.0));
    assert_eq!(num(&rows, total, "change"), Some(20.0));
    assert_eq!(num(&rows, total, "change_pct"), Some(20.0));
    assert_eq!(text(&rows, total, "from_period").as_deref(), Some("2023"));
    assert_eq!(text(&rows, total, "to_period").as_deref(), Some("2024"));
    assert_eq!(num(&rows, total, "share_pct"), Some(100.0));
    // One segment grew more than the total, the other shrank.
    assert_eq!(num(&rows, 0, "share_pct"), Some(150.0));
    assert_eq!(num(&rows, 1, "share_pct"), Some(-50.0));
}

#[test]
fn by_key_with_a_recorded_total_that_differs_adds_an_unattributed_row() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users=100 users{line=a}=60 users{line=b}=40",
        "insert 2024 users=200 users{line=a}=90 users{line=b}=60",
    ]);
    let rows = query(&mut ex, "growth users from 2023 to 2024 by line");
    assert_eq!(
        series_names(&rows),
        vec![
            "users{line=a}",
            "users{line=b}",
            "users (unattributed)",
            "users"
        ]
    );
    let un = row_of(&rows, "users (unattributed)");
    assert_eq!(num(&rows, un, "from_value"), Some(0.0));
    assert_eq!(num(&rows, un, "to_value"), Some(50.0));
    assert_eq!(num(&rows, un, "change"), Some(50.0));
    let shares: Vec<f64> = (0..3)
        .map(|i| num(&rows, i, "share_pct").unwrap())
        .collect();
    assert_eq!(shares, vec![30.0, 20.0, 50.0]);
    assert_eq!(shares.iter().sum::<f64>(), 100.0);
    assert_eq!(num(&rows, 3, "share_pct"), Some(100.0));
}

#[test]
fn by_key_under_selector_labels_and_patterns() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users{region=cn}=10 users{line=a,region=cn}=4 users{line=b,region=cn}=6 users{line=a,region=us}=100",
        "insert 2024 users{region=cn}=20 users{line=a,region=cn}=9 users{line=b,region=cn}=11 users{line=a,region=us}=200",
    ]);
    let rows = query(&mut ex, "growth users{region=cn} from 2023 to 2024 by line");
    assert_eq!(
        series_names(&rows),
        vec![
            "users{line=a,region=cn}",
            "users{line=b,region=cn}",
            "users{region=cn}"
        ]
    );
    assert_eq!(num(&rows, 0, "share_pct"), Some(50.0));
    assert_eq!(num(&rows, 2, "change"), Some(10.0));
    let rows = query(&mut ex, "growth users* from 2023 to 2024 by region");
    // No series is users plus only a region, except users{region=cn}.
    assert_eq!(series_names(&rows), vec!["users{region=cn}", "users"]);
    let err = fails(&mut ex, "growth users from 2023 to 2024 by channel");
    assert!(err.contains("channel"), "{err}");
    let err = fails(
        &mut ex,
        "growth users{region=cn} from 2023 to 2024 by region",
    );
    assert!(err.contains("region"), "{err}");
}

#[test]
fn by_key_shares_are_null_when_the_total_does_not_change() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users{line=a}=60 users{line=b}=40",
        "insert 2024 users{line=a}=70 users{line=b}=30",
    ]);
    let rows = query(&mut ex, "growth users from 2023 to 2024 by line");
    assert_eq!(num(&rows, 2, "change"), Some(0.0));
    for i in 0..3 {
        assert_eq!(num(&rows, i, "share_pct"), None, "row {i}");
    }
}

#[test]
fn by_key_of_a_ratio_has_percentage_points() {
    let mut ex = with(&[
        "metric share kind=ratio",
        "insert 2023 share=60% share{app=a}=50% share{app=b}=10%",
        "insert 2024 share=70% share{app=a}=55% share{app=b}=15%",
    ]);
    let rows = query(&mut ex, "growth share from 2023 to 2024 by app");
    assert_eq!(
        series_names(&rows),
        vec!["share{app=a}", "share{app=b}", "share"]
    );
    assert_close(num(&rows, 0, "change_pp"), 5.0, "a");
    assert_close(num(&rows, 2, "change_pp"), 10.0, "total");
}

#[test]
fn sort_and_limit_with_by_apply_to_the_segments_and_keep_the_total_last() {
    let mut ex = with(&[
        "metric g kind=stock",
        "insert 2023 g{s=a}=0 g{s=b}=100 g{s=c}=100",
        "insert 2024 g{s=a}=10 g{s=b}=150 g{s=c}=200",
    ]);
    let cases: &[(&str, &[&str])] = &[
        ("sort change desc", &["g{s=c}", "g{s=b}", "g{s=a}", "g"]),
        ("sort change_pct desc", &["g{s=c}", "g{s=b}", "g{s=a}", "g"]),
        ("sort change asc limit 1", &["g{s=a}", "g"]),
    ];
    for (clauses, expected) in cases {
        let rows = query(
            &mut ex,
            &format!("growth g from 2023 to 2024 by s {clauses}"),
        );
        assert_eq!(series_names(&rows), *expected, "{clauses}");
        let total = rows.rows.len() - 1;
        // The total is of every segment, listed or not.
        assert_eq!(num(&rows, total, "change"), Some(160.0), "{clauses}");
        assert_eq!(num(&rows, total, "share_pct"), Some(100.0), "{clauses}");
    }
}

#[test]
fn sort_by_share_pct_with_by() {
    let mut ex = with(&[
        "metric g kind=stock",
        "insert 2023 g{s=a}=0 g{s=b}=100 g{s=c}=100",
        "insert 2024 g{s=a}=10 g{s=b}=150 g{s=c}=200",
    ]);
    // Shares: a 6.25, b 31.25, c 62.5 of a total change of 160.
    let cases: &[(&str, &[&str])] = &[
        ("sort share_pct desc", &["g{s=c}", "g{s=b}", "g{s=a}", "g"]),
        ("sort share_pct asc", &["g{s=a}", "g{s=b}", "g{s=c}", "g"]),
        ("sort share_pct desc limit 1", &["g{s=c}", "g"]),
    ];
    for (clauses, expected) in cases {
        let rows = query(
            &mut ex,
            &format!("growth g from 2023 to 2024 by s {clauses}"),
        );
        assert_eq!(series_names(&rows), *expected, "{clauses}");
    }
}
