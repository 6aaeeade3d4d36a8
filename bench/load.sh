#!/usr/bin/env bash
# Load test: the gateway translating each vendor route, side by side with
# nginx, haproxy and Caddy proxying the same vendor answer untouched, and
# with the gateway's own stack doing the same (the hyper floor), all in one
# run; tables printed in markdown (docs/benchmarks.md).
#
#   bash bench/load.sh                        # every route, every side
#   DURATION=10 CONNECTIONS=32 bash bench/load.sh
#   ROUTES="vehizen-xml fleet-tree" bash bench/load.sh   # a subset
#   SIDES="nginx gw gw1" bash bench/load.sh   # a subset of the sides
#   GROWTH=1 CONC=1 IDLE=1 bash bench/load.sh # + how cost grows (below)
#   MAIN=0 GROWTH=1 bash bench/load.sh        # that table only
#   KEEP=1 ...: keep the configs, logs, wrk outputs and the codec floor's
#       inputs and steps (printed: the temporary directory)
#   DHAT=1 ROUTES=vehizen-xml bash bench/load.sh  # allocations per request
#       instead of load: the gateway (system allocator, worker_threads = 1)
#       under valgrind's DHAT, wrk -c4 for DURATION, minus a run that
#       serves one request
#   CALLGRIND=1 ROUTES=department bash bench/load.sh  # user-space
#       instructions per request, the same way under callgrind (the
#       release build with symbols, mimalloc): deterministic enough to
#       show one change's effect on a busy machine; the hyper floor's
#       too (sent the vendor request) when "hyper" is among the SIDES
#       (and the hyper floor's, sent the vendor request, when "hyper" is
#       among the SIDES)
#   SYSCALLS=1 ROUTES=fleet-tree bash bench/load.sh  # system calls per
#       request by name, the same way under strace -f -c: the gateway on
#       its default config and with worker_threads = 1, and the hyper
#       floor when "hyper" is among the SIDES
#   PERF=1 ROUTES=vehizen-xml SIDES="nginx gw1" bash bench/load.sh  # + a
#       perf profile of each gateway side during its measured run
#       (cpu-clock samples, frame-pointer call graphs; the `profiling`
#       build), per symbol in bench/out/perf-<route>-<side>.txt
#
# Topology (all on loopback), every process its own:
#   vendor : nginx (one worker) answering each vendor path with a static
#            copy of that vendor's documented answer (tests/fixtures/),
#            each vendor under its own prefix (/vehizen-xml, /department...)
#   sides  : nginx, haproxy and Caddy proxying to the vendor (keep-alive
#            upstream), PEER_THREADS workers/threads each (default 1, as
#            nginx's `worker_processes 1`); "hyper", the framework floor
#            (bench/proxy_floor): a bare hyper 1 + hyper-util + tokio proxy
#            on one current-thread runtime with mimalloc, no axum, no tower
#            layers, no translation, collecting both bodies in memory as
#            the gateway does; the gateway (release build) on its default
#            config ("gw": one runtime thread per CPU, as a user runs it)
#            and with `worker_threads = 1` ("gw1"), restarted per route
#            with that route's backend pointing at the vendor
# Per route and side, wrk (-t1 -c32) sends the peers and the hyper floor
# the vendor request (same method, path and vendor body) and the gateway
# the unified request, after a 2 s warm-up. CPU per request is each side's
# process (user + system, all threads, /proc/<pid>/stat) over the
# measured run.
#
# The codec floor of a route (bench/codec_floor): the bare third-party
# parse of the bytes the gateway reads (the unified request, the vendor's
# answer) and the bare write of the bytes it writes (the vendor request,
# the unified answer), each taken from one request through a gateway
# whose vendor is a capture server. The CPU table sets the gateway
# against nginx + codec floor: a proxy's cost plus the codec work no
# translation can skip.
#
# How cost grows (each adds a table):
#   GROWTH=1: CPU per request and req/s against the vendor answer's size,
#     Vehizen XML of GROWTH_SIZES (1, 7, 64, 512 KB: the docs' sample with
#     its vehicle repeated), with the least-squares slope in µs per KB
#     against the codec floor's; sides GROWTH_SIDES (nginx gw gw1)
#   CONC=1: p50/p99 and req/s against CONC_LEVELS connections (1 32 256
#     1024) on CONC_ROUTES (vehizen-xml fleet-tree), every side
#   IDLE=1: RSS of each side with IDLE_CONNS (10000) idle keep-alive
#     connections (one request each, then held IDLE_HOLD s) on IDLE_ROUTE
#
# Vendor answers to writes: department POST -> 204 (nginx `return 204`);
# BokaMera PUT -> the docs' customer answer (the static file, via
# `error_page 405 =200 $uri`, which re-serves the file as a GET).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-5}
WARM=${WARM:-2}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
PEER_THREADS=${PEER_THREADS:-1}
SIDES=${SIDES:-"nginx haproxy caddy hyper gw gw1"}
MAIN=${MAIN:-1}
ROUTES=${ROUTES:-"vehizen-xml vehizen-json department bokamera-json bokamera-jsv fleet-tree fleet-vehicles"}
GROWTH=${GROWTH:-}
GROWTH_SIZES=${GROWTH_SIZES:-"1k=1024 7k=6874 64k=65536 512k=524288"}
GROWTH_SIDES=${GROWTH_SIDES:-"nginx gw gw1"}
CONC=${CONC:-}
CONC_LEVELS=${CONC_LEVELS:-"1 32 256 1024"}
CONC_ROUTES=${CONC_ROUTES:-"vehizen-xml fleet-tree"}
IDLE=${IDLE:-}
IDLE_CONNS=${IDLE_CONNS:-10000}
IDLE_HOLD=${IDLE_HOLD:-5}
IDLE_ROUTE=${IDLE_ROUTE:-fleet-tree}
PERF=${PERF:-}
DHAT=${DHAT:-}
CALLGRIND=${CALLGRIND:-}
SYSCALLS=${SYSCALLS:-}
VENDOR_PORT=${VENDOR_PORT:-18181}
NGINX_PORT=${NGINX_PORT:-18182}
GATEWAY_PORT=${GATEWAY_PORT:-18183}
ADMIN_PORT=${ADMIN_PORT:-18184}
HAPROXY_PORT=${HAPROXY_PORT:-18186}
CADDY_PORT=${CADDY_PORT:-18187}
CAPTURE_PORT=${CAPTURE_PORT:-18188}
HYPER_PORT=${HYPER_PORT:-18189}
VENDOR=http://127.0.0.1:$VENDOR_PORT
CAPTURE=http://127.0.0.1:$CAPTURE_PORT
ID=e55ab6e7-1056-4ab3-bd03-247f4b0efdd1
CUSTOMER=3b241101-e2bb-4255-8caf-4136c566a962
COMPANY=5c9c2a0e-8b1f-4d7a-9e33-2f6b1d0c4a11
CATEGORY=1

