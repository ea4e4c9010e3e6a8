//! A batch told to stop (SIGINT, SIGTERM, SIGHUP) commits every command it
//! confirmed, stops before its next line and says which line that is.
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};

use crate::common::{DAY_2000, Sandbox, day_text};

/// Sends `signal` (`INT`, `TERM`, `HUP`) to a child process.
pub fn send(child: &Child, signal: &str) {
    let status = std::process::Command::new("kill")
        .args(["-s", signal, &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -s {signal}");
}

/// The shell's status for a process stopped by `signal`.
pub fn status_of(signal: &str) -> i32 {
    128 + match signal {
        "HUP" => 1,
        "INT" => 2,
        "TERM" => 15,
        _ => panic!("no number for {signal}"),
    }
}

/// The number of snapshots of series `m`, and whether they are the first
/// of the input in order (day `DAY_2000 + n` holding `n`).
fn stored_prefix(db: &str) -> (usize, bool) {
    let rows: Vec<(i64, f64)> = crate::common::texts(
        db,
        "SELECT CAST(start_day AS TEXT) || ' ' || CAST(value AS TEXT) FROM snapshot ORDER BY start_day",
    )
    .iter()
    .map(|text| {
        let (day, value) = text.split_once(' ').expect("a day and a value");
        (day.parse().unwrap(), value.parse().unwrap())
    })
    .collect();
    let prefix = rows
        .iter()
        .enumerate()
        .all(|(n, &(day, value))| day == DAY_2000 + n as i64 && value == n as f64);
    (rows.len(), prefix)
}

/// Pipes inserts into a batch without end, signals it once it has
/// confirmed `before` of them, and checks that each confirmed line is in
/// the store. Gives the number of confirmed lines lost.
fn confirmed_lines_lost(signal: &str, before: usize) -> usize {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    let mut child = sandbox
        .growthdb()
        .args(["--db", &db])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start growthdb");
    let mut input = child.stdin.take().unwrap();
    // Writes until the process stops reading (the pipe breaks).
    let writer = std::thread::spawn(move || {
        for n in 0..2_000_000 {
            let line = format!("insert {} m={n}\n", day_text(DAY_2000 + n));
            if input.write_all(line.as_bytes()).is_err() {
                break;
            }
        }
    });
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut confirmed = 0;
    let mut errors = Vec::new();
    let mut signalled = false;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.ends_with(": inserted 1") {
            confirmed += 1;
        } else if line.starts_with("error: ") {
            errors.push(line);
        }
        if !signalled && confirmed == before {
            send(&child, signal);
            signalled = true;
        }
    }
    let status = child.wait().unwrap();
    writer.join().unwrap();
    assert!(signalled, "only {confirmed} lines confirmed: {errors:?}");
    assert_eq!(status.code(), Some(status_of(signal)), "{errors:?}");
    let expected = format!(
        "error: interrupted by SIG{signal}: input from line {} on was not read",
        confirmed + 1
    );
    assert_eq!(errors, [expected]);
    let (stored, prefix) = stored_prefix(&db);
    assert!(prefix, "the store holds the input's first lines, in order");
    // Nothing was stored that was not confirmed either.
    assert!(
        stored <= confirmed,
        "{stored} stored, {confirmed} confirmed"
    );
    confirmed - stored
}

#[test]
fn a_stop_signal_loses_no_confirmed_line() {
    for signal in ["INT", "TERM", "HUP"] {
        // Past the first group of 10,000, so that the signal falls
        // inside a later one.
        assert_eq!(confirmed_lines_lost(signal, 12_345), 0, "SIG{signal}");
    }
}

#[test]
fn a_stop_signal_while_waiting_for_input_ends_the_batch() {
    let sandbox = Sandbox::new();
    let db = sandbox.db();
    let mut child = sandbox
        .growthdb()
        .args(["--db", &db])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start growthdb");
    let mut input = child.stdin.take().unwrap();
    input.write_all(b"insert 2024 a=1\n").unwrap();
    input.flush().unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    // Notes are flushed, and the group committed, before it waits.
    let note = lines
        .by_ref()
        .map(Result::unwrap)
        .find(|l| l.contains("inserted"));
    assert_eq!(note.as_deref(), Some("2024: inserted 1"));
    send(&child, "TERM");
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert_eq!(
        rest,
        ["error: interrupted by SIGTERM: input from line 2 on was not read"]
    );
    assert_eq!(child.wait().unwrap().code(), Some(status_of("TERM")));
    // The input is still open: the process stopped without reading on.
    drop(input);
    let out = sandbox.csv("history a\n");
    assert_eq!(out.clean().rows().len(), 1);
}
