//! The measures and their nulls, selectors and patterns, and `sort` and
//! `limit`.

use super::*;

// ---------------------------------------------------------------- measures

#[test]
fn measures_and_their_nulls() {
    struct Case {
        from: &'static str,
        to: &'static str,
        change: f64,
        change_pct: Option<f64>,
        multiple: Option<f64>,
        cagr_pct: Option<f64>,
    }
    let years = 365.5 / DAYS_PER_YEAR;
    let cases = [
        Case {
            from: "100",
            to: "150",
            change: 50.0,
            change_pct: Some(50.0),
            multiple: Some(1.5),
            cagr_pct: Some((1.5f64.powf(1.0 / years) - 1.0) * 100.0),
        },
        Case {
            from: "0",
            to: "5",
            change: 5.0,
            change_pct: None,
            multiple: None,
            cagr_pct: None,
        },
        Case {
            from: "-4",
            to: "2",
            change: 6.0,
            change_pct: Some(150.0),
            multiple: None,
            cagr_pct: None,
        },
        Case {
            from: "-4",
            to: "-8",
            change: -4.0,
            change_pct: Some(-100.0),
            multiple: None,
            cagr_pct: None,
        },
        Case {
            from: "4",
            to: "-2",
            change: -6.0,
            change_pct: Some(-150.0),
            multiple: None,
            cagr_pct: None,
        },
        Case {
            from: "4",
            to: "0",
            change: -4.0,
            change_pct: Some(-100.0),
            multiple: Some(0.0),
            cagr_pct: Some(-100.0),
        },
        Case {
            from: "0",
            to: "0",
            change: 0.0,
            change_pct: None,
            multiple: None,
            cagr_pct: None,
        },
    ];
    for case in cases {
        let what = format!("{} -> {}", case.from, case.to);
        let mut ex = with(&[
            &format!("insert 2023 m={}", case.from),
            &format!("insert 2024 m={}", case.to),
        ]);
        let rows = query(&mut ex, "growth m from 2023 to 2024");
        assert_eq!(num(&rows, 0, "change"), Some(case.change), "{what}");
        assert_eq!(num(&rows, 0, "change_pct"), case.change_pct, "{what}");
        assert_eq!(num(&rows, 0, "multiple"), case.multiple, "{what}");
        assert_close(num(&rows, 0, "years"), years, &what);
        match case.cagr_pct {
            None => assert_eq!(num(&rows, 0, "cagr_pct"), None, "{what}"),
            Some(c) => assert_close(num(&rows, 0, "cagr_pct"), c, &what),
        }
        assert_eq!(num(&rows, 0, "change_pp"), None, "{what}");
    }
}

#[test]
fn from_after_to_has_negative_years_and_no_cagr() {
    let mut ex = with(&["insert 2023 m=100", "insert 2024 m=200"]);
    let rows = query(&mut ex, "growth m from 2024 to 2023");
    assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2024"));
    assert_eq!(num(&rows, 0, "from_value"), Some(200.0));
    assert_eq!(num(&rows, 0, "to_value"), Some(100.0));
    assert_eq!(num(&rows, 0, "change"), Some(-100.0));
    assert_eq!(num(&rows, 0, "change_pct"), Some(-50.0));
    assert_eq!(num(&rows, 0, "multiple"), Some(0.5));
    assert_close(num(&rows, 0, "years"), -365.5 / DAYS_PER_YEAR, "years");
    assert_eq!(num(&rows, 0, "cagr_pct"), None);
    // The same period at both ends: zero years, no cagr.
    let rows = query(&mut ex, "growth m from 2024 to 2024");
    assert_eq!(num(&rows, 0, "years"), Some(0.0));
    assert_eq!(num(&rows, 0, "cagr_pct"), None);
    assert_eq!(num(&rows, 0, "multiple"), Some(1.0));
}

#[test]
fn change_pp_only_for_ratio_metrics() {
    let mut ex = with(&[
        "metric share kind=ratio",
        "insert 2023 share=65%",
        "insert 2024 share=0.70",
        "metric level kind=stock",
        "insert 2023 level=0.65",
        "insert 2024 level=0.70",
    ]);
    let rows = query(&mut ex, "growth share from 2023 to 2024");
    assert_eq!(
        cell(&rows, 0, "from_value"),
        &Cell::Number(0.65, NumberStyle::Fraction)
    );
    assert_eq!(
        cell(&rows, 0, "to_value"),
        &Cell::Number(0.70, NumberStyle::Fraction)
    );
    assert_close(num(&rows, 0, "change"), 0.05, "change");
    assert_close(num(&rows, 0, "change_pp"), 5.0, "change_pp");
    assert_close(
        num(&rows, 0, "change_pct"),
        0.05 / 0.65 * 100.0,
        "change_pct",
    );

    let rows = query(&mut ex, "growth level from 2023 to 2024");
    assert_eq!(cell(&rows, 0, "change_pp"), &Cell::Null);
    assert_eq!(
        cell(&rows, 0, "from_value"),
        &Cell::Number(0.65, NumberStyle::Plain)
    );
}

