# How cost grows, in bench/load.sh (sourced): against the vendor answer's
# size (GROWTH=1), the number of connections (CONC=1) and idle keep-alive
# connections (IDLE=1). Each appends its rows to $work/results; report.py
# prints them.

# sizes: Vehizen XML answers of GROWTH_SIZES (LABEL=BYTES...) from the
# docs' sample, vehicles repeated; the growth table's runs on each
growth_run() {
  local spec label name us side
  mkdir -p "$work/sizes"
  # shellcheck disable=SC2086
  python3 bench/lib/vehizen_sizes.py tests/fixtures/vehizen/get.xml "$work/sizes" $GROWTH_SIZES \
    >"$work/logs/sizes.txt"
  for spec in $GROWTH_SIZES; do
    label=${spec%%=*}
    name=vehizen-xml-$label
    mkdir -p "$www/$name/api/v2/CustomerGroup"
    cp "$work/sizes/$label.xml" "$www/$name/api/v2/CustomerGroup/$ID"
    chmod -R a+rX "$www"
    route "$name" "$CAPTURE"
    probe "$name"
    us=$(floor "$name" "${floor_steps[@]}")
    echo "size $label - $us $(wc -c <"$work/sizes/$label.xml") $(wc -c <"$work/floor/$name.answer")" >>"$work/results"
    route "$name" "$VENDOR"
    gw_configs "$name"
    for side in $GROWTH_SIDES; do
      has_side "$side" || continue
      side_up "$side" "$name"
      measure growth "$label" "$side" "$CONNECTIONS"
      side_down "$side"
    done
    echo "growth $label done" >&2
  done
}

# p50/p99 and req/s against CONC_LEVELS connections, on CONC_ROUTES
conc_run() {
  local r c side
  for r in $CONC_ROUTES; do
    route "$r" "$VENDOR"
    gw_configs "$r"
    for side in $SIDES; do
      side_up "$side" "$r"
      for c in $CONC_LEVELS; do
        measure conc "$r/$c" "$side" "$c"
      done
      side_down "$side"
    done
    echo "conc $r done" >&2
  done
}

# RSS with IDLE_CONNS idle keep-alive connections (IDLE_ROUTE), each side:
# before, with them open (after one request each), after they close; the
# client reads the RSS itself, next to its count of open connections.
# The gateway closes a keep-alive connection idle for its head timeout
# (`header_read_timeout_ms`, 10 s): raised here so that all of them are
# still open when the RSS is read, however long opening them took.
idle_run() {
  local out lport path side
  route "$IDLE_ROUTE" "$VENDOR"
  gw_server_extra="header_read_timeout_ms = 120000" gw_configs "$IDLE_ROUTE"
  for side in $SIDES; do
    side_up "$side" "$IDLE_ROUTE"
    case $side in gw | gw1) path=$g_path ;; *) path=$n_path ;; esac
    lport=${url#http://127.0.0.1:}
    lport=${lport%%/*}
    sleep 1
    out=$work/logs/idle-$side.txt
    python3 bench/lib/idle_client.py 127.0.0.1 "$lport" "$path" "$IDLE_CONNS" "$IDLE_HOLD" \
      "$(tr ' ' ',' <<<"${mpid% }")" >"$out" 2>&1 ||
      note "idle $side: the client failed: $(tail -3 "$out" | tr '\n' ' ')"
    echo "idle $IDLE_CONNS $side $(awk '
      $1 == "before" { before = $2 } $1 == "ready" { ok = $2; failed = $3 }
      $1 == "with" { with = $2; open = $3 } $1 == "held" { held = $2 } $1 == "after" { after = $2 }
      END { print before + 0, with + 0, after + 0, ok + 0, failed + 0, open + 0, held + 0 }' "$out") $IDLE_HOLD" \
      >>"$work/results"
    side_down "$side"
    echo "idle $side done" >&2
  done
}
