//! Piped `insert`s under `-q` are held back and written many to a
//! statement. Whatever is held, the outcome must be what running the
//! commands one at a time gives: each failure at its own line, in order,
//! `--bail` stopping at the first, other commands and other processes
//! seeing every insert before them.
use std::io::Write as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{DAY_2000, Sandbox, day_text, sqlite_only, texts};

/// `insert DAY a{k=x}=VALUE` for days `from..to` after 2000-01-01, the
/// value of day `d` being `d`.
fn inserts(series: &str, from: i64, to: i64) -> String {
    (from..to)
        .map(|d| format!("insert {} {series}={d}\n", day_text(DAY_2000 + d)))
        .collect()
}

fn count(db: &str) -> usize {
    texts(db, "SELECT CAST(count(*) AS TEXT) FROM snapshot")[0]
        .parse()
        .expect("a count")
}

/// A store already holding day 100 of `a{k=x}` with a value other than
/// the one the inserts give it.
fn with_day_100_recorded() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.load(&format!(
        "insert {} a{{k=x}}=-1\n",
        day_text(DAY_2000 + 100)
    ));
    sandbox
}

#[test]
fn a_held_insert_that_conflicts_fails_at_its_own_line() {
    let sandbox = with_day_100_recorded();
    let out = sandbox.run_db(&["-q"], &inserts("a{k=x}", 0, 200));
    let error = out.only_error();
    // Line 101 inserts day 100.
    assert!(
        error.starts_with("error: line 101: a{k=x} already has -1 for 2000-04-10"),
        "{error}"
    );
    let db = sandbox.db();
    assert_eq!(count(&db), 200);
    let day_100 = texts(
        &db,
        &format!(
            "SELECT CAST(value AS TEXT) FROM snapshot WHERE start_day = {}",
            DAY_2000 + 100
        ),
    );
    // Parsed: each backend prints a double its own way.
    let day_100: Vec<f64> = day_100
        .iter()
        .map(|v| v.parse().expect("a number"))
        .collect();
    assert_eq!(day_100, [-1.0]);
}

#[test]
fn bail_keeps_exactly_the_inserts_before_a_held_one_that_fails() {
    let sandbox = with_day_100_recorded();
    let out = sandbox.run_db(&["-q", "--bail"], &inserts("a{k=x}", 0, 200));
    assert!(out.only_error().starts_with("error: line 101: "), "{out:?}");
    // Days 0 to 99, and the day 100 recorded before.
    let db = sandbox.db();
    assert_eq!(count(&db), 101);
    let last = texts(&db, "SELECT CAST(max(start_day) AS TEXT) FROM snapshot");
    assert_eq!(last, [(DAY_2000 + 100).to_string()]);
}

#[test]
fn a_held_insert_fails_in_json_with_its_line_and_kind() {
    let sandbox = with_day_100_recorded();
    let out = sandbox.run_db(&["-q", "--format", "jsonl"], &inserts("a{k=x}", 30, 200));
    let error: serde_json::Value = serde_json::from_str(out.only_error()).expect("JSON");
    assert_eq!(error["line"], 71, "{error}");
    assert_eq!(error["kind"], "conflict", "{error}");
}

#[test]
fn failures_are_reported_in_the_order_of_their_lines() {
    let sandbox = with_day_100_recorded();
    // Day 100 conflicts at line 101, held; line 150 does not parse.
    let mut script = inserts("a{k=x}", 0, 149);
    script.push_str("insert nonsense\n");
    script.push_str(&inserts("a{k=x}", 149, 200));
    let out = sandbox.run_db(&["-q"], &script);
    let lines = out.failed();
    assert_eq!(lines.len(), 2, "{out:?}");
    assert!(lines[0].starts_with("error: line 101: "), "{lines:?}");
    assert!(lines[1].starts_with("error: line 150: "), "{lines:?}");
}

#[test]
fn commands_see_every_insert_before_them() {
    let sandbox = Sandbox::new();
    let mut script = inserts("a{k=x}", 0, 100);
    script.push_str(".sql SELECT count(*) AS n FROM snapshot\n");
    script.push_str(&inserts("a{k=x}", 100, 170));
    script.push_str("series a{k=x} from 2000-01-01 to 2001-01-01\n");
    let out = sandbox.run_db(&["-q", "--format", "csv"], &script);
    out.clean();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[..2], ["n", "100"], "{out:?}");
    // The series' header, and a row for each day.
    assert_eq!(lines.len(), 2 + 1 + 170, "{out:?}");
}

