# Shared by bench/run.sh and bench/stream.sh: settings, tools, building, seeding, starting and stopping the
# service. Source it (after `set -euo pipefail`); it changes to the repository root. See bench/README.md.
#
# Settings (environment), common to both scripts:
#   BENCH_SKIP_BUILD=1      reuse bench/out/sluice.jar instead of building
#   BENCH_BUILD_TRIES=10, BENCH_BUILD_WAIT_SECONDS=60   retries while the build fails
#   BENCH_SETTLE_SECONDS=600  longest wait for the service's queries to finish (settle)
#   BENCH_HTTP_PORT, BENCH_PG_PORT  override the ports of bench/conf/zz-bench.json (18080, 55439)
#
# The caller sets RUN_DIR and SERVICE_LOG (used by build, seed and start_service), and may set
# SERVICE_JVM_OPTS (default -Xmx1g), EXTRA_CONF_FILES (more *.json merged after zz-bench.json) and BASE_CONF (the
# conf/sluice.json to start from, for a jar of another commit) and SERVICE_CWD (the directory the service starts in,
# whose verticles.json it deploys).

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
cd "$ROOT"

SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
SETTLE=${BENCH_SETTLE_SECONDS:-600}
BUILD_TRIES=${BENCH_BUILD_TRIES:-10}
BUILD_WAIT=${BENCH_BUILD_WAIT_SECONDS:-60}
SCALE=medium
MIN_VIDEOS=1000000

OUT="$BENCH_DIR/out"
TS=$(date -u +%Y%m%dT%H%M%SZ)
CONF_DIR="$OUT/conf"
JAR="$OUT/sluice.jar"
SEED_MARK="$OUT/seeded-$SCALE"
VACUUM_MARK="$OUT/vacuumed-$SCALE"
mkdir -p "$OUT"

SERVICE_PID=""
OWN_PG=0   # 1 once this script has started a JVM that runs the embedded PostgreSQL of DATA_DIR (service or seed)
SERVICE_JVM_OPTS=(-Xmx1g)
EXTRA_CONF_FILES=()
LOG_TAG=${LOG_TAG:-bench}

log() { printf '[%s %s] %s\n' "$LOG_TAG" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools
need() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  log "installing $2 (for $1)"
  apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "$2" >/dev/null; } \
    || die "could not install $2"
}

