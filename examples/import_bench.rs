//! The bulk-write regression guard: imports ROWS generated snapshots
//! (200 series a thousand days long by default) into a new temporary store
//! and prints rows per second for each way in, in both row orders, and for
//! an unchanged re-import. It prints figures, never a verdict: compare them
//! with the previous run on the same machine, or count instructions, which
//! vary far less on a busy machine than time does:
//!
//!     cargo run --release --example import_bench -- [ROWS] [CASE...]
//!     valgrind --tool=callgrind target/release/examples/import_bench 200000 csv-series
//!
//! CASE is csv-series, csv-day, insert-series, insert-day or reimport
//! (every one when none is named). Series-major rows keep one series for a
//! thousand consecutive rows, as most exports do; day-major rows change
//! series on every row.
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use growthdb::frontend::input::ReaderSource;
use growthdb::frontend::{Origin, Session, Settings};
use growthdb::render::Format;
use growthdb::store::Store;

const DAYS: usize = 1000;
const CASES: [&str; 5] = [
    "csv-series",
    "csv-day",
    "insert-series",
    "insert-day",
    "reimport",
];

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let rows: usize = match args.peek() {
        Some(first) if first.parse::<usize>().is_ok() => {
            args.next().unwrap().parse().expect("ROWS is a number")
        }
        _ => 200_000,
    };
    let mut cases: Vec<String> = args.collect();
    if cases.is_empty() {
        cases = CASES.iter().map(|c| c.to_string()).collect();
    }
    if let Some(bad) = cases.iter().find(|c| !CASES.contains(&c.as_str())) {
        eprintln!(
            "import_bench: no case {bad}; the cases are {}",
            CASES.join(", ")
        );
        std::process::exit(2);
    }
    let days = DAYS.min(rows.max(1));
    let series = rows.div_ceil(days);
    let rows = series * days;
    let dir = tempfile::tempdir().expect("a temporary folder");
    for case in &cases {
        let (seconds, what) = run(dir.path(), case, series, days);
        println!(
            "{case}: {rows} rows ({what}) in {seconds:.3} s, {:.0} rows/s",
            rows as f64 / seconds
        );
    }
}

/// Seconds the case takes in a new store, with what was measured.
fn run(dir: &Path, case: &str, series: usize, days: usize) -> (f64, &'static str) {
    let db = dir.join(format!("{case}.db"));
    let csv = dir.join(format!("{case}.csv"));
    let series_major = case.ends_with("-series") || case == "reimport";
    let (text, what) = if case.starts_with("insert") {
        (
            rows(series, days, series_major, false),
            "piped insert commands",
        )
    } else {
        std::fs::write(&csv, rows(series, days, series_major, true)).expect("the CSV is written");
        let command = format!(".import {}\n", csv.display());
        let what = if case == "reimport" {
            "unchanged re-import of a CSV"
        } else {
            ".import of a CSV"
        };
        (command, what)
    };
    if case == "reimport" {
        session_run(&db, &text);
    }
    let start = Instant::now();
    session_run(&db, &text);
    (start.elapsed().as_secs_f64(), what)
}

/// Runs the commands in TEXT as a piped batch against the store at DB.
fn session_run(db: &Path, text: &str) {
    let store = Store::open(db.to_str().expect("a UTF-8 path"), false).expect("the store opens");
    let mut session = Session::new(
        store,
        Settings {
            format: Format::Tsv,
            bail: true,
            quiet: true,
        },
    );
    session.run(&mut ReaderSource::new(text.as_bytes()), &Origin::Batch);
    session.finish();
    assert!(!session.failed(), "the import failed");
}

/// SERIES x DAYS snapshots as CSV or as `insert` commands, series-major or
/// day-major.
fn rows(series: usize, days: usize, series_major: bool, csv: bool) -> String {
    let mut out = String::new();
    if csv {
        out.push_str("series,period,value\n");
    }
    let day0 = jiff::civil::date(2021, 1, 1);
    let (outer, inner) = if series_major {
        (series, days)
    } else {
        (days, series)
    };
    for o in 0..outer {
        for i in 0..inner {
            let (s, d) = if series_major { (o, i) } else { (i, o) };
            let day = day0 + jiff::Span::new().days(d as i64);
            let name = format!("bench.m{}{{shard=s{s}}}", s % 10);
            let value = s * 1000 + d;
            if csv {
                writeln!(out, "{name},{day},{value}").unwrap();
            } else {
                writeln!(out, "insert {day} {name}={value}").unwrap();
            }
        }
    }
    out
}
