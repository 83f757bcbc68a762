#!/usr/bin/env bash
# Sluice benchmark, one command: bench/run.sh   (see bench/README.md)
#
# Builds the jar, seeds the embedded PostgreSQL at scale "medium" once (kept in bench/out/pgdata),
# starts the service on 127.0.0.1, measures six gateway scenarios with wrk and the first-page SQL
# with pgbench, prints a table and the ratios against their targets, writes them to
# bench/out/results-<timestamp>.txt, and stops the service (also on failure).
#
# Settings (environment):
#   BENCH_SECONDS=10        measured seconds per scenario (wrk -d, pgbench -T)
#   BENCH_CONNECTIONS=16    connections (wrk -c, pgbench -c)
#   BENCH_THREADS=2         wrk -t and pgbench -j
#   BENCH_WARMUP_SECONDS=3  warm-up before each measurement
#   BENCH_HTTP_PORT, BENCH_PG_PORT  override the ports of bench/conf/zz-bench.json (18080, 55439)
#   BENCH_SETTLE_SECONDS=600  longest wait for the service's queries of a scenario to finish before the next
#   BENCH_SKIP_BUILD=1      reuse bench/out/sluice.jar instead of building
#   BENCH_BUILD_TRIES=10, BENCH_BUILD_WAIT_SECONDS=60   retries while the build fails
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
cd "$ROOT"

DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP_SECONDS:-3}
SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
SETTLE=${BENCH_SETTLE_SECONDS:-600}
WRK_TIMEOUT=60s   # wrk's default (2 s) would drop slow replies instead of timing them
BUILD_TRIES=${BENCH_BUILD_TRIES:-10}
BUILD_WAIT=${BENCH_BUILD_WAIT_SECONDS:-60}
SCALE=medium
MIN_VIDEOS=1000000
WALK_LIMIT=1000
WALK_STEPS=900
MAX_POPULAR_PAGE=9000
PER_PAGE=100

OUT="$BENCH_DIR/out"
TS=$(date -u +%Y%m%dT%H%M%SZ)
RUN_DIR="$OUT/run-$TS"
RESULTS="$OUT/results-$TS.txt"
SERVICE_LOG="$RUN_DIR/service.log"
CONF_DIR="$OUT/conf"
JAR="$OUT/sluice.jar"
SEED_MARK="$OUT/seeded-$SCALE"
VACUUM_MARK="$OUT/vacuumed-$SCALE"
mkdir -p "$OUT" "$RUN_DIR"

SERVICE_PID=""
declare -A RPS=() P50=() P99=() ITEMS=() BYTES=() FIRST=() NOTE=() LABEL=() URLS=()
PROBLEMS=()

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools
need() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (for $1)"
  apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null; } \
    || die "could not install $2"
}
need wrk wrk
need jq jq
need curl curl
need psql postgresql-client
need pgbench postgresql-client
command -v python3 >/dev/null || die "python3 is needed"
command -v java >/dev/null || die "java 17 is needed"

