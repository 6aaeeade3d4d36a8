# Profiles of the gateway in bench/load.sh (sourced): allocations per
# request under valgrind's DHAT (DHAT=1), instructions per request under
# callgrind (CALLGRIND=1), perf profiles of a measured run (PERF=1). Uses $work, $BIN, $DURATION, $ADMIN_PORT.

# under_tool TOOL OUT NAME CONFIG URL SCRIPT LOAD -> runs the gateway
# on CONFIG (CONFIG "hyper": the hyper floor, bench/proxy_floor, forwarding
# to the vendor) under TOOL (valgrind's dhat or callgrind, or strace -c
# for "strace") writing OUT; it serves one checked request plus, when LOAD
# is 1, wrk -c4 for DURATION; prints the requests served
under_tool() {
  local tool=$1 out=$2 name=$3 cfg=$4 url=$5 script=$6 load=$7 s=() reqs=1 pid cmd wrap
  if [ "$cfg" = hyper ]; then
    cmd=("$PROXY_FLOOR_BIN" "$HYPER_PORT" "$VENDOR")
  else
    cmd=("$BIN" --config "$cfg")
  fi
  case $tool in
    strace) wrap=(strace -f -qq -c -o "$out") ;;
    *) wrap=(valgrind --tool="$tool" "--$tool-out-file=$out") ;;
  esac
  "${wrap[@]}" "${cmd[@]}" >"$work/logs/$tool-$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    if [ "$cfg" = hyper ]; then
      check "$url" "$script" 2>/dev/null && break
    else
      curl -fs "http://127.0.0.1:$ADMIN_PORT/readyz" >/dev/null 2>&1 && break
    fi
    sleep 0.2
  done
  check "$url" "$script" || { echo "$name: request failed under $tool" >&2; exit 1; }
  if [ "$load" = 1 ]; then
    [ -n "$script" ] && s=(-s "$script")
    reqs=$(wrk -t1 -c4 -d"${DURATION}s" "${s[@]}" "$url" | awk '/requests in/ {print $1}')
    reqs=$((reqs + 1))
  fi
  # strace runs the process as its child; valgrind is the process.
  if [ "$tool" = strace ]; then pkill -TERM -P "$pid"; else kill -TERM "$pid"; fi
  wait "$pid" || true
  echo "$reqs"
}

# dhat NAME CONFIG URL SCRIPT LOAD -> total allocations of a gateway
# process on CONFIG that served one checked request plus, when LOAD is 1,
# wrk -c4 for DURATION; prints "allocations bytes requests"
dhat() {
  local out="bench/out/dhat-$1-$5.json" reqs
  reqs=$(under_tool dhat "$out" "$@") || exit 1
  python3 -c 'import json,sys; pps=json.load(open(sys.argv[1]))["pps"]; print(sum(p["tbk"] for p in pps), sum(p["tb"] for p in pps))' "$out" | tr '\n' ' '
  echo "$reqs"
}

# dhat_route NAME CONFIG URL SCRIPT: prints allocations per request
dhat_route() {
  local a1 b1 r1 a2 b2 r2
  read -r a1 b1 r1 < <(dhat "$1" "$2" "$3" "$4" 0)
  read -r a2 b2 r2 < <(dhat "$1" "$2" "$3" "$4" 1)
  awk -v r="$1" -v a1="$a1" -v a2="$a2" -v b1="$b1" -v b2="$b2" -v r1="$r1" -v r2="$r2" 'BEGIN {
    printf "%-15s %7.1f allocations, %8.0f bytes allocated per request (%d requests)\n",
      r, (a2 - a1) / (r2 - r1), (b2 - b1) / (r2 - r1), r2 - r1
  }'
}

# callgrind NAME CONFIG URL SCRIPT LOAD -> the instructions a gateway
# process on CONFIG ran (user space, every thread) to serve one checked
# request plus, when LOAD is 1, wrk -c4 for DURATION; prints
# "instructions requests". CONFIG "hyper": the hyper floor instead.
callgrind() {
  local out="bench/out/callgrind-$1-$5.out" reqs
  reqs=$(under_tool callgrind "$out" "$@") || exit 1
  awk '/^(summary|totals):/ {print $2; exit}' "$out" | tr '\n' ' '
  echo "$reqs"
}

# callgrind_route NAME CONFIG URL SCRIPT: prints instructions per request
callgrind_route() {
  local i1 r1 i2 r2
  read -r i1 r1 < <(callgrind "$1" "$2" "$3" "$4" 0)
  read -r i2 r2 < <(callgrind "$1" "$2" "$3" "$4" 1)
  awk -v r="$1" -v i1="$i1" -v i2="$i2" -v r1="$r1" -v r2="$r2" 'BEGIN {
    printf "%-15s %9.0f instructions per request (%d requests)\n", r, (i2 - i1) / (r2 - r1), r2 - r1
  }'
}

# syscalls_route NAME CONFIG URL SCRIPT: prints system calls per request,
# in all and by name (the process under strace -f -c, wrk -c4 for
# DURATION, minus a run that serves one request)
syscalls_route() {
  local out0="bench/out/strace-$1-0.txt" out1="bench/out/strace-$1-1.txt" r1 r2
  r1=$(under_tool strace "$out0" "$1" "$2" "$3" "$4" 0) || exit 1
  r2=$(under_tool strace "$out1" "$1" "$2" "$3" "$4" 1) || exit 1
  python3 - "$1" "$out0" "$out1" "$((r2 - r1))" <<'PY'
import sys
def calls(path):
    c = {}
    for line in open(path):
        f = line.split()
        # % time, seconds, usecs/call, calls, [errors,] syscall
        if len(f) >= 5 and f[3].isdigit() and f[-1] != "total":
            c[f[-1]] = int(f[3])
    return c
name, a, b, n = sys.argv[1], calls(sys.argv[2]), calls(sys.argv[3]), int(sys.argv[4])
d = {k: (b.get(k, 0) - a.get(k, 0)) / n for k in set(a) | set(b)}
d = {k: v for k, v in d.items() if v >= 0.01}
parts = ", ".join(f"{k} {v:.2f}" for k, v in sorted(d.items(), key=lambda kv: -kv[1]))
print(f"{name:<20} {sum(d.values()):5.2f} system calls per request ({n} requests): {parts}")
PY
}

# perf_start NAME PID: samples PID for DURATION in the background
perf_start() {
  perf record -q -e cpu-clock -F 1999 -g -p "$2" -o "bench/out/perf-$1.data" -- sleep "$DURATION" 2>/dev/null &
  perf_pid=$!
}

# perf_report NAME: waits for the sampling, then writes the profile per
# symbol (self, then inclusive) to bench/out/perf-NAME.txt and
# bench/out/perf-NAME-children.txt
perf_report() {
  wait "$perf_pid" || true
  perf report -i "bench/out/perf-$1.data" --no-children --sort symbol --stdio -g none --percent-limit 0.5 2>/dev/null |
    grep -v '^#' | grep -v '^$' | sed 's/  *- *- *$//; s/ *$//' >"bench/out/perf-$1.txt" || true
  perf report -i "bench/out/perf-$1.data" --children --sort symbol --stdio -g none --percent-limit 2 2>/dev/null |
    grep -v '^#' | grep -v '^$' | sed 's/  *- *- *$//; s/ *$//' >"bench/out/perf-$1-children.txt" || true
}
