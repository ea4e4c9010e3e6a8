//! Endpoint resolution rules 1–6 (SPEC.md section 4) and the notes that say
//! which rule applied.

use super::*;

// ---------------------------------------------------------------- resolution rules

#[test]
fn rule_1_exact_periods_and_all_measures() {
    let mut ex = with(&["insert 2023 users=50_000", "insert 2024 users=500k"]);
    let rows = query(&mut ex, "growth users from 2023 to 2024");
    assert_eq!(
        rows.columns,
        vec![
            "series",
            "metric",
            "from_period",
            "from_value",
            "to_period",
            "to_value",
            "change",
            "change_pct",
            "multiple",
            "years",
            "cagr_pct",
            "change_pp",
            "share_pct",
            "note"
        ]
    );
    assert_eq!(rows.rows.len(), 1);
    assert_eq!(text(&rows, 0, "series").as_deref(), Some("users"));
    assert_eq!(text(&rows, 0, "metric").as_deref(), Some("users"));
    assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2023"));
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024"));
    assert_eq!(
        cell(&rows, 0, "from_value"),
        &Cell::Number(50_000.0, NumberStyle::Plain)
    );
    assert_eq!(num(&rows, 0, "to_value"), Some(500_000.0));
    assert_eq!(num(&rows, 0, "change"), Some(450_000.0));
    assert_eq!(num(&rows, 0, "change_pct"), Some(900.0));
    assert_eq!(num(&rows, 0, "multiple"), Some(10.0));
    // Midpoints: 2023-07-02T12:00 and 2024-07-02T00:00, 365.5 days apart.
    let years = 365.5 / DAYS_PER_YEAR;
    assert_close(num(&rows, 0, "years"), years, "years");
    assert_close(
        num(&rows, 0, "cagr_pct"),
        (10f64.powf(1.0 / years) - 1.0) * 100.0,
        "cagr_pct",
    );
    assert_eq!(cell(&rows, 0, "change_pp"), &Cell::Null);
    assert_eq!(cell(&rows, 0, "share_pct"), &Cell::Null);
    assert_eq!(cell(&rows, 0, "note"), &Cell::Null);
}

/// A metric `m` of `kind` (or none) with 2023-Q1 and the three months of
/// 2024-Q1 recorded.
fn months_of_q1(kind: Option<&str>, values: [f64; 4]) -> Executor {
    let mut setup = Vec::new();
    if let Some(kind) = kind {
        setup.push(format!("metric m kind={kind}"));
    }
    setup.push(format!("insert 2023-Q1 m={}", values[0]));
    for (month, value) in ["01", "02", "03"].iter().zip(&values[1..]) {
        setup.push(format!("insert 2024-{month} m={value}"));
    }
    let setup: Vec<&str> = setup.iter().map(String::as_str).collect();
    with(&setup)
}

#[test]
fn rule_2_finer_periods_tiling_combine_by_kind() {
    // Jan 31, Feb 29 and Mar 31 days.
    let weighted = |a: f64, b: f64, c: f64| (a * 31.0 + b * 29.0 + c * 31.0) / 91.0;
    let cases: &[(&str, [f64; 4], f64, &str)] = &[
        ("stock", [5.0, 10.0, 20.0, 30.0], 30.0, "last"),
        ("flow", [5.0, 10.0, 20.0, 30.0], 60.0, "sum"),
        (
            "average",
            [5.0, 10.0, 20.0, 30.0],
            weighted(10.0, 20.0, 30.0),
            "mean",
        ),
        (
            "ratio",
            [0.05, 0.1, 0.2, 0.3],
            weighted(0.1, 0.2, 0.3),
            "mean",
        ),
    ];
    for (kind, values, expected, how) in cases {
        let mut ex = months_of_q1(Some(kind), *values);
        let rows = query(&mut ex, "growth m from 2023-Q1 to 2024-Q1");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some("2024-Q1"),
            "{kind}"
        );
        assert_close(num(&rows, 0, "to_value"), *expected, kind);
        assert_close(num(&rows, 0, "change"), expected - values[0], kind);
        // Both are quarters: years between their midpoints.
        let years = (365.0 + (91.0 - 90.0) / 2.0) / DAYS_PER_YEAR;
        assert_close(num(&rows, 0, "years"), years, kind);
        let note = note_of(&rows, 0);
        assert!(
            note.contains("to") && note.contains("2024-Q1") && note.contains(how),
            "{kind}: {note:?}"
        );
        assert!(!note.contains("from"), "{kind}: {note:?}");
        // The same rule for `from`.
        let rows = query(&mut ex, "growth m from 2024-Q1 to 2024-03");
        assert_eq!(
            text(&rows, 0, "from_period").as_deref(),
            Some("2024-Q1"),
            "{kind}"
        );
        assert_close(num(&rows, 0, "from_value"), *expected, kind);
        assert!(note_of(&rows, 0).contains("from"), "{kind}");
    }
}

