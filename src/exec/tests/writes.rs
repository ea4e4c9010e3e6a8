//! Data commands: `metric`, `insert`, `revise` and `delete`, atomicity,
//! and a read-only store refusing them.

use super::*;

// ---------------------------------------------------------------- metric, insert

#[test]
fn metric_defines_then_updates_only_the_attributes_given() {
    let mut ex = executor();
    let out = ok(
        &mut ex,
        r#"metric users kind=stock unit=people desc="all users""#,
    );
    assert!(out.rows.is_none());
    assert_eq!(out.notes, vec!["defined metric users"]);
    let out = ok(&mut ex, "metric users unit=persons");
    assert_eq!(out.notes, vec!["updated metric users"]);
    let rows = query(&mut ex, "metrics");
    assert_eq!(texts(&rows, "metric"), vec![Some("users".into())]);
    assert_eq!(text(&rows, 0, "kind").as_deref(), Some("stock"));
    assert_eq!(text(&rows, 0, "unit").as_deref(), Some("persons"));
    assert_eq!(text(&rows, 0, "description").as_deref(), Some("all users"));
    ok(&mut ex, "metric users kind=flow");
    let rows = query(&mut ex, "metrics");
    assert_eq!(text(&rows, 0, "kind").as_deref(), Some("flow"));
    assert_eq!(text(&rows, 0, "unit").as_deref(), Some("persons"));
}

#[test]
fn metric_with_a_pattern_updates_every_match_and_creates_none() {
    let mut ex = with(&[
        "insert 2024 jobs.open=5 jobs.filled=3 jobsite=1",
        r#"metric jobs.filled desc="filled""#,
    ]);
    let out = ok(&mut ex, "metric jobs.* kind=stock unit=jobs");
    assert_eq!(out.notes, vec!["updated 2 metrics matching jobs.*"]);
    let rows = query(&mut ex, "metrics");
    assert_eq!(
        texts(&rows, "metric"),
        vec![
            Some("jobs.filled".into()),
            Some("jobs.open".into()),
            Some("jobsite".into())
        ]
    );
    let kinds = texts(&rows, "kind");
    assert_eq!(
        kinds,
        vec![Some("stock".into()), Some("stock".into()), None]
    );
    assert_eq!(text(&rows, 1, "unit").as_deref(), Some("jobs"));
    // Attributes not given are kept.
    assert_eq!(text(&rows, 0, "description").as_deref(), Some("filled"));

    let out = ok(&mut ex, "metric *site kind=flow");
    assert_eq!(out.notes, vec!["updated 1 metric matching *site"]);
    let err = fails(&mut ex, "metric nothing.* kind=stock");
    assert_eq!(
        err,
        "no defined metric matches nothing.*; a pattern updates existing metrics (define one with: metric NAME)"
    );
    assert_eq!(
        run(&mut ex, "metric nothing.* kind=stock")
            .unwrap_err()
            .kind(),
        crate::core::error::ErrorKind::NotFound
    );
    assert_eq!(query(&mut ex, "metrics").rows.len(), 3, "nothing created");
}

#[test]
fn insert_creates_an_unknown_metric_without_a_kind_with_a_note() {
    let mut ex = executor();
    let out = ok(&mut ex, "insert 2024-01 users=100");
    assert!(out.rows.is_none());
    let created = out
        .notes
        .iter()
        .find(|n| n.contains("created metric users"))
        .unwrap_or_else(|| panic!("no creation note in {:?}", out.notes));
    assert!(created.contains("without a kind"), "{created}");
    assert!(created.contains("metric users kind="), "{created}");
    assert!(
        out.notes.iter().any(|n| n.contains("inserted 1")),
        "{:?}",
        out.notes
    );
    let rows = query(&mut ex, "metrics");
    assert_eq!(cell(&rows, 0, "kind"), &Cell::Null);
    assert_eq!(cell(&rows, 0, "series"), &Cell::Int(1));
    assert_eq!(cell(&rows, 0, "snapshots"), &Cell::Int(1));

    // A new series of a known metric: no creation note.
    let out = ok(&mut ex, "insert 2024-01 users{line=a}=60");
    assert!(
        !out.notes.iter().any(|n| n.contains("created")),
        "{:?}",
        out.notes
    );
    // A defined metric is not redefined by an insert.
    ok(&mut ex, "metric revenue kind=flow");
    let out = ok(&mut ex, "insert 2024-01 revenue=5");
    assert!(
        !out.notes.iter().any(|n| n.contains("created")),
        "{:?}",
        out.notes
    );
    let rows = query(&mut ex, "metrics revenue");
    assert_eq!(text(&rows, 0, "kind").as_deref(), Some("flow"));
}

