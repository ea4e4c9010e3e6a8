//! `by KEY`: segments, the total, the unattributed row, shares, and `sort`
//! and `limit` applied to the segments.

use super::*;
use crate::core::error::ErrorKind;

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

// ---------------------------------------------------------------- averages and ratios

#[test]
fn by_key_of_averages_without_a_recorded_total_has_no_total_and_no_shares() {
    for kind in ["average", "ratio"] {
        let mut ex = with(&[
            &format!("metric m kind={kind}"),
            "insert 2023 m{app=a}=0.5 m{app=b}=0.1",
            "insert 2024 m{app=a}=0.6 m{app=b}=0.3",
        ]);
        let rows = query(&mut ex, "growth m from 2023 to 2024 by app");
        assert_eq!(series_names(&rows), vec!["m{app=a}", "m{app=b}"], "{kind}");
        for i in 0..2 {
            assert_eq!(num(&rows, i, "share_pct"), None, "{kind} row {i}");
        }
        assert_close(num(&rows, 1, "change"), 0.2, kind);
        // sort and limit still apply to the segments.
        let rows = query(
            &mut ex,
            "growth m from 2023 to 2024 by app sort change desc limit 1",
        );
        assert_eq!(series_names(&rows), vec!["m{app=b}"], "{kind}");
    }
}

#[test]
fn by_key_of_averages_with_a_recorded_total_keeps_the_total_and_shares() {
    let mut ex = with(&[
        "metric m kind=average",
        "insert 2023 m=10 m{app=a}=4 m{app=b}=6",
        "insert 2024 m=20 m{app=a}=8 m{app=b}=10",
    ]);
    let rows = query(&mut ex, "growth m from 2023 to 2024 by app");
    assert_eq!(
        series_names(&rows),
        vec!["m{app=a}", "m{app=b}", "m (unattributed)", "m"]
    );
    assert_eq!(num(&rows, 0, "share_pct"), Some(40.0));
    assert_eq!(num(&rows, 2, "change"), Some(2.0));
    assert_eq!(num(&rows, 3, "share_pct"), Some(100.0));
}

// ---------------------------------------------------------------- roll-ups

/// Countries under continents, with no series split by continent alone.
fn countries(kind: &str) -> Executor {
    with(&[
        &format!("metric pop kind={kind}"),
        "insert 2000 pop{continent=Asia,country=Japan}=127 pop{continent=Asia,country=Korea}=47 pop{continent=Oceania,country=Australia}=19",
        "insert 2010 pop{continent=Asia,country=Japan}=128 pop{continent=Asia,country=Korea}=49 pop{continent=Oceania,country=Australia}=22",
    ])
}

#[test]
fn by_key_rolls_up_series_that_carry_the_key_among_other_labels() {
    for kind in ["stock", "flow"] {
        let mut ex = countries(kind);
        let rows = query(&mut ex, "growth pop from 2000 to 2010 by continent");
        assert_eq!(
            series_names(&rows),
            vec!["pop{continent=Asia}", "pop{continent=Oceania}", "pop"],
            "{kind}"
        );
        assert_eq!(num(&rows, 0, "from_value"), Some(174.0));
        assert_eq!(num(&rows, 0, "to_value"), Some(177.0));
        assert_eq!(note_of(&rows, 0), "sum of 2 series");
        assert_eq!(note_of(&rows, 1), "sum of 1 series");
        assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2000"));
        assert_eq!(num(&rows, 2, "change"), Some(6.0));
        assert_eq!(num(&rows, 0, "share_pct"), Some(50.0));
        assert_eq!(num(&rows, 2, "share_pct"), Some(100.0));
    }
    // A kind-less metric sums too.
    let mut ex = with(&[
        "insert 2000 pop{continent=Asia,country=Japan}=127 pop{continent=Asia,country=Korea}=47",
        "insert 2010 pop{continent=Asia,country=Japan}=128 pop{continent=Asia,country=Korea}=49",
    ]);
    let rows = query(&mut ex, "growth pop over 10y by continent");
    assert_eq!(series_names(&rows), vec!["pop{continent=Asia}", "pop"]);
    assert_eq!(num(&rows, 0, "change"), Some(3.0));
}

