#!/bin/bash
# tests/bench/serve_load.sh - make bench-serve: a bounded load test of
# `mtfs serve` on 127.0.0.1 (docs/performance.md).  Starts the server on a
# free port with the rate limit off (--rate 0: this measures the server,
# not the limiter), warms it with 1,000 requests, notes its resident size,
# sends REQUESTS (default 10,000) what-if runs from CLIENTS (default 32)
# concurrent keep-alive connections with serve_load, notes the size again,
# and stops it with SIGINT.  Fails on any failed request, on a server that
# does not stop with exit 0, and on growth of the resident size beyond
# 4 MiB over the run (a leak of even 400 bytes a request would pass it).
# Usage: serve_load.sh MTFS SERVE_LOAD [REQUESTS [CLIENTS]]
set -u
mtfs=$1 load=$2 requests=${3:-10000} clients=${4:-32}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp scenarios/leics_2025_central.cfg "$tmp/"
"$mtfs" serve "$tmp" --port 0 --rate 0 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 300); do
    grep -q '^mtfs serve: http://127.0.0.1:' "$tmp/out" && break
    sleep 0.1
done
port=$(sed -n 's|^mtfs serve: http://127.0.0.1:\([0-9]*\)/ .*|\1|p' "$tmp/out")
[ -n "$port" ] || { echo "bench-serve: the server did not start: $(cat "$tmp/err")" >&2; kill "$pid"; exit 1; }
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; }
echo "bench-serve: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$load" "$port" leics_2025_central 1000 "$clients" >/dev/null
before=$(rss)
"$load" "$port" leics_2025_central "$requests" "$clients"
status=$?
after=$(rss)
echo "bench-serve: server resident size ${before} KiB after 1,000 warm-up requests, ${after} KiB after $requests more"
kill -INT "$pid"
wait "$pid"
stopped=$?
[ "$stopped" = 0 ] || { echo "bench-serve: the server did not stop with exit 0 ($stopped)" >&2; status=1; }
if [ $((after - before)) -gt 4096 ]; then
    echo "bench-serve: the resident size grew by $((after - before)) KiB (a leak?)" >&2
    status=1
fi
exit $status
