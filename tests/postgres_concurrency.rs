//! Several growthdb processes on one PostgreSQL store at once, each over
//! its own TCP connection (SPEC §7, as `concurrency` checks for SQLite):
//! eight writers and two readers lose nothing and see no error, and eight
//! processes racing to insert one snapshot leave exactly one winner, the
//! others failing with the conflict error SQLite gives.
//!
//! These need `GROWTHDB_TEST_POSTGRES`; without it each prints that it
//! was skipped.
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::postgres::Database;
use crate::common::{DAY_2000, Sandbox, cell, csv_results, day_text, num};

/// What one process printed and how it ended.
#[derive(Debug)]
struct Finished {
    what: String,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Finished {
    /// Exit 0, nothing on stderr (every process runs with `-q`): a
    /// `locked` after the retries is a failure like any other error.
    #[track_caller]
    fn assert_clean(&self) {
        let what = &self.what;
        assert_eq!(self.code, Some(0), "{what}: expected success\n{self:#?}");
        assert_eq!(self.stderr, "", "{what}: nothing on stderr\n{self:#?}");
    }
}

/// The binary on the store at `url`, every stream piped.
fn growthdb(sandbox: &Sandbox, url: &str, args: &[&str]) -> Command {
    let mut cmd = sandbox.growthdb();
    cmd.arg("--db")
        .arg(url)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn finish(what: &str, child: Child) -> Finished {
    let out = child.wait_with_output().expect("wait for growthdb");
    Finished {
        what: what.to_string(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs growthdb with `stdin` piped in (from a thread, so that a full
/// stdout pipe cannot stall it), to the end.
fn run_piped(sandbox: &Sandbox, url: &str, what: &str, args: &[&str], stdin: String) -> Finished {
    let mut child = growthdb(sandbox, url, args)
        .spawn()
        .expect("spawn growthdb");
    let mut pipe = child.stdin.take().expect("piped stdin");
    let feeder = thread::spawn(move || {
        // Fails only when the process ended early, which `finish` shows.
        let _ = pipe.write_all(stdin.as_bytes());
    });
    let finished = finish(what, child);
    feeder.join().expect("the feeder thread");
    finished
}

/// `.check` on the store passes: exit 0, every check ok.
#[track_caller]
pub fn assert_check_clean(sandbox: &Sandbox, url: &str) {
    let out = sandbox.run(&["--db", url, "--format", "csv", "-q", "-c", ".check"], "");
    out.clean();
    let mut checks = 0;
    for record in csv::Reader::from_reader(out.stdout.as_bytes()).records() {
        let record = record.expect("csv from .check");
        assert_eq!(&record[1], "ok", "{record:?}\n{out:#?}");
        checks += 1;
    }
    assert!(checks >= 5, "{out:#?}");
}

const WRITERS: usize = 8;
const PER_WRITER: i64 = 250;

/// Writer `w`'s input: day `i` of series `load{w=W}` gets the value i + 1.
/// Odd writers pipe plain inserts (the batch commits them in groups),
/// even ones `begin`/`commit` blocks of 50.
fn writer_input(w: usize) -> String {
    let mut text = String::new();
    for i in 0..PER_WRITER {
        if w.is_multiple_of(2) && i % 50 == 0 {
            text.push_str("begin\n");
        }
        text.push_str(&format!(
            "insert {} load{{w={w}}}={}\n",
            day_text(DAY_2000 + i),
            i + 1
        ));
        if w.is_multiple_of(2) && i % 50 == 49 {
            text.push_str("commit\n");
        }
    }
    text
}

/// One reader process: `series` and `growth` on the writers' series in
/// turn, piped a pair at a time until the writers are done. Each must
/// succeed and see the seed's two days (two, so that growth has two
/// periods to measure between), then a prefix of what the writer wrote,
/// with no gap. Returns how many pairs it ran.
fn read_loop(sandbox: &Sandbox, url: &str, done: &AtomicBool) -> usize {
    let args = ["--format", "csv", "-q"];
    let mut child = growthdb(sandbox, url, &args)
        .spawn()
        .expect("spawn growthdb");
    let mut pipe = child.stdin.take().expect("piped stdin");
    let out = thread::scope(|scope| {
        scope.spawn(move || {
            for round in 0.. {
                let w = round % WRITERS + 1;
                let pair =
                    format!("series load{{w={w}}}\ngrowth load{{w={w}}} from earliest to latest\n");
                if pipe.write_all(pair.as_bytes()).is_err() || done.load(Ordering::SeqCst) {
                    return;
                }
                thread::sleep(Duration::from_millis(100));
            }
        });
        finish("reader", child)
    });
    out.assert_clean();
    let results = csv_results(&out.stdout);
    assert!(
        results.len() >= 2 && results.len().is_multiple_of(2),
        "{out:#?}"
    );
    for pair in results.chunks(2) {
        let rows = &pair[0];
        assert_eq!(cell(&rows[0], "period"), "1999-12-30", "{rows:#?}");
        for (n, row) in rows.iter().skip(1).enumerate() {
            let day = DAY_2000 - 1 + n as i64;
            assert_eq!(cell(row, "period"), day_text(day), "a gap\n{rows:#?}");
            assert_eq!(num(row, "value"), Some(n as f64), "{rows:#?}");
        }
        let growth_row = &pair[1][0];
        assert_eq!(num(growth_row, "from_value"), Some(0.0), "{growth_row:#?}");
        let to = num(growth_row, "to_value").expect("a to_value") as i64;
        assert_eq!(
            cell(growth_row, "to_period"),
            day_text(DAY_2000 - 1 + to),
            "growth saw a value that is not its day's\n{growth_row:#?}"
        );
    }
    results.len() / 2
}

/// The stored revisions of `series`: (series, period, revision, value)
/// from `history`, as growthdb reports them.
fn history(sandbox: &Sandbox, url: &str, series: &[String]) -> Vec<(String, String, i64, f64)> {
    let mut args = vec!["--db", url, "--format", "csv", "-q"];
    let commands: Vec<String> = series.iter().map(|s| format!("history {s}")).collect();
    for command in &commands {
        args.extend(["-c", command.as_str()]);
    }
    let out = sandbox.run(&args, "");
    out.clean();
    out.results()
        .iter()
        .flatten()
        .map(|r| {
            (
                cell(r, "series").to_string(),
                cell(r, "period").to_string(),
                cell(r, "revision").parse().expect("a revision"),
                num(r, "value").expect("a value"),
            )
        })
        .collect()
}

/// (metric, snapshots) of every metric whose name starts with `prefix`.
fn metrics(sandbox: &Sandbox, url: &str, prefix: &str) -> Vec<(String, String)> {
    let out = sandbox.run(&["--db", url, "--format", "csv", "-q", "-c", "metrics"], "");
    out.clean();
    let mut found: Vec<_> = out
        .rows()
        .iter()
        .filter(|r| cell(r, "metric").starts_with(prefix))
        .map(|r| {
            (
                cell(r, "metric").to_string(),
                cell(r, "snapshots").to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn eight_writers_and_two_readers_over_tcp_lose_nothing() {
    let Some(database) = Database::new() else {
        return;
    };
    let url = database.url.as_str();
    let sandbox = Sandbox::new();
    let seed: String = (1..=WRITERS)
        .map(|w| format!("insert 1999-12-30 load{{w={w}}}=0\ninsert 1999-12-31 load{{w={w}}}=0\n"))
        .collect();
    run_piped(&sandbox, url, "seed", &["-q"], seed).assert_clean();
    let done = AtomicBool::new(false);
    let started = Instant::now();
    let (writers, reads) = thread::scope(|scope| {
        let (sandbox, done) = (&sandbox, &done);
        let writers: Vec<_> = (1..=WRITERS)
            .map(|w| {
                scope.spawn(move || {
                    let what = format!("writer {w}");
                    run_piped(sandbox, url, &what, &["-q"], writer_input(w))
                })
            })
            .collect();
        let readers: Vec<_> = (0..2)
            .map(|_| scope.spawn(move || read_loop(sandbox, url, done)))
            .collect();
        let writers: Vec<Finished> = writers.into_iter().map(|h| h.join().unwrap()).collect();
        done.store(true, Ordering::SeqCst);
        let reads: Vec<usize> = readers.into_iter().map(|h| h.join().unwrap()).collect();
        (writers, reads)
    });
    let elapsed = started.elapsed();
    for writer in &writers {
        writer.assert_clean();
    }
    eprintln!(
        "{WRITERS} writers x {PER_WRITER} snapshots over TCP in {elapsed:?}; pairs of queries read {reads:?}"
    );

    let names: Vec<String> = (1..=WRITERS).map(|w| format!("load{{w={w}}}")).collect();
    let stored = history(&sandbox, url, &names);
    assert_eq!(stored.len(), WRITERS * (PER_WRITER as usize + 2));
    let mut seen = std::collections::HashSet::new();
    for (series, period, revision, value) in &stored {
        assert_eq!(*revision, 1, "{series} {period}");
        assert!(seen.insert((series, period)), "{series} {period} twice");
        let day: jiff::civil::Date = period.parse().expect("a day");
        let n = day
            .since(jiff::civil::date(1999, 12, 31))
            .unwrap()
            .get_days();
        assert_eq!(*value, f64::from(n.max(0)), "{series} {period}");
    }
    assert_check_clean(&sandbox, url);
}

const RACERS: usize = 8;

#[test]
fn eight_racing_inserts_of_one_snapshot_have_exactly_one_winner() {
    const ROUNDS: usize = 6;
    let Some(shared) = Database::new() else {
        return;
    };
    let sandbox = Sandbox::new();
    let started = Instant::now();
    let mut wins = [0; RACERS];
    for round in 0..ROUNDS {
        // Rounds 0 and 3 race on a database that holds no store yet (all
        // of them create it); the others on one that keeps growing.
        let fresh = [0, 3].contains(&round).then(|| Database::new().unwrap());
        let url = fresh.as_ref().unwrap_or(&shared).url.clone();
        // Odd rounds report errors as JSON Lines; rounds 0, 1 mod 3 pipe
        // the command to processes, the others give it with `-c`.
        let json = round % 2 == 1;
        let format = if json { "jsonl" } else { "table" };
        let commands: Vec<String> = (0..RACERS)
            .map(|i| format!("insert 2024 r{round}own{i}={i} r{round}race={i}"))
            .collect();
        let finished: Vec<Finished> = thread::scope(|scope| {
            let handles: Vec<_> = commands
                .iter()
                .map(|command| {
                    let (sandbox, url) = (&sandbox, url.as_str());
                    scope.spawn(move || {
                        if round % 3 < 2 {
                            let args = ["-q", "--format", format];
                            run_piped(sandbox, url, command, &args, format!("{command}\n"))
                        } else {
                            let args = ["-q", "--format", format, "-c", command.as_str()];
                            run_piped(sandbox, url, command, &args, String::new())
                        }
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });

        let winners: Vec<usize> = (0..RACERS)
            .filter(|&i| finished[i].code == Some(0))
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: one winner\n{finished:#?}");
        let winner = winners[0];
        wins[winner] += 1;
        finished[winner].assert_clean();
        let expected = format!(
            "r{round}race already has {winner} for 2024 (revision 1); use revise to change it"
        );
        for lost in finished.iter().filter(|f| f.code != Some(0)) {
            assert_eq!(lost.code, Some(1), "round {round}\n{lost:#?}");
            let lines: Vec<&str> = lost.stderr.lines().collect();
            assert_eq!(lines.len(), 1, "round {round}: one error line\n{lost:#?}");
            if json {
                let error: serde_json::Value =
                    serde_json::from_str(lines[0]).expect("a JSON error");
                assert_eq!(error["kind"], "conflict", "round {round}\n{lost:#?}");
                let text = error["error"].as_str().expect("an error text");
                assert!(text.ends_with(&expected), "round {round}\n{lost:#?}");
            } else {
                assert!(
                    lines[0].starts_with("error: ") && lines[0].ends_with(&expected),
                    "round {round}: the loser's error names the winner's value\n{lost:#?}"
                );
            }
        }
        // One revision of the contested snapshot, the winner's, and of
        // the racers' own metrics only the winner's.
        let race = format!("r{round}race");
        let stored = history(&sandbox, &url, std::slice::from_ref(&race));
        let one = vec![(race.clone(), "2024".to_string(), 1, winner as f64)];
        assert_eq!(stored, one, "round {round}\n{finished:#?}");
        let expected = vec![
            (format!("r{round}own{winner}"), "1".to_string()),
            (race, "1".to_string()),
        ];
        let prefix = format!("r{round}");
        assert_eq!(metrics(&sandbox, &url, &prefix), expected, "round {round}");
        assert_check_clean(&sandbox, &url);
    }
    eprintln!(
        "{ROUNDS} races of {RACERS} processes in {:?}; wins by racer {wins:?}",
        started.elapsed()
    );
}
