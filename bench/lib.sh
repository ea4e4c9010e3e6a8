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

# Peak resident memory of a command, in MB (output discarded). The command
# must be a program: /usr/bin/time cannot run a shell function.
peak_mb() {
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1 / 1024}'
}

# The machine a benchmark ran on: cores, memory and processor.
machine() {
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
}
