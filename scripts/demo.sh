#!/usr/bin/env bash
# Installs what is needed, builds hitwatch, writes a demo access log with a traffic burst
# and replays it: reports every 10 s, then a high-traffic alert and its recovery.
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}"
build build -- hitwatchd hitwatch-genlog  # only what the demo runs, not the tests

demo="$(mktemp -d)"
trap 'rm -rf "$demo"' EXIT
log="$demo/access.log"
# 20 minutes at 20 requests/s, out of order by up to 30 s like real Apache logs, with a
# minute at 80 requests/s from minute 14 (the default rule learns what is normal over its
# first 10 minutes, and alerts from then on).
"$ROOT/build/bench/hitwatch-genlog" --out "$log" --rate 20 --duration 1200 --jitter 30 \
    --burst 840:60:80 --invalid-every 5000
echo "==> demo log: $(wc -l <"$log") lines in $log"
echo "==> hitwatchd --replay $log --output text"
"$ROOT/build/daemon/hitwatchd" --replay "$log" --output text
echo
echo "==> the same alerts as JSON lines (--output json), with the absolute rule at 30 requests/s"
"$ROOT/build/daemon/hitwatchd" --replay "$log" --output json --alert-rule absolute \
    --alert-threshold 30 | grep '"type":"alert"'