#[test]
fn rule_2_refuses_distinct_counts_and_metrics_without_a_kind() {
    let mut ex = months_of_q1(Some("distinct"), [5.0, 10.0, 20.0, 30.0]);
    let err = fails(&mut ex, "growth m from 2023-Q1 to 2024-Q1");
    assert!(err.contains("distinct"), "{err}");
    assert!(err.contains("2024-Q1"), "{err}");

    let mut ex = months_of_q1(None, [5.0, 10.0, 20.0, 30.0]);
    let err = fails(&mut ex, "growth m from 2023-Q1 to 2024-Q1");
    assert!(err.contains("no kind"), "{err}");
    assert!(err.contains("metric m kind="), "{err}");
    // Setting the kind as told makes it work.
    ok(&mut ex, "metric m kind=flow");
    let rows = query(&mut ex, "growth m from 2023-Q1 to 2024-Q1");
    assert_eq!(num(&rows, 0, "to_value"), Some(60.0));
    // Without a kind, exact periods still work.
    let mut ex = months_of_q1(None, [5.0, 10.0, 20.0, 30.0]);
    let rows = query(&mut ex, "growth m from 2024-01 to 2024-03");
    assert_eq!(num(&rows, 0, "change"), Some(20.0));
}

#[test]
fn rule_2_any_single_finer_granularity_and_before_containing_periods() {
    let mut months: Vec<String> = (1..=12)
        .map(|m| format!("insert 2024-{m:02} f={m}"))
        .collect();
    months.extend([
        "metric f kind=flow".to_string(),
        "insert 2023 f=10".to_string(),
        // Three of four quarters: they do not tile the year, the months do.
        "insert 2024-Q1 f=1000".to_string(),
        "insert 2024-Q2 f=1000".to_string(),
        "insert 2024-Q3 f=1000".to_string(),
        // The days of one ISO week.
        "insert 2024-H2 f=5000".to_string(),
    ]);
    for day in 10..=16 {
        months.push(format!("insert 2024-06-{day} f={day}"));
    }
    let setup: Vec<&str> = months.iter().map(String::as_str).collect();
    let mut ex = with(&setup);

    let rows = query(&mut ex, "growth f from 2023 to 2024");
    assert_eq!(num(&rows, 0, "to_value"), Some(78.0));
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024"));
    assert!(
        note_of(&rows, 0).contains("12 months"),
        "{}",
        note_of(&rows, 0)
    );

    // Quarters tile the half even though the half's months are recorded too.
    let rows = query(&mut ex, "growth f from 2023 to 2024-H1");
    assert_eq!(num(&rows, 0, "to_value"), Some(2000.0));

    // Tiling comes before the containing periods 2024-06 and 2024-Q2.
    let rows = query(&mut ex, "growth f from 2023 to 2024-W24");
    assert_eq!(
        num(&rows, 0, "to_value"),
        Some((10..=16).sum::<i32>() as f64)
    );
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024-W24"));
    assert!(
        note_of(&rows, 0).contains("7 days"),
        "{}",
        note_of(&rows, 0)
    );
}

#[test]
fn rule_2_tiling_wins_over_a_containing_period() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2023-Q1 s=1",
        "insert 2024 s=100",
        "insert 2024-01 s=10",
        "insert 2024-02 s=20",
        "insert 2024-03 s=30",
    ]);
    let rows = query(&mut ex, "growth s from 2023-Q1 to 2024-Q1");
    assert_eq!(num(&rows, 0, "to_value"), Some(30.0));
    assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024-Q1"));
}

#[test]
fn rule_3_partial_coverage_fails_naming_present_and_missing() {
    for kind in ["flow", "stock"] {
        let mut ex = with(&[
            &format!("metric m kind={kind}"),
            "insert 2023-Q2 m=1",
            "insert 2023 m=1",
            "insert 2024-04 m=2",
            "insert 2024-05 m=3",
        ]);
        let err = fails(&mut ex, "growth m from 2023-Q2 to 2024-Q2");
        for part in ["2024-Q2", "2024-04", "2024-05", "2024-06", "missing"] {
            assert!(err.contains(part), "{kind}: {err:?} lacks {part}");
        }
        let present = err.find("2024-04").unwrap();
        let missing = err.find("missing").unwrap();
        assert!(
            present < missing && err[missing..].contains("2024-06"),
            "{kind}: {err}"
        );
        assert!(!err[missing..].contains("2024-04"), "{kind}: {err}");
    }
}

#[test]
fn rule_3_a_week_across_two_recorded_months() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2023 s=1",
        "insert 2024-05 s=2",
        "insert 2024-06 s=3",
    ]);
    // 2024-W22 is 2024-05-27 .. 2024-06-02.
    let err = fails(&mut ex, "growth s from 2023 to 2024-W22");
    assert!(err.contains("2024-W22"), "{err}");
    assert!(err.contains("2024-05") && err.contains("2024-06"), "{err}");
}

