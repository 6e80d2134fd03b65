#!/usr/bin/env bash
# A daemon down for an hour comes back to a one-hour backlog written by a scanner: 2,000 new
# sections every 10 s (720,000 lines, each a section of its own). Prints the live daemon's
# peak RSS while it reads the backlog (target <= 64 MiB), whether its reports' totals are
# exact, and how many of the lines came in backfill reports (all of them: the backlog was
# written before the start). The lines carry response times, so each section keeps its
# latency percentiles too.
# Usage: bench/backlog.sh [SECTIONS_PER_10S] [HOURS]
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}" time jq procps
build build >/dev/null

per_interval="${1:-2000}"
hours="${2:-1}"
dir="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
gen="$ROOT/build/bench/hitwatch-genlog"
hw="$ROOT/build/daemon/hitwatchd"
log="$dir/access.log"
state="$dir/state.json"
# Combined with the response time (%D): each section keeps its latency percentiles too.
format='%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D'
common=(--log "$log" --log-format "$format" --state-file "$state" --output json --no-syslog --log-level warning)

# The last run: it read the log to its (empty) end and stopped, an hour and a bit ago.
: >"$log"
"$hw" "${common[@]}" >/dev/null 2>&1 &
pid=$!
until [ -s "$state" ]; do sleep 0.1; done
kill -TERM "$pid"
wait "$pid" || true
pid=""
now=$(date +%s)
duration=$((hours * 3600))
stopped=$((now - duration - 20))
python3 - "$state" "$stopped" <<'EOF'
import json, sys
path, stopped = sys.argv[1], int(sys.argv[2])
state = json.load(open(path))
state["reported_until"] = stopped
state.pop("alert", None)  # its window would be an hour old anyway
json.dump(state, open(path, "w"))
EOF
# Written while it was down: every line a new section, the last one 10 s before the start.
"$gen" --out "$dir/plain.log" --rate $((per_interval / 10)) --duration "$duration" --start $((stopped + 10)) --unique-sections
awk 'BEGIN {srand(1)} {print $0, int(rand() * 200000)}' "$dir/plain.log" >>"$log"
rm "$dir/plain.log"
lines=$(wc -l <"$log")

/usr/bin/time -f %M -o "$dir/rss" "$hw" "${common[@]}" >"$dir/out.json" 2>"$dir/err" &
pid=$!
started=$EPOCHREALTIME
# Until every line is in a report.
reported() { jq -s '[.[] | select(.type == "report") | .hits] | add // 0' "$dir/out.json" 2>/dev/null || echo 0; }
for _ in $(seq 600); do
    [ "$(reported)" -ge "$lines" ] && break
    sleep 1
done
elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}')
pkill -TERM -P "$pid"  # hitwatchd, not time: time prints its peak RSS once it ends
wait "$pid" || true
pid=""

total=$(reported)
backfill=$(jq -s '[.[] | select(.type == "report" and .backfill) | .hits] | add // 0' "$dir/out.json")
reports=$(jq -s '[.[] | select(.type == "report" and .backfill)] | length' "$dir/out.json")
rss_kib=$(tail -n 1 "$dir/rss")
echo "backlog: $lines lines over $hours h, $per_interval new sections every 10 s"
echo "reported: $total hits ($([ "$total" -eq "$lines" ] && echo exact || echo "NOT exact")), $backfill of them in $reports backfill reports; all reported within ${elapsed} s"
awk -v r="$rss_kib" 'BEGIN {printf "peak RSS: %.1f MiB (target <= 64)\n", r / 1024}'
