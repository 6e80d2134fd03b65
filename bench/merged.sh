#!/usr/bin/env bash
# Many logs written side by side, replayed merged (a host's vhost logs: --replay *access.log):
# the benchmark's lines dealt into LOGS logs one line at a time, so that nearly every line is
# another log's. Each round runs `wc -l` of the logs, and hitwatchd on them on 1 and 2 threads
# and on the one log they were dealt from; the medians give the ratios against `wc -l`, with no
# target. Also each log's share of the peak RSS (merged_replay.h states what a log holds).
# Usage: bench/merged.sh [LOGS] [LINES] [ROUNDS]
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}"
build build >/dev/null

logs="${1:-100}"
lines="${2:-2000000}"
rounds="${3:-7}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
hw=("$ROOT/build/daemon/hitwatchd" --output none --log-level error)
cpu=$(cpu_model)

"$ROOT/build/bench/hitwatch-genlog" --out "$dir/one.log" --lines "$lines" >/dev/null
mkdir "$dir/logs"
awk -v dir="$dir/logs" -v n="$logs" '{print > (dir "/site" (NR % n) ".log")}' "$dir/one.log"
echo "cpu: $cpu, $(nproc) cores; $lines lines in $logs logs; medians of $rounds rounds"
cat "$dir/one.log" "$dir"/logs/* >/dev/null  # a warm page cache

for ((round = 0; round < rounds; round++)); do
    echo "wc $(seconds_of wc -l "$dir"/logs/*)"
    echo "one $(seconds_of "${hw[@]}" --threads 1 --replay "$dir/one.log")"
    for threads in 1 2; do
        echo "t$threads $(seconds_of "${hw[@]}" --threads "$threads" --replay "$dir"/logs/*)"
    done
done >"$dir/times"
median_of() { awk -v n="$1" '$1 == n {print $2}' "$dir/times" | median; }

wc_s=$(median_of wc)
awk -v s="$wc_s" -v l="$lines" 'BEGIN {printf "%-28s %7.3f s %7.2f M lines/s\n", "wc -l of the logs", s, l / s / 1e6}'
for row in "one:the one log, 1 thread" "t1:$logs logs merged, 1 thread" "t2:$logs logs merged, 2 threads"; do
    awk -v s="$(median_of "${row%%:*}")" -v w="$wc_s" -v l="$lines" -v n="${row#*:}" 'BEGIN {
        printf "%-28s %7.3f s %7.2f M lines/s  %5.2fx wc  (no target)\n", n, s, l / s / 1e6, s / w
    }'
done
one_kib=$(/usr/bin/time -f %M "${hw[@]}" --threads 2 --replay "$dir/logs/site0.log" 2>&1 >/dev/null | tail -n 1)
for threads in 1 2; do
    kib=$(/usr/bin/time -f %M "${hw[@]}" --threads "$threads" --replay "$dir"/logs/* 2>&1 >/dev/null | tail -n 1)
    awk -v k="$kib" -v o="$one_kib" -v n="$logs" -v t="$threads" 'BEGIN {
        printf "peak RSS, %d logs, %d thread(s): %.1f MiB, %.0f KiB a log above one log alone\n",
               n, t, k / 1024, (k - o) / (n - 1)
    }'
done
