#!/usr/bin/env bash
# A month of rotations, replayed on 1 thread and on 2: hourly files of a few parts each (a
# part is 256 KiB, about 1,500 lines), plain and gzip. Each round runs both in turn; the
# medians give the ratio 2 threads / 1 thread, whose target is <= 1.0 (the default, every
# core, is never slower than one thread) within 5 % of noise.
# Usage: bench/rotations.sh [FILES] [ROUNDS]
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}" gzip
build build >/dev/null

files="${1:-240}"
rounds="${2:-7}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
hw=("$ROOT/build/daemon/hitwatchd" --output json --log-level error)
cpu=$(cpu_model)
echo "cpu: $cpu, $(nproc) cores; $files files a case; medians of $rounds rounds"

# Lines a file: 2, 3, 4 and 6 parts.
for lines in 2000 4000 5500 8000; do
    mkdir "$dir/$lines"
    "$ROOT/build/bench/hitwatch-genlog" --out "$dir/$lines/all" --rate 2000 --jitter 30 --lines $((lines * files))
    (cd "$dir/$lines" && split -l "$lines" -d -a 4 all access.log. && rm all)
done
mkdir "$dir/gz"
for file in "$dir"/2000/access.log.*; do gzip -c "$file" >"$dir/gz/$(basename "$file").gz"; done
cat "$dir"/*/access.log.* >/dev/null  # a warm page cache

for ((round = 0; round < rounds; round++)); do
    for case in 2000 4000 5500 8000 gz; do
        for threads in 1 2; do
            # shellcheck disable=SC2086  # the files are words
            echo "$case $threads $(seconds_of "${hw[@]}" --threads "$threads" --replay "$dir/$case"/access.log.*)"
        done
    done
done >"$dir/times"
median_of() { awk -v c="$1" -v t="$2" '$1 == c && $2 == t {print $3}' "$dir/times" | median; }

for case in 2000 4000 5500 8000 gz; do
    name="$case lines a file"
    [[ $case == gz ]] && name="2000 lines a file, gzip"
    awk -v n="$name" -v a="$(median_of "$case" 1)" -v b="$(median_of "$case" 2)" 'BEGIN {
        r = b / a
        printf "%-26s 1 thread %6.3f s  2 threads %6.3f s  %5.2fx  (target <= 1.0: %s)\n",
               n, a, b, r, (r <= 1.05 ? "met" : "MISSED")
    }'
done
