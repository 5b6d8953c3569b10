#!/usr/bin/env bash
# Starts Tessera's production layout as local processes, for operators without Docker and for the
# fault and load tests: nginx in front (docs/nginx.conf with local ports), Redis, two servers sharing
# live documents through it, two tilers behind nginx. Same layout as docker-compose.yml.
#
#   DATABASE_URL=postgres://... scripts/topology.sh [run-dir]
#
# Settings (environment): DATABASE_URL (required), TOPOLOGY_PORT (nginx, default 8080), TOPOLOGY_SERVERS
# and TOPOLOGY_TILERS (default 2 each), TESSERA_REDIS_URL (unset: a redis-server on a free port is
# started), TESSERA_DATA_DIR (default <run-dir>/data), TESSERA_TILER_SECRET (default: generated once
# into the run directory), and any other TESSERA_* setting, passed to every server.
# The run directory (default ./topology) receives nginx.conf, logs/, and pids/<name> and ports/<name>
# for each process (nginx, redis, server1.., tiler1..). Prints "topology ready: <url>" once every
# process answers; SIGINT or SIGTERM stops them all.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
run="$(mkdir -p "${1:-./topology}" && cd "${1:-./topology}" && pwd)"
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL every server shares}"
servers="${TOPOLOGY_SERVERS:-2}"
tilers="${TOPOLOGY_TILERS:-2}"
front="${TOPOLOGY_PORT:-8080}"
cli="$root/server/dist/cli/main.js"
[ -f "$cli" ] || { echo "topology: $cli is missing: run npm run build first" >&2; exit 1; }
mkdir -p "$run/logs" "$run/pids" "$run/ports" "$run/tmp"
chmod 777 "$run/tmp" # nginx's workers (nobody, when started as root) buffer there
export TESSERA_DATA_DIR="${TESSERA_DATA_DIR:-$run/data}"
mkdir -p "$TESSERA_DATA_DIR"
if [ -z "${TESSERA_TILER_SECRET:-}" ]; then
  [ -f "$run/tiler-secret" ] || node -e "process.stdout.write(require('crypto').randomBytes(32).toString('hex'))" >"$run/tiler-secret"
  TESSERA_TILER_SECRET="$(cat "$run/tiler-secret")"
fi
export TESSERA_TILER_SECRET DATABASE_URL

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

children=()
stop() {
  trap - INT TERM EXIT
  for pid in "${children[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap 'stop; exit 0' INT TERM
trap stop EXIT

# start <name> <port> <command...>: runs a process in the background, its output in logs/<name>.log.
start() {
  local name="$1" port="$2"
  shift 2
  "$@" >"$run/logs/$name.log" 2>&1 &
  children+=("$!")
  echo "$!" >"$run/pids/$name"
  echo "$port" >"$run/ports/$name"
}

# wait_for <name> <url>: until the URL answers 2xx (60 s), or the process has died.
wait_for() {
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$2" && return 0
    kill -0 "$(cat "$run/pids/$1")" 2>/dev/null || { echo "topology: $1 exited:" >&2; tail -20 "$run/logs/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "topology: $1 did not answer $2" >&2
  exit 1
}

if [ -z "${TESSERA_REDIS_URL:-}" ]; then
  port="$(free_port)"
  start redis "$port" redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no
  TESSERA_REDIS_URL="redis://127.0.0.1:$port"
  for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
export TESSERA_REDIS_URL

tiler_port="$(free_port)"
server_ports=()
for i in $(seq 1 "$servers"); do server_ports+=("$(free_port)"); done
tiler_ports=()
for i in $(seq 1 "$tilers"); do tiler_ports+=("$(free_port)"); done

# nginx: docs/nginx.conf with each upstream's one entry repeated for every local process.
awk -v front="$front" -v tport="$tiler_port" -v sp="${server_ports[*]}" -v tp="${tiler_ports[*]}" '
  /server server:8000/ { n = split(sp, p, " "); for (i = 1; i <= n; i++) { line = $0; sub(/server:8000/, "127.0.0.1:" p[i], line); print line }; next }
  /server tiler:8001/ { n = split(tp, p, " "); for (i = 1; i <= n; i++) { line = $0; sub(/tiler:8001/, "127.0.0.1:" p[i], line); print line }; next }
  /listen 80;/ { sub(/listen 80;/, "listen 127.0.0.1:" front ";") }
  /listen 8001;/ { sub(/listen 8001;/, "listen 127.0.0.1:" tport ";") }
  { print }
' "$root/docs/nginx.conf" >"$run/tessera.conf"
cat >"$run/nginx.conf" <<CONF
worker_processes 1;
pid $run/nginx.pid;
error_log $run/logs/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $run/tmp/body;
  proxy_temp_path $run/tmp/proxy;
  fastcgi_temp_path $run/tmp/fastcgi;
  uwsgi_temp_path $run/tmp/uwsgi;
  scgi_temp_path $run/tmp/scgi;
  include $run/tessera.conf;
}
CONF

node "$cli" migrate >"$run/logs/migrate.log" 2>&1 || { cat "$run/logs/migrate.log" >&2; exit 1; }

for i in $(seq 1 "$tilers"); do
  port="${tiler_ports[$((i - 1))]}"
  start "tiler$i" "$port" env TESSERA_TILER_HOST=127.0.0.1 TESSERA_TILER_PORT="$port" node "$root/tiler/dist/main.js"
done
for i in $(seq 1 "$servers"); do
  port="${server_ports[$((i - 1))]}"
  start "server$i" "$port" env HOST=127.0.0.1 PORT="$port" TESSERA_TILER_URL="http://127.0.0.1:$tiler_port" \
    TESSERA_TRUST_PROXY="${TESSERA_TRUST_PROXY:-true}" TESSERA_LOG_FORMAT="${TESSERA_LOG_FORMAT:-json}" \
    node "$cli" start
done
start nginx "$front" nginx -p "$run" -c "$run/nginx.conf" -g 'daemon off;'
echo "$tiler_port" >"$run/ports/tilers"

for i in $(seq 1 "$tilers"); do wait_for "tiler$i" "http://127.0.0.1:${tiler_ports[$((i - 1))]}/healthz"; done
for i in $(seq 1 "$servers"); do wait_for "server$i" "http://127.0.0.1:${server_ports[$((i - 1))]}/readyz"; done
wait_for nginx "http://127.0.0.1:$front/readyz"
echo "topology ready: http://127.0.0.1:$front/"
# Runs until stopped; a process that dies is left dead (the fault tests kill them on purpose).
while :; do sleep 1; done
