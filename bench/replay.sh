#!/usr/bin/env bash
# Replay throughput: times `wc -l` and `hitwatchd --replay FILE --output json > /dev/null`
# on the same generated log, in the same run, and prints lines/s, the ratio to wc -l and
# hitwatchd's peak RSS. Usage: bench/replay.sh [LINES] [RUNS]
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}" time
build build >/dev/null

lines="${1:-2000000}"
runs="${2:-5}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
log="$dir/access.log"
# 2000 lines/s of log time with 30 s of jitter: realistic sections, statuses and agents.
"$ROOT/build/bench/hitwatch-genlog" --out "$log" --rate 2000 --lines "$lines" --jitter 30
size=$(stat -c %s "$log")
echo "log: $lines lines, $((size / 1024 / 1024)) MiB"


cat "$log" >/dev/null  # both start from a warm page cache
wc_s=$(median_seconds wc -l "$log")
hw_s=$(median_seconds "$ROOT/build/daemon/hitwatchd" --replay "$log" --output json --log-level error)
rss_kib=$(/usr/bin/time -f %M "$ROOT/build/daemon/hitwatchd" --replay "$log" --output json \
    --log-level error 2>&1 >/dev/null | tail -n 1)

awk -v l="$lines" -v w="$wc_s" -v h="$hw_s" -v r="$rss_kib" 'BEGIN {
    printf "wc -l      : %6.3f s  %6.2f M lines/s\n", w, l / (w > 0 ? w : 0.001) / 1e6
    printf "hitwatchd  : %6.3f s  %6.2f M lines/s\n", h, l / (h > 0 ? h : 0.001) / 1e6
    printf "ratio hitwatchd / wc -l: %.2f (target <= 4)\n", h / (w > 0 ? w : 0.001)
    printf "hitwatchd peak RSS: %.1f MiB (target <= 32)\n", r / 1024
}'