BENCH_CONF="$BENCH_DIR/conf/zz-bench.json"
HTTP_HOST=$(jq -r '.http.host' "$BENCH_CONF")
HTTP_PORT=${BENCH_HTTP_PORT:-$(jq -r '.http.port' "$BENCH_CONF")}
PG_PORT=${BENCH_PG_PORT:-$(jq -r '.database.embedded_port' "$BENCH_CONF")}
DATA_DIR=$(jq -r '.database.data_dir' "$BENCH_CONF")
[[ $DATA_DIR = /* ]] || DATA_DIR="$ROOT/$DATA_DIR"
BASE="http://$HTTP_HOST:$HTTP_PORT"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d sluice)

# ---------------------------------------------------------------- service control
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The embedded PostgreSQL is a child of the JVM; if the JVM had to be killed, stop the postmaster it left,
# by the pid in its own pid file (and only if that pid is a postgres process).
stop_orphan_postgres() {
  local pidfile="$DATA_DIR/postmaster.pid" pid i
  [[ -f $pidfile ]] || return 0
  pid=$(head -1 "$pidfile" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  if kill -0 "$pid" 2>/dev/null && grep -q postgres "/proc/$pid/cmdline" 2>/dev/null; then
    log "stopping the embedded PostgreSQL left running (pid $pid)"
    kill -INT "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
}

stop_service() {
  local pid=$SERVICE_PID i
  [[ -n $pid ]] || return 0
  SERVICE_PID=""
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping the service (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "the service did not stop in 60 s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  stop_orphan_postgres
}

cleanup() {
  local rc=$?
  stop_service
  stop_orphan_postgres
  if ((rc != 0)); then log "failed (exit $rc); service log: $SERVICE_LOG"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_service() {
  port_in_use "$HTTP_PORT" && die "port $HTTP_PORT is in use (another service or bench running?)"
  port_in_use "$PG_PORT" && die "port $PG_PORT is in use (another embedded PostgreSQL running?)"
  log "starting the service on $BASE (log: $SERVICE_LOG)"
  java -Xmx1g -jar "$JAR" >>"$SERVICE_LOG" 2>&1 &
  SERVICE_PID=$!
  local i code
  for ((i = 0; i < 120; i++)); do
    kill -0 "$SERVICE_PID" 2>/dev/null || { tail -30 "$SERVICE_LOG" >&2; SERVICE_PID=""; die "the service exited at start"; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$BASE/api/v1/videos?limit=1" || true)
    [[ $code == 200 ]] && { log "service ready after ${i} s"; return 0; }
    sleep 1
  done
  tail -30 "$SERVICE_LOG" >&2
  die "the service did not answer 200 on /api/v1/videos?limit=1 within 120 s (last status $code)"
}

# ---------------------------------------------------------------- build
build() {
  local i
  if [[ $SKIP_BUILD == 1 && -s $JAR ]]; then log "BENCH_SKIP_BUILD=1: using $JAR"; return 0; fi
  for ((i = 1; i <= BUILD_TRIES; i++)); do
    log "building target/sluice.jar (try $i/$BUILD_TRIES)"
    if ./mvnw -q -B -DskipTests package >"$RUN_DIR/build.log" 2>&1 && cp target/sluice.jar "$JAR.tmp" 2>/dev/null; then
      mv "$JAR.tmp" "$JAR"   # a private copy: a concurrent 'mvn clean' cannot pull it away mid-run
      return 0
    fi
    tail -15 "$RUN_DIR/build.log" >&2 || true
    ((i < BUILD_TRIES)) && { log "build failed; retrying in $BUILD_WAIT s"; sleep "$BUILD_WAIT"; }
  done
  die "the build failed $BUILD_TRIES times; see $RUN_DIR/build.log"
}

# ---------------------------------------------------------------- configuration
prepare_conf() {
  rm -rf "$CONF_DIR"
  mkdir -p "$CONF_DIR"
  cp "$ROOT/conf/sluice.json" "$CONF_DIR/sluice.json"
  # sorts after sluice.json, so it wins in the merge; the ports may be overridden from the environment
  jq --argjson http "$HTTP_PORT" --argjson pg "$PG_PORT" '.http.port = $http | .database.embedded_port = $pg' \
    "$BENCH_CONF" >"$CONF_DIR/zz-bench.json"
  export SLUICE_CONF_DIR="$CONF_DIR"
  export SLUICE_SEED_SCALE=none
  SLUICE_CURSOR_SECRET=$(head -c 32 /dev/urandom | base64)
  export SLUICE_CURSOR_SECRET
  unset SLUICE_DATABASE_URL SLUICE_DATA_DIR SLUICE_HTTP_PORT SLUICE_HTTP_HOST
}

# ---------------------------------------------------------------- data
seed() {
  rm -f "$SEED_MARK" "$VACUUM_MARK"
  port_in_use "$PG_PORT" && die "port $PG_PORT is in use"
  log "seeding scale $SCALE into $DATA_DIR (several minutes; log: $RUN_DIR/seed.log)"
  local t0=$SECONDS
  if ! java -Xmx1g -jar "$JAR" seed --scale "$SCALE" >"$RUN_DIR/seed.log" 2>&1; then
    tail -30 "$RUN_DIR/seed.log" >&2
    stop_orphan_postgres
    die "seeding failed; see $RUN_DIR/seed.log"
  fi
  stop_orphan_postgres
  local took=$((SECONDS - t0))
  echo "seeded scale $SCALE on $(date -u +%FT%TZ) in $took s (java -jar sluice.jar seed --scale $SCALE)" >"$SEED_MARK"
  log "seeded in $took s"
}

ensure_data() {
  local n
  n=$("${PSQL[@]}" -Atc "SELECT count(*) FROM videos")
  if ((n < MIN_VIDEOS)); then
    log "videos has $n rows (< $MIN_VIDEOS): (re)seeding"
    stop_service
    seed
    start_service
  fi
  if [[ ! -f $VACUUM_MARK ]]; then
    log "VACUUM ANALYZE (once after seeding: index-only scans need the visibility map)"
    local t0=$SECONDS
    "${PSQL[@]}" -c "VACUUM ANALYZE"
    echo "VACUUM ANALYZE on $(date -u +%FT%TZ) in $((SECONDS - t0)) s" >"$VACUUM_MARK"
    log "vacuumed in $((SECONDS - t0)) s"
  fi
}

# ---------------------------------------------------------------- measuring
to_ms() { # wrk latency such as 812.00us, 1.23ms, 2.01s, 1.00m
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else printf "n/a" }'
}

# Waits until the service runs no query (its connections are all idle for 2 s in a row): a request that wrk
# gave up on keeps its query running in the service, and would load the next measurement.
settle() {
  local t0=$SECONDS busy quiet=0
  while ((SECONDS - t0 < SETTLE)); do
    busy=$("${PSQL[@]}" -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = 'sluice'
      AND pid <> pg_backend_pid() AND backend_type IN ('client backend', 'parallel worker') AND state <> 'idle'")
    if ((busy == 0)); then
      ((++quiet >= 2)) && break
    else
      quiet=0
    fi
    sleep 1
  done
  if ((quiet < 2)); then
    log "the service still runs $busy queries after $SETTLE s; measuring anyway"
    SETTLE_NOTE="still busy after ${SETTLE}s"
  elif ((SECONDS - t0 > 3)); then
    log "waited $((SECONDS - t0)) s for the service's queries to finish"
    SETTLE_NOTE="waited $((SECONDS - t0))s for leftover queries"
  else
    SETTLE_NOTE=""
  fi
}

scenario() { # key label path
  local key=$1 label=$2 url="$BASE$3" probe="$RUN_DIR/probe-$1.json" w="$RUN_DIR/wrk-$1.txt" status
  LABEL[$key]=$label
  URLS[$key]=$url
  settle
  log "$key. $label: probing $url"
  status=$(curl -s -o "$probe" -w '%{http_code} %{size_download} %{time_total}' --max-time 300 "$url" || echo "000 0 0")
  read -r code size took <<<"$status"
  if [[ $code != 200 ]]; then
    NOTE[$key]="HTTP $code"
    PROBLEMS+=("$key ($label): GET $url -> HTTP $code after ${took}s: $(head -c 600 "$probe" 2>/dev/null | tr '\n' ' ' || true)")
    log "$key: HTTP $code; not measured"
    return 0
  fi
  ITEMS[$key]=$(jq -r 'if (.data | type) == "array" then (.data | length) else (.count // "?") end' "$probe" 2>/dev/null || echo "?")
  BYTES[$key]=$size
  FIRST[$key]=$(awk -v t="$took" 'BEGIN { printf "%.1f", t * 1000 }')
  log "$key: first request ${took}s, $size bytes, ${ITEMS[$key]} items; warm-up ${WARMUP}s"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout "$WRK_TIMEOUT" "$url" >/dev/null
  settle
  [[ -n $SETTLE_NOTE ]] && NOTE[$key]="after warm-up: $SETTLE_NOTE"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout "$WRK_TIMEOUT" --latency "$url" >"$w"
  RPS[$key]=$(awk '/^Requests\/sec:/ { print $2 }' "$w")
  local done_requests
  done_requests=$(awk '/requests in/ { print $1; exit }' "$w")
  if [[ $done_requests == 0 ]]; then
    P50[$key]="n/a"; P99[$key]="n/a"
    NOTE[$key]="${NOTE[$key]:+${NOTE[$key]}; }no reply finished within the ${DURATION}s run"
  else
    P50[$key]=$(to_ms "$(awk '/Latency Distribution/ { d = 1 } d && $1 == "50%" { print $2; exit }' "$w")")
    P99[$key]=$(to_ms "$(awk '/Latency Distribution/ { d = 1 } d && $1 == "99%" { print $2; exit }' "$w")")
  fi
  local non2xx errors
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$w")
  errors=$(awk '/Socket errors/ { sub(/^ *Socket errors: */, ""); print }' "$w")
  [[ -n $non2xx ]] && { NOTE[$key]="non-2xx: $non2xx"; PROBLEMS+=("$key ($label): $non2xx non-2xx replies under load (wrk output: $w)"); }
  [[ -n $errors ]] && NOTE[$key]="${NOTE[$key]:+${NOTE[$key]}; }socket errors: $errors"
  log "$key: ${RPS[$key]} req/s, p50 ${P50[$key]} ms, p99 ${P99[$key]} ms ${NOTE[$key]:-}"
}

