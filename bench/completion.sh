#!/usr/bin/env bash
# Times Tab completion in a store of N snapshots (1,000 series x N/1,000
# days): the median time to offer candidates for a few partial lines.
#
#   bash bench/completion.sh [N]        (default N = 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bins --examples
cargo run --release --quiet --example bench_data -- csv 1000 $((rows / 1000)) > "$work/data.csv"
target/release/growthdb --db "$work/bench.db" --quiet -c ".import $work/data.csv"
echo "store: $rows snapshots in 1,000 series of 10 metrics"
target/release/examples/completion_bench "$work/bench.db" 20
