# Shared by the benchmarks: the project's set-up helpers, and timing.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

# The wall-clock seconds of one run of a command (its stdout to /dev/null).
seconds_of() {
    local start=$EPOCHREALTIME
    "$@" >/dev/null
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.4f", b - a}'
}

# The CPU's model name, which each benchmark's row names.
cpu_model() { awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo; }

# The median of numbers, one a line on stdin.
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# The median wall-clock seconds of $runs runs of a command (its stdout to /dev/null).
median_seconds() {
    for ((i = 0; i < runs; i++)); do
        seconds_of "$@"
        echo
    done | median
}
