#!/usr/bin/env bash
# Format strings against the hand-written scanner: the same 2 million Combined lines, each
# with a response time in microseconds appended (%D), replayed by the preset `combined`
# (which takes the time as trailing text) and by Apache's combined LogFormat string plus %D
# (the field scanner, with latency percentiles). Prints both times and their ratio
# (target <= 1.25), and the JSON preset's time on the same requests as nginx escape=json
# lines. Usage: bench/formats.sh [LINES] [RUNS]
# On one thread, as when the target was set (before --threads): it compares the scanners. On
# two, the preset's lines gain more from being summed by the workers than the string's, whose
# response times the counting thread still adds one by one, and the ratio rose from 1.16-1.23
# to 1.27-1.29 with no change in either scanner.
source "$(dirname "$0")/lib.sh"
build build >/dev/null

lines="${1:-2000000}"
runs="${2:-5}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
hw="$ROOT/build/daemon/hitwatchd"
"$ROOT/build/bench/hitwatch-genlog" --out "$dir/plain.log" --rate 2000 --lines "$lines" --jitter 30
# A response time per line, the same for each run: 0.1 ms to about 1 s, log-uniform.
awk 'BEGIN { srand(1) } { printf "%s %d\n", $0, int(100 * exp(rand() * 9.2)) }' "$dir/plain.log" >"$dir/timed.log"
# The same requests as JSON lines (nginx escape=json with $request_time).
awk '{
    match($0, /\[[^]]+\]/); t = substr($0, RSTART + 1, RLENGTH - 2)
    match($0, /"[^"]*"/); r = substr($0, RSTART + 1, RLENGTH - 2)
    split(substr($0, RSTART + RLENGTH + 1), f, " ")
    printf "{\"time_local\":\"%s\",\"remote_addr\":\"%s\",\"request\":\"%s\",\"status\":\"%s\",\"body_bytes_sent\":\"%s\",\"request_time\":\"%.3f\"}\n", t, $1, r, f[1], (f[2] == "-" ? 0 : f[2]), $NF / 1e6
}' "$dir/timed.log" >"$dir/json.log"
echo "logs: $lines lines each"

cat "$dir"/*.log >/dev/null  # a warm page cache for all
format='%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D'
# The preset and the string in turn, so that both see the machine as it is in that round (a
# shared machine's load comes and goes); the ratio is the median of the rounds' ratios.
rounds=()
for ((i = 0; i < runs; i++)); do
    p=$(seconds_of "$hw" --replay "$dir/timed.log" --output json --threads 1 --log-level error --log-format combined)
    s=$(seconds_of "$hw" --replay "$dir/timed.log" --output json --threads 1 --log-level error --log-format "$format")
    rounds+=("$p $s")
done
preset_s=$(printf '%s\n' "${rounds[@]}" | awk '{print $1}' | median)
string_s=$(printf '%s\n' "${rounds[@]}" | awk '{print $2}' | median)
ratio=$(printf '%s\n' "${rounds[@]}" | awk '{print $2 / ($1 > 0 ? $1 : 0.001)}' | median)
json_s=$(median_seconds "$hw" --replay "$dir/json.log" --output json --threads 1 --log-level error --log-format json)
# The three read the same requests: the same hits.
for how in "timed.log --log-format combined" "timed.log --log-format $format" "json.log --log-format json"; do
    log="${how%% *}" args="${how#* --log-format }"
    "$hw" --replay "$dir/$log" --output json --threads 1 --log-level error --log-format "$args" |
        grep -o '"total_hits":[0-9]*' | tail -n 1
done | sort -u | awk -v n="$lines" 'END { if (NR != 1) { print "the formats disagree on the hits"; exit 1 } }'

awk -v n="$lines" -v p="$preset_s" -v s="$string_s" -v j="$json_s" -v r="$ratio" 'BEGIN {
    printf "combined preset        : %6.3f s  %6.1f ns/line\n", p, p / n * 1e9
    printf "LogFormat string + %%D  : %6.3f s  %6.1f ns/line (latency percentiles too)\n", s, s / n * 1e9
    printf "json (escape=json)     : %6.3f s  %6.1f ns/line\n", j, j / n * 1e9
    printf "ratio string / preset: %.2f (target <= 1.25; the median of %d rounds)\n", r, '"$runs"'
}'
