# Shared by the benchmarks: the project's set-up helpers, and timing.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

# The median wall-clock seconds of $runs runs of a command (its stdout to /dev/null).
median_seconds() {
    local times=() start end
    for ((i = 0; i < runs; i++)); do
        start=$EPOCHREALTIME
        "$@" >/dev/null
        end=$EPOCHREALTIME
        times+=("$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.4f", b - a}')")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
