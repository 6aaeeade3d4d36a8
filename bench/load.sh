#!/usr/bin/env bash
# Load test: the gateway translating each vendor route, side by side with
# nginx proxying the same vendor answer untranslated, in one run.
#
#   bash bench/load.sh                       # 5 s per side per route
#   DURATION=10 CONNECTIONS=32 bash bench/load.sh
#   ROUTES="vehizen-xml fleet-tree" bash bench/load.sh   # a subset
#   DHAT=1 ROUTES=vehizen-xml bash bench/load.sh  # allocations per request
#       instead of load: the gateway (system allocator) under valgrind's
#       DHAT, wrk -c4 for DURATION, minus a run that serves one request
#   PERF=1 ROUTES=vehizen-xml bash bench/load.sh  # + a perf profile of the
#       gateway during its measured run (cpu-clock samples, frame-pointer
#       call graphs; the `profiling` build), reported per symbol into
#       bench/out/perf-<route>.txt
#
# Topology (all on loopback), one nginx process:
#   vendor  : an nginx server answering each vendor path with a static copy
#             of that vendor's documented answer (tests/fixtures/), each
#             vendor under its own prefix (/vehizen-xml, /department, ...)
#   baseline: an nginx server proxying to the vendor (keep-alive upstream)
#   gateway : crossdock (release build), restarted per route with a config
#             whose backend's base_url is that route's vendor prefix
# Per route, wrk (-t2 -c32) hits the baseline with the vendor request (same
# method, path and vendor body) and then the gateway with the unified
# request, and the script prints throughput, p99s, their ratio and the
# gateway's peak RSS (VmHWM of that route's gateway process).
#
# Vendor answers to writes: department POST -> 204 (nginx `return 204`);
# BokaMera PUT -> the docs' customer answer (the static file, via
# `error_page 405 =200 $uri`, which re-serves the file as a GET).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
# The gateway's runtime threads: 1, as nginx runs here with one worker
# process (`worker_processes 1`). GW_THREADS=0 gives one per CPU.
GW_THREADS=${GW_THREADS:-1}
# server.runtime (thread_per_core or work_stealing); empty: the default.
GW_RUNTIME=${GW_RUNTIME:-}
# A directory to keep each wrk output in (its latency percentiles).
WRK_OUT=${WRK_OUT:-}
VENDOR_PORT=${VENDOR_PORT:-18181}
NGINX_PORT=${NGINX_PORT:-18182}
PROXY_PORT=${PROXY_PORT:-18185}
GATEWAY_PORT=${GATEWAY_PORT:-18183}
ADMIN_PORT=${ADMIN_PORT:-18184}
ROUTES=${ROUTES:-"vehizen-xml vehizen-json department bokamera-json bokamera-jsv fleet-tree fleet-vehicles"}
ID=e55ab6e7-1056-4ab3-bd03-247f4b0efdd1
CUSTOMER=3b241101-e2bb-4255-8caf-4136c566a962
COMPANY=5c9c2a0e-8b1f-4d7a-9e33-2f6b1d0c4a11
CATEGORY=1

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
if [ -n "${DHAT:-}" ]; then command -v valgrind >/dev/null || need+=(valgrind); fi
if [ -n "${PERF:-}" ]; then command -v perf >/dev/null || need+=(linux-perf); fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

PERF=${PERF:-}
DHAT=${DHAT:-}
if [ -n "${BIN:-}" ]; then
  : # a binary given (e.g. an older build, to compare)
elif [ -n "$DHAT" ]; then
  # DHAT sees only the system allocator: build without mimalloc.
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/dhat}
  cargo build --profile profiling --locked --no-default-features --bin crossdock >/dev/null
  BIN=$CARGO_TARGET_DIR/profiling/crossdock
elif [ -n "$PERF" ]; then
  # Frame pointers make perf's call graphs cheap and exact; own target dir
  # so the flag does not invalidate the release build.
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/prof}
  RUSTFLAGS="-C force-frame-pointers=yes" cargo build --profile profiling --locked --bin crossdock >/dev/null
  BIN=$CARGO_TARGET_DIR/profiling/crossdock
  mkdir -p bench/out
else
  cargo build --release --locked --bin crossdock >/dev/null
  BIN=${CARGO_TARGET_DIR:-target}/release/crossdock