source bench/lib/measure.sh
source bench/lib/peers.sh
source bench/lib/routes.sh
source bench/lib/sides.sh
source bench/lib/growth.sh
source bench/lib/profile.sh

# 1024 connections (CONC) and 10,000 idle ones (IDLE) need descriptors:
# the soft limit up to the hard one (root may raise both).
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ -n "$IDLE" ] && [ "$(ulimit -n)" -lt $((IDLE_CONNS + 1000)) ]; then
  echo "IDLE_CONNS=$IDLE_CONNS needs ulimit -n of at least $((IDLE_CONNS + 1000)); it is $(ulimit -n)" >&2
  exit 2
fi

need=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
if [ -z "$DHAT$CALLGRIND$SYSCALLS" ]; then
  has_side haproxy && { command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || need+=(haproxy); }
  has_side caddy && { command -v caddy >/dev/null || need+=(caddy); }
fi
[ -n "$DHAT$CALLGRIND" ] && { command -v valgrind >/dev/null || need+=(valgrind); }
[ -n "$SYSCALLS" ] && { command -v strace >/dev/null || need+=(strace); }
[ -n "$PERF" ] && { command -v perf >/dev/null || need+=(linux-perf); }
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Binaries only: keep the packages' scripts from starting system
  # services (haproxy's would start one).
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
PATH=$PATH:/usr/sbin

if [ -n "${BIN:-}" ]; then
  : # a binary given (e.g. an older build, to compare)
elif [ -n "$DHAT" ]; then
  # DHAT sees only the system allocator: build without mimalloc.
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/dhat}
  cargo build --profile profiling --locked --no-default-features --bin crossdock >/dev/null
  BIN=$CARGO_TARGET_DIR/profiling/crossdock
