#!/usr/bin/env bash
# Soak test (not in CI): the release gateway on the default config (every
# backend its sandbox) under steady wrk load for MINUTES, its RSS and error
# counts sampled every 10 s. Fails when RSS grows by more than BOUND_MIB
# between the first sample after the first minute and the last one.
#
#   bash bench/soak.sh                        # 5 minutes
#   MINUTES=2 CONNECTIONS=16 bash bench/soak.sh
#   # with sandbox faults (any [backends.<name>.faults] key):
#   CROSSDOCK__BACKENDS__VEHIZEN__FAULTS__ERROR_RATE=0.05 \
#   CROSSDOCK__BACKENDS__VEHIZEN__FAULTS__RESET_RATE=0.02 \
#   CROSSDOCK__BACKENDS__FLEET_ADMIN__FAULTS__LATENCY_MS=2 bash bench/soak.sh
#
# wrk rotates over three routes: GET a customer group (Vehizen XML), GET the
# vehicle category tree (fleet-admin), PUT a customer (department JSON).
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=${MINUTES:-5}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
BOUND_MIB=${BOUND_MIB:-10}
PORT=${PORT:-18283}
ADMIN_PORT=${ADMIN_PORT:-18284}
GROUP=e55ab6e7-1056-4ab3-bd03-247f4b0efdd1
CUSTOMER=3b241101-e2bb-4255-8caf-4136c566a962

if ! command -v wrk >/dev/null; then
  echo "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi

cargo build --release --locked --bin crossdock >/dev/null

work=$(mktemp -d)
gw=""
wrk_pid=""
cleanup() {
  [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null || true
  [ -n "$gw" ] && kill "$gw" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

CROSSDOCK__SERVER__LISTEN=127.0.0.1:$PORT \
CROSSDOCK__ADMIN__LISTEN=127.0.0.1:$ADMIN_PORT \
CROSSDOCK__SERVER__DRAIN_DELAY_MS=0 \
CROSSDOCK__LOGGING__LEVEL=${CROSSDOCK__LOGGING__LEVEL:-error} \
  target/release/crossdock >"$work/gateway.log" 2>&1 &
gw=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$gw" 2>/dev/null || { cat "$work/gateway.log"; exit 1; }
  sleep 0.1
done

cat >"$work/rotate.lua" <<LUA
local reqs = {}
local i = 0
init = function(args)
  reqs[1] = wrk.format("GET", "/v1/customer-groups/$GROUP")
  reqs[2] = wrk.format("GET", "/v1/vehicle-categories")
  reqs[3] = wrk.format("PUT", "/v1/customers/$CUSTOMER",
    {["content-type"] = "application/json"},
    '{"firstName": "Åsa", "lastName": "Öberg", "emails": [{"address": "asa@example.com"}]}')
end
request = function()
  i = i % 3 + 1
  return reqs[i]
end
LUA

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$gw/status"; }
# Sums crossdock_http_requests_total over the statuses matching $1 (a regex).
requests() {
  curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" |
    awk -v re="$1" '/^crossdock_http_requests_total\{/ {
      match($0, /status="[0-9]+"/); s = substr($0, RSTART + 8, 3)
      if (s ~ re) n += $NF } END { printf "%d", n }'
}

seconds=$((MINUTES * 60))
wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$work/rotate.lua" \
  "http://127.0.0.1:$PORT" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!

printf '%6s %10s %12s %8s %8s\n' "t (s)" "RSS (MiB)" "requests" "4xx" "5xx"
baseline="" last="" t=0
while :; do
  rss=$(rss_kib)
  printf '%6d %10.1f %12s %8s %8s\n' "$t" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" \
    "$(requests '.')" "$(requests '^4')" "$(requests '^5')"
  [ "$t" -ge 60 ] && [ -z "$baseline" ] && baseline=$rss
  last=$rss
  kill -0 "$wrk_pid" 2>/dev/null || break
  [ "$t" -ge "$seconds" ] && break
  sleep 10
  t=$((t + 10))
done
wait "$wrk_pid" || true
wrk_pid=""
echo
cat "$work/wrk.txt"
kill -0 "$gw" 2>/dev/null || { echo "FAIL: the gateway died"; tail -20 "$work/gateway.log"; exit 1; }

baseline=${baseline:-$last}
grown=$(( (last - baseline) / 1024 ))
echo
echo "RSS after the first minute: $((baseline / 1024)) MiB; at the end: $((last / 1024)) MiB; growth: ${grown} MiB (bound ${BOUND_MIB} MiB)"
if [ $((last - baseline)) -gt $((BOUND_MIB * 1024)) ]; then
  echo "FAIL: RSS grew by more than ${BOUND_MIB} MiB"
  exit 1
fi
echo "OK"
