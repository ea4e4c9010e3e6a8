#!/usr/bin/env bash
# growthdb against the sqlite3 shell and DuckDB's, side by side, on the same rows.
#
#   bash bench/compare.sh            # full run: stores of 10k, 1M and 10M snapshots
#   QUICK=1 bash bench/compare.sh    # a smaller run (10M becomes 2M) to try it out
#
# Prints a table of medians and the ratio of each line to its reference.
# Bulk writes are measured in both row orders: series-major (each series'
# days in one run, as most exports are sorted) and day-major (consecutive
# rows on different series).
# sqlite3 gets the equivalent schema: one keyed row per series and period,
#   CREATE TABLE snapshot (series TEXT, period TEXT, value REAL,
#                          PRIMARY KEY (series, period)) WITHOUT ROWID;
# loaded with its own `.import` of the same CSV. DuckDB's CLI loads the same
# CSV into a table keyed on (series, period); when `duckdb` is not on the
# PATH it is installed with pip (package duckdb-cli) into a virtual
# environment in the work folder, and its lines say so when it cannot be.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${BENCH_DIR:-$(mktemp -d)}
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$work"' EXIT
runs=${RUNS:-3}
big_series=10000
[ -n "${QUICK:-}" ] && big_series=2000

need() {
    command -v "$1" >/dev/null && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing Debian package $2 for $1" >&2
        (apt-get install -y -q "$2" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$2" >/dev/null 2>&1; }) || true
    fi
    command -v "$1" >/dev/null || { echo "bench: $1 not found; install the Debian package $2" >&2; exit 1; }
}
need sqlite3 sqlite3
need /usr/bin/time time

# shellcheck source=bench/lib.sh
. bench/lib.sh
# shellcheck source=bench/duckdb.sh
. bench/duckdb.sh "$work"
[ -n "$duckdb" ] || echo "bench: DuckDB's lines are left out" >&2

cargo build --release --quiet --bins --examples
growthdb=$root/target/release/growthdb
gen=$root/target/release/examples/bench_data
machine
duckdb_version="not available"
[ -n "$duckdb" ] && duckdb_version=$("$duckdb" --version | cut -d' ' -f1)
echo "growthdb $($growthdb --version | cut -d' ' -f2), sqlite3 $(sqlite3 --version | cut -d' ' -f1), duckdb $duckdb_version; median of $runs runs"
echo

# Milliseconds and peak resident MB of one run of a command.
millis_peak() {
    /usr/bin/time -f '%e %M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f %.0f\n", $1 * 1000, $2 / 1024}'
}
# Median of $runs timings of `setup; command`, setup untimed.
timed() {
    local setup=$1
    shift
    for _ in $(seq "$runs"); do
        eval "$setup"
        millis "$@"
    done | median 2
}

sqlite_schema="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
CREATE TABLE snapshot (series TEXT NOT NULL, period TEXT NOT NULL, value REAL NOT NULL,
                       PRIMARY KEY (series, period)) WITHOUT ROWID;"
sqlite_load() { sqlite3 "$1" "$sqlite_schema" ".import --csv --skip 1 $2 snapshot" >/dev/null; }
growthdb_load() { "$growthdb" --db "$1" --quiet -c ".import $2"; }
duckdb_load() {
    "$duckdb" "$1" "CREATE TABLE snapshot (series VARCHAR NOT NULL, period VARCHAR NOT NULL,
        value DOUBLE NOT NULL, PRIMARY KEY (series, period));
        COPY snapshot FROM '$2' (HEADER);" >/dev/null
}

for order in series day; do
    "$gen" commands 1000 1000 $order >"$work/1m_$order.growth"
    "$gen" csv 1000 1000 $order >"$work/1m_$order.csv"
    "$gen" csv "$big_series" 1000 $order >"$work/big_$order.csv"
done
"$gen" csv 10 1000 >"$work/10k.csv"
ln -f "$work/1m_day.csv" "$work/1m.csv"
ln -f "$work/1m_day.growth" "$work/1m.growth"
ln -f "$work/big_day.csv" "$work/big.csv"
big_rows=$((big_series * 1000))

rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s | %s |' "$@")"); }

declare -A s_ms
for order in series day; do
    s_ms[$order]=$(timed 'rm -f "$work"/s.db*' sqlite_load "$work/s.db" "$work/1m_$order.csv")
done

# (a) piped insert commands against sqlite3's .import of the same rows as CSV.
for order in series day; do
    a_g=$(timed 'rm -f "$work"/a.db*' sh -c "'$growthdb' --db '$work/a.db' --quiet < '$work/1m_$order.growth'")
    row "(a) 1M piped \`insert\` commands, $order-major, vs sqlite3 \`.import\` (ms)" "$a_g" "${s_ms[$order]}" "$(ratio "$a_g" "${s_ms[$order]}")" "≤ 1.0"
done

