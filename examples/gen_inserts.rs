//! Prints `insert` commands for benchmarks: SERIES series x DAYS days,
//! day-major, so consecutive commands land on different series.
//!
//!     cargo run --release --example gen_inserts -- [SERIES] [DAYS]
use std::io::{self, BufWriter, Write};

use jiff::civil::date;

fn main() -> io::Result<()> {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u32>());
    let series = args.next().unwrap_or(Ok(1000)).expect("SERIES is a number");
    let days = args.next().unwrap_or(Ok(1000)).expect("DAYS is a number");
    let mut out = BufWriter::new(io::stdout().lock());
    let mut day = date(2021, 1, 1);
    for d in 0..days {
        for s in 0..series {
            let value = u64::from(s) * 1000 + u64::from(d);
            writeln!(out, "insert {day} bench.m{}{{shard=s{s}}}={value}", s % 10)?;
        }
        day = day.tomorrow().expect("benchmark days stay in range");
    }
    out.flush()
}