# Ports, data directory and the psql command, from bench/conf/zz-bench.json (needs jq).
read_bench_conf() {
  BENCH_CONF="$BENCH_DIR/conf/zz-bench.json"
  HTTP_HOST=$(jq -r '.http.host' "$BENCH_CONF")
  HTTP_PORT=${BENCH_HTTP_PORT:-$(jq -r '.http.port' "$BENCH_CONF")}
  PG_PORT=${BENCH_PG_PORT:-$(jq -r '.database.embedded_port' "$BENCH_CONF")}
  DATA_DIR=$(jq -r '.database.data_dir' "$BENCH_CONF")
  [[ $DATA_DIR = /* ]] || DATA_DIR="$ROOT/$DATA_DIR"
  BASE="http://$HTTP_HOST:$HTTP_PORT"
  PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d sluice)
}

# ---------------------------------------------------------------- service control
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The embedded PostgreSQL is a child of the JVM; if the JVM had to be killed, stop the postmaster it left,
# by the pid in its own pid file (and only if that pid is a postgres process, and only if this script started a
# JVM on DATA_DIR: a script that stops at "port in use" must not stop the database of another run).
stop_orphan_postgres() {
  local pidfile="$DATA_DIR/postmaster.pid" pid i
  ((OWN_PG)) || return 0
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
  stop_second_service
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

start_service() {
  port_in_use "$HTTP_PORT" && die "port $HTTP_PORT is in use (another service or bench running?)"
  port_in_use "$PG_PORT" && die "port $PG_PORT is in use (another embedded PostgreSQL running?)"
  log "starting the service on $BASE (log: $SERVICE_LOG)"
  # SERVICE_CWD: where the service finds its verticles.json (another commit's, for a baseline); the data
  # directory is given absolutely, so it is the same from anywhere
  (cd "${SERVICE_CWD:-$ROOT}" && SLUICE_DATA_DIR="$DATA_DIR" exec java "${SERVICE_JVM_OPTS[@]}" -jar "$JAR") \
    >>"$SERVICE_LOG" 2>&1 &
  SERVICE_PID=$!
  OWN_PG=1
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

# A second service beside the first, on the PostgreSQL the first hosts, with lazy_loading.row_encoding set to
# `encoding` and its HTTP port at `port`, for the figures of both row encodings side by side (bench/run.sh,
# bench/stream.sh): it has the first one's configuration (prepare_conf) plus that, and its log in RUN_DIR.
# Sets SECOND_PID and SECOND_BASE; stop_service stops it too.
SECOND_PID=""
start_second_service() { # encoding port
  local encoding=$1 port=$2 conf="$RUN_DIR/conf-$1" log="$RUN_DIR/service-$1.log" i code
  port_in_use "$port" && die "port $port is in use (another service or bench running?)"
  rm -rf "$conf"
  cp -r "$CONF_DIR" "$conf"
  jq -n --arg e "$encoding" '{ lazy_loading: { row_encoding: $e } }' >"$conf/zzz-encoding.json"
  log "starting a second service with row_encoding $encoding on port $port (log: $log)"
  (cd "${SERVICE_CWD:-$ROOT}" && SLUICE_CONF_DIR="$conf" SLUICE_HTTP_PORT="$port" \
    SLUICE_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/sluice" exec java "${SERVICE_JVM_OPTS[@]}" \
    -jar "$JAR") >>"$log" 2>&1 &
  SECOND_PID=$!
  SECOND_BASE="http://$HTTP_HOST:$port"
  for ((i = 0; i < 120; i++)); do
    kill -0 "$SECOND_PID" 2>/dev/null || { tail -30 "$log" >&2; SECOND_PID=""; die "the second service exited at start"; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$SECOND_BASE/api/v1/videos?limit=1" || true)
    [[ $code == 200 ]] && { log "second service ready after ${i} s"; return 0; }
    sleep 1
  done
  die "the second service did not answer 200 within 120 s (last status $code)"
}

stop_second_service() {
  local pid=$SECOND_PID i
  [[ -n $pid ]] || return 0
  SECOND_PID=""
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
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
  cp "${BASE_CONF:-$ROOT/conf/sluice.json}" "$CONF_DIR/sluice.json"
  # sorts after sluice.json, so it wins in the merge; the ports may be overridden from the environment
  jq --argjson http "$HTTP_PORT" --argjson pg "$PG_PORT" '.http.port = $http | .database.embedded_port = $pg' \
    "$BENCH_CONF" >"$CONF_DIR/zz-bench.json"
  local extra
  for extra in "${EXTRA_CONF_FILES[@]}"; do cp "$extra" "$CONF_DIR/"; done   # name them to sort after zz-bench.json
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
  OWN_PG=1
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

# Stops the service (and any embedded PostgreSQL it left) however the script ends.
trap_cleanup() {
  cleanup() {
    local rc=$?
    stop_service
    stop_orphan_postgres
    if ((rc != 0)); then log "failed (exit $rc); service log: $SERVICE_LOG"; fi
  }
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

to_ms() { # wrk latency such as 812.00us, 1.23ms, 2.01s, 1.00m
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
    else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
    else printf "n/a" }'
}

ratio() { # a b -> a/b or n/a
  awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.3f", a / b }'
}
verdict() { # value target
  awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r + 0 >= t + 0) print "PASS"; else print "MISS" }'
}

# The machine lines of a results file: cpus, memory, java, PostgreSQL (needs PG_VERSION).
print_machine() {
  echo "machine"
  echo "  cpus (nproc):  $(nproc)   $(lscpu 2>/dev/null | awk -F': *' '/^Model name/ { print $2; exit }')"
  free -g | sed 's/^/  /'
  java -version 2>&1 | sed 's/^/  /'
  echo "  postgres:      $PG_VERSION"
}
