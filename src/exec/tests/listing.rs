//! The listing commands: `series`, `metrics` and `history`.

use super::*;

// ---------------------------------------------------------------- series

#[test]
fn series_lists_recorded_snapshots() {
    let mut ex = with(&[
        "metric s kind=stock",
        "insert 2024-01 s=10",
        "insert 2024-02 s=20",
        "insert 2024-03 s=15",
        "insert 2024-04 s=0",
        "insert 2024-05 s=30",
        "insert 2023 s=5",
        "insert 2024-06 s{a=1}=7",
    ]);
    let rows = query(&mut ex, "series s");
    assert_eq!(
        rows.columns,
        vec![
            "series",
            "period",
            "start",
            "end",
            "value",
            "change",
            "change_pct",
            "note"
        ]
    );
    assert_eq!(
        texts(&rows, "period"),
        [
            "2023", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05"
        ]
        .map(|p| Some(p.to_string()))
        .to_vec()
    );
    assert!(series_names(&rows).iter().all(|s| s == "s"));
    assert_eq!(text(&rows, 0, "start").as_deref(), Some("2023-01-01"));
    assert_eq!(text(&rows, 0, "end").as_deref(), Some("2023-12-31"));
    assert_eq!(text(&rows, 2, "start").as_deref(), Some("2024-02-01"));
    assert_eq!(text(&rows, 2, "end").as_deref(), Some("2024-02-29"));
    let changes: Vec<(Option<f64>, Option<f64>, Option<f64>)> = (0..rows.rows.len())
        .map(|i| {
            (
                num(&rows, i, "value"),
                num(&rows, i, "change"),
                num(&rows, i, "change_pct"),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![
            (Some(5.0), None, None),
            // A month is not compared with a year.
            (Some(10.0), None, None),
            (Some(20.0), Some(10.0), Some(100.0)),
            (Some(15.0), Some(-5.0), Some(-25.0)),
            (Some(0.0), Some(-15.0), Some(-100.0)),
            (Some(30.0), Some(30.0), None),
        ]
    );

    let rows = query(&mut ex, "series s from 2024-02 to 2024-03");
    assert_eq!(
        texts(&rows, "period"),
        vec![Some("2024-02".into()), Some("2024-03".into())]
    );
    let rows = query(&mut ex, "series s* from 2024-05");
    assert_eq!(series_names(&rows), vec!["s", "s{a=1}"]);
    let err = fails(&mut ex, "series s from 2024-03 to 2024-02");
    assert!(err.contains("empty"), "{err}");
    assert!(fails(&mut ex, "series nosuch").contains("no recorded series"));
}

#[test]
fn series_every_granularity_resolves_each_step() {
    let mut ex = with(&[
        "metric f kind=flow",
        "insert 2024-01 f=1",
        "insert 2024-02 f=2",
        "insert 2024-03 f=3",
        "insert 2024-04 f=4",
        "insert 2024-05 f=5",
        "insert 2024-06 f=6",
        "metric s kind=stock",
        "insert 2023 s=100",
        "insert 2024-02 s=7",
    ]);
    let rows = query(&mut ex, "series f every quarter");
    assert_eq!(
        texts(&rows, "period"),
        vec![Some("2024-Q1".into()), Some("2024-Q2".into())]
    );
    assert_eq!(num(&rows, 0, "value"), Some(6.0));
    assert_eq!(num(&rows, 1, "value"), Some(15.0));
    assert_eq!(num(&rows, 1, "change"), Some(9.0));
    assert_eq!(num(&rows, 1, "change_pct"), Some(150.0));
    assert!(note_of(&rows, 0).contains("sum"), "{}", note_of(&rows, 0));

    let rows = query(&mut ex, "series f from 2024-Q1 to 2024-Q3 every quarter");
    assert_eq!(rows.rows.len(), 3);
    assert_eq!(cell(&rows, 2, "value"), &Cell::Null);
    assert!(
        note_of(&rows, 2).contains("no data"),
        "{}",
        note_of(&rows, 2)
    );
    let rows = query(&mut ex, "series f every month");
    assert_eq!(rows.rows.len(), 6);
    assert_eq!(texts(&rows, "note"), vec![None; 6]);
    assert_eq!(num(&rows, 5, "change"), Some(1.0));

    // A stock: containing, exact and stale steps.
    let rows = query(&mut ex, "series s from 2023-11 to 2024-03 every month");
    assert_eq!(
        texts(&rows, "period"),
        ["2023-11", "2023-12", "2024-01", "2024-02", "2024-03"]
            .map(|p| Some(p.to_string()))
            .to_vec()
    );
    let values: Vec<Option<f64>> = (0..5).map(|i| num(&rows, i, "value")).collect();
    assert_eq!(
        values,
        vec![Some(100.0), Some(100.0), Some(100.0), Some(7.0), Some(7.0)]
    );
    assert!(note_of(&rows, 0).contains("2023"), "{}", note_of(&rows, 0));
    assert!(note_of(&rows, 2).contains("stale"), "{}", note_of(&rows, 2));
    assert_eq!(text(&rows, 3, "note"), None);
    assert!(note_of(&rows, 4).contains("stale"), "{}", note_of(&rows, 4));
}

// ---------------------------------------------------------------- metrics, history

#[test]
fn metrics_lists_counts_and_spans() {
    let mut ex = patterns();
    ok(
        &mut ex,
        r#"metric users kind=stock unit=people desc="all users""#,
    );
    ok(&mut ex, "insert 2025-01 users=7");
    ok(&mut ex, "delete users 2025-01");
    let rows = query(&mut ex, "metrics");
    assert_eq!(
        rows.columns,
        vec![
            "metric",
            "kind",
            "unit",
            "series",
            "snapshots",
            "first",
            "last",
            "description"
        ]
    );
    assert_eq!(
        texts(&rows, "metric"),
        vec![
            Some("creators.daily".into()),
            Some("creators.monthly".into()),
            Some("users".into())
        ]
    );
    let users = 2;
    assert_eq!(text(&rows, users, "kind").as_deref(), Some("stock"));
    assert_eq!(text(&rows, users, "unit").as_deref(), Some("people"));
    assert_eq!(cell(&rows, users, "series"), &Cell::Int(2));
    assert_eq!(cell(&rows, users, "snapshots"), &Cell::Int(4));
    assert_eq!(text(&rows, users, "first").as_deref(), Some("2023"));
    assert_eq!(text(&rows, users, "last").as_deref(), Some("2024"));
    assert_eq!(
        text(&rows, users, "description").as_deref(),
        Some("all users")
    );
    assert_eq!(cell(&rows, 1, "series"), &Cell::Int(3));
    assert_eq!(cell(&rows, 1, "snapshots"), &Cell::Int(6));
    assert_eq!(text(&rows, 1, "kind").as_deref(), Some("distinct"));
    assert_eq!(cell(&rows, 1, "unit"), &Cell::Null);

    let rows = query(&mut ex, "metrics creators.*");
    assert_eq!(
        texts(&rows, "metric"),
        vec![
            Some("creators.daily".into()),
            Some("creators.monthly".into())
        ]
    );
    assert!(query(&mut ex, "metrics nothing*").rows.is_empty());
    // A metric defined but not yet recorded.
    ok(&mut ex, "metric revenue kind=flow");
    let rows = query(&mut ex, "metrics revenue");
    assert_eq!(cell(&rows, 0, "series"), &Cell::Int(0));
    assert_eq!(cell(&rows, 0, "snapshots"), &Cell::Int(0));
    assert_eq!(cell(&rows, 0, "first"), &Cell::Null);
}

#[test]
fn history_of_a_series_or_one_period() {
    let mut ex = with(&[
        "metric share kind=ratio",
        "insert 2024-01 share=50% source=\"survey\" note=\"first wave\"",
        "insert 2024-02 share=55%",
        "revise 2024-01 share=52%",
        "insert 2024-01 share{app=a}=10%",
    ]);
    let rows = query(&mut ex, "history share");
    assert_eq!(
        texts(&rows, "period"),
        vec![
            Some("2024-01".into()),
            Some("2024-01".into()),
            Some("2024-02".into())
        ]
    );
    assert!(series_names(&rows).iter().all(|s| s == "share"));
    assert_eq!(
        cell(&rows, 0, "value"),
        &Cell::Number(0.5, NumberStyle::Fraction)
    );
    assert_eq!(cell(&rows, 0, "revision"), &Cell::Int(1));
    assert_eq!(cell(&rows, 1, "revision"), &Cell::Int(2));
    assert_eq!(text(&rows, 0, "source").as_deref(), Some("survey"));
    assert_eq!(text(&rows, 0, "note").as_deref(), Some("first wave"));
    assert_eq!(
        texts(&rows, "status"),
        vec![
            Some("superseded".into()),
            Some("current".into()),
            Some("current".into())
        ]
    );
    let rows = query(&mut ex, "history share 2024-02");
    assert_eq!(rows.rows.len(), 1);
    assert!(query(&mut ex, "history share 2024-03").rows.is_empty());
    let rows = query(&mut ex, "history share{app=a}");
    assert_eq!(series_names(&rows), vec!["share{app=a}"]);
    let err = fails(&mut ex, "history share{app=b}");
    assert!(err.contains("share{app=b}"), "{err}");
}

// ---------------------------------------------------------------- chart

/// A growth chart without steps cannot come from the parser; built by hand,
/// it is refused with the parser's message rather than a panic.
#[test]
fn a_growth_chart_without_steps_is_refused() {
    let mut ex = with(&["metric s kind=stock", "insert 2023 s=1", "insert 2024 s=2"]);
    let Command::Growth(growth) = parse_command("growth s from 2023 to 2024").unwrap() else {
        panic!("a growth query");
    };
    let chart = Command::ChartGrowth(crate::core::command::ChartGrowthQuery {
        growth,
        file: "s.svg".to_string(),
    });
    let err = ex.execute(&chart, None).unwrap_err();
    assert_eq!(err.kind(), crate::core::error::ErrorKind::Syntax);
    let parsed = parse_command("chart growth s from 2023 to 2024 to s.svg").unwrap_err();
    assert!(
        parsed.to_string().ends_with(&err.to_string()),
        "{parsed} / {err}"
    );
}
