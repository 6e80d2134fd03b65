#!/usr/bin/env bash
# Live following: a writer appends at RATE lines/s for SECONDS to a log hitwatchd follows.
# Prints lines counted vs written, hitwatchd's CPU use while the writer ran, how far its
# reading lagged behind the writer, and how long after the writer stopped every line was
# counted.
# MODE: batched (10 ms batches, one write(2) each) or per-line (one write(2) per line, as
# nginx without `buffer=` writes).
# Usage: bench/live.sh [RATE] [SECONDS] [batched|per-line]
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}"
build build >/dev/null

rate="${1:-200000}"
seconds="${2:-30}"
mode="${3:-batched}"
case "$mode" in
    batched) writer_mode=() ;;
    per-line) writer_mode=(--write-per-line) ;;
    *) echo "bench/live.sh: MODE is batched or per-line, not $mode" >&2; exit 2 ;;
esac
dir="$(mktemp -d)"
trap 'kill "$daemon" "$sampler" 2>/dev/null; rm -rf "$dir"' EXIT
log="$dir/access.log"
: >"$log"

"$ROOT/build/daemon/hitwatchd" --log "$log" --interval 1 --output json \
    --state-file "$dir/state.json" --log-level warning >"$dir/out.json" &
daemon=$!
sleep 1
ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
hz=$(getconf CLK_TCK)

# The daemon's read position in the log (its descriptor's offset) against the log's size,
# every 10 ms while the writer runs: bytes not read yet.
log_fd=""
for fd in /proc/"$daemon"/fd/*; do
    [ "$(readlink "$fd")" = "$log" ] && log_fd="${fd##*/}"
done
[ -n "$log_fd" ] || { echo "bench/live.sh: hitwatchd does not hold $log open" >&2; exit 1; }
sample_lag() {
    while :; do
        local size pos
        size=$(stat -c %s "$log")
        pos=$(awk '/^pos:/ {print $2}' "/proc/$daemon/fdinfo/$log_fd")
        echo $((size > pos ? size - pos : 0))
        sleep 0.01
    done
}
sample_lag >"$dir/behind" &
sampler=$!

cpu_before=$(ticks)
start=$EPOCHREALTIME
"$ROOT/build/bench/hitwatch-genlog" --out "$log" --live "${writer_mode[@]}" --rate "$rate" \
    --duration "$seconds" 2>"$dir/writer.err"
stopped=$EPOCHREALTIME
cpu_after=$(ticks)
kill "$sampler"; wait "$sampler" 2>/dev/null || true
written=$(wc -l <"$log")
bytes=$(stat -c %s "$log")

counted() { grep -o '"total_hits":[0-9]*' "$dir/out.json" | tail -n 1 | cut -d: -f2; }
caught_up=""
for _ in $(seq 1 200); do
    if [ "$(counted)" = "$written" ]; then caught_up=$EPOCHREALTIME; break; fi
    sleep 0.05
done
kill -TERM "$daemon"; wait "$daemon" || true
final=$(counted)
behind=$(sort -n "$dir/behind" | awk '{a[NR]=$1} END {printf "%d %d %d", a[int(NR*0.99)], a[NR], NR}')

awk -v w="$written" -v c="$final" -v r="$rate" -v m="$mode" -v a="$start" -v b="$stopped" \
    -v u="$caught_up" -v t0="$cpu_before" -v t1="$cpu_after" -v hz="$hz" -v bytes="$bytes" \
    -v behind="$behind" 'BEGIN {
    split(behind, lag, " ")
    per_s = bytes / (b - a)
    printf "writer (%s): %d lines in %.1f s (%.0f lines/s asked %d)\n", m, w, b - a, w / (b - a), r
    printf "hitwatchd counted: %d of %d written (%s)\n", c, w, c == w ? "exact" : "MISMATCH"
    printf "hitwatchd CPU while the writer ran: %.1f %% of one core\n", 100 * (t1 - t0) / hz / (b - a)
    printf "reading behind the writer (%d samples): p99 %d bytes (%.0f ms), most %d bytes (%.0f ms)\n", \
        lag[3], lag[1], 1000 * lag[1] / per_s, lag[2], 1000 * lag[2] / per_s
    if (u != "") printf "all lines counted %.2f s after the writer stopped (report interval 1 s)\n", u - b
    else print "did not catch up within 10 s"
}'
