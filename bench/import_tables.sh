#!/usr/bin/env bash
# A long table into a keyed store: growthdb's `.import --period --labels
# --values` against DuckDB's CLI reading the same CSV into a table keyed on
# (series, period) after an UNPIVOT of the value columns.
#
#   bash bench/import_tables.sh          # 1,000,000 rows: 2 label columns, 3 value columns
#   ROWS=100000 bash bench/import_tables.sh
#   ROWS=10000000 RUNS=1 bash bench/import_tables.sh
#
# DuckDB's side, its CLI (installed with pip, package duckdb-cli, into a
# virtual environment in the work folder when `duckdb` is not on the PATH):
#   CREATE TABLE obs (series VARCHAR, period VARCHAR, value DOUBLE,
#                     PRIMARY KEY (series, period));
#   INSERT INTO obs SELECT metric || '{country=' || country || ',sector=' || sector || '}',
#          year, value FROM (UNPIVOT read_csv(...) ON a, b, c ...);
# Prints the median of RUNS runs of each, their ratio, and the peak resident
# memory of each (/usr/bin/time -f %M, one more run).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${BENCH_DIR:-$(mktemp -d)}
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$work"' EXIT
runs=${RUNS:-3}
rows=${ROWS:-1000000}

command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time not found; install the Debian package time" >&2; exit 1; }
# shellcheck source=bench/lib.sh
. bench/lib.sh
# shellcheck source=bench/duckdb.sh
. bench/duckdb.sh "$work"
cargo build --release --quiet --bins
growthdb=$root/target/release/growthdb

# 1,000 countries x 10 sectors x years, as many years as ROWS needs.
years=$(( (rows + 9999) / 10000 ))
awk -v years="$years" -v rows="$rows" 'BEGIN {
    srand(1); print "country,sector,year,a,b,c"; n = 0
    for (c = 0; c < 1000; c++) for (s = 0; s < 10; s++) for (y = 0; y < years; y++) {
        if (n++ >= rows) exit
        printf "C%d,S%d,%d,%.3f,%d,%.4f\n", c, s, 1900 + y, rand() * 1000, int(rand() * 1e6), rand()
    }
}' > "$work/table.csv"

# Peak resident memory of an import, in MB: each import takes the command
# to run it under, since /usr/bin/time cannot run a shell function.
import_peak_mb() { "$1" /usr/bin/time -f %M 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1 / 1024}'; }

import_growthdb() {
    rm -f "$work/g.db" "$work/g.db-wal" "$work/g.db-shm"
    "$@" "$growthdb" --db "$work/g.db" -q -c ".import $work/table.csv --period year --labels country,sector --values a=a,b=b,c=c"
}
import_duckdb() {
    rm -f "$work/d.duckdb" "$work/d.duckdb.wal"
    "$@" "$duckdb" "$work/d.duckdb" "CREATE TABLE obs (series VARCHAR, period VARCHAR, value DOUBLE,
                                                  PRIMARY KEY (series, period));
        INSERT INTO obs
        SELECT metric || '{country=' || country || ',sector=' || sector || '}', year, value FROM (
            UNPIVOT (SELECT * FROM read_csv('$work/table.csv'))
            ON a, b, c INTO NAME metric VALUE value);"
}

g=$(for _ in $(seq "$runs"); do millis import_growthdb; done | median)
g_mb=$(import_peak_mb import_growthdb)
if [ -n "$duckdb" ]; then
    d=$(for _ in $(seq "$runs"); do millis import_duckdb; done | median)
    d_mb=$(import_peak_mb import_duckdb)
    ratio=$(ratio "$g" "$d")
    duckdb_version=$("$duckdb" --version | cut -d' ' -f1)
else
    d="–" d_mb="–" ratio="–" duckdb_version="not available"
fi
rm -f "$work"/g.db* "$work"/d.duckdb*
machine
echo "growthdb $($growthdb --version | cut -d' ' -f2), duckdb $duckdb_version; median of $runs runs; $rows rows, $((rows * 3)) snapshots"
printf '| %-40s | %11s | %11s | %5s | %8s | %8s |\n' "long table, 2 labels, 3 values" "growthdb ms" "duckdb ms" ratio "growthdb MB" "duckdb MB"
printf '| %-40s | %11s | %11s | %5s | %11s | %9s |\n' "$rows rows" "$g" "$d" "$ratio" "$g_mb" "$d_mb"
