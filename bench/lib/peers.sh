# The vendor and the peers of bench/load.sh (sourced): one nginx process
# as the vendor, and nginx, haproxy and Caddy each proxying it untouched,
# each a process of its own (the gateway's topology: wrk -> proxy process
# -> vendor process). Uses $work, $www and the *_PORT variables.

# nginx_conf NAME WORKERS SERVERS -> $work/NAME.conf, an nginx config of
# WORKERS workers (pid and error log under NAME) serving SERVERS
nginx_conf() {
  cat >"$work/$1.conf" <<EOF
worker_processes $2;
worker_rlimit_nofile 40000;
pid $work/$1.pid;
error_log $work/logs/$1-error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_body_buffer_size 64k;
  upstream vendor { server 127.0.0.1:$VENDOR_PORT; keepalive 64; }
$3
}
EOF
}

# The vendor: each vendor's documented answer as a static file, every
# vendor under its prefix. The capture server proxies to it and logs the
# body of every request but GETs, so the codec floor can read the vendor
# request the gateway writes.
vendor_start() {
  nginx_conf vendor 1 "  log_format capture escape=none '\$request_body';
  map \$request_method \$captured { GET 0; HEAD 0; default 1; }
  server {
    listen 127.0.0.1:$VENDOR_PORT;
    root $www;
    location /vehizen-xml { default_type application/xml; }
    location /vehizen-json/ { default_type application/json; }
    location /department/ { return 204; }
    location /bokamera-jsv/ { default_type text/jsv; error_page 405 =200 \$uri; }
    location /bokamera-json/ { default_type application/json; error_page 405 =200 \$uri; }
    location /fleet/ { default_type application/json; }
  }
  server {
    listen 127.0.0.1:$CAPTURE_PORT;
    client_body_in_single_buffer on;
    access_log $work/logs/capture.log capture if=\$captured;
    location / {
      proxy_pass http://vendor;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
    }
  }"
  "$NGINX" -c "$work/vendor.conf" -p "$work"
}

nginx_start() {
  # No temp files: a large answer streams to the client as it comes.
  nginx_conf nginx "$PEER_THREADS" "  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://vendor;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_max_temp_file_size 0;
    }
  }"
  "$NGINX" -c "$work/nginx.conf" -p "$work"
}

haproxy_start() {
  cat >"$work/haproxy.cfg" <<EOF
global
  nbthread $PEER_THREADS
  maxconn $((IDLE_CONNS + 2000))
  # maxconn asks for twice its descriptors; an idle client connection
  # takes one (the vendor connections are shared): a warning, not a stop.
  no strict-limits
  pidfile $work/haproxy.pid
  daemon
defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 300s
  timeout server 300s
  timeout http-keep-alive 300s
frontend bench
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend vendor
backend vendor
  server vendor 127.0.0.1:$VENDOR_PORT
EOF
  haproxy -f "$work/haproxy.cfg" >"$work/logs/haproxy.log" 2>&1 ||
    { cat "$work/logs/haproxy.log" >&2; echo "haproxy did not start" >&2; exit 1; }
}

caddy_start() {
  cat >"$work/Caddyfile" <<EOF
{
  admin off
  auto_https off
}
http://127.0.0.1:$CADDY_PORT {
  reverse_proxy 127.0.0.1:$VENDOR_PORT
}
EOF
  # Caddy keeps its state under XDG_DATA_HOME / XDG_CONFIG_HOME.
  XDG_DATA_HOME=$work/caddy XDG_CONFIG_HOME=$work/caddy GOMAXPROCS=$PEER_THREADS \
    caddy run --config "$work/Caddyfile" --adapter caddyfile >"$work/logs/caddy.log" 2>&1 &
  echo $! >"$work/caddy.pid"
  for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$CADDY_PORT/" && return 0
    sleep 0.1
  done
  cat "$work/logs/caddy.log" >&2
  echo "caddy did not start" >&2
  exit 1
}

# workers PID_FILE N -> the pids of that nginx's N worker processes
workers() {
  local w=""
  for _ in $(seq 50); do
    [ -s "$1" ] && w=$(pgrep -P "$(cat "$1")" | tr '\n' ' ') && [ "$(wc -w <<<"$w")" -ge "$2" ] && break
    sleep 0.1
  done
  echo "$w"
}

# peers_start: the vendor, then the peers named in $SIDES and the hyper
# floor (sides.sh); sets pid[side] (the process whose CPU is measured) and
# port[side]
peers_start() {
  vendor_start
  if has_side nginx; then
    nginx_start
    pid[nginx]=$(workers "$work/nginx.pid" "$PEER_THREADS")
    port[nginx]=$NGINX_PORT
  fi
  if has_side haproxy; then
    haproxy_start
    pid[haproxy]=$(cat "$work/haproxy.pid")
    port[haproxy]=$HAPROXY_PORT
  fi
  if has_side caddy; then
    caddy_start
    pid[caddy]=$(cat "$work/caddy.pid")
    port[caddy]=$CADDY_PORT
  fi
  has_side hyper && hyper_start
  return 0
}

peers_stop() {
  local f
  for f in nginx haproxy caddy hyper vendor; do
    [ -f "$work/$f.pid" ] && kill "$(cat "$work/$f.pid")" 2>/dev/null || true
  done
}