fi

work=$(mktemp -d)
gw=""
cleanup() {
  [ -n "$gw" ] && kill "$gw" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -f "$work/proxy.pid" ] && kill "$(cat "$work/proxy.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

www=$work/www
mkdir -p "$work/logs" "$work/lua" \
  "$www/vehizen-xml/api/v2/CustomerGroup" "$www/vehizen-json/api/v2/CustomerGroup" \
  "$www/bokamera-jsv/customers" "$www/bokamera-json/customers" \
  "$www/fleet/v1/vehicle-categories/$CATEGORY"
chmod 755 "$work"
cp tests/fixtures/vehizen/get.xml "$www/vehizen-xml/api/v2/CustomerGroup/$ID"
cp tests/fixtures/vehizen/get.json "$www/vehizen-json/api/v2/CustomerGroup/$ID"
cp tests/fixtures/bokamera/put-response.jsv "$www/bokamera-jsv/customers/$CUSTOMER"
# The docs give the answer as JSV only; this is the same answer in JSON.
cat >"$www/bokamera-json/customers/$CUSTOMER" <<'JSON'
{"Firstname":"String","Lastname":"String","Email":"String","Phone":"String","ImageUrl":"String","CustomFields":[{"Id":0,"Name":"String","Description":"String","Width":0,"DataType":"String","DefaultValue":"String","IsMandatory":false,"MandatoryErrorMessage":"String","MaxLength":0,"MultipleLineText":false,"RegEx":"String","RegExErrorMessage":"String","Values":[{"Value":"String"}]}],"CustomFieldValues":[{"Id":0,"Column":"String","Name":"String","Description":"String","Value":"String","DataType":"String"}],"Comments":[{"Id":0,"Comments":"String"}],"AccessKeys":[{"AccessKeyTypeId":0,"Value":"String","Description":"String"}],"ResponseStatus":{},"SubscribedToNewsletter":false,"InvoiceAddress":{"CorporateIdentityNumber":"String","InvoiceAddress1":"String","InvoiceAddress2":"String","InvoiceCity":"String","InvoicePostalCode":"String","InvoiceCountryCode":"String"}}
JSON
cp tests/fixtures/fleet_admin/tree.json "$www/fleet/v1/vehicle-categories/tree"
cp tests/fixtures/fleet_admin/vehicles.json "$www/fleet/v1/vehicle-categories/$CATEGORY/list-vehicles"
chmod -R a+rX "$www"

