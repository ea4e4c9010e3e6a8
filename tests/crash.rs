//! growthdb killed with SIGKILL at pseudo-random moments (SPEC §7: every
//! command is atomic; an import is one transaction; README: "a crash loses
//! at most the group in progress, never part of a command", and a process
//! killed inside a `begin` block leaves nothing of it).
//!
//! After every kill the store must open and pass `.check`, and what it
//! holds is compared with the input: an import all or nothing, a batch a
//! prefix of its commands, a block nothing. The kill moments come from a
//! fixed-seed generator, so a failure names a round that can be rerun.
use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::common::{DAY_2000, Sandbox, day_text};
use rusqlite::Connection;

/// SplitMix64: a fixed seed gives the same kill moments on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// When to kill: mostly 0–600 ms after the start, one time in eight
    /// within the first 20 ms (while the store is being opened or created).
    fn kill_delay(&mut self) -> Duration {
        let millis = if self.below(8) == 0 {
            self.below(20)
        } else {
            self.below(600)
        };
        Duration::from_millis(millis)
    }
}

/// The stores of a test: a fresh one every fourth round, the same one
/// (holding whatever the earlier rounds left) in between.
struct Stores {
    current: Option<Sandbox>,
}

impl Stores {
    fn for_round(&mut self, round: usize) -> &Sandbox {
        if round.is_multiple_of(4) || self.current.is_none() {
            self.current = Some(Sandbox::new());
        }
        self.current.as_ref().unwrap()
    }
}

/// The binary on the sandbox's store, stdin piped, stdout and stderr to
/// files (so that a full pipe never stalls it).
fn spawn(sandbox: &Sandbox, round: usize, args: &[&str]) -> Child {
    let out = File::create(sandbox.path(&format!("stdout.{round}"))).unwrap();
    let err = File::create(sandbox.path(&format!("stderr.{round}"))).unwrap();
    sandbox
        .growthdb()
        .arg("--db")
        .arg(sandbox.db())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("spawn growthdb")
}

/// How a killed process ended: the status, whether SIGKILL ended it (as
/// opposed to exiting on its own before the kill), and its stderr.
struct Ending {
    status: ExitStatus,
    killed: bool,
    stderr: String,
}

