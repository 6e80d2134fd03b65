#!/usr/bin/env bash
# A scanner's flood: 5 million distinct sections in one interval, replayed, against the
# normal replay benchmark's lines in the same run. Prints the time per line of each, their
# ratio (target <= 2) and the flood's peak RSS (target <= 64 MiB).
# Usage: bench/heavy_hitters.sh [LINES] [RUNS]
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}" time
build build >/dev/null

lines="${1:-5000000}"
runs="${2:-5}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
gen="$ROOT/build/bench/hitwatch-genlog"
hw="$ROOT/build/daemon/hitwatchd"
# The normal benchmark's log, and the flood: every line a section of its own, all within
# one 10 s interval.
"$gen" --out "$dir/normal.log" --rate 2000 --lines 2000000 --jitter 30
"$gen" --out "$dir/flood.log" --rate $((lines / 10)) --lines "$lines" --unique-sections
echo "logs: 2000000 normal lines; $lines lines with as many sections in one interval"


cat "$dir"/*.log >/dev/null  # a warm page cache for both
normal_s=$(median_seconds "$hw" --replay "$dir/normal.log" --output json --log-level error)
flood_s=$(median_seconds "$hw" --replay "$dir/flood.log" --output json --log-level error)
rss_kib=$(/usr/bin/time -f %M "$hw" --replay "$dir/flood.log" --output json --log-level error 2>&1 >/dev/null | tail -n 1)
truncated=$("$hw" --replay "$dir/flood.log" --output json --log-level error | grep -c '"sections_truncated":true')

awk -v n=2000000 -v f="$lines" -v a="$normal_s" -v b="$flood_s" -v r="$rss_kib" -v t="$truncated" 'BEGIN {
    printf "normal : %6.3f s  %6.1f ns/line\n", a, a / n * 1e9
    printf "flood  : %6.3f s  %6.1f ns/line  (%d truncated reports)\n", b, b / f * 1e9, t
    printf "ratio flood / normal per line: %.2f (target <= 2)\n", (b / f) / (a / n)
    printf "flood peak RSS: %.1f MiB (target <= 64)\n", r / 1024
}'
