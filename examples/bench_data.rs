//! Deterministic benchmark input: SERIES series x COUNT periods of
//! snapshots, day-major (consecutive rows land on different series; the
//! default) or series-major (each series' periods in a run), as growthdb
//! `insert` commands or as a `series,period,value` CSV for `.import` and for
//! the sqlite3 shell. The periods are days from 2021-01-01 (the default) or
//! months from 2021-01.
//!
//!     cargo run --release --example bench_data -- commands|csv SERIES COUNT [day|series] [day|month]
use std::io::{self, BufWriter, Write};

use jiff::civil::date;

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (form, series, days, order, grain) = match args.as_slice() {
        [form, series, days, rest @ ..] if rest.len() <= 2 => (
            form.as_str(),
            series.parse::<u32>().expect("SERIES is a number"),
            days.parse::<u32>().expect("COUNT is a number"),
            rest.first().map_or("day", String::as_str),
            rest.get(1).map_or("day", String::as_str),
        ),
        _ => {
            eprintln!("usage: bench_data commands|csv SERIES COUNT [day|series] [day|month]");
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
    let series_major = match order {
        "day" => false,
        "series" => true,
        _ => {
            eprintln!("bench_data: the order is day or series, not {order}");
            std::process::exit(2);
        }
    };
    let monthly = match grain {
        "day" => false,
        "month" => true,
        _ => {
            eprintln!("bench_data: the periods are day or month, not {grain}");
            std::process::exit(2);
        }
    };
    let mut out = BufWriter::new(io::stdout().lock());
    if csv {
        writeln!(out, "series,period,value")?;
    }
    let first = date(2021, 1, 1);
    let (outer, inner) = if series_major {
        (series, days)
    } else {
        (days, series)
    };
    for o in 0..outer {
        for i in 0..inner {
            let (s, d) = if series_major { (o, i) } else { (i, o) };
            let day = if monthly {
                let month = first + jiff::Span::new().months(i64::from(d));
                month.strftime("%Y-%m").to_string()
            } else {
                (first + jiff::Span::new().days(i64::from(d))).to_string()
            };
            let value = u64::from(s) * 1000 + u64::from(d);
            let name = format!("bench.m{}{{shard=s{s}}}", s % 10);
            if csv {
                writeln!(out, "{name},{day},{value}")?;
            } else {
                writeln!(out, "insert {day} {name}={value}")?;
            }
        }
    }
    out.flush()
}