# nginx_conf NAME SERVERS -> an nginx config of one worker (pid and error
# log under NAME), with the vendor upstream, serving SERVERS
nginx_conf() {
  cat >"$work/$1.conf" <<EOF
worker_processes 1;
pid $work/$1.pid;
error_log $work/logs/$1-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_buffer_size 64k;
  upstream vendor { server 127.0.0.1:$VENDOR_PORT; keepalive 64; }
$2
}
EOF
}
# proxy_server PORT -> a server block proxying PORT to the vendor
proxy_server() {
  cat <<EOF
  server {
    listen 127.0.0.1:$1;
    location / {
      proxy_pass http://vendor;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
EOF
}
nginx_conf nginx "  server {
    listen 127.0.0.1:$VENDOR_PORT;
    root $www;
    location /vehizen-xml/ { default_type application/xml; }
    location /vehizen-json/ { default_type application/json; }
    location /department/ { return 204; }
    location /bokamera-jsv/ { default_type text/jsv; error_page 405 =200 \$uri; }
    location /bokamera-json/ { default_type application/json; error_page 405 =200 \$uri; }
    location /fleet/ { default_type application/json; }
  }
$(proxy_server "$NGINX_PORT")"
# The control: the same nginx proxying, but as a process of its own (the
# topology the gateway runs in: wrk -> proxy process -> vendor process),
# so the table separates what a second process costs on this machine
# from what the gateway costs.
nginx_conf proxy "$(proxy_server "$PROXY_PORT")"
"$NGINX" -c "$work/nginx.conf" -p "$work"
"$NGINX" -c "$work/proxy.conf" -p "$work"
# worker PID_FILE -> the pid of that nginx's one worker process
worker() {
  local w=""
  for _ in $(seq 50); do
    [ -s "$1" ] && w=$(pgrep -P "$(cat "$1")" | head -1) && [ -n "$w" ] && break
    sleep 0.1
  done
  echo "$w"
}
# The one worker serves both the vendor and the baseline proxy.
nginx_worker=$(worker "$work/nginx.pid")
proxy_worker=$(worker "$work/proxy.pid")

# The unified body of both customer PUT routes (the soak test's).
UNIFIED='{"firstName": "Åsa", "lastName": "Öberg", "emails": [{"address": "asa@example.com"}]}'
printf '%s' "$UNIFIED" >"$work/unified.json"

# lua NAME METHOD CONTENT_TYPE BODY_FILE -> a wrk script sending that body
lua() {
  cat >"$work/lua/$1.lua" <<LUA
local f = assert(io.open("$4", "rb"))
wrk.method = "$2"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "$3"
LUA
  echo "$work/lua/$1.lua"
}

# route NAME -> sets: backend section, routes section, gateway method/path,
# vendor method/path, and the wrk scripts (empty for GETs)
route() {
  g_script="" n_script="" backend="" routes=""
  case $1 in
    vehizen-xml | vehizen-json)
      backend="[backends.vehizen]
base_url = \"http://127.0.0.1:$VENDOR_PORT/$1\"
format = \"${1#vehizen-}\""
      routes="[routes.customer_groups]
backends = [\"vehizen\"]"
      g_path=/v1/customer-groups/$ID
      n_path=/$1/api/v2/CustomerGroup/$ID
      ;;
    department)
      backend="[backends.department]
base_url = \"http://127.0.0.1:$VENDOR_PORT/department\"
token = \"bench-token\""
      routes="[routes.customers]
backends = [\"department\"]"
      g_path=/v1/customers/$CUSTOMER
      n_path=/department/customer/v2/department/bench-token/customer/$CUSTOMER
      g_script=$(lua "$1-gateway" PUT application/json "$work/unified.json")
      n_script=$(lua "$1-nginx" POST application/json "$PWD/tests/fixtures/department/request.json")
      ;;
    bokamera-jsv | bokamera-json)
      local format=${1#bokamera-} ctype=application/json
      [ "$format" = jsv ] && ctype=text/jsv
      backend="[backends.bokamera]
base_url = \"http://127.0.0.1:$VENDOR_PORT/$1\"
format = \"$format\"
api_key = \"bench-key\"
company_id = \"$COMPANY\""
      routes="[routes.customers]
backends = [\"bokamera\"]"
      g_path=/v1/customers/$CUSTOMER
      n_path="/$1/customers/$CUSTOMER?CompanyId=$COMPANY"
      g_script=$(lua "$1-gateway" PUT application/json "$work/unified.json")
      # The vendor body: the docs' JSV sample (the JSON route sends the
      # same bytes; nginx does not read them either way).
      n_script=$(lua "$1-nginx" PUT "$ctype" "$PWD/tests/fixtures/bokamera/put-request.jsv")
      ;;
    fleet-tree | fleet-vehicles)
      backend="[backends.fleet_admin]
base_url = \"http://127.0.0.1:$VENDOR_PORT/fleet\""
      routes="[routes.vehicle_categories]
backends = [\"fleet_admin\"]"
      if [ "$1" = fleet-tree ]; then
        g_path=/v1/vehicle-categories
        n_path=/fleet/v1/vehicle-categories/tree
      else
        g_path=/v1/vehicle-categories/$CATEGORY/vehicles
        n_path="/fleet/v1/vehicle-categories/$CATEGORY/list-vehicles?page=1&pageSize=50"
      fi
      ;;
    *)
      echo "unknown route $1" >&2
      exit 2
      ;;
  esac
}

# check URL SCRIPT: one request as wrk would send it, must be 2xx
check() {
  local method=GET body=() ctype=()
  if [ -n "$2" ]; then
    method=$(awk -F'"' '/wrk.method/ {print $2}' "$2")
    body=(--data-binary "@$(awk -F'"' '/io.open/ {print $2}' "$2")")
    ctype=(-H "Content-Type: $(awk -F'"' '/Content-Type/ {print $4}' "$2")")
  fi
  curl -fsS -o /dev/null -X "$method" "${ctype[@]}" "${body[@]}" "$1"
}

# cpu PID -> "user system" CPU time (all threads) in clock ticks
cpu() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12, $13}' || echo 0 0; }
HZ=$(getconf CLK_TCK)

# run NAME URL SCRIPT GW_PID -> prints "rps p99_ms requests nginx_ticks
# gw_user_ticks gw_sys_ticks" (CPU each process used during the run)
run() {
  local out rps p99 reqs errors s=() n0 g0 n1 g1
  [ -n "$3" ] && s=(-s "$3")
  n0=$(cpu "$nginx_worker") g0=$(cpu "$4")
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${s[@]}" "$2")
  n1=$(cpu "$nginx_worker") g1=$(cpu "$4")
  echo "$out" >"$work/logs/wrk-$1.txt"
  [ -n "$WRK_OUT" ] && echo "$out" >"$WRK_OUT/wrk-$1.txt"
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; print v}' <<<"$out")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out")
  [ -n "$errors" ] && echo "  $1: $errors" >&2
  awk -v a="$n0" -v b="$n1" -v c="$g0" -v d="$g1" -v head="$rps $p99 $reqs" 'BEGIN {
    split(a, n0, " "); split(b, n1, " "); split(c, g0, " "); split(d, g1, " ")
    print head, n1[1] + n1[2] - n0[1] - n0[2], g1[1] - g0[1], g1[2] - g0[2]
  }'
}

