#!/usr/bin/env bash
# Live throughput: a writer appends at RATE lines/s for SECONDS to a log hitwatchd follows.
# Prints lines counted vs written, hitwatchd's CPU use while the writer ran, and how long
# after the writer stopped the daemon had counted every line.
# Usage: bench/live.sh [RATE] [SECONDS]
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}"
build build >/dev/null

rate="${1:-200000}"
seconds="${2:-30}"
dir="$(mktemp -d)"
trap 'kill "$daemon" 2>/dev/null; rm -rf "$dir"' EXIT
log="$dir/access.log"
: >"$log"

"$ROOT/build/daemon/hitwatchd" --log "$log" --interval 1 --output json \
    --state-file "$dir/state.json" --log-level warning >"$dir/out.json" &
daemon=$!
sleep 1
ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
hz=$(getconf CLK_TCK)

cpu_before=$(ticks)
start=$EPOCHREALTIME
"$ROOT/build/bench/hitwatch-genlog" --out "$log" --live --rate "$rate" --duration "$seconds" 2>"$dir/writer.err"
stopped=$EPOCHREALTIME
cpu_after=$(ticks)
written=$(wc -l <"$log")

counted() { grep -o '"total_hits":[0-9]*' "$dir/out.json" | tail -n 1 | cut -d: -f2; }
caught_up=""
for _ in $(seq 1 200); do
    if [ "$(counted)" = "$written" ]; then caught_up=$EPOCHREALTIME; break; fi
    sleep 0.05
done
kill -TERM "$daemon"; wait "$daemon" || true
final=$(counted)

awk -v w="$written" -v c="$final" -v r="$rate" -v s="$seconds" -v a="$start" -v b="$stopped" \
    -v u="$caught_up" -v t0="$cpu_before" -v t1="$cpu_after" -v hz="$hz" 'BEGIN {
    printf "writer: %d lines in %.1f s (%.0f lines/s asked %d)\n", w, b - a, w / (b - a), r
    printf "hitwatchd counted: %d of %d written (%s)\n", c, w, c == w ? "exact" : "MISMATCH"
    printf "hitwatchd CPU while the writer ran: %.1f %% of one core\n", 100 * (t1 - t0) / hz / (b - a)
    if (u != "") printf "all lines counted %.2f s after the writer stopped (report interval 1 s)\n", u - b
    else print "did not catch up within 10 s"
}'
