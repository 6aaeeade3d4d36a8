#!/usr/bin/env bash
# End-to-end check against a real Prometheus: start the gateway on the
# default config (sandbox vendors), have Prometheus scrape its admin
# listener every second, send a few requests, then ask Prometheus (PromQL
# over /api/v1/query) whether the series arrived with the expected labels.
#
#   bash scripts/prometheus-check.sh
#
# Installs Debian's `prometheus` package when the binary is missing, but
# never starts its system service: it runs the binary itself with a temp
# TSDB on loopback. Bounded in time (CHECK_TIMEOUT, default 60 s, after the
# build). Exits non-zero with a message naming the failed query. Every
# process it starts is stopped on exit.
#
# Environment: CROSSDOCK_BIN (skip the build and use this binary),
# GW_PORT / ADMIN_PORT / PROM_PORT (loopback ports), CHECK_TIMEOUT.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECK_TIMEOUT=${CHECK_TIMEOUT:-60}

say() { echo "prometheus-check: $*"; }
fail() { echo "prometheus-check: FAIL: $*" >&2; exit 1; }
command -v python3 >/dev/null || fail "python3 is needed (free ports, the API's JSON)"

# Loopback ports that are free now (other gateways may run on this
# machine), unless given.
read -r free1 free2 free3 < <(python3 -c '
import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])
')
GW_PORT=${GW_PORT:-$free1}
ADMIN_PORT=${ADMIN_PORT:-$free2}
PROM_PORT=${PROM_PORT:-$free3}

if ! command -v prometheus >/dev/null; then
  say "installing the prometheus package (binary only; its service is not started)"
  export DEBIAN_FRONTEND=noninteractive
  # policy-rc.d keeps the package's postinst from starting the service.
  policy=/usr/sbin/policy-rc.d
  made_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  if [ -n "$made_policy" ]; then rm -f "$policy"; fi
fi
command -v curl >/dev/null || fail "curl is needed"