# dhat NAME URL SCRIPT LOAD -> total allocations of a gateway process that
# served one checked request plus, when LOAD is 1, wrk -c4 for DURATION;
# prints "allocations bytes requests"
dhat() {
  local out="bench/out/dhat-$1-$4.json" s=() reqs=1 pid
  valgrind --tool=dhat --dhat-out-file="$out" "$BIN" --config "$work/gateway-$1.toml" \
    >"$work/logs/dhat-$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  check "$2" "$3" || { echo "$1: gateway request failed under DHAT" >&2; exit 1; }
  if [ "$4" = 1 ]; then
    [ -n "$3" ] && s=(-s "$3")
    reqs=$(wrk -t1 -c4 -d"${DURATION}s" "${s[@]}" "$2" | awk '/requests in/ {print $1}')
    reqs=$((reqs + 1))
  fi
  kill -TERM "$pid"
  wait "$pid" || true
  python3 -c 'import json,sys; pps=json.load(open(sys.argv[1]))["pps"]; print(sum(p["tbk"] for p in pps), sum(p["tb"] for p in pps))' "$out" | tr '\n' ' '
  echo "$reqs"
}

results=()
for r in $ROUTES; do
  route "$r"
  cat >"$work/gateway-$r.toml" <<EOF
[server]
listen = "127.0.0.1:$GATEWAY_PORT"
worker_threads = $GW_THREADS
${GW_RUNTIME:+runtime = \"$GW_RUNTIME\"}
drain_delay_ms = 0
[admin]
listen = "127.0.0.1:$ADMIN_PORT"
[logging]
level = "warn"
$backend
$routes
EOF
  if [ -n "$DHAT" ]; then
    g_url="http://127.0.0.1:$GATEWAY_PORT$g_path"
    read -r a1 b1 r1 < <(dhat "$r" "$g_url" "$g_script" 0)
    read -r a2 b2 r2 < <(dhat "$r" "$g_url" "$g_script" 1)
    awk -v r="$r" -v a1="$a1" -v a2="$a2" -v b1="$b1" -v b2="$b2" -v r1="$r1" -v r2="$r2" 'BEGIN {
      printf "%-15s %7.1f allocations, %8.0f bytes allocated per request (%d requests)\n",
        r, (a2 - a1) / (r2 - r1), (b2 - b1) / (r2 - r1), r2 - r1
    }'
    continue
  fi
  "$BIN" --config "$work/gateway-$r.toml" >"$work/logs/gateway-$r.log" 2>&1 &
  gw=$!
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && break
    kill -0 "$gw" 2>/dev/null || { cat "$work/logs/gateway-$r.log"; exit 1; }
    sleep 0.1
  done
  n_url="http://127.0.0.1:$NGINX_PORT$n_path"
  p_url="http://127.0.0.1:$PROXY_PORT$n_path"
  g_url="http://127.0.0.1:$GATEWAY_PORT$g_path"
  check "$n_url" "$n_script" || { echo "$r: nginx request failed" >&2; exit 1; }
  check "$g_url" "$g_script" || { echo "$r: gateway request failed" >&2; cat "$work/logs/gateway-$r.log"; exit 1; }

  # Warm both paths, then measure.
  ns=() gs=()
  [ -n "$n_script" ] && ns=(-s "$n_script")
  [ -n "$g_script" ] && gs=(-s "$g_script")
  wrk -t1 -c4 -d2s "${ns[@]}" "$n_url" >/dev/null
  wrk -t1 -c4 -d1s "${ns[@]}" "$p_url" >/dev/null
  wrk -t1 -c4 -d2s "${gs[@]}" "$g_url" >/dev/null
  read -r n_rps n_p99 n_reqs n_cpu _ _ < <(run "$r-nginx" "$n_url" "$n_script" "$gw")
  read -r p_rps _ p_reqs _ p_usr p_sys < <(run "$r-proxy" "$p_url" "$n_script" "$proxy_worker")
  perf_pid=""
  if [ -n "$PERF" ]; then
    perf record -q -e cpu-clock -F 1999 -g -p "$gw" -o "bench/out/perf-$r.data" -- sleep "$DURATION" 2>/dev/null &
    perf_pid=$!
  fi
  read -r g_rps g_p99 g_reqs _ g_usr g_sys < <(run "$r-gateway" "$g_url" "$g_script" "$gw")
  if [ -n "$perf_pid" ]; then
    wait "$perf_pid" || true
    perf report -i "bench/out/perf-$r.data" --no-children --sort symbol --stdio -g none --percent-limit 0.5 2>/dev/null \
      | grep -v '^#' | grep -v '^$' | sed 's/  *- *- *$//; s/ *$//' >"bench/out/perf-$r.txt" || true
    perf report -i "bench/out/perf-$r.data" --children --sort symbol --stdio -g none --percent-limit 2 2>/dev/null \
      | grep -v '^#' | grep -v '^$' | sed 's/  *- *- *$//; s/ *$//' >"bench/out/perf-$r-children.txt" || true
  fi
  rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$gw/status" 2>/dev/null || echo 0)
  kill "$gw" 2>/dev/null || true
  wait "$gw" 2>/dev/null || true
  gw=""
  results+=("$r $n_rps $n_p99 $g_rps $g_p99 $rss_kb $n_reqs $n_cpu $g_reqs $g_usr $g_sys $p_rps $p_reqs $p_usr $p_sys")
  echo "$r done" >&2
