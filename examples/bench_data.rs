//! Deterministic benchmark input: SERIES series x DAYS days of snapshots,
//! day-major (consecutive rows land on different series), as growthdb
//! `insert` commands or as a `series,period,value` CSV for `.import` and
//! for the sqlite3 shell.
//!
//!     cargo run --release --example bench_data -- commands|csv SERIES DAYS
use std::io::{self, BufWriter, Write};

use jiff::civil::date;

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (form, series, days) = match args.as_slice() {
        [form, series, days] => (
            form.as_str(),
            series.parse::<u32>().expect("SERIES is a number"),
            days.parse::<u32>().expect("DAYS is a number"),
        ),
        _ => {
            eprintln!("usage: bench_data commands|csv SERIES DAYS");
            std::process::exit(2);
        }
    };
    let csv = match form {
        "commands" => false,
        "csv" => true,
        _ => {
            eprintln!("bench_data: the form is commands or csv, not {form}");
            std::process::exit(2);
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    if csv {
        writeln!(out, "series,period,value")?;
    }
    let mut day = date(2021, 1, 1);
    for d in 0..days {
        for s in 0..series {
            let value = u64::from(s) * 1000 + u64::from(d);
            let name = format!("bench.m{}{{shard=s{s}}}", s % 10);
            if csv {
                writeln!(out, "{name},{day},{value}")?;
            } else {
                writeln!(out, "insert {day} {name}={value}")?;
            }
        }
        day = day.tomorrow().expect("benchmark days stay in range");
    }
    out.flush()
}