#[test]
fn rule_4_the_shortest_containing_period_is_used() {
    for kind in ["stock", "flow", "average", "distinct"] {
        let mut ex = with(&[
            &format!("metric m kind={kind}"),
            "insert 2023 m=50",
            "insert 2024 m=100",
            "insert 2024-H1 m=80",
        ]);
        let rows = query(&mut ex, "growth m from 2023 to 2024-03");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some("2024-H1"),
            "{kind}"
        );
        assert_eq!(num(&rows, 0, "to_value"), Some(80.0), "{kind}");
        let note = note_of(&rows, 0);
        assert!(
            note.contains("to") && note.contains("2024-H1") && note.contains("2024-03"),
            "{kind}: {note}"
        );
        assert!(note.contains("contain"), "{kind}: {note}");
        // years between the data's periods: mid(2024-H1) - mid(2023).
        assert_close(
            num(&rows, 0, "years"),
            (365.0 + 91.0 - 182.5) / DAYS_PER_YEAR,
            kind,
        );

        let rows = query(&mut ex, "growth m from 2023-06 to 2024-Q3");
        assert_eq!(text(&rows, 0, "from_period").as_deref(), Some("2023"));
        assert_eq!(text(&rows, 0, "to_period").as_deref(), Some("2024"));
        assert_eq!(num(&rows, 0, "years"), Some(365.5 / DAYS_PER_YEAR));
        let note = note_of(&rows, 0);
        assert!(
            note.contains("from") && note.contains("2023-06"),
            "{kind}: {note}"
        );
        assert!(
            note.contains("to") && note.contains("2024-Q3"),
            "{kind}: {note}"
        );
    }
}

#[test]
fn rule_5_stale_values_for_every_kind_but_flow() {
    // (kind, the value of 2024-01)
    let cases: &[(Option<&str>, f64)] = &[
        (Some("stock"), 20.0),
        (Some("average"), 20.0),
        (Some("ratio"), 0.2),
        (Some("distinct"), 20.0),
        (None, 20.0),
    ];
    for (kind, value) in cases {
        let mut setup = vec![
            "insert 2023 m=10".to_string(),
            format!("insert 2024-01 m={value}"),
        ];
        if let Some(kind) = kind {
            setup.insert(0, format!("metric m kind={kind}"));
        }
        let setup: Vec<&str> = setup.iter().map(String::as_str).collect();
        let mut ex = with(&setup);
        let rows = query(&mut ex, "growth m from 2023 to 2024-06");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some("2024-01"),
            "{kind:?}"
        );
        assert_eq!(num(&rows, 0, "to_value"), Some(*value), "{kind:?}");
        let note = note_of(&rows, 0);
        assert!(
            note.contains("stale") && note.contains("2024-06") && note.contains("2024-01"),
            "{kind:?}: {note}"
        );
        assert_close(
            num(&rows, 0, "years"),
            (365.0 + 15.5 - 182.5) / DAYS_PER_YEAR,
            "years",
        );
        // The latest period ending on or before the start, not the longest.
        let rows = query(&mut ex, "growth m from 2023 to 2025");
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some("2024-01"),
            "{kind:?}"
        );
    }
}

#[test]
fn rule_5_a_flow_is_never_stale() {
    let mut ex = with(&[
        "metric f kind=flow",
        "insert 2023 f=10",
        "insert 2024-01 f=20",
    ]);
    for command in [
        "growth f from 2023 to 2024-06",
        "growth f from 2023 to 2025",
        "growth f from 2023 to 2024-02",
    ] {
        let err = fails(&mut ex, command);
        assert!(err.contains("no data"), "{command}: {err}");
    }
}

#[test]
fn rule_6_no_data_for_the_period() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2024 s=10",
        "insert 2025 s=20",
    ]);
    for (command, period) in [
        ("growth s from 2020 to 2024", "2020"),
        ("growth s from 2024 to 2023-W10", "2023-W10"),
        ("growth s over 1y to 2024", "2023"),
    ] {
        let err = fails(&mut ex, command);
        assert!(
            err.contains("no data") && err.contains(period),
            "{command}: {err}"
        );
    }
}

#[test]
fn rule_1_notes_are_empty_and_other_rules_say_which_applied() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2022 s=5",
        "insert 2023 s=10",
        "insert 2024-01 s=1",
        "insert 2024-02 s=2",
    ]);
    // (command, to_period, note fragments; empty for rule 1)
    let cases: &[(&str, &str, &[&str])] = &[
        ("growth s from 2022 to 2023", "2023", &[]),
        // A range equal to a named period is that period: rule 1.
        ("growth s from 2022 to 2023-01..2023-12", "2023", &[]),
        (
            "growth s from 2022 to 2024-01..2024-02",
            "2024-01-01..2024-02-29",
            &["last"],
        ),
        ("growth s from 2022 to 2023-05", "2023", &["contain"]),
        ("growth s from 2022 to 2024-Q3", "2024-02", &["stale"]),
    ];
    for (command, to_period, fragments) in cases {
        let rows = query(&mut ex, command);
        assert_eq!(
            text(&rows, 0, "to_period").as_deref(),
            Some(*to_period),
            "{command}"
        );
        let note = text(&rows, 0, "note");
        if fragments.is_empty() {
            assert_eq!(note, None, "{command}");
        } else {
            let note = note.unwrap_or_else(|| panic!("{command}: no note"));
            for f in *fragments {
                assert!(note.contains(f), "{command}: {note}");
            }
        }
    }
}
