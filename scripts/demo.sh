#!/usr/bin/env bash
# Installs what is needed, builds hitwatch, writes a demo access log with a traffic burst
# and replays it: reports every 10 s, then a high-traffic alert and its recovery.
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}"
build build -- hitwatchd hitwatch-genlog  # only what the demo runs, not the tests

demo="$(mktemp -d)"
trap 'rm -rf "$demo"' EXIT
log="$demo/access.log"
# 80 minutes at 20 requests/s, out of order by up to 30 s like real Apache logs, with a
# minute at 80 requests/s from minute 65 (a first start learns what is normal for an hour
# before it trusts what it learned: it does not page for what it cannot know yet).
"$ROOT/build/bench/hitwatch-genlog" --out "$log" --rate 20 --duration 4800 --jitter 30 \
    --burst 3900:60:80 --invalid-every 5000
echo "==> demo log: $(wc -l <"$log") lines in $log"
echo "==> hitwatchd --replay $log --output text (the first reports, the alert and its recovery, the summary)"
"$ROOT/build/daemon/hitwatchd" --replay "$log" --output text >"$demo/out.txt"
head -n 6 "$demo/out.txt"
echo "  ..."
# Two reports before the alert and the one after it; its recovery and the report after.
awk '/^!!! /{a=NR} /^=== /{b=NR} {l[NR]=$0} END {
    for (i = a - 4; i <= a + 2; i++) if (i > 0) print l[i]
    print "  ..."
    for (i = b; i <= b + 2; i++) print l[i]
}' "$demo/out.txt"
echo "  ..."
sed -n '/^== summary ==/,$p' "$demo/out.txt"
echo
echo "==> the same alerts as JSON lines (--output json), with the absolute rule at 30 requests/s"
"$ROOT/build/daemon/hitwatchd" --replay "$log" --output json --alert-rule absolute \
    --alert-threshold 30 | grep '"type":"alert"'