elif [ -n "$CALLGRIND$SYSCALLS" ]; then
  cargo build --profile profiling --locked --bin crossdock >/dev/null
  BIN=${CARGO_TARGET_DIR:-target}/profiling/crossdock
elif [ -n "$PERF" ]; then
  # Frame pointers make perf's call graphs cheap and exact; own target dir
  # so the flag does not invalidate the release build.
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/prof}
  RUSTFLAGS="-C force-frame-pointers=yes" cargo build --profile profiling --locked --bin crossdock >/dev/null
  BIN=$CARGO_TARGET_DIR/profiling/crossdock
else
  cargo build --release --locked --bin crossdock >/dev/null
  BIN=${CARGO_TARGET_DIR:-target}/release/crossdock
fi
mkdir -p bench/out
# The codec floor: two small crates, its own workspace and target dir.
cargo build --release --locked --quiet --manifest-path bench/codec_floor/Cargo.toml \
  --target-dir target/codec-floor
FLOOR_BIN=target/codec-floor/release/codec-floor
# The hyper floor (the `hyper` side): its own workspace and target dir too.
if has_side hyper && [ -z "$DHAT" ]; then
  cargo build --release --locked --quiet --manifest-path bench/proxy_floor/Cargo.toml \
    --target-dir target/proxy-floor
fi
PROXY_FLOOR_BIN=target/proxy-floor/release/proxy-floor

work=$(mktemp -d)
www=$work/www
gw=""
perf_pid=""
declare -A pid port
cleanup() {
  gw_stop
  peers_stop
  if [ -n "${KEEP:-}" ]; then
    echo "configs, logs and wrk outputs kept in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
mkdir -p "$work/logs" "$www"
chmod 755 "$work"
: >"$work/results"
vendor_files
chmod -R a+rX "$www"

if [ -n "$DHAT$CALLGRIND" ]; then
  vendor_start
  for r in $ROUTES; do
    route "$r" "$VENDOR"
    gw_configs "$r"
    if [ -n "$DHAT" ]; then
      dhat_route "$r" "$work/gw1-$r.toml" "http://127.0.0.1:$GATEWAY_PORT$g_path" "$g_script"
    else
      callgrind_route "$r" "$work/gw1-$r.toml" "http://127.0.0.1:$GATEWAY_PORT$g_path" "$g_script"
      # The same for the hyper floor, sent the vendor request.
      has_side hyper && callgrind_route "$r-hyper" hyper "http://127.0.0.1:$HYPER_PORT$n_path" "$n_script"
    fi
  done
  exit 0
fi
if [ -n "$SYSCALLS" ]; then
  vendor_start
  for r in $ROUTES; do
    route "$r" "$VENDOR"
    gw_configs "$r"
    for side in gw gw1; do
      syscalls_route "$r-$side" "$work/$side-$r.toml" "http://127.0.0.1:$GATEWAY_PORT$g_path" "$g_script"
    done
    has_side hyper && syscalls_route "$r-hyper" hyper "http://127.0.0.1:$HYPER_PORT$n_path" "$n_script"
  done
  exit 0
fi

peers_start
start=$(date +%s)
if [ "$MAIN" != 0 ]; then
  for r in $ROUTES; do
    route "$r" "$CAPTURE"
    probe "$r"
    echo "floor $r - $(floor "$r" "${floor_steps[@]}")" >>"$work/results"
    route "$r" "$VENDOR"
    gw_configs "$r"
    for side in $SIDES; do
      side_up "$side" "$r"
      measure main "$r" "$side" "$CONNECTIONS"
      side_down "$side"
    done
    echo "$r done" >&2
  done
fi
[ -n "$GROWTH" ] && growth_run
[ -n "$CONC" ] && conc_run
[ -n "$IDLE" ] && idle_run

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain --untracked-files=no 2>/dev/null | head -c1)
python3 bench/lib/report.py "$work/results" "$work/notes" "$(getconf CLK_TCK)" \
  "$(date +%F), commit $commit${dirty:+ (with local changes)}, $(nproc) cores; wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s per side after a ${WARM}s warm-up; peers on $PEER_THREADS worker/thread each; $(($(date +%s) - start)) s of measuring" |
  tee "bench/out/load-$(date +%Y%m%d-%H%M%S).md"