pgbench_first_page() {
  local dir="$RUN_DIR/pgbench" out="$RUN_DIR/pgbench.txt"
  mkdir -p "$dir"
  local cmd=(pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j "$THREADS")
  settle
  [[ -n $SETTLE_NOTE ]] && PG_NOTE="$SETTLE_NOTE; "
  log "pgbench: warm-up ${WARMUP}s, then ${DURATION}s"
  "${cmd[@]}" -T "$WARMUP" -f "$BENCH_DIR/first_page.sql" sluice >/dev/null 2>&1
  (cd "$dir" && "${cmd[@]}" -T "$DURATION" -l --log-prefix=tx -f "$BENCH_DIR/first_page.sql" sluice) >"$out" 2>&1 \
    || { cat "$out" >&2; die "pgbench failed"; }
  PG_TPS=$(awk '/^tps = / { printf "%.2f", $3; exit }' "$out")
  PG_CMD="${cmd[*]} -T $DURATION -f bench/first_page.sql sluice"
  # per-transaction log: column 3 is the latency in microseconds
  read -r PG_P50 PG_P99 PG_N < <(cat "$dir"/tx.* | awk '{ print $3 }' | sort -n | awk '
    { v[NR] = $1 }
    END { i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
          printf "%.2f %.2f %d\n", v[i50] / 1000, v[i99] / 1000, NR }')
  log "pgbench: $PG_TPS tps, p50 $PG_P50 ms, p99 $PG_P99 ms ($PG_N transactions)"
}

ratio() { # a b -> a/b or n/a
  awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.3f", a / b }'
}
verdict() { # value target
  awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r + 0 >= t + 0) print "PASS"; else print "MISS" }'
}

