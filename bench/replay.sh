#!/usr/bin/env bash
# Replay throughput against the floor, in one run on one machine: `wc -l` and `zcat` of the
# same generated log, and hitwatchd --replay on 1 thread (with glibc's AVX-512 string
# functions and without them), on 2 threads, and of the gzip file. Each round runs every
# command once, in turn, so a busy neighbour slows them alike; the medians of the rounds
# give the ratios. Prints the CPU model with each row, and hitwatchd's peak RSS on 2 threads.
# Also, with no target: the same lines dealt into 4 logs written side by side, merged on 2
# threads (one pool of threads parses every log's chunks); and the log's two halves replayed at
# once by two processes of 1 thread each, which share nothing: the machine's own bound on what
# 2 threads can make of one log (on a VM whose two vCPUs share a physical core, it is far from
# half of 1 thread).
# Usage: bench/replay.sh [LINES] [ROUNDS]
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}" time gzip
build build >/dev/null

lines="${1:-2000000}"
rounds="${2:-7}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
log="$dir/access.log"
# 2000 lines/s of log time with 30 s of jitter: realistic sections, statuses and agents.
"$ROOT/build/bench/hitwatch-genlog" --out "$log" --rate 2000 --lines "$lines" --jitter 30
gzip -c "$log" >"$log.gz"
awk -v dir="$dir" '{print > (dir "/site" (NR % 4) ".log")}' "$log"
awk -v dir="$dir" -v half="$((lines / 2))" '{print > (dir "/half" (NR > half) ".log")}' "$log"
size=$(stat -c %s "$log")
cpu=$(cpu_model)
avx512=$(grep -qw avx512bw /proc/cpuinfo && echo yes || echo no)
echo "log: $lines lines, $((size / 1024 / 1024)) MiB ($(($(stat -c %s "$log.gz") / 1024 / 1024)) MiB gzip)"
echo "cpu: $cpu, $(nproc) cores, AVX-512: $avx512; medians of $rounds rounds"

hw=("$ROOT/build/daemon/hitwatchd" --output json --log-level error)
no_avx512="glibc.cpu.hwcaps=-AVX512F,-AVX512BW,-AVX512VL"
declare -A cmd=(
    [wc]="wc -l $log"
    [zcat]="zcat $log.gz"
    [t1]="${hw[*]} --threads 1 --replay $log"
    [t1_no_avx512]="env GLIBC_TUNABLES=$no_avx512 ${hw[*]} --threads 1 --replay $log"
    [t2]="${hw[*]} --threads 2 --replay $log"
    [gz]="${hw[*]} --threads 2 --replay $log.gz"
    [merged]="${hw[*]} --threads 2 --replay $dir/site0.log $dir/site1.log $dir/site2.log $dir/site3.log"
)
halves_at_once() {
    "${hw[@]}" --threads 1 --replay "$dir/half0.log" &
    "${hw[@]}" --threads 1 --replay "$dir/half1.log"
    wait
}
cmd[halves]=halves_at_once
order=(wc t1 t1_no_avx512 t2 zcat gz merged halves)
cat "$log" "$log.gz" "$dir"/site?.log "$dir"/half?.log >/dev/null  # all start from a warm page cache
for ((round = 0; round < rounds; round++)); do
    for name in "${order[@]}"; do
        # shellcheck disable=SC2086  # the commands are words
        echo "$name $(seconds_of ${cmd[$name]})"
    done
done >"$dir/times"
median_of() { awk -v n="$1" '$1 == n {print $2}' "$dir/times" | median; }
rss_kib=$(/usr/bin/time -f %M "${hw[@]}" --threads 2 --replay "$log" 2>&1 >/dev/null | tail -n 1)

row() {  # name, seconds, floor name, floor seconds, target ratio
    awk -v n="$1" -v s="$2" -v f="$3" -v fs="$4" -v t="$5" -v l="$lines" -v c="$cpu" 'BEGIN {
        r = s / (fs > 0 ? fs : 0.0001)
        printf "%-26s %7.3f s %7.2f M lines/s  %5.2fx %-5s (target <= %.1f: %s)  [%s]\n",
               n, s, l / (s > 0 ? s : 0.0001) / 1e6, r, f, t, (r <= t ? "met" : "MISSED"), c
    }'
}
wc_s=$(median_of wc)
zcat_s=$(median_of zcat)
awk -v s="$wc_s" -v l="$lines" -v c="$cpu" 'BEGIN {printf "%-26s %7.3f s %7.2f M lines/s  [%s]\n", "wc -l", s, l / s / 1e6, c}'
awk -v s="$zcat_s" -v l="$lines" -v c="$cpu" 'BEGIN {printf "%-26s %7.3f s %7.2f M lines/s  [%s]\n", "zcat > /dev/null", s, l / s / 1e6, c}'
row "hitwatchd 1 thread" "$(median_of t1)" "wc" "$wc_s" 3.0
row "hitwatchd 1 thread no-512" "$(median_of t1_no_avx512)" "wc" "$wc_s" 3.0
row "hitwatchd 2 threads" "$(median_of t2)" "wc" "$wc_s" 1.7
row "hitwatchd .gz 2 threads" "$(median_of gz)" "zcat" "$zcat_s" 1.2
awk -v s="$(median_of merged)" -v w="$wc_s" -v l="$lines" -v c="$cpu" 'BEGIN {
    printf "%-26s %7.3f s %7.2f M lines/s  %5.2fx wc    (no target)  [%s]\n", "4 logs merged, 2 threads", s, l / s / 1e6, s / w, c
}'
awk -v s="$(median_of halves)" -v w="$wc_s" -v l="$lines" -v c="$cpu" 'BEGIN {
    printf "%-26s %7.3f s %7.2f M lines/s  %5.2fx wc    (no target: 2 threads sharing nothing)  [%s]\n",
           "halves at once, 1 thread", s, l / s / 1e6, s / w, c
}'
awk -v r="$rss_kib" 'BEGIN {printf "hitwatchd 2 threads peak RSS: %.1f MiB (target <= 64: %s)\n", r / 1024, (r <= 65536 ? "met" : "MISSED")}'