fn kill_after(sandbox: &Sandbox, round: usize, mut child: Child, delay: Duration) -> Ending {
    thread::sleep(delay);
    // An exited child is not reaped yet, so this cannot hit another process.
    let _ = child.kill();
    let status = child.wait().expect("wait for growthdb");
    let stderr = std::fs::read(sandbox.path(&format!("stderr.{round}"))).unwrap();
    Ending {
        status,
        killed: status.signal() == Some(9),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Complete lines a killed process wrote to stderr (its last line may have
/// been cut by the kill): none may mention a lock or a panic.
#[track_caller]
fn stderr_lines(ending: &Ending, round: usize) -> Vec<String> {
    let text = &ending.stderr;
    assert!(
        !text.contains("locked") && !text.contains("panicked"),
        "round {round}: {text}"
    );
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    complete
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The store opens after the kill and `.check` finds nothing wrong. A
/// store that held data before the kill is first opened `--readonly` (the
/// first opener after a crash recovers the WAL; a reader must manage).
#[track_caller]
fn assert_check_clean(sandbox: &Sandbox, round: usize, had_data: bool) {
    if had_data {
        let out = sandbox.run_db(
            &["--readonly", "--format", "csv", "-q", "-c", "metrics"],
            "",
        );
        assert_eq!(
            (out.code, out.stderr.as_str()),
            (0, ""),
            "round {round}: a read-only query after a kill\n{out:#?}"
        );
        assert!(!out.rows().is_empty(), "round {round}: {out:#?}");
    }
    let out = sandbox.csv(".check");
    assert_eq!(
        (out.code, out.stderr.as_str()),
        (0, ""),
        "round {round}: .check after a kill\n{out:#?}"
    );
    let mut reader = csv::Reader::from_reader(out.stdout.as_bytes());
    let mut checks = 0;
    for record in reader.records() {
        let record = record.expect("csv from .check");
        assert_eq!(&record[1], "ok", "round {round}: {record:?}");
        checks += 1;
    }
    assert!(checks >= 5, "round {round}: {out:#?}");
}

/// One stored revision.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    metric: String,
    series: String,
    start_day: i64,
    end_day: i64,
    revision: i64,
    value: Option<f64>,
}

/// Every revision in the store (none when it does not exist yet).
fn stored(db: &str) -> Vec<Stored> {
    if !Path::new(db).exists() {
        return Vec::new();
    }
    let conn = Connection::open(db).expect("open the store");
    let mut stmt = conn
        .prepare(
            "SELECT m.name, s.name, sn.start_day, sn.end_day, sn.revision, sn.value
             FROM snapshot sn JOIN series s ON s.id = sn.series_id
             JOIN metric m ON m.id = s.metric_id",
        )
        .expect("prepare");
    stmt.query_map([], |row| {
        Ok(Stored {
            metric: row.get(0)?,
            series: row.get(1)?,
            start_day: row.get(2)?,
            end_day: row.get(3)?,
            revision: row.get(4)?,
            value: row.get(5)?,
        })
    })
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

/// Names of the metrics in the store.
fn metric_names(db: &str) -> Vec<String> {
    crate::common::texts(db, "SELECT name FROM metric")
}

/// Splits the store's revisions into those of `metrics` and the rest.
fn split(rows: Vec<Stored>, metrics: &[&str]) -> (Vec<Stored>, Vec<Stored>) {
    rows.into_iter()
        .partition(|row| metrics.contains(&row.metric.as_str()))
}

/// Sorts revisions so that two lists of them compare as sets.
fn sorted(mut rows: Vec<Stored>) -> Vec<Stored> {
    rows.sort_by(|a, b| {
        (&a.series, a.start_day, a.end_day, a.revision).cmp(&(
            &b.series,
            b.start_day,
            b.end_day,
            b.revision,
        ))
    });
    rows
}

/// Feeds `chunks` to the child's stdin from a thread, with `pause` between
/// them (a pause makes a batch commit its group); `hold` keeps stdin open
/// after the last chunk until the returned sender is dropped (so that the
/// process waits for more instead of reaching the end of its input).
fn feed(
    child: &mut Child,
    chunks: Vec<String>,
    pause: Duration,
    hold: bool,
) -> (thread::JoinHandle<()>, mpsc::Sender<()>) {
    let mut stdin = child.stdin.take().expect("piped stdin");
    let (release, released) = mpsc::channel::<()>();
    let feeder = thread::spawn(move || {
        for (index, chunk) in chunks.iter().enumerate() {
            if index > 0 {
                // Stop early once the process is gone.
                match released.recv_timeout(pause) {
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
            }
            // Fails with a broken pipe once the process is killed.
            if stdin.write_all(chunk.as_bytes()).is_err() {
                break;
            }
        }
        if hold {
            let _ = released.recv();
        }
        drop(stdin);
    });
    (feeder, release)
}

/// Rows in every import file and batch: far more than a debug build gets
/// through before the kill.
const BIG: i64 = 200_000;

#[test]
fn a_killed_import_is_all_or_nothing() {
    if crate::common::sqlite_only(
        "SQLite's file after a killed writer (tests/postgres_crash.rs is PostgreSQL's)",
    ) {
        return;
    }
    const ROUNDS: usize = 20;
    let mut rng = Rng(0x1A2B_3C4D_5E6F_7081);
    let mut stores = Stores { current: None };
    let (mut killed, mut nothing, mut all) = (0, 0, 0);
    for round in 0..ROUNDS {
        let sandbox = stores.for_round(round);
        let db = sandbox.db();
        // Most files are large; one in three small enough that some
        // imports finish (or commit) before their kill.
        let rows = if rng.below(3) == 0 {
            500 + rng.below(20_000) as i64
        } else {
            BIG
        };
        let metric = format!("imp{round}");
        let mut text = String::with_capacity(rows as usize * 30);
        text.push_str("series,period,value\n");
        for i in 0..rows {
            let day = day_text(DAY_2000 + i % 1000);
            text.push_str(&format!("{metric}{{k={}}},{day},{i}\n", i / 1000));
        }
        let file = sandbox.write(&format!("{metric}.csv"), &text);
        drop(text);
        let before = stored(&db);

        let delay = rng.kill_delay();
        let mut child = spawn(sandbox, round, &["-q", "-c", &format!(".import {file}")]);
        drop(child.stdin.take());
        let ending = kill_after(sandbox, round, child, delay);
        let lines = stderr_lines(&ending, round);
        if ending.killed {
            killed += 1;
        } else {
            assert!(
                ending.status.success() && lines.is_empty(),
                "round {round}: the import failed: {}",
                ending.stderr
            );
        }

        assert_check_clean(sandbox, round, !before.is_empty());
        let (imported, rest) = split(stored(&db), &[&metric]);
        assert_eq!(
            sorted(rest),
            sorted(before),
            "round {round}: other rows changed"
        );
        match imported.len() as i64 {
            0 => {
                assert!(
                    ending.killed,
                    "round {round}: a finished import left nothing"
                );
                assert!(
                    !metric_names(&db).contains(&metric),
                    "round {round}: the metric of a rolled-back import is left"
                );
                nothing += 1;
            }
            n if n == rows => {
                for row in &imported {
                    let k: i64 = row.series[metric.len() + 3..row.series.len() - 1]
                        .parse()
                        .unwrap();
                    let i = k * 1000 + row.start_day - DAY_2000;
                    assert_eq!(
                        (row.end_day - row.start_day, row.revision, row.value),
                        (1, 1, Some(i as f64)),
                        "round {round}: {row:?}"
                    );
                }
                all += 1;
            }
            n => panic!(
                "round {round}: killed after {delay:?}, the import of {rows} rows left {n} of them"
            ),
        }
    }
    eprintln!(
        "imports: {ROUNDS} kills sent, {killed} hit a running import; {nothing} left nothing, {all} everything"
    );
    assert!(killed > 0, "no kill hit a running import");
}

/// The (series, day) pairs a batch line writes; None for a failing line.
type Writes = Option<Vec<(String, i64)>>;

/// What line `i` of a batch writes, as (series, day) pairs, all with the
/// value i; None for a line that must fail. Lines with i % 3 == 0 write two
/// series. Every 101st line writes a series of its own and then a value
/// that conflicts with the line before it: the command fails, and its
/// first value must not survive.
fn batch_line(round: usize, i: i64) -> (String, Writes) {
    let b = format!("b{round}");
    let at = |i: i64| (format!("{{k={}}}", i / 1000), DAY_2000 + i % 1000);
    if i % 101 == 100 {
        let (labels, day) = at(i - 1);
        let line = format!(
            "insert {} {b}_fail{labels}={i} {b}{labels}={}\n",
            day_text(day),
            1_000_000_000 + i
        );
        return (line, None);
    }
    let (labels, day) = at(i);
    if i % 3 == 0 {
        let line = format!(
            "insert {} {b}{labels}={i} {b}_twin{labels}={i}\n",
            day_text(day)
        );
        let writes = vec![
            (format!("{b}{labels}"), day),
            (format!("{b}_twin{labels}"), day),
        ];
        (line, Some(writes))
    } else {
        let line = format!("insert {} {b}{labels}={i}\n", day_text(day));
        (line, Some(vec![(format!("{b}{labels}"), day)]))
    }
}

#[test]
fn a_killed_batch_keeps_a_prefix_of_its_commands() {
    const ROUNDS: usize = 20;
    let mut rng = Rng(0x0BAD_CAFE_F00D_1234);
    let mut stores = Stores { current: None };
    let (mut killed, mut kept) = (0, Vec::new());
    for round in 0..ROUNDS {
        let sandbox = stores.for_round(round);
        let db = sandbox.db();
        let lines: Vec<(String, Writes)> = (0..BIG).map(|i| batch_line(round, i)).collect();
        // Odd rounds pipe everything at once (groups end at 100,000
        // commands or half a second; the kill may come up to 1.2 s in);
        // even rounds pipe bursts of 50-500 lines with 40 ms pauses, each of
        // which commits a group.
        let (chunks, pause, delay) = if round % 2 == 1 {
            let text: String = lines.iter().map(|(line, _)| line.as_str()).collect();
            let delay = rng.kill_delay() * 2;
            (vec![text], Duration::ZERO, delay)
        } else {
            let mut chunks = Vec::new();
            let mut start = 0;
            while start < lines.len() {
                let end = (start + 50 + rng.below(450) as usize).min(lines.len());
                chunks.push(
                    lines[start..end]
                        .iter()
                        .map(|(line, _)| line.as_str())
                        .collect(),
                );
                start = end;
            }
            (chunks, Duration::from_millis(40), rng.kill_delay())
        };
        let before = stored(&db);

        let mut child = spawn(sandbox, round, &["-q"]);
        let (feeder, release) = feed(&mut child, chunks, pause, false);
        let ending = kill_after(sandbox, round, child, delay);
        drop(release);
        feeder.join().unwrap();
        if ending.killed {
            killed += 1;
        }
        // Only the conflicts, each naming its line and revise.
        for line in stderr_lines(&ending, round) {
            let number: i64 = line
                .strip_prefix("error: line ")
                .and_then(|rest| rest.split(':').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("round {round}: unexpected stderr line {line:?}"));
            assert!(
                lines[number as usize - 1].1.is_none() && line.ends_with("use revise to change it"),
                "round {round}: unexpected error {line:?}"
            );
        }

        assert_check_clean(sandbox, round, !before.is_empty());
        let names = [
            format!("b{round}"),
            format!("b{round}_twin"),
            format!("b{round}_fail"),
        ];
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (written, rest) = split(stored(&db), &names);
        assert_eq!(
            sorted(rest),
            sorted(before),
            "round {round}: other rows changed"
        );
        // Which rows each line left.
        let mut by_line: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
        for row in &written {
            assert!(
                row.metric != names[2],
                "round {round}: a failed command left {row:?}"
            );
            let value = row.value.expect("no deletions") as i64;
            assert!(
                (0..BIG).contains(&value) && row.revision == 1 && row.end_day == row.start_day + 1,
                "round {round}: {row:?}"
            );
            by_line
                .entry(value)
                .or_default()
                .push((row.series.clone(), row.start_day));
        }
        let prefix = by_line.keys().max().map_or(0, |last| last + 1);
        for i in 0..prefix {
            let mut got = by_line.remove(&i).unwrap_or_default();
            got.sort();
            let mut expected = lines[i as usize].1.clone().unwrap_or_default();
            expected.sort();
            assert_eq!(
                got,
                expected,
                "round {round}: killed after {delay:?}, lines 1..={prefix} should all be kept, line {} is not as written",
                i + 1
            );
        }
        if !ending.killed {
            // It read all of its input: every line that can succeed is kept.
            assert_eq!(
                ending.status.code(),
                Some(1),
                "round {round}: {}",
                ending.stderr
            );
            assert_eq!(
                prefix,
                BIG - i64::from((BIG - 1) % 101 == 100),
                "round {round}"
            );
        }
        kept.push(prefix);
    }
    eprintln!(
        "batches: {ROUNDS} kills sent, {killed} hit a running batch; commands kept: {kept:?}"
    );
    assert!(killed > 0, "no kill hit a running batch");
}

#[test]
fn a_block_killed_before_commit_leaves_nothing() {
    const ROUNDS: usize = 14;
    const BEFORE_BLOCK: i64 = 300;
    let mut rng = Rng(0x5EED_0000_0000_0B10);
    let mut stores = Stores { current: None };
    let (mut killed, mut kept) = (0, Vec::new());
    for round in 0..ROUNDS {
        let sandbox = stores.for_round(round);
        let db = sandbox.db();
        let (plain, block) = (format!("p{round}"), format!("blk{round}"));
        // Some blocks are short: the process has run them all and waits
        // inside the open block for more input when it is killed.
        let in_block = if rng.below(3) == 0 {
            1_000 + rng.below(3_000) as i64
        } else {
            BIG
        };
        let mut text = String::new();
        for i in 0..BEFORE_BLOCK {
            text.push_str(&format!("insert {} {plain}={i}\n", day_text(DAY_2000 + i)));
        }
        text.push_str("begin\n");
        for j in 0..in_block {
            // Two values in one command now and then (a savepoint inside
            // the block's transaction).
            let day = day_text(DAY_2000 + j % 1000);
            let k = j / 1000;
            if j % 7 == 0 {
                text.push_str(&format!(
                    "insert {day} {block}{{k={k}}}={j} {block}_x{{k={k}}}={j}\n"
                ));
            } else {
                text.push_str(&format!("insert {day} {block}{{k={k}}}={j}\n"));
            }
        }
        let before = stored(&db);

        let delay = rng.kill_delay();
        let mut child = spawn(sandbox, round, &["-q"]);
        let (feeder, release) = feed(&mut child, vec![text], Duration::ZERO, true);
        let ending = kill_after(sandbox, round, child, delay);
        drop(release);
        feeder.join().unwrap();
        assert!(
            ending.killed,
            "round {round}: the process ended on its own: {:?} {}",
            ending.status, ending.stderr
        );
        killed += 1;
        assert_eq!(
            stderr_lines(&ending, round),
            Vec::<String>::new(),
            "round {round}"
        );

        assert_check_clean(sandbox, round, !before.is_empty());
        let block_x = format!("{block}_x");
        let (written, rest) = split(stored(&db), &[&plain, &block, &block_x]);
        assert_eq!(
            sorted(rest),
            sorted(before),
            "round {round}: other rows changed"
        );
        let metrics = metric_names(&db);
        assert!(
            !metrics.contains(&block) && !metrics.contains(&block_x),
            "round {round}: killed after {delay:?}, the uncommitted block left its metrics"
        );
        let mut values: Vec<i64> = written
            .iter()
            .map(|row| {
                assert_eq!(row.metric, plain, "round {round}: the block left {row:?}");
                assert_eq!(
                    (row.start_day, row.revision),
                    (DAY_2000 + row.value.unwrap() as i64, 1),
                    "round {round}: {row:?}"
                );
                row.value.unwrap() as i64
            })
            .collect();
        values.sort();
        let prefix = values.len() as i64;
        assert_eq!(
            values,
            (0..prefix).collect::<Vec<_>>(),
            "round {round}: the commands before the block are not a prefix"
        );
        kept.push(prefix);
    }
    eprintln!("blocks: {killed} kills inside or before a block; commands kept before it: {kept:?}");
}
