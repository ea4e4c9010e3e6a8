#!/usr/bin/env bash
# A long table into a keyed store: growthdb's `.import --period --labels
# --values` against DuckDB reading the same CSV into a keyed table after an
# UNPIVOT of the value columns.
#
#   bash bench/import_tables.sh          # 1,000,000 rows: 2 label columns, 3 value columns
#   ROWS=100000 bash bench/import_tables.sh
#
# DuckDB runs through its Python package (the same engine as its CLI):
#   CREATE TABLE obs (country VARCHAR, sector VARCHAR, year INTEGER,
#                     metric VARCHAR, value DOUBLE,
#                     PRIMARY KEY (country, sector, year, metric));
#   INSERT INTO obs SELECT ... FROM (UNPIVOT read_csv(...) ON a, b, c ...);
# Prints the median of RUNS runs of each, growthdb's peak memory, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${BENCH_DIR:-$(mktemp -d)}
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$work"' EXIT
runs=${RUNS:-3}
rows=${ROWS:-1000000}

python3 -c 'import duckdb' 2>/dev/null || pip install -q duckdb
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time not found; install the Debian package time" >&2; exit 1; }
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

millis() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e6 }'
}
median() { sort -g | awk '{v[NR] = $1} END {printf "%.0f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

import_growthdb() {
    rm -f "$work/g.db" "$work/g.db-wal" "$work/g.db-shm"
    "$growthdb" --db "$work/g.db" -q -c ".import $work/table.csv --period year --labels country,sector --values a=a,b=b,c=c"
}
import_duckdb() {
    rm -f "$work/d.duckdb" "$work/d.duckdb.wal"
    python3 - "$work" <<'PY'
import sys, duckdb
work = sys.argv[1]
con = duckdb.connect(f"{work}/d.duckdb")
con.execute("""CREATE TABLE obs (country VARCHAR, sector VARCHAR, year INTEGER,
                                 metric VARCHAR, value DOUBLE,
                                 PRIMARY KEY (country, sector, year, metric))""")
con.execute(f"""INSERT INTO obs SELECT country, sector, year, metric, value FROM (
                  UNPIVOT (SELECT * FROM read_csv('{work}/table.csv'))
                  ON a, b, c INTO NAME metric VALUE value)""")
con.close()
PY
}

g=$(for _ in $(seq "$runs"); do millis import_growthdb; done | median)
d=$(for _ in $(seq "$runs"); do millis import_duckdb; done | median)
rm -f "$work/g.db"*
mb=$(/usr/bin/time -f %M "$growthdb" --db "$work/g.db" -q -c ".import $work/table.csv --period year --labels country,sector --values a=a,b=b,c=c" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1 / 1024}')
echo "machine: $(nproc) cores; median of $runs runs; $rows rows, $((rows * 3)) snapshots"
printf '| %-52s | %10s | %10s | %6s | %8s |\n' "long table import (2 labels, 3 values)" growthdb duckdb ratio "peak MB"
printf '| %-52s | %8s ms | %8s ms | %5sx | %8s |\n' "$rows rows" "$g" "$d" "$(awk -v g="$g" -v d="$d" 'BEGIN {printf "%.1f", g / d}')" "$mb"