# (b) growthdb's .import of the same CSV, against sqlite3's and DuckDB's.
for order in series day; do
    b_g=$(timed 'rm -f "$work"/b.db*' growthdb_load "$work/b.db" "$work/1m_$order.csv")
    row "(b) 1M-row CSV \`.import\`, $order-major (ms)" "$b_g" "${s_ms[$order]}" "$(ratio "$b_g" "${s_ms[$order]}")" "≤ 0.5"
    if [ -n "$duckdb" ]; then
        b_d=$(timed 'rm -f "$work"/d.duckdb*' duckdb_load "$work/d.duckdb" "$work/1m_$order.csv")
        row "(b) 1M-row CSV \`.import\`, $order-major, vs DuckDB CLI \`COPY\` into a keyed table (ms)" "$b_g" "$b_d (DuckDB)" "$(ratio "$b_g" "$b_d")" "≤ 1.0"
    else
        row "(b) 1M-row CSV \`.import\`, $order-major, vs DuckDB CLI (ms)" "$b_g" "DuckDB not available" "" "≤ 1.0"
    fi
done

# The big import in both orders, one run each, with peak memory; the
# day-major store is kept for the queries below.
declare -A big_ms big_mb
for order in series day; do
    rm -f "$work/big_$order.db"*
    read -r big_ms[$order] big_mb[$order] < <(millis_peak "$growthdb" --db "$work/big_$order.db" --quiet -c ".import $work/big_$order.csv")
    row "$big_rows-row \`.import\`, $order-major (ms / peak MB)" "${big_ms[$order]} / ${big_mb[$order]}" "" "" "≤ 64 MB"
done
row "$big_rows-row \`.import\`, day-major / series-major time" "" "" "$(ratio "${big_ms[day]}" "${big_ms[series]}")" "≤ 2.0"
rm -f "$work/big_series.db"*

# Stores of 10k, 1M and the big size for the queries.
for size in 10k 1m big; do
    rm -f "$work/g_$size.db"* "$work/s_$size.db"*
    if [ $size = big ]; then
        mv "$work/big_day.db" "$work/g_big.db"
    else
        growthdb_load "$work/g_$size.db" "$work/$size.csv"
    fi
    sqlite_load "$work/s_$size.db" "$work/$size.csv"
done

# (c) and (f): one growth query of one series, as a whole process.
growth_query='growth bench.m3{shard=s3} from 2021-03-05 to 2023-06-01'
sql_query="SELECT f.value, t.value, t.value - f.value, (t.value - f.value) / abs(f.value) * 100,
    t.value / f.value FROM snapshot f JOIN snapshot t ON t.series = f.series
    WHERE f.series = 'bench.m3{shard=s3}' AND f.period = '2021-03-05' AND t.period = '2023-06-01'"
query_runs=$((runs * 7))
declare -A c_g c_s
for size in 10k 1m big; do
    c_g[$size]=$(runs=$query_runs timed : "$growthdb" --db "$work/g_$size.db" -c "$growth_query")
    c_s[$size]=$(runs=$query_runs timed : sqlite3 "$work/s_$size.db" "$sql_query")
done
row "(c) one \`growth\` query, whole process, $big_rows snapshots (ms)" "${c_g[big]}" "${c_s[big]}" "$(ratio "${c_g[big]}" "${c_s[big]}")" "≤ 1.2"

# (d) growth * over 1y across every series of the big store.
over_sql="WITH latest AS (SELECT series, max(period) AS p FROM snapshot GROUP BY series)
SELECT l.series, f.period, f.value, t.period, t.value, t.value - f.value,
       (t.value - f.value) / abs(f.value) * 100, t.value / f.value
FROM latest l JOIN snapshot t ON t.series = l.series AND t.period = l.p
JOIN snapshot f ON f.series = l.series AND f.period = date(l.p, '-1 year')"
d_g=$(timed : "$growthdb" --db "$work/g_big.db" --format csv -c 'growth * over 1y')
d_s=$(timed : sqlite3 -csv "$work/s_big.db" "$over_sql")
row "(d) \`growth * over 1y\` across $big_series series (ms)" "$d_g" "$d_s" "$(ratio "$d_g" "$d_s")" "≤ 2.0"

# (e) peak resident memory (the big import's is above).
rm -f "$work"/e.db*
e_a=$(peak_mb sh -c "'$growthdb' --db '$work/e.db' --quiet < '$work/1m.growth'")
rm -f "$work"/e.db*
e_b=$(peak_mb "$growthdb" --db "$work/e.db" --quiet -c ".import $work/1m.csv")
rm -f "$work"/e.db*
e_s=$(peak_mb sqlite3 "$work/e.db" "$sqlite_schema" ".import --csv --skip 1 $work/1m.csv snapshot")
row "(e) peak memory, (a) piped inserts (MB)" "$e_a" "$e_s" "" "≤ 64"
row "(e) peak memory, (b) 1M-row import (MB)" "$e_b" "$e_s" "" "≤ 64"

# (f) how (c) grows with the store.
row "(f) (c) at 10k / 1M / $big_rows snapshots (ms)" "${c_g[10k]} / ${c_g[1m]} / ${c_g[big]}" \
    "${c_s[10k]} / ${c_s[1m]} / ${c_s[big]}" "$(ratio "${c_g[big]}" "${c_g[10k]}") (big/10k)" "≤ 1.5"

echo "| measure | growthdb | sqlite3 (or as named) | ratio | target |"
echo "|---|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
