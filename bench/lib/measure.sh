# Measuring helpers of bench/load.sh (sourced): wrk runs with each side's
# CPU time, gateway start and stop, one checked request, the codec floor.
# Uses $work, $BIN, $DURATION, $THREADS, $ADMIN_PORT from the caller.

# cpu "PID..." -> "user system" CPU time of those processes (all their
# threads) in clock ticks
cpu() {
  local p
  for p in $1; do sed 's/.*) //' "/proc/$p/stat" 2>/dev/null || true; done |
    awk '{u += $12; s += $13} END {print u + 0, s + 0}'
}

# rss "PID..." -> VmRSS in KiB, summed; hwm PID -> VmHWM (peak RSS) in KiB
rss() {
  local p
  for p in $1; do cat "/proc/$p/status" 2>/dev/null || true; done |
    awk '/^VmRSS/ {k += $2} END {print k + 0}'
}
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# note TEXT: a line printed under the tables (errors seen by wrk and such)
note() { echo "$*" >>"$work/notes"; echo "  $*" >&2; }

# wrk_run NAME URL SCRIPT PID CONNECTIONS -> prints "rps p50_ms p99_ms
# requests user_ticks system_ticks", PID's CPU time over the run; wrk's
# output is kept in $work/logs/wrk-NAME.txt
wrk_run() {
  local s=() t=$THREADS out c0 c1 errors
  [ -n "$3" ] && s=(-s "$3")
  [ "$5" -lt "$t" ] && t=$5
  c0=$(cpu "$4")
  out=$(wrk -t"$t" -c"$5" -d"${DURATION}s" --timeout 10s --latency "${s[@]}" "$2") || note "$1: wrk failed"
  c1=$(cpu "$4")
  echo "$out" >"$work/logs/wrk-$1.txt"
  errors=$(awk '/Non-2xx|Socket errors/ {printf "%s ", $0}' <<<"$out")
  [ -n "$errors" ] && note "$1: $errors"
  awk -v c0="$c0" -v c1="$c1" '
    function ms(v) {
      if (v ~ /us$/) { sub(/us$/, "", v); return v / 1000 }
      if (v ~ /ms$/) { sub(/ms$/, "", v); return v + 0 }
      if (v ~ /m$/) { sub(/m$/, "", v); return v * 60000 }
      if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000 }
      return v + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    / requests in / { reqs = $1 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END {
      split(c0, a, " "); split(c1, b, " ")
      print rps + 0, p50 + 0, p99 + 0, reqs + 0, b[1] - a[1], b[2] - a[2]
    }' <<<"$out"
}

# warm URL SCRIPT: a short wrk run that is not measured
warm() {
  local s=()
  [ -n "$2" ] && s=(-s "$2")
  wrk -t1 -c4 -d"${WARM:-2}s" "${s[@]}" "$1" >/dev/null
}

# check URL SCRIPT [OUT]: one request as wrk would send it, must be 2xx;
# its answer's body goes to OUT
check() {
  local method=GET body=() ctype=()
  if [ -n "$2" ]; then
    method=$(awk -F'"' '/wrk.method/ {print $2}' "$2")
    body=(--data-binary "@$(awk -F'"' '/io.open/ {print $2}' "$2")")
    ctype=(-H "Content-Type: $(awk -F'"' '/Content-Type/ {print $4}' "$2")")
  fi
  curl -fsS -o "${3:-/dev/null}" -X "$method" "${ctype[@]}" "${body[@]}" "$1"
}

# gw_start CONFIG NAME: starts the gateway on CONFIG (log in
# $work/logs/gateway-NAME.log), sets $gw to its pid, waits for /readyz
gw_start() {
  "$BIN" --config "$1" >"$work/logs/gateway-$2.log" 2>&1 &
  gw=$!
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$gw" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/logs/gateway-$2.log" >&2
  echo "gateway $2 did not start" >&2
  exit 1
}

gw_stop() {
  [ -n "$gw" ] || return 0
  kill "$gw" 2>/dev/null || true
  wait "$gw" 2>/dev/null || true
  gw=""
}

# gw_config FILE THREADS BACKEND ROUTES: a gateway config serving one
# backend. THREADS empty: no worker_threads key (the default, one runtime
# thread per CPU, as a user runs it). Logging at warn, as the peers run
# with their access logs off (GW_LOG=info adds a log line per request).
# $gw_server_extra: more [server] keys, when set. GW_RUNTIME:
# server.runtime (thread_per_core or work_stealing); unset, the default.
gw_config() {
  {
    echo "[server]"
    echo "listen = \"127.0.0.1:$GATEWAY_PORT\""
    [ -n "$2" ] && echo "worker_threads = $2"
    [ -n "${GW_RUNTIME:-}" ] && echo "runtime = \"$GW_RUNTIME\""
    [ -n "${gw_server_extra:-}" ] && echo "$gw_server_extra"
    echo "drain_delay_ms = 0"
    echo "[admin]"
    echo "listen = \"127.0.0.1:$ADMIN_PORT\""
    echo "[logging]"
    echo "level = \"${GW_LOG:-warn}\""
    echo "$3"
    echo "$4"
  } >"$1"
}

# floor NAME STEP... -> the codec floor in µs (bench/codec_floor); the
# steps' times go to $work/logs/floor-NAME.txt
floor() {
  local name=$1
  shift
  "$FLOOR_BIN" --ms "${FLOOR_MS:-300}" "$@" 2>"$work/logs/floor-$name.txt"
}