#[test]
fn insert_conflict_rules() {
    let mut ex = with(&["insert 2024-01 users=100 source=\"q1 report\""]);

    // (command, Ok(note fragment) or Err(error fragments))
    let cases: &[(&str, std::result::Result<&str, &[&str]>)] = &[
        ("insert 2024-01 users=100", Ok("unchanged 1")),
        ("insert 2024-01 users=1e2", Ok("unchanged 1")),
        ("insert 2024-01 users=100 note=\"again\"", Ok("unchanged 1")),
        (
            "insert 2024-01 users=101",
            Err(&["users", "100", "2024-01", "revise"]),
        ),
        (
            "insert 2024-01 users=99.5 source=\"other\"",
            Err(&["100", "revise"]),
        ),
        // A different period of the same series is a new snapshot.
        ("insert 2024-02 users=101", Ok("inserted 1")),
        ("insert 2024-Q1 users=7", Ok("inserted 1")),
    ];
    for (command, expected) in cases {
        match expected {
            Ok(note) => {
                let out = ok(&mut ex, command);
                assert!(
                    out.notes.iter().any(|n| n.contains(note)),
                    "{command}: {:?}",
                    out.notes
                );
            }
            Err(parts) => {
                let err = fails(&mut ex, command);
                for part in *parts {
                    assert!(err.contains(part), "{command}: {err:?} lacks {part:?}");
                }
            }
        }
    }
    // Unchanged and conflicting inserts added no revision.
    let rows = query(&mut ex, "history users 2024-01");
    assert_eq!(rows.rows.len(), 1);
    assert_eq!(
        cell(&rows, 0, "value"),
        &Cell::Number(100.0, NumberStyle::Plain)
    );
    assert_eq!(text(&rows, 0, "source").as_deref(), Some("q1 report"));
    assert_eq!(text(&rows, 0, "note"), None);
}

#[test]
fn a_conflicting_insert_changes_nothing_at_all() {
    let mut ex = with(&["insert 2024-01 users=100"]);
    // New series and a new metric come before the conflict in the command.
    let err = fails(
        &mut ex,
        "insert 2024-01 newmetric=7 users{line=a}=60 users=101 users{line=b}=40",
    );
    assert!(err.contains("revise"), "{err}");
    let rows = query(&mut ex, "metrics");
    assert_eq!(texts(&rows, "metric"), vec![Some("users".into())]);
    assert_eq!(cell(&rows, 0, "series"), &Cell::Int(1));
    assert_eq!(cell(&rows, 0, "snapshots"), &Cell::Int(1));
    assert!(fails(&mut ex, "history users{line=a}").contains("users{line=a}"));
    assert_eq!(query(&mut ex, "history users").rows.len(), 1);

    // Nothing remembered from the failed command: the same writes work.
    let out = ok(
        &mut ex,
        "insert 2024-01 newmetric=7 users{line=a}=60 users=100",
    );
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("created metric newmetric")),
        "{:?}",
        out.notes
    );
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("inserted 2") && n.contains("unchanged 1")),
        "{:?}",
        out.notes
    );
    let rows = query(&mut ex, "metrics");
    assert_eq!(
        texts(&rows, "metric"),
        vec![Some("newmetric".into()), Some("users".into())]
    );
}

#[test]
fn a_failing_command_inside_a_transaction_keeps_the_ones_before() {
    let mut ex = with(&["insert 2024-01 users=100"]);
    let store = std::rc::Rc::clone(&ex.store);
    let tx = crate::store::Transaction::write(&*store).unwrap();
    ok(&mut ex, "insert 2024-02 users=110");
    fails(&mut ex, "insert 2024-02 other=1 users{a=b}=1 users=111");
    fails(&mut ex, "insert 2024-01 other=1 users=1");
    assert!(ex.store().in_transaction());
    ok(&mut ex, "insert 2024-03 users=120");
    tx.commit().unwrap();
    let rows = query(&mut ex, "series users");
    assert_eq!(
        texts(&rows, "period"),
        vec![
            Some("2024-01".into()),
            Some("2024-02".into()),
            Some("2024-03".into())
        ]
    );
    assert_eq!(num(&rows, 2, "value"), Some(120.0));
    assert_eq!(texts(&query(&mut ex, "metrics"), "metric").len(), 1);
}

