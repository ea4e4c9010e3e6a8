#!/usr/bin/env bash
# Pipes N `insert` commands (1,000 series x N/1,000 days) into a new store,
# then times one `growth` query in it with `.timer`.
#
#   bash bench/bulk_insert.sh [N]        (default N = 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bins --examples
bin=target/release/growthdb

cargo run --release --quiet --example bench_data -- commands 1000 $((rows / 1000)) > "$work/inserts.growth"

echo "input: $(wc -l < "$work/inserts.growth") insert commands"
start=$(date +%s.%N)
"$bin" --db "$work/bench.db" --quiet < "$work/inserts.growth"
end=$(date +%s.%N)
echo "piped inserts: $(echo "$end - $start" | bc) s"
echo "store size: $(du -h "$work/bench.db" | cut -f1)"

"$bin" --db "$work/bench.db" --quiet -c 'metric bench.m3 kind=flow'
for query in \
    'growth bench.m3{shard=s503} from 2021-03-05 to 2023-06-01' \
    'growth bench.m3{shard=s503} from 2021-03 to 2023-06'; do
    echo "query: $query"
    "$bin" --db "$work/bench.db" --format csv -c '.timer on' -c "$query" -c "$query" -c "$query" 2>&1 >/dev/null | grep '^time:'
done
