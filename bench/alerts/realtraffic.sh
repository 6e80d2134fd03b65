#!/usr/bin/env bash
# The real-traffic benchmark: the five series of ../shared/realtraffic/ (NAB's tweet volumes,
# 55 days each, with labelled incidents) turned into access logs and scored exactly as its
# README says (bench/alerts/real_traffic.cpp), for the defaults, for the baseline rule, and
# for a few --alert-sensitivity values, all in this one run. Prints Markdown tables (the ones
# in docs/alerts.md). Runs by hand, not in CI: a couple of minutes.
# Usage: bench/alerts/realtraffic.sh [SENSITIVITY ...]   (default: 3 4 6 7)
source "$(dirname "$0")/../lib.sh"
build build -- hitwatchd hitwatch-realtraffic >/dev/null

data="$ROOT/../shared/realtraffic"
[ -f "$data/windows.json" ] || { echo "no $data/windows.json" >&2; exit 1; }
series=(AAPL AMZN CRM CVS FB)
sensitivities=("$@")
((${#sensitivities[@]})) || sensitivities=(3 4 6 7)
tool="$ROOT/build/bench/hitwatch-realtraffic"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT

for s in "${series[@]}"; do
    "$tool" log "$data/Twitter_volume_$s.csv" >"$dir/$s.log" &
done
wait

# run NAME [OPTIONS...]: replays every series with the options, two at a time; scores them.
run() {
    local name="$1"; shift
    for s in "${series[@]}"; do
        "$ROOT/build/daemon/hitwatchd" --replay "$dir/$s.log" --output json --log-level error "$@" >"$dir/$name.$s.jsonl" &
        (($(jobs -r | wc -l) >= 2)) && wait -n
    done
    wait
    local pairs=()
    for s in "${series[@]}"; do pairs+=("$data/Twitter_volume_$s.csv" "$dir/$name.$s.jsonl"); done
    echo
    echo "### $name"
    echo
    "$tool" score "$data/windows.json" "${pairs[@]}"
}

run "defaults (adaptive, every kind)"
run "--alert-rule baseline" --alert-rule baseline
for k in "${sensitivities[@]}"; do run "--alert-sensitivity $k" --alert-sensitivity "$k"; done
