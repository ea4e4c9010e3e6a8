//! Times Tab completion against a store: how long the prompt takes to
//! offer candidates for a few typical partial lines.
//!
//!     cargo run --release --example completion_bench -- STORE [ITERATIONS]
use std::time::Instant;

use growthdb::exec::Executor;
use growthdb::frontend::complete::{Completion, complete};
use growthdb::store::Store;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: completion_bench STORE [ITERATIONS]");
        std::process::exit(2);
    };
    let iterations: usize = args
        .next()
        .map_or(20, |n| n.parse().expect("ITERATIONS is a number"));
    let store = Store::open(&path, true).unwrap_or_else(|e| {
        eprintln!("completion_bench: {e}");
        std::process::exit(1);
    });
    let catalog = Executor::new(store).catalog();
    let first = catalog.metric_names().expect("metric names");
    let metric = first.first().cloned().unwrap_or_else(|| "x".into());
    let lines = [
        "growth ".to_string(),
        format!("growth {}", &metric[..metric.len().min(3)]),
        format!("growth {metric}{{"),
        format!("growth {metric} from "),
        "insert ".to_string(),
    ];
    for line in &lines {
        let mut times = Vec::with_capacity(iterations);
        let mut offered = 0;
        for _ in 0..iterations {
            let start = Instant::now();
            offered = match complete(line, line.len(), &catalog) {
                Completion::Words { candidates, .. } => candidates.len(),
                Completion::FileName(_) => 0,
            };
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        println!("{median:>9.3} ms  {offered:>6} candidates  {line:?}");
    }
}