#[test]
fn the_same_snapshot_twice_among_held_inserts_is_unchanged_or_a_conflict() {
    let sandbox = Sandbox::new();
    let mut script = inserts("a{k=x}", 0, 40);
    // Day 10 again, same value: unchanged, no error.
    script.push_str(&inserts("a{k=x}", 10, 11));
    script.push_str(&inserts("a{k=x}", 40, 80));
    // Day 20 again, another value: line 82 fails.
    script.push_str(&format!(
        "insert {} a{{k=x}}=0.5\n",
        day_text(DAY_2000 + 20)
    ));
    script.push_str(&inserts("a{k=x}", 80, 150));
    let out = sandbox.run_db(&["-q"], &script);
    assert!(
        out.only_error()
            .starts_with("error: line 82: a{k=x} already has 20 for"),
        "{out:?}"
    );
    assert_eq!(count(&sandbox.db()), 150);
}

/// Every revision of every snapshot, without the time it was recorded
/// at (inserts written together share one).
fn revisions(db: &str) -> Vec<String> {
    texts(
        db,
        "SELECT s.name || ' ' || sn.start_day || ' ' || sn.end_day || ' ' || sn.revision
                || ' ' || coalesce(CAST(sn.value AS TEXT), 'deleted')
         FROM snapshot sn JOIN series s ON s.id = sn.series_id ORDER BY 1",
    )
}

#[test]
fn held_inserts_end_as_inserts_run_one_at_a_time() {
    // A mixed script over two series: runs of new values, values already
    // there (same or other), a new series, a revision and a query. With
    // confirmations on (no -q), nothing is held back.
    let mut script = String::new();
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound
    };
    for round in 0..40 {
        let series = ["a{k=x}", "a{k=y}", "b"][next(3) as usize];
        let from = next(300) as i64;
        let to = from + 1 + next(120) as i64;
        let mut run = inserts(series, from, to);
        if next(4) == 0 {
            run = run.replace("=1", "=7");
        }
        script.push_str(&run);
        match round % 10 {
            3 => script.push_str(&format!(
                "revise {} {series}=0.25\n",
                day_text(DAY_2000 + from)
            )),
            7 => script.push_str(&format!("series {series} from 2000-01-01 to 2001-01-01\n")),
            _ => {}
        }
    }
    let held = Sandbox::new();
    let quiet = held.run_db(&["-q", "--format", "csv"], &script);
    let one_by_one = Sandbox::new();
    let confirmed = one_by_one.run_db(&["--format", "csv"], &script);
    let errors = |stderr: &str| -> Vec<String> {
        stderr
            .lines()
            .filter(|line| line.starts_with("error: "))
            .map(String::from)
            .collect()
    };
    assert!(
        !errors(&quiet.stderr).is_empty(),
        "the script has conflicts"
    );
    assert_eq!(errors(&quiet.stderr), errors(&confirmed.stderr));
    assert_eq!(quiet.stdout, confirmed.stdout);
    assert_eq!(quiet.code, confirmed.code);
    assert_eq!(revisions(&held.db()), revisions(&one_by_one.db()));
}

#[test]
fn held_inserts_are_committed_before_the_input_is_awaited() {
    if sqlite_only("reading a store's file while its writer waits for input") {
        return;
    }
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    let mut child = sandbox
        .growthdb()
        .args(["--db", &db, "-q"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("growthdb starts");
    let mut stdin = child.stdin.take().expect("stdin");
    // One statement's worth and more, then nothing.
    stdin
        .write_all(inserts("a{k=x}", 0, 100).as_bytes())
        .expect("write the inserts");
    stdin.flush().expect("flush");
    let deadline = Instant::now() + Duration::from_secs(20);
    let seen = loop {
        let seen = std::path::Path::new(&db).exists() && count_if_readable(&db) == Some(100);
        if seen || Instant::now() > deadline {
            break seen;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    let out = child.wait_with_output().expect("growthdb ends");
    assert!(seen, "another process never saw the 100 inserts");
    assert!(out.status.success(), "{out:?}");
}

/// The count of snapshots, or None while the store cannot be read yet.
fn count_if_readable(db: &str) -> Option<usize> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    conn.query_row("SELECT count(*) FROM snapshot", [], |row| {
        row.get::<_, i64>(0)
    })
    .ok()
    .and_then(|n| usize::try_from(n).ok())
}