# ================================================================= the run
START=$SECONDS
log "results will go to $RESULTS; run files in $RUN_DIR"
build
prepare_conf
if [[ ! -f $SEED_MARK ]]; then seed; fi
start_service
ensure_data

PG_VERSION=$("${PSQL[@]}" -Atc "SELECT version()")
COUNTS=$("${PSQL[@]}" -Atc "SELECT format('users %s (active %s), videos %s, video_events %s',
  (SELECT count(*) FROM users), (SELECT count(*) FROM users WHERE is_active),
  (SELECT count(*) FROM videos), (SELECT count(*) FROM video_events))" 2>/dev/null || echo "n/a")

# (b) walk 900 pages of 1000 to a cursor 900,000 rows deep
log "walking $WALK_STEPS cursor pages of $WALK_LIMIT for the deep cursor"
DEEP_CURSOR=""
if DEEP_CURSOR=$(python3 "$BENCH_DIR/walk_cursor.py" "$BASE" /api/v1/videos "$WALK_LIMIT" "$WALK_STEPS" 2>"$RUN_DIR/walk.log"); then
  WALK_SUMMARY=$(tail -1 "$RUN_DIR/walk.log")
else
  WALK_SUMMARY="walk failed: $(tail -3 "$RUN_DIR/walk.log" | tr '\n' ' ')"
  DEEP_CURSOR=""
fi
log "$WALK_SUMMARY"
DEEP_CURSOR_Q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$DEEP_CURSOR")

# (c) the deepest full page of the popular listing, up to page 9000
READY=$("${PSQL[@]}" -Atc "SELECT count(*) FROM videos WHERE status = 'ready' AND created_at >= now() - interval '365 days'")
POPULAR_PAGE=$((READY / PER_PAGE))
((POPULAR_PAGE > MAX_POPULAR_PAGE)) && POPULAR_PAGE=$MAX_POPULAR_PAGE
((POPULAR_PAGE < 1)) && POPULAR_PAGE=1
POPULAR_OFFSET=$(((POPULAR_PAGE - 1) * PER_PAGE))
log "popular listing: $READY ready videos of the last 365 days -> page $POPULAR_PAGE (OFFSET $POPULAR_OFFSET)"

TODAY=$(date -u +%F)
YESTERDAY=$(date -u -d yesterday +%F)

scenario a "first cursor page" "/api/v1/videos?limit=100"
if [[ -n $DEEP_CURSOR ]]; then
  scenario b "cursor page 900,000 deep" "/api/v1/videos?limit=100&cursor=$DEEP_CURSOR_Q"
else
  LABEL[b]="cursor page 900,000 deep"; NOTE[b]="no cursor (walk failed)"
  PROBLEMS+=("b: $WALK_SUMMARY")
