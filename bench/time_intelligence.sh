#!/usr/bin/env bash
# growthdb's `every` steps and trailing windows against the same questions
# asked of DuckDB's CLI with window functions, each as a whole process
# (open the store, answer, print CSV).
#
#   bash bench/time_intelligence.sh          # RUNS=5 by default
#
# (h) `growth * over 1y every month` over 10,000 series x 36 months of
#     monthly values: DuckDB takes, for each month, the value of the same
#     month a year earlier (a window frame one year back) and the growth
#     measures between them.
# (i) `series X every month trailing 12m` over 10 years of daily values, for
#     a flow (the trailing-twelve-month sum), an average (the day-weighted
#     mean) and a stock (the last value): DuckDB sums each month's days and
#     frames the twelve months to each month, leaving a window with a missing
#     day empty, as growthdb does.
# Before timing, the answers are compared: every number DuckDB gives for the
# checked rows must be the one growthdb gives.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${BENCH_DIR:-$(mktemp -d)}
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$work"' EXIT
runs=${RUNS:-5}

# shellcheck source=bench/lib.sh
. bench/lib.sh
# shellcheck source=bench/duckdb.sh
. bench/duckdb.sh "$work"
if [ -z "$duckdb" ]; then
    echo "bench: these measures need DuckDB's CLI" >&2
    exit 1
fi

cargo build --release --quiet --bins --examples
growthdb=$root/target/release/growthdb
gen=$root/target/release/examples/bench_data
machine
echo "growthdb $($growthdb --version | cut -d' ' -f2), duckdb $("$duckdb" --version | cut -d' ' -f1); median of $runs runs"
echo

timed() { for _ in $(seq "$runs"); do millis "$@"; done | median 1; }

# The data: monthly values of 10,000 series over 36 months, and daily values
# of three series (one flow, one average, one stock) over 10 years.
"$gen" csv 10000 36 series month >"$work/monthly.csv"
"$gen" csv 3 3652 series day >"$work/daily.csv"
rm -f "$work"/g_*.db* "$work"/d_*.duckdb*
"$growthdb" --db "$work/g_monthly.db" --quiet -c ".import $work/monthly.csv"
"$growthdb" --db "$work/g_daily.db" --quiet -c ".import $work/daily.csv" \
    -c 'metric bench.m0 kind=flow' -c 'metric bench.m1 kind=average' -c 'metric bench.m2 kind=stock'
duckdb_load() {
    "$duckdb" "$1" "CREATE TABLE snapshot (series VARCHAR NOT NULL, period DATE NOT NULL,
        value DOUBLE NOT NULL, PRIMARY KEY (series, period));
        INSERT INTO snapshot SELECT series, strptime(period, '$3')::DATE, value
        FROM read_csv('$2', header = true,
                      columns = {'series': 'VARCHAR', 'period': 'VARCHAR', 'value': 'DOUBLE'});" >/dev/null
}
duckdb_load "$work/d_monthly.duckdb" "$work/monthly.csv" '%Y-%m'
duckdb_load "$work/d_daily.duckdb" "$work/daily.csv" '%Y-%m-%d'

growth_every='growth * over 1y every month'
growth_sql="SELECT series, strftime(period - INTERVAL 1 YEAR, '%Y-%m') AS from_period, from_value,
    strftime(period, '%Y-%m') AS to_period, value AS to_value,
    value - from_value AS change, (value - from_value) / abs(from_value) * 100 AS change_pct,
    value / from_value AS multiple
FROM (SELECT series, period, value, first_value(value) OVER (PARTITION BY series ORDER BY period
        RANGE BETWEEN INTERVAL 1 YEAR PRECEDING AND INTERVAL 1 YEAR PRECEDING) AS from_value
      FROM snapshot)
WHERE from_value IS NOT NULL ORDER BY series, period"
# The trailing twelve months to each month of one series, as its kind
# combines them ($2: the expression of a window's total, day count and last value).
trailing_sql() {
    echo "WITH months AS (
    SELECT date_trunc('month', period)::DATE AS month, sum(value) AS total, count(*) AS days,
        arg_max(value, period) AS last
    FROM snapshot WHERE series = '$1' GROUP BY ALL),
windows AS (
    SELECT month, sum(total) OVER w AS total, sum(days) OVER w AS days, last
    FROM months WINDOW w AS (ORDER BY month RANGE BETWEEN INTERVAL 11 MONTH PRECEDING AND CURRENT ROW))