#[test]
fn a_roll_up_under_a_recorded_total_has_an_unattributed_row() {
    let mut ex = countries("stock");
    ok(&mut ex, "insert 2000 pop=200");
    ok(&mut ex, "insert 2010 pop=210");
    let rows = query(&mut ex, "growth pop from 2000 to 2010 by continent");
    assert_eq!(
        series_names(&rows),
        vec![
            "pop{continent=Asia}",
            "pop{continent=Oceania}",
            "pop (unattributed)",
            "pop"
        ]
    );
    assert_eq!(num(&rows, 2, "from_value"), Some(7.0));
    assert_eq!(num(&rows, 2, "to_value"), Some(11.0));
    assert_eq!(num(&rows, 3, "change"), Some(10.0));
}

#[test]
fn a_roll_up_keeps_the_selector_labels_and_refuses_other_kinds() {
    let mut ex = with(&[
        "metric jobs kind=stock",
        "insert 2000 jobs{sex=f,region=n,sector=a}=1 jobs{sex=f,region=n,sector=b}=2 jobs{sex=m,region=n,sector=a}=4",
        "insert 2010 jobs{sex=f,region=n,sector=a}=2 jobs{sex=f,region=n,sector=b}=4 jobs{sex=m,region=n,sector=a}=8",
    ]);
    let rows = query(&mut ex, "growth jobs{region=n} from 2000 to 2010 by sex");
    assert_eq!(
        series_names(&rows),
        vec![
            "jobs{region=n,sex=f}",
            "jobs{region=n,sex=m}",
            "jobs{region=n}"
        ]
    );
    assert_eq!(num(&rows, 0, "to_value"), Some(6.0));
    assert_eq!(num(&rows, 2, "to_value"), Some(14.0));

    for kind in ["average", "ratio", "distinct"] {
        let mut ex = countries(kind);
        let err = run(&mut ex, "growth pop from 2000 to 2010 by continent").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::CannotCombine, "{kind}");
        let message = err.to_string();
        assert!(message.contains(kind), "{message}");
        assert!(message.contains("stock, flow"), "{message}");
    }
}

#[test]
fn a_roll_up_resolves_each_endpoint_for_every_series_it_sums() {
    // Australia's 2010 is missing: a stock is carried forward, noted.
    let mut ex = with(&[
        "metric pop kind=stock",
        "insert 2000 pop{continent=Asia,country=Japan}=127 pop{continent=Asia,country=Korea}=47",
        "insert 2010 pop{continent=Asia,country=Japan}=128",
        "insert 2009 pop{continent=Asia,country=Korea}=48",
    ]);
    let rows = query(&mut ex, "growth pop from 2000 to 2010 by continent");
    assert_eq!(num(&rows, 0, "to_value"), Some(176.0));
    // The series resolved to different periods: the period asked is shown.
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2010"));
    assert_eq!(
        note_of(&rows, 0),
        "sum of 2 series; to: pop{continent=Asia,country=Korea}: stale: 2010 as of 2009"
    );
    // latest is the latest period of any summed series; the others are
    // resolved for it.
    let rows = query(&mut ex, "growth pop from 2000 to latest by continent");
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2010"));
    assert_eq!(num(&rows, 0, "to_value"), Some(176.0));
    // earliest is the latest of their earliest periods, so that every
    // summed series has begun.
    ok(&mut ex, "insert 1990 pop{continent=Asia,country=Japan}=120");
    let rows = query(&mut ex, "growth pop from earliest to 2010 by continent");
    assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2000"));
    assert_eq!(num(&rows, 0, "from_value"), Some(174.0));

    // Every series by one rule: the note says it once.
    let rows = query(&mut ex, "growth pop from 2000 to 2011 by continent");
    assert_eq!(
        note_of(&rows, 0),
        "sum of 2 series; to: pop{continent=Asia,country=Japan}: stale: 2011 as of 2010 (and 1 more)"
    );
    ok(&mut ex, "insert 2010 pop{continent=Asia,country=Korea}=49");
    let rows = query(&mut ex, "growth pop from 2000 to 2011 by continent");
    assert_eq!(
        note_of(&rows, 0),
        "sum of 2 series; to: stale: 2011 as of 2010"
    );
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2010"));

    // A flow is never carried forward: the segment, and so the command, fails.
    let mut ex = with(&[
        "metric sales kind=flow",
        "insert 2000 sales{region=n,shop=a}=1 sales{region=n,shop=b}=2",
        "insert 2010 sales{region=n,shop=a}=3",
    ]);
    let err = fails(&mut ex, "growth sales from 2000 to 2010 by region");
    assert!(err.contains("sales{region=n,shop=b}"), "{err}");
}