fi
# c last: its deep OFFSET requests are slow and leave queries running after wrk stops (see settle)
scenario d "virtual scroll at 0" "/api/v1/users/range?start_index=0&end_index=100"
scenario e "virtual scroll at 900,000" "/api/v1/users/range?start_index=900000&end_index=900100"
scenario f "analytics 1 day, 1h buckets" "/api/v1/analytics/platform?start_date=$YESTERDAY&end_date=$TODAY&bucket=1h"
scenario c "offset page $POPULAR_PAGE (OFFSET $POPULAR_OFFSET)" "/api/v1/videos/popular?days=365&per_page=$PER_PAGE&page=$POPULAR_PAGE"
pgbench_first_page

stop_service

R_CURSOR=$(ratio "${RPS[b]:-}" "${RPS[a]:-}")
R_SCROLL=$(ratio "${RPS[e]:-}" "${RPS[d]:-}")
R_PG=$(ratio "${RPS[a]:-}" "${PG_TPS:-}")

# ---------------------------------------------------------------- report
{
  echo "Sluice benchmark  $(date -u '+%F %T UTC')"
  echo "command: bench/run.sh   (BENCH_SECONDS=$DURATION BENCH_CONNECTIONS=$CONNECTIONS BENCH_THREADS=$THREADS BENCH_WARMUP_SECONDS=$WARMUP)"
  echo "load: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, after a ${WARMUP}s warm-up; all on 127.0.0.1"
  echo
  echo "machine"
  echo "  cpus (nproc):  $(nproc)   $(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')"
  free -g | sed 's/^/  /'
  java -version 2>&1 | sed 's/^/  /'
  echo "  postgres:      $PG_VERSION"
  echo "  clients:       $(psql --version), $(pgbench --version), $(wrk -v 2>&1 | awk 'NR == 1 { print $1, $2 }')"
  echo "  jar:           sha256 $(sha256sum "$JAR" | cut -c1-16)…, built $(date -u -r "$JAR" '+%F %T UTC')"
  echo "  data:          scale $SCALE: $COUNTS"
  echo "  seed:          $(cat "$SEED_MARK" 2>/dev/null || echo n/a)"
  echo "  vacuum:        $(cat "$VACUUM_MARK" 2>/dev/null || echo n/a)"
  echo "  cursor walk:   $WALK_SUMMARY"
  echo "  popular:       $READY ready videos in the last 365 days -> page $POPULAR_PAGE, per_page $PER_PAGE, OFFSET $POPULAR_OFFSET"
  echo
  printf '%-3s %-36s %10s %9s %9s %10s %6s %8s  %s\n' "" scenario "req/s" "p50 ms" "p99 ms" "1st req ms" items bytes note
  for k in a b c d e f; do
    printf '%-3s %-36s %10s %9s %9s %10s %6s %8s  %s\n' "$k" "${LABEL[$k]:-}" "${RPS[$k]:--}" "${P50[$k]:--}" \
      "${P99[$k]:--}" "${FIRST[$k]:--}" "${ITEMS[$k]:--}" "${BYTES[$k]:--}" "${NOTE[$k]:-}"
  done
  printf '%-3s %-36s %10s %9s %9s %10s %6s %8s  %s\n' "pg" "pgbench, SQL of (a) (tps)" "${PG_TPS:--}" "${PG_P50:--}" \
    "${PG_P99:--}" - 101 - "${PG_NOTE:-}$PG_N transactions"
  echo
  echo "  a  GET ${URLS[a]:-}"
  echo "  b  GET $BASE/api/v1/videos?limit=100&cursor=<cursor after $WALK_STEPS x $WALK_LIMIT rows>"
  for k in c d e f; do echo "  $k  GET ${URLS[$k]:-}"; done
  echo "  pg $PG_CMD"
  echo "  (req/s, p50, p99: wrk over ${DURATION}s with $CONNECTIONS connections; 1st req: the single request before the"
  echo "   warm-up, on an idle service; items, bytes: of that reply; c ran last, after f)"
  echo
  echo "ratios                                        value   target"
  printf '  %-42s %6s   >= 0.9  %s\n' "deep cursor page / first cursor page (b/a)" "$R_CURSOR" "$(verdict "$R_CURSOR" 0.9)"
  printf '  %-42s %6s   >= 0.8  %s\n' "deep scroll window / first window (e/d)" "$R_SCROLL" "$(verdict "$R_SCROLL" 0.8)"
  printf '  %-42s %6s   >= 0.4  %s\n' "gateway first page / pgbench (a/pg)" "$R_PG" "$(verdict "$R_PG" 0.4)"
  if ((${#PROBLEMS[@]})); then
    echo
    echo "problems"
    for p in "${PROBLEMS[@]}"; do echo "  - $p"; done
  fi
  echo
  echo "run took $((SECONDS - START)) s; raw outputs in ${RUN_DIR#"$ROOT"/}"
} | tee "$RESULTS"