// ---------------------------------------------------------------- revise, delete

#[test]
fn revising_a_missing_snapshot_is_an_error() {
    let mut ex = with(&[
        "insert 2024-01 users=100",
        "insert 2024-02 users=110",
        "delete users 2024-02",
    ]);
    for command in [
        "revise 2024-03 users=5",                 // period never recorded
        "revise 2024 users=5",                    // a containing period is not it
        "revise 2024-01 users{line=a}=5",         // series never recorded
        "revise 2024-01 nosuchmetric=5",          // metric never recorded
        "revise 2024-02 users=5",                 // deleted
        "revise 2024-01 users=5 users{line=a}=5", // one missing: nothing changes
    ] {
        let err = fails(&mut ex, command);
        assert!(err.contains("no snapshot"), "{command}: {err}");
    }
    let rows = query(&mut ex, "history users 2024-01");
    assert_eq!(rows.rows.len(), 1);
    assert_eq!(num(&rows, 0, "value"), Some(100.0));
    assert!(query(&mut ex, "metrics nosuchmetric").rows.is_empty());
}

#[test]
fn revise_replaces_the_value_and_keeps_history() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2023 users=50",
        "insert 2024 users=100 users{line=a}=60 source=\"draft\"",
    ]);
    let out = ok(
        &mut ex,
        "revise 2024 users=120 users{line=a}=60 source=\"audit\" note=\"restated\"",
    );
    assert_eq!(out.notes.len(), 1);
    assert!(out.notes[0].contains("revised 1"), "{:?}", out.notes);
    assert!(out.notes[0].contains("unchanged 1"), "{:?}", out.notes);
    ok(&mut ex, "revise 2024 users=130");

    let rows = query(&mut ex, "history users 2024");
    assert_eq!(
        rows.columns,
        vec![
            "series",
            "period",
            "revision",
            "value",
            "status",
            "recorded_at",
            "source",
            "note"
        ]
    );
    type Revision = (Option<f64>, Option<f64>, Option<String>, Option<String>);
    let revisions: Vec<Revision> = (0..3)
        .map(|i| {
            (
                num(&rows, i, "revision"),
                num(&rows, i, "value"),
                text(&rows, i, "status"),
                text(&rows, i, "source"),
            )
        })
        .collect();
    assert_eq!(
        revisions,
        vec![
            (
                Some(1.0),
                Some(100.0),
                Some("superseded".into()),
                Some("draft".into())
            ),
            (
                Some(2.0),
                Some(120.0),
                Some("superseded".into()),
                Some("audit".into())
            ),
            (Some(3.0), Some(130.0), Some("current".into()), None),
        ]
    );
    assert_eq!(text(&rows, 1, "note").as_deref(), Some("restated"));
    assert_eq!(texts(&rows, "period"), vec![Some("2024".into()); 3]);
    // RFC 3339 UTC, in order.
    let times: Vec<String> = texts(&rows, "recorded_at")
        .into_iter()
        .map(Option::unwrap)
        .collect();
    for t in &times {
        assert!(t.ends_with('Z') && t.parse::<Timestamp>().is_ok(), "{t}");
    }
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    // Queries use the current value.
    let rows = query(&mut ex, "growth users from 2023 to 2024");
    assert_eq!(num(&rows, 0, "to_value"), Some(130.0));
    // The unchanged segment kept its single revision.
    assert_eq!(query(&mut ex, "history users{line=a}").rows.len(), 1);
}