done

[ -n "$DHAT" ] && exit 0
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per side; gateway worker_threads = $GW_THREADS"
printf '%-15s %10s %9s %10s %9s %6s %9s %8s %9s %9s %8s %10s %7s %9s\n' route "nginx r/s" "nginx p99" "gw r/s" "gw p99" ratio "p99 diff" "gw RSS" "nginx us" "gw us" "gw usr" "2-proc r/s" "gw/2-p" "2-proc us"
for line in "${results[@]}"; do
  awk -v l="$line" -v hz="$HZ" 'BEGIN {
    split(l, f, " ")
    nginx = f[8] / hz * 1e6 / f[7]
    usr = f[10] / hz * 1e6 / f[9]
    gw = (f[10] + f[11]) / hz * 1e6 / f[9]
    proxy = (f[14] + f[15]) / hz * 1e6 / f[13]
    printf "%-15s %10.0f %7.3fms %10.0f %7.3fms %5.2fx %+7.3fms %5.1fMiB %9.1f %9.1f %8.1f %10.0f %6.2fx %9.1f\n",
      f[1], f[2], f[3], f[4], f[5], f[4] / f[2], f[5] - f[3], f[6] / 1024, nginx, gw, usr, f[12], f[4] / f[12], proxy
  }'
done
echo "targets: ratio >= 1.00x, p99 diff <= +0.5 ms"
echo "CPU per request, in µs: nginx us = its one worker (vendor + proxy) in the"
echo "baseline run; gw us = the gateway (user + system), gw usr = user only."
echo "2-proc r/s: the control, nginx proxying from a process of its own (the"
echo "gateway's topology, no translation); gw/2-p: the gateway against it;"
echo "2-proc us: that proxy's CPU per request (user + system)"
