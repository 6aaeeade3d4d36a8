# The sides of bench/load.sh (sourced): what each is sent and which
# process is measured, and the one measuring step every table uses.
#
#   nginx, haproxy, caddy: the peers, started once (peers.sh), sent the
#     vendor request ($n_path, $n_script)
#   hyper: the framework floor (bench/proxy_floor), started once with the
#     peers (hyper_start below) and sent the same vendor request: the
#     gateway's own stack (hyper, hyper-util, tokio, mimalloc) proxying
#     untouched, without axum, tower or translation
#   gw:  the gateway on its default config (one runtime thread per CPU)
#   gw1: the gateway with worker_threads = 1
# Both gateways are sent the unified request ($g_path, $g_script).

has_side() { [[ " $SIDES " == *" $1 "* ]]; }

# hyper_start: the hyper floor on $HYPER_PORT, forwarding to the vendor;
# sets pid[hyper] (one process, one runtime thread: its CPU from /proc
# like the other sides) and port[hyper]. Stopped by peers_stop (its pid
# file).
hyper_start() {
  "$PROXY_FLOOR_BIN" "$HYPER_PORT" "$VENDOR" >"$work/logs/hyper.log" 2>&1 &
  echo $! >"$work/hyper.pid"
  pid[hyper]=$!
  port[hyper]=$HYPER_PORT
  for _ in $(seq 50); do
    # Any answer will do (the vendor's 404 for /): it is listening.
    curl -s -o /dev/null "http://127.0.0.1:$HYPER_PORT/" && return 0
    kill -0 "${pid[hyper]}" 2>/dev/null || break
    sleep 0.1
  done
  cat "$work/logs/hyper.log" >&2
  echo "the hyper floor did not start" >&2
  exit 1
}

# gw_configs NAME: the two gateway configs of the route set by `route`
gw_configs() {
  gw_config "$work/gw-$1.toml" "" "$backend" "$routes"
  gw_config "$work/gw1-$1.toml" 1 "$backend" "$routes"
}

# side_up SIDE NAME: starts SIDE when it is a gateway (on the configs of
# gw_configs NAME), checks one request, warms it up; sets $url, $script
# and $mpid (the processes measured)
side_up() {
  case $1 in
    gw | gw1)
      gw_start "$work/$1-$2.toml" "$2-$1"
      url=http://127.0.0.1:$GATEWAY_PORT$g_path script=$g_script mpid=$gw
      ;;
    *)
      url=http://127.0.0.1:${port[$1]}$n_path script=$n_script mpid=${pid[$1]}
      ;;
  esac
  check "$url" "$script" || {
    echo "$2: $1 request failed: $url" >&2
    [ -n "$gw" ] && cat "$work/logs/gateway-$2-$1.log" >&2
    exit 1
  }
  warm "$url" "$script"
}

# side_down SIDE: stops SIDE when it is a gateway
side_down() {
  case $1 in gw | gw1) gw_stop ;; esac
}

# measure TABLE KEY SIDE CONNECTIONS: one wrk run of the side set up by
# side_up; appends "TABLE KEY SIDE rps p50 p99 requests user_ticks
# system_ticks peak_rss_kib" to the results
measure() {
  local rps p50 p99 reqs usr sys peak=0
  [ -n "$PERF" ] && [ -n "$gw" ] && perf_start "${2//\//-}-$3" "$gw"
  read -r rps p50 p99 reqs usr sys < <(wrk_run "$1-${2//\//-}-$3" "$url" "$script" "$mpid" "$4")
  [ -n "$PERF" ] && [ -n "$gw" ] && perf_report "${2//\//-}-$3"
  [ -n "$gw" ] && peak=$(hwm "$gw")
  echo "$1 $2 $3 $rps $p50 $p99 $reqs $usr $sys $peak" >>"$work/results"
}