SELECT strftime(month, '%Y-%m') AS month,
    CASE WHEN days = (month + INTERVAL 1 MONTH)::DATE - (month - INTERVAL 11 MONTH)::DATE THEN $2 END AS value
FROM windows ORDER BY month"
}
declare -A kinds=([flow]='bench.m0{shard=s0}' [average]='bench.m1{shard=s1}' [stock]='bench.m2{shard=s2}')
declare -A combine=([flow]=total [average]='total / days' [stock]=last)

# Same numbers: a few rows of (h), every row of (i).
fail() {
    echo "bench: growthdb and DuckDB disagree: $*" >&2
    exit 1
}
"$growthdb" --db "$work/g_monthly.db" --format csv -c "$growth_every" >"$work/h_g.csv"
"$duckdb" -csv "$work/d_monthly.duckdb" "$growth_sql" >"$work/h_d.csv"
[ "$(wc -l <"$work/h_g.csv")" = "$(wc -l <"$work/h_d.csv")" ] ||
    fail "(h) gives $(wc -l <"$work/h_g.csv") and $(wc -l <"$work/h_d.csv") lines"
for key in 'bench.m3{shard=s3},2022-01' 'bench.m7{shard=s4567},2023-06' 'bench.m9{shard=s9999},2023-12'; do
    # series,metric,from_period,from_value,to_period,to_value,change,change_pct,...
    g=$(awk -F, -v k="$key" '$1 "," $5 == k {printf "%s %.9g %.9g %.9g %.9g", $3, $4, $6, $7, $8}' "$work/h_g.csv")
    # series,from_period,from_value,to_period,to_value,change,change_pct,...
    d=$(awk -F, -v k="$key" '$1 "," $4 == k {printf "%s %.9g %.9g %.9g %.9g", $2, $3, $5, $6, $7}' "$work/h_d.csv")
    [ -n "$g" ] && [ "$g" = "$d" ] || fail "(h) $key: growthdb '$g', DuckDB '$d'"
done
for kind in flow average stock; do
    "$growthdb" --db "$work/g_daily.db" --format csv \
        -c "series ${kinds[$kind]} every month trailing 12m" >"$work/i_g.csv"
    "$duckdb" -csv "$work/d_daily.duckdb" "$(trailing_sql "${kinds[$kind]}" "${combine[$kind]}")" >"$work/i_d.csv"
    # series,period,start,end,value,... against month,value (empty, or NULL,
    # where the window is not all recorded).
    paste -d'|' <(tail -n +2 "$work/i_g.csv" | cut -d, -f5 | awk '{print $1 == "" ? "" : sprintf("%.9g", $1)}') \
        <(tail -n +2 "$work/i_d.csv" | cut -d, -f2 | awk '{print $1 == "NULL" ? "" : sprintf("%.9g", $1)}') >"$work/i_both"
    [ "$(wc -l <"$work/i_both")" = 120 ] || fail "(i) $kind gives $(wc -l <"$work/i_both") months"
    awk -F'|' '$1 != $2 {bad = 1; print "(i) month " NR ": growthdb " $1 ", DuckDB " $2} END {exit bad}' \
        "$work/i_both" >&2 || fail "(i) $kind"
    [ "$(grep -c '^[0-9]' "$work/i_both")" -ge 100 ] || fail "(i) $kind: too few windows with values"
done
echo "same answers: (h) 3 rows checked of $(($(wc -l <"$work/h_g.csv") - 1)); (i) 120 months of each kind"
echo

echo "| measure (whole process, ms) | growthdb | DuckDB CLI | ratio | target |"
echo "|---|---:|---:|---:|---|"
h_g=$(timed "$growthdb" --db "$work/g_monthly.db" --format csv -c "$growth_every")
h_d=$(timed "$duckdb" -csv "$work/d_monthly.duckdb" "$growth_sql")
echo "| (h) \`$growth_every\`, 10,000 series x 36 months | $h_g | $h_d | $(ratio "$h_g" "$h_d") | ≤ 1.0 |"
for kind in flow average stock; do
    i_g=$(timed "$growthdb" --db "$work/g_daily.db" --format csv -c "series ${kinds[$kind]} every month trailing 12m")
    i_d=$(timed "$duckdb" -csv "$work/d_daily.duckdb" "$(trailing_sql "${kinds[$kind]}" "${combine[$kind]}")")
    echo "| (i) \`series X every month trailing 12m\`, 10 years of days, $kind | $i_g | $i_d | $(ratio "$i_g" "$i_d") | ≤ 1.0 |"
done