#[test]
fn delete_hides_a_snapshot_from_queries_but_not_from_history() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2024-01 users=1",
        "insert 2024-02 users=2",
    ]);
    let out = ok(&mut ex, "delete users 2024-02");
    assert!(out.rows.is_none());
    assert!(
        out.notes
            .iter()
            .any(|n| n.contains("users") && n.contains("2024-02")),
        "{:?}",
        out.notes
    );

    let rows = query(&mut ex, "series users");
    assert_eq!(texts(&rows, "period"), vec![Some("2024-01".into())]);
    // One month left: earliest and latest are both January.
    let err = fails(&mut ex, "growth users from earliest to latest");
    assert_eq!(
        err,
        "users: from earliest and to latest both resolve to 2024-01, so no growth can be measured"
    );
    // The deleted month is not found: the value would be the stale
    // January, where the other end stands.
    let err = fails(&mut ex, "growth users from 2024-01 to 2024-02");
    assert!(err.contains("both resolve to 2024-01"), "{err}");
    let rows = query(&mut ex, "metrics");
    assert_eq!(cell(&rows, 0, "snapshots"), &Cell::Int(1));
    assert_eq!(text(&rows, 0, "last").as_deref(), Some("2024-01"));

    let rows = query(&mut ex, "history users");
    let listed: Vec<(Option<String>, Option<f64>, Option<String>)> = (0..rows.rows.len())
        .map(|i| {
            (
                text(&rows, i, "period"),
                num(&rows, i, "value"),
                text(&rows, i, "status"),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            (Some("2024-01".into()), Some(1.0), Some("current".into())),
            (Some("2024-02".into()), Some(2.0), Some("superseded".into())),
            (Some("2024-02".into()), None, Some("deleted".into())),
        ]
    );

    for command in [
        "delete users 2024-02",
        "delete users 2024-03",
        "delete users 2024",
        "delete users{line=a} 2024-01",
        "delete nosuch 2024-01",
    ] {
        let err = fails(&mut ex, command);
        assert!(err.contains("no snapshot"), "{command}: {err}");
    }
    assert_eq!(query(&mut ex, "history users").rows.len(), 3);
}

#[test]
fn insert_after_delete_records_the_next_revision() {
    let mut ex = with(&[
        "metric users kind=stock",
        "insert 2024-01 users=1",
        "insert 2024-02 users=2",
        "delete users 2024-02",
    ]);
    let out = ok(&mut ex, "insert 2024-02 users=5");
    assert!(
        out.notes.iter().any(|n| n.contains("inserted 1")),
        "{:?}",
        out.notes
    );
    let rows = query(&mut ex, "history users 2024-02");
    assert_eq!(
        texts(&rows, "status"),
        vec![
            Some("superseded".into()),
            Some("deleted".into()),
            Some("current".into())
        ]
    );
    assert_eq!(num(&rows, 2, "revision"), Some(3.0));
    assert_eq!(num(&rows, 2, "value"), Some(5.0));
    let rows = query(&mut ex, "growth users from 2024-01 to 2024-02");
    assert_eq!(num(&rows, 0, "to_value"), Some(5.0));
    assert_eq!(text(&rows, 0, "note"), None);
    // Now it exists again, so a different value conflicts.
    assert!(fails(&mut ex, "insert 2024-02 users=6").contains("revise"));
}

// ---------------------------------------------------------------- readonly

#[test]
fn a_readonly_store_refuses_data_commands_and_answers_queries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("growth.db");
    let path = path.to_str().unwrap();
    {
        let mut ex = Executor::new(Store::open(path, false).unwrap());
        for line in [
            "metric users kind=stock",
            "insert 2023 users=1",
            "insert 2024 users=2",
        ] {
            ok(&mut ex, line);
        }
    }
    for path in [path, ":memory:"] {
        let mut ex = Executor::new(Store::open(path, true).unwrap());
        for command in [
            "metric users kind=flow",
            "metric other",
            "insert 2025 users=3",
            "insert 2023 users=1",
            "revise 2024 users=3",
            "delete users 2024",
        ] {
            let err = fails(&mut ex, command);
            assert!(err.contains("read-only"), "{path}: {command}: {err}");
        }
        if path != ":memory:" {
            let rows = query(&mut ex, "growth users from 2023 to 2024");
            assert_eq!(num(&rows, 0, "change"), Some(1.0));
            assert_eq!(query(&mut ex, "series users").rows.len(), 2);
            assert_eq!(query(&mut ex, "history users").rows.len(), 2);
            let rows = query(&mut ex, "metrics");
            assert_eq!(text(&rows, 0, "kind").as_deref(), Some("stock"));
        }
    }
}