work=$(mktemp -d)
pids=()
cleanup() {
  local code=$?
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$code" -ne 0 ]; then
    for log in "$work"/*.log; do
      [ -s "$log" ] || continue
      echo "--- last lines of $(basename "$log")" >&2
      tail -n 20 "$log" >&2
    done
  fi
  rm -rf "$work"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${CROSSDOCK_BIN:-}" ]; then
  say "building the gateway"
  cargo build --locked --quiet --bin crossdock
  CROSSDOCK_BIN=target/debug/crossdock
fi
deadline=$(( $(date +%s) + CHECK_TIMEOUT ))
left() { [ "$(date +%s)" -lt "$deadline" ]; }

# Waits until `curl` of $1 succeeds, or fails naming $2 (at once when
# process $3 has exited).
wait_for() {
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || fail "$2 exited before it came up at $1"
    left || fail "$2 did not come up at $1"
    sleep 0.2
  done
}

say "starting the gateway (default config, sandbox vendors) on 127.0.0.1:$GW_PORT, admin :$ADMIN_PORT"
CROSSDOCK__SERVER__LISTEN=127.0.0.1:$GW_PORT \
CROSSDOCK__ADMIN__LISTEN=127.0.0.1:$ADMIN_PORT \
CROSSDOCK__SERVER__DRAIN_DELAY_MS=0 \
  "$CROSSDOCK_BIN" --config config/default.toml >"$work/gateway.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$ADMIN_PORT/readyz" "the gateway" "${pids[-1]}"

cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $PWD/deploy/prometheus/alerts.yml
scrape_configs:
  - job_name: crossdock
    scrape_interval: 1s
    static_configs:
      - targets: ["127.0.0.1:$ADMIN_PORT"]
EOF
say "starting prometheus on 127.0.0.1:$PROM_PORT (scrape every 1s, TSDB in $work)"
prometheus --config.file="$work/prometheus.yml" \
  --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" \
  >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PROM_PORT/-/ready" "prometheus" "${pids[-1]}"

# Runs a PromQL query; prints the result; succeeds when it has a sample.
query() {
  curl -fsS -G "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" |
    python3 -c '
import json, sys
d = json.load(sys.stdin)
if d.get("status") != "success":
    print("   error:", d.get("error")); sys.exit(2)
res = d["data"]["result"]
for r in res:
    print("   ", json.dumps(r["metric"], sort_keys=True), "=>", r["value"][1])
sys.exit(0 if res else 1)
'
}

# Waits until query $1 has a result, or fails naming it.
wait_query() {
  until query "$1" >"$work/out" 2>&1; do
    left || { cat "$work/out"; fail "no result for: $1"; }
    sleep 1
  done
}

wait_query 'up{job="crossdock"} == 1'
api="http://127.0.0.1:$GW_PORT"
expect_status() {
  local want=$1 url=$2 got
  got=$(curl -sS -o /dev/null -w '%{http_code}' "$url") || fail "request to $url failed"
  [ "$got" = "$want" ] || fail "GET $url answered $got, want $want"
}
send_batch() {
  expect_status 200 "$api/v1/customer-groups/e55ab6e7-1056-4ab3-bd03-247f4b0efdd1"
  expect_status 200 "$api/v1/vehicle-categories"
  expect_status 404 "$api/no/such/route"
  # A made-up method: counted as method="other", never by its name.
  curl -sS -o /dev/null -X "FOO$RANDOM" "$api/no/such/route" || fail "a FOO request failed"
}
# Batches a few scrapes apart, so rate() sees the counters grow.
say "sending requests (3 batches, 1.5s apart)"
for i in 1 2 3; do
  send_batch
  [ "$i" = 3 ] || sleep 1.5
done

checks=(
  'sum(crossdock_http_requests_total{route="/v1/customer-groups/{id}",method="GET",status="200"}) >= 3'
  'sum(crossdock_http_requests_total{route="/v1/vehicle-categories",method="GET",status="200"}) >= 3'
  'sum(crossdock_http_requests_total{route="unmatched",status="404"}) >= 3'
  'crossdock_backend_requests_total{backend="vehizen",outcome="success"} >= 3'
  'crossdock_backend_requests_total{backend="fleet_admin",outcome="success"} >= 3'
  'histogram_quantile(0.99, sum by (route, le) (rate(crossdock_http_request_duration_seconds_bucket{route="/v1/customer-groups/{id}"}[1m]))) > 0'
  'sum by (backend) (crossdock_backend_request_duration_seconds_count) > 0'
  'crossdock_http_requests_in_flight >= 0'
  'crossdock_backend_requests_in_flight{backend="vehizen"} >= 0'
  'up{job="crossdock"} == 1'
  'sum(crossdock_http_requests_total{route="unmatched",method="other"}) >= 3'
  'crossdock_build_info{job="crossdock",version!=""} == 1'
  'process_resident_memory_bytes{job="crossdock"} > 0'
)
# Series that must never carry a raw id or path in a label.
absent_checks=(
  'crossdock_http_requests_total{route=~".*e55ab6e7.*|/no/such/route"}'
  'crossdock_http_requests_total{method!~"GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|other"}'
)

say "waiting for scrapes; querying http://127.0.0.1:$PROM_PORT/api/v1/query"
for q in "${checks[@]}"; do
  wait_query "$q"
  say "ok: $q"
  cat "$work/out"
done
for q in "${absent_checks[@]}"; do
  if query "$q" >"$work/out" 2>&1; then
    cat "$work/out"
    fail "a label holds a raw id or path: $q"
  fi
  say "ok (empty, as it should be): $q"
done
# Every dashboard query must at least parse and evaluate in this Prometheus
# (with Grafana's variables filled in).
say "evaluating the dashboard's queries (deploy/grafana/crossdock.json)"
python3 - "$PROM_PORT" deploy/grafana/crossdock.json <<'PY' || fail "a dashboard query does not evaluate"
import json, sys, urllib.parse, urllib.request
port, path = sys.argv[1], sys.argv[2]
d = json.load(open(path))
def panels(ps):
    for p in ps:
        yield p
        yield from panels(p.get("panels", []))
bad = 0
for p in panels(d["panels"]):
    for t in p.get("targets", []):
        q = t["expr"].replace("$__rate_interval", "1m").replace("$instance", ".*")
        url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": q})
        try:
            r = json.load(urllib.request.urlopen(url, timeout=5))
            n = len(r["data"]["result"])
            print(f"    {n:2} series  {p['title']}")
        except Exception as e:
            body = e.read().decode() if hasattr(e, "read") else str(e)
            print(f"    ERROR {p['title']}: {q}: {body}")
            bad += 1
sys.exit(1 if bad else 0)
PY
say "rules loaded: $(curl -fsS "http://127.0.0.1:$PROM_PORT/api/v1/rules" |
  python3 -c 'import json,sys; print(sum(len(g["rules"]) for g in json.load(sys.stdin)["data"]["groups"]))')"
say "PASS"
