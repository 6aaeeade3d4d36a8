#!/usr/bin/env bash
# Load test: the gateway translating a vendor response, side by side with
# nginx proxying the same response untranslated, in one run.
#
#   bash bench/load.sh                 # 10 s per side, 32 connections
#   DURATION=30 CONNECTIONS=32 bash bench/load.sh
#
# Topology (all on loopback):
#   vendor  : nginx serving the Vehizen docs' XML sample as a static file
#   baseline: nginx proxying to the vendor (keep-alive upstream)
#   gateway : crossdock (release build) with backends.vehizen.base_url at
#             the vendor, format = xml, translating to unified JSON
# wrk hits the baseline and the gateway in turn with the same settings and
# the script prints throughput, p99 latency and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
VENDOR_PORT=${VENDOR_PORT:-18181}
NGINX_PORT=${NGINX_PORT:-18182}
GATEWAY_PORT=${GATEWAY_PORT:-18183}
ADMIN_PORT=${ADMIN_PORT:-18184}
ID=e55ab6e7-1056-4ab3-bd03-247f4b0efdd1

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

cargo build --release --locked --bin crossdock >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/www/api/v2/CustomerGroup" "$work/logs"
chmod 755 "$work"
cp tests/fixtures/vehizen/get.xml "$work/www/api/v2/CustomerGroup/$ID"
chmod -R a+rX "$work/www"

cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream vendor { server 127.0.0.1:$VENDOR_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$VENDOR_PORT;
    root $work/www;
    default_type application/xml;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://vendor;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
EOF
"$NGINX" -c "$work/nginx.conf" -p "$work"

cat >"$work/gateway.toml" <<EOF
[server]
listen = "127.0.0.1:$GATEWAY_PORT"
[admin]
listen = "127.0.0.1:$ADMIN_PORT"
[logging]
level = "warn"
[backends.vehizen]
base_url = "http://127.0.0.1:$VENDOR_PORT"
format = "xml"
[routes.customer_groups]
backends = ["vehizen"]
EOF
./target/release/crossdock --config "$work/gateway.toml" >"$work/logs/gateway.log" 2>&1 &
pids+=($!)

for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:$GATEWAY_PORT/v1/customer-groups/$ID" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$NGINX_PORT/api/v2/CustomerGroup/$ID" >/dev/null
curl -fsS "http://127.0.0.1:$GATEWAY_PORT/v1/customer-groups/$ID" >/dev/null

# run NAME URL -> prints "rps p99_ms"
run() {
  local out rps p99
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$2")
  echo "$out" >"$work/logs/wrk-$1.txt"
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  local errors
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  [ -n "$errors" ] && echo "  $1: $errors" >&2
  echo "$rps $p99"
}

# Warm both paths, then measure.
wrk -t1 -c4 -d2s "http://127.0.0.1:$NGINX_PORT/api/v2/CustomerGroup/$ID" >/dev/null
wrk -t1 -c4 -d2s "http://127.0.0.1:$GATEWAY_PORT/v1/customer-groups/$ID" >/dev/null
read -r n_rps n_p99 < <(run nginx "http://127.0.0.1:$NGINX_PORT/api/v2/CustomerGroup/$ID")
read -r g_rps g_p99 < <(run gateway "http://127.0.0.1:$GATEWAY_PORT/v1/customer-groups/$ID")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/${pids[0]}/status" 2>/dev/null || echo 0)

printf '%-28s %12s %10s\n' "route (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s)" "req/s" "p99 ms"
printf '%-28s %12.0f %10.3f\n' "nginx proxy (vehizen xml)" "$n_rps" "$n_p99"
printf '%-28s %12.0f %10.3f\n' "gateway (vehizen xml->json)" "$g_rps" "$g_p99"
awk -v g="$g_rps" -v n="$n_rps" -v gp="$g_p99" -v np="$n_p99" -v rss="$rss_kb" 'BEGIN {
  printf "throughput ratio gateway/nginx: %.2fx (target >= 1.00x)\n", g / n
  printf "p99 difference gateway-nginx:   %+.3f ms (target <= +0.5 ms)\n", gp - np
  printf "gateway peak RSS:               %.1f MiB\n", rss / 1024
}'