// ---------------------------------------------------------------- selectors

#[test]
fn selectors_name_one_series_or_every_series_matching_a_pattern() {
    let mut ex = patterns();
    let cases: &[(&str, &[&str])] = &[
        ("users", &["users"]),
        ("users{line=a,region=cn}", &["users{line=a,region=cn}"]),
        (
            "creators.*",
            &[
                "creators.daily{region=cn}",
                "creators.monthly",
                "creators.monthly{region=cn}",
                "creators.monthly{region=us}",
            ],
        ),
        (
            "*{region=cn}",
            &[
                "creators.daily{region=cn}",
                "creators.monthly{region=cn}",
                "users{line=a,region=cn}",
            ],
        ),
        ("users*", &["users", "users{line=a,region=cn}"]),
        ("*{line=a,region=cn}", &["users{line=a,region=cn}"]),
        ("*.monthly{region=us}", &["creators.monthly{region=us}"]),
    ];
    for (selector, expected) in cases {
        let rows = query(&mut ex, &format!("growth {selector} from 2023 to 2024"));
        assert_eq!(series_names(&rows), *expected, "{selector}");
        let metric = row_of(&rows, expected[0]);
        assert!(
            expected[0].starts_with(text(&rows, metric, "metric").unwrap().as_str()),
            "{selector}"
        );
    }
    let rows = query(&mut ex, "growth *{region=cn} from 2023 to 2024");
    assert_eq!(num(&rows, 0, "to_value"), Some(3.0));
    assert_eq!(num(&rows, 2, "change"), Some(1.0));

    for selector in [
        "nosuch",
        "nosuch.*",
        "*{region=xx}",
        "users{region=cn}",
        "users{line=a}",
        "Users",
    ] {
        let err = fails(&mut ex, &format!("growth {selector} from 2023 to 2024"));
        assert!(err.contains("no recorded series"), "{selector}: {err}");
    }
}

#[test]
fn among_many_series_one_that_fails_becomes_a_row_with_a_note() {
    let mut ex = with(&[
        "metric f kind=flow",
        "insert 2023 f{a=1}=1 f{a=2}=2",
        "insert 2024 f{a=1}=3",
    ]);
    let rows = query(&mut ex, "growth f* from 2023 to 2024");
    assert_eq!(series_names(&rows), vec!["f{a=1}", "f{a=2}"]);
    assert_eq!(num(&rows, 0, "change"), Some(2.0));
    assert_eq!(cell(&rows, 1, "to_value"), &Cell::Null);
    assert_eq!(cell(&rows, 1, "change"), &Cell::Null);
    assert!(
        note_of(&rows, 1).contains("no data"),
        "{}",
        note_of(&rows, 1)
    );
    // One series alone: the failure is the command's.
    assert!(fails(&mut ex, "growth f{a=2} from 2023 to 2024").contains("no data"));
}

// ---------------------------------------------------------------- sort, limit

#[test]
fn sort_ascending_or_descending_with_nulls_last_and_limit() {
    let mut ex = with(&[
        "metric g kind=stock",
        "insert 2023 g{s=a}=0 g{s=b}=100 g{s=c}=100 g{s=d}=100",
        "insert 2024 g{s=a}=10 g{s=b}=150 g{s=c}=200 g{s=d}=90",
    ]);
    let cases: &[(&str, &[&str])] = &[
        ("", &["a", "b", "c", "d"]),
        ("sort change_pct", &["d", "b", "c", "a"]),
        ("sort change_pct asc", &["d", "b", "c", "a"]),
        ("sort change_pct desc", &["c", "b", "d", "a"]),
        ("sort change_pct desc limit 2", &["c", "b"]),
        ("limit 1 sort multiple asc", &["d", "b", "c"][..1]),
        ("sort multiple desc", &["c", "b", "d", "a"]),
        ("sort change desc", &["c", "b", "a", "d"]),
        ("sort from_value asc", &["a", "b", "c", "d"]),
        ("limit 3", &["a", "b", "c"]),
        ("limit 0", &[]),
        ("sort cagr_pct asc limit 10", &["d", "b", "c", "a"]),
    ];
    for (clauses, expected) in cases {
        let rows = query(&mut ex, &format!("growth g* from 2023 to 2024 {clauses}"));
        let expected: Vec<String> = expected.iter().map(|s| format!("g{{s={s}}}")).collect();
        assert_eq!(series_names(&rows), expected, "{clauses}");
    }
}
