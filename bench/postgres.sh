#!/usr/bin/env bash
# SQLite against PostgreSQL as growthdb's store: the same CSV of 1,000,000
# snapshots (1,000 series x 1,000 days, from examples/bench_data.rs)
# `.import`ed into a new SQLite file and into a new PostgreSQL database,
# then one `growth` query on each; every measure a whole process, the
# median of RUNS runs (3), with PostgreSQL's time over SQLite's.
#
#   GROWTHDB_BENCH_POSTGRES=postgres://USER@HOST:PORT/DATABASE bash bench/postgres.sh
#
# The address's user must be able to create databases: each run imports
# into a database of its own (growthdb_bench_*), dropped at the end. Needs
# psql (Debian package postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."
server=${GROWTHDB_BENCH_POSTGRES:?set GROWTHDB_BENCH_POSTGRES to a PostgreSQL address whose user may create databases}
command -v psql >/dev/null || { echo "bench: psql not found; install the Debian package postgresql-client" >&2; exit 1; }
runs=${RUNS:-3}
work=$(mktemp -d)
# shellcheck source=bench/lib.sh
. bench/lib.sh

# The server without its database, to name the benchmark's own.
base=${server%%\?*}
base=${base%/*}
made=()
cleanup() {
    for db in "${made[@]}"; do
        psql -q "$server" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT
# A new, empty database; its address.
fresh() {
    local db=growthdb_bench_$$_$1
    made+=("$db")
    psql -q "$server" -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null
    pg_url=$base/$db
}

cargo build --release --quiet --bins --examples
growthdb=$PWD/target/release/growthdb
target/release/examples/bench_data csv 1000 1000 > "$work/rows.csv"
import=".import $work/rows.csv"
query='growth bench.m3{shard=s503} from 2021-03-05 to 2023-06-01'

for i in $(seq "$runs"); do
    rm -f "$work"/store.db*
    millis "$growthdb" --db "$work/store.db" --quiet -c "$import" >> "$work/sqlite_import"
    echo >> "$work/sqlite_import"
    fresh "$i"
    millis "$growthdb" --db "$pg_url" --quiet -c "$import" >> "$work/pg_import"
    echo >> "$work/pg_import"
done
# Each store holds the same snapshots.
"$growthdb" --db "$work/store.db" --format csv -c "$query" > "$work/sqlite_answer"
"$growthdb" --db "$pg_url" --format csv -c "$query" > "$work/pg_answer"
cmp -s "$work/sqlite_answer" "$work/pg_answer" || { echo "bench: the stores answer differently" >&2; exit 1; }
for i in $(seq "$runs"); do
    millis "$growthdb" --db "$work/store.db" --format csv -c "$query" >> "$work/sqlite_query"
    echo >> "$work/sqlite_query"
    millis "$growthdb" --db "$pg_url" --format csv -c "$query" >> "$work/pg_query"
    echo >> "$work/pg_query"
done

si=$(median < "$work/sqlite_import")
pi=$(median < "$work/pg_import")
sq=$(median 1 < "$work/sqlite_query")
pq=$(median 1 < "$work/pg_query")
echo "growthdb $("$growthdb" --version | cut -d' ' -f2), PostgreSQL $(psql -At "$server" -c 'SHOW server_version' | cut -d' ' -f1); $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo); median of $runs runs"
echo
echo "| measure | SQLite | PostgreSQL | ratio |"
echo "|---|---:|---:|---:|"
echo "| 1M-row CSV \`.import\`, whole process (ms) | $si | $pi | $(ratio "$pi" "$si") |"
echo "| one \`growth\` query, whole process (ms) | $sq | $pq | $(ratio "$pq" "$sq") |"
