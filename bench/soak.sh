#!/usr/bin/env bash
# Soak: a writer at 20,000 lines/s for MINUTES (default 10), logrotate (create) every 60 s,
# one kill -9 of hitwatchd and a restart halfway, metrics into a real statsd. Prints the
# lines written, the hits reported (JSON reports of both runs) and the hits statsd counted,
# which must all be equal, with hitwatchd's peak RSS and CPU. Exits 1 if they differ.
# Usage: bench/soak.sh [MINUTES]
source "$(dirname "$0")/lib.sh"
install_packages "${PACKAGES[@]}"
command -v node >/dev/null || install_packages nodejs npm
install_statsd
build build >/dev/null

minutes="${1:-10}"
seconds=$((minutes * 60))
rate=20000
dir="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$dir"' EXIT
log="$dir/access.log"
: >"$log"
hw="$ROOT/build/daemon/hitwatchd"

# statsd, its counters kept for the whole run (flushed once an hour), read back at the end
# through its admin port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
admin=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
echo "{ port: $port, address: \"127.0.0.1\", mgmt_address: \"127.0.0.1\", mgmt_port: $admin, flushInterval: 3600000, backends: [] }" >"$dir/statsd.js"
node "$ROOT/.deps/node_modules/statsd/stats.js" "$dir/statsd.js" >"$dir/statsd.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do grep -q "server is up" "$dir/statsd.out" && break; sleep 0.1; done

start_daemon() {  # $1: the run's report file
    "$hw" --log "$log" --interval 1 --output json --state-file "$dir/state.json" --no-syslog \
        --statsd "127.0.0.1:$port" --log-level warning >"$1" 2>>"$dir/hitwatchd.err" &
    daemon=$!
    pids+=($daemon)
}
peak_kib() { awk '/VmHWM/ {print $2}' "/proc/$daemon/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
hz=$(getconf CLK_TCK)

start_daemon "$dir/run1.json"
sleep 1
"$ROOT/build/bench/hitwatch-genlog" --out "$log" --live --rate "$rate" --duration "$seconds" 2>"$dir/writer.err" &
writer=$!
pids+=($writer)
printf '%s {\n    rotate 1000\n    create\n    missingok\n}\n' "$log" >"$dir/logrotate.conf"
began=$EPOCHREALTIME
killed=0 cpu=0 peak=0
for ((second = 1; second <= seconds; second++)); do
    sleep 1
    if ((second % 60 == 0 && second < seconds)); then
        logrotate -f -s "$dir/logrotate.state" "$dir/logrotate.conf"
    fi
    if ((killed == 0 && second >= seconds / 2)); then
        p=$(peak_kib); ((p > peak)) && peak=$p
        cpu=$((cpu + $(cpu_ticks)))
        kill -9 "$daemon"
        wait "$daemon" 2>/dev/null || true  # 137: killed, as meant
        killed=1
        start_daemon "$dir/run2.json"
    fi
done
wait "$writer"
ended=$EPOCHREALTIME
written=$(cat "$log"* | wc -l)
# The reports' own "hits" (not those of their sections and logs), in both runs.
reported() {
    python3 -c 'import json, sys
print(sum(json.loads(l)["hits"] for f in sys.argv[1:] for l in open(f) if l.startswith("{\"type\":\"report\"")))' "$dir"/run*.json 2>/dev/null || echo 0
}
for _ in $(seq 1 100); do [ "$(reported)" = "$written" ] && break; sleep 0.1; done
p=$(peak_kib); ((p > peak)) && peak=$p
cpu=$((cpu + $(cpu_ticks)))
kill -TERM "$daemon"
wait "$daemon"
total=$(reported)
statsd=$(python3 -c '
import socket, sys, re
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"counters\n")
data = b""
while b"END" not in data:
    chunk = s.recv(65536)
    if not chunk: break
    data += chunk
m = re.search(rb"\x27hitwatch\.hits\x27: (\d+)", data)
print(m.group(1).decode() if m else "none")' "$admin")

awk -v w="$written" -v r="$total" -v s="$statsd" -v p="$peak" -v c="$cpu" -v hz="$hz" -v a="$began" -v b="$ended" \
    -v m="$minutes" 'BEGIN {
    printf "soak: %d min at 20000 lines/s, logrotate every 60 s, one kill -9 and restart\n", m
    printf "lines written        : %d\n", w
    printf "hits reported (JSON) : %d (%s)\n", r, r == w ? "equal" : "DIFFERENT"
    printf "hits counted by statsd: %s (%s)\n", s, s == w ? "equal" : "DIFFERENT"
    printf "hitwatchd peak RSS   : %.1f MiB\n", p / 1024
    printf "hitwatchd CPU        : %.1f %% of one core\n", 100 * c / hz / (b - a)
}'
[ "$total" = "$written" ] && [ "$statsd" = "$written" ]
