# Sourced by the benchmarks: timing helpers.

# Milliseconds a command takes, to the microsecond (output discarded).
millis() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e6 }'
}

# The median of the numbers on stdin, one a line, with $1 decimals (0).
median() {
    sort -g | awk -v d="${1:-0}" '{v[NR] = $1} END {
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%." d "f\n", m }'
}

# $1 / $2, to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
