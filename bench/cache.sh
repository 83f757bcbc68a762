#!/usr/bin/env bash
# Sluice cache benchmark, one command: bench/cache.sh   (see bench/README.md, "Cache benchmark")
#
# On the medium data set (seeded once, as bench/run.sh does), in one run:
#   A  cache on:           a cached page (users, stored plain; videos, stored gzip'd, to a gzip and to a plain client),
#                          a 304 revalidation, and a fixed in-memory reply of the same size from the same server
#   B  cache off:          the same users page uncached; 200 concurrent single-video loads, batching on
#   C  cache off:          200 concurrent single-video loads, batching off
#   D  the commit before the cache issue (BENCH_BASELINE_REV): the same users page, for "uncached no slower"
# then prints requests/s and p99 of each, the ratios against their targets, and writes them to
# bench/out/cache-<timestamp>.txt.
#
# Settings (environment): BENCH_SECONDS=10, BENCH_WARMUP_SECONDS=3, BENCH_CONNECTIONS=16 (pages),
#   BENCH_ITEM_CONNECTIONS=200 (single items), BENCH_THREADS=2, BENCH_BASELINE_REV=f332ead, BENCH_CACHE_ROUNDS=3 (cached vs fixed),
#   BENCH_ROUNDS=5 (the side-by-side pairs),
#   BENCH_SIDE_SECONDS=5 (each measured run of the side-by-side rounds; the deep scroll gets twice that),
#   BENCH_JIT_WARMUP_SECONDS=10 (load on each scenario of each service before the rounds),
#   BENCH_SKIP_BUILD=1, BENCH_HTTP_PORT, BENCH_PG_PORT (as bench/run.sh)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

DURATION=${BENCH_SECONDS:-10}
WARMUP=${BENCH_WARMUP_SECONDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
ITEM_CONNECTIONS=${BENCH_ITEM_CONNECTIONS:-200}
THREADS=${BENCH_THREADS:-2}
BASELINE_REV=${BENCH_BASELINE_REV:-f332ead}
CACHE_ROUNDS=${BENCH_CACHE_ROUNDS:-3}
ROUNDS=${BENCH_ROUNDS:-5}
SIDE_SECONDS=${BENCH_SIDE_SECONDS:-5}
JIT_WARMUP=${BENCH_JIT_WARMUP_SECONDS:-10}
LOG_TAG=cache

RUN_DIR="$OUT/cache-run-$TS"
RESULTS="$OUT/cache-$TS.txt"
SERVICE_LOG="$RUN_DIR/service.log"
mkdir -p "$RUN_DIR"
CURRENT_JAR="$JAR"
CLASSPATH_FILE="$OUT/test-classpath.txt"
BASELINE_JAR="$OUT/sluice-$BASELINE_REV.jar"
BASELINE_CONF="$OUT/sluice-$BASELINE_REV.conf.json"
BASELINE_CWD="$OUT/baseline-$BASELINE_REV"   # holds the baseline's verticles.json
IDS_FILE="$OUT/video-ids.txt"

declare -A RPS=() P99=() BYTES=() NOTE=() LABEL=() QUERIES=() REQUESTS=()
ORDER=()

need wrk wrk
need jq jq
need curl curl
need psql postgresql-client
command -v java >/dev/null || die "java 17 is needed"
read_bench_conf

trap_cleanup
trap 'rc=$?; stop_extras; (exit $rc); cleanup' EXIT

# measure key label connections url-or-path [wrk options…]: a warm-up, then the measured run.
measure() {
  local key=$1 label=$2 conns=$3 target=$4
  local w="$RUN_DIR/wrk-$key.txt"
  shift 4
  local url=$target
  [[ $url == http* ]] || url="$BASE$target"
  ORDER+=("$key")
  LABEL[$key]=$label
  settle
  log "$key: $label (warm-up ${WARMUP}s, then ${DURATION}s, $conns connections)"
  wrk -t"$THREADS" -c"$conns" -d"${WARMUP}s" --timeout 30s "$@" "$url" >/dev/null
  settle
  if [[ $key == items-* ]]; then "${PSQL[@]}" -Atc "SELECT pg_stat_statements_reset()" >/dev/null; fi
  wrk -t"$THREADS" -c"$conns" -d"${MEASURE_SECONDS:-$DURATION}s" --timeout 30s --latency "$@" "$url" >"$w"
  RPS[$key]=$(awk '/^Requests\/sec:/ { print $2 }' "$w")
  P99[$key]=$(to_ms "$(awk '/Latency Distribution/ { d = 1 } d && $1 == "99%" { print $2; exit }' "$w")")
  REQUESTS[$key]=$(awk '/requests in/ { print $1; exit }' "$w")
  local non2xx errors
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$w")
  errors=$(awk '/Socket errors/ { sub(/^ *Socket errors: */, ""); print }' "$w")
  [[ -n $non2xx && $key != revalidate ]] && NOTE[$key]="non-2xx/3xx: $non2xx"
  [[ -n $errors ]] && NOTE[$key]="${NOTE[$key]:+${NOTE[$key]}; }socket errors: $errors"
  if [[ $key == items-* ]]; then
    QUERIES[$key]=$("${PSQL[@]}" -Atc "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements
      WHERE query LIKE '%FROM public.videos d%' AND query LIKE '%= ANY(%'")
  fi
  log "$key: ${RPS[$key]} req/s, p99 ${P99[$key]} ms ${NOTE[$key]:-}"
}

median() { # numbers (n/a ignored) -> their median
  printf '%s\n' "$@" | grep -v '^n/a$' | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A body's size in bytes as a client with these curl options gets it (compressed if it asked so).
size_of() {
  local path=$1
  shift
  curl -s -o /dev/null -w '%{size_download}' "$@" "$BASE$path"
}

phase() { # name conf-json: restarts the service with these settings over the defaults
  local name=$1 json=$2
  local file="$RUN_DIR/zz-zz-$name.json"
  stop_service
  echo "$json" >"$file"
  EXTRA_CONF_FILES=("$file")
  prepare_conf
  log "phase $name: $json"
  start_service
}

EXTRA_PIDS=()

# start_extra name jar port base-conf cwd json: another service on the same database, beside the main one
start_extra() {
  local name=$1 jar=$2 port=$3 base=$4 cwd=$5 json=$6
  local conf="$RUN_DIR/conf-$name" log="$RUN_DIR/service-$name.log" i code
  port_in_use "$port" && die "port $port is in use"
  rm -rf "$conf"; mkdir -p "$conf"
  cp "$base" "$conf/sluice.json"
  jq --argjson http "$port" '.http.port = $http' "$BENCH_CONF" >"$conf/zz-bench.json"
  echo "$json" >"$conf/zz-zz-$name.json"
  log "starting service $name ($(basename "$jar")) on :$port beside the first, on its database: $json"
  (cd "$cwd" && SLUICE_CONF_DIR="$conf" SLUICE_HTTP_PORT="$port" \
    SLUICE_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/sluice" exec java "${SERVICE_JVM_OPTS[@]}" -jar "$jar") \
    >>"$log" 2>&1 &
  EXTRA_PIDS+=($!)
  for ((i = 0; i < 120; i++)); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://$HTTP_HOST:$port/api/v1/videos?limit=1" || true)
    [[ $code == 200 ]] && return 0
    sleep 1
  done
  tail -20 "$log" >&2
  die "service $name did not answer on :$port"
}

stop_extras() {
  local pid
  for pid in "${EXTRA_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${EXTRA_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  EXTRA_PIDS=()
}

build_baseline() {
  # the baseline reads its own configuration: its records may not know this commit's keys or values
  git -C "$ROOT" show "$BASELINE_REV:conf/sluice.json" >"$BASELINE_CONF"
  mkdir -p "$BASELINE_CWD"
  git -C "$ROOT" show "$BASELINE_REV:verticles.json" >"$BASELINE_CWD/verticles.json"
  if [[ -s $BASELINE_JAR ]]; then log "baseline jar: $BASELINE_JAR"; return 0; fi
  local src="$OUT/baseline-src"
  log "building the baseline ($BASELINE_REV) in $src"
  rm -rf "$src"
  git -C "$ROOT" worktree prune
  git -C "$ROOT" worktree add --detach "$src" "$BASELINE_REV" >"$RUN_DIR/baseline-build.log" 2>&1
  (cd "$src" && ./mvnw -q -B -DskipTests package) >>"$RUN_DIR/baseline-build.log" 2>&1 \
    || { tail -20 "$RUN_DIR/baseline-build.log" >&2; die "the baseline did not build"; }
  cp "$src/target/sluice.jar" "$BASELINE_JAR"
  git -C "$ROOT" worktree remove --force "$src"
}

# ================================================================= the run
START=$SECONDS
build
if [[ $SKIP_BUILD != 1 || ! -s $CLASSPATH_FILE || ! -d target/test-classes ]]; then
  log "building the test classes (ItemsBench) and their classpath"
  ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test \
    >"$RUN_DIR/test-build.log" 2>&1 || { tail -20 "$RUN_DIR/test-build.log" >&2; die "the test classes did not build"; }
fi
build_baseline
prepare_conf
if [[ ! -f $SEED_MARK ]]; then seed; fi
start_service
ensure_data
PG_VERSION=$("${PSQL[@]}" -Atc "SELECT version()")
if [[ ! -s $IDS_FILE ]]; then
  log "choosing 100,000 video ids at random ($IDS_FILE)"
  "${PSQL[@]}" -Atc "SELECT id FROM videos ORDER BY random() LIMIT 100000" >"$IDS_FILE"
fi
export BENCH_IDS="$IDS_FILE"

USERS=/api/v1/users?limit=100
VIDEOS=/api/v1/videos?limit=100

phase cache-on '{"http": {"benchmark_reply_bytes": 262144}}'
curl -s -o /dev/null "$BASE$USERS"; curl -s -o /dev/null "$BASE$VIDEOS"
USERS_BYTES=$(size_of "$USERS")
VIDEOS_GZIP_BYTES=$(size_of "$VIDEOS" -H 'Accept-Encoding: gzip')
VIDEOS_BYTES=$(size_of "$VIDEOS")
ETAG=$(curl -s -D - -o /dev/null "$BASE$USERS" | awk -F': ' 'tolower($1) == "etag" { sub(/\r$/, "", $2); print $2 }')
BYTES[revalidate]=0; BYTES[cached-plain]=$VIDEOS_BYTES
for ((round = 1; round <= CACHE_ROUNDS; round++)); do
  R=$round
  BYTES[cached-$R]=$USERS_BYTES; BYTES[fixed-$R]=$USERS_BYTES
  BYTES[cached-gzip-$R]=$VIDEOS_GZIP_BYTES; BYTES[fixed-gzip-$R]=$VIDEOS_GZIP_BYTES
  measure "fixed-$R" "round $R: fixed in-memory reply, $USERS_BYTES bytes (the ceiling)" "$CONNECTIONS" \
    "/bench/fixed?bytes=$USERS_BYTES"
  measure "cached-$R" "round $R: cached page $USERS (users: stored plain)" "$CONNECTIONS" "$USERS"
  measure "fixed-gzip-$R" "round $R: fixed in-memory reply, $VIDEOS_GZIP_BYTES bytes (the ceiling)" "$CONNECTIONS" \
    "/bench/fixed?bytes=$VIDEOS_GZIP_BYTES"
  measure "cached-gzip-$R" "round $R: cached page $VIDEOS to a gzip client (stored gzip'd, sent as is)" \
    "$CONNECTIONS" "$VIDEOS" -H 'Accept-Encoding: gzip'
done
measure revalidate "304 revalidation of $USERS (If-None-Match)" "$CONNECTIONS" "$USERS" -H "If-None-Match: $ETAG"
measure cached-plain "cached page $VIDEOS to a plain client (gunzip per request)" "$CONNECTIONS" "$VIDEOS"
curl -s "$BASE/api/v1/stats" >"$RUN_DIR/stats-cache-on.json"

# The pairs whose ratio has a target run side by side: three services at once on one database (the first owns the
# embedded PostgreSQL, the others connect to it), measured in turn, a short run each, round after round, so a slow
# minute of the shared machine falls on both sides of a ratio. Each ratio is the median of the rounds' ratios.
#   A  this commit, cache off (batching on), :HTTP_PORT     B  this commit, cache off, batching off, :HTTP_PORT+1
#   C  BENCH_BASELINE_REV (before the cache issue), :HTTP_PORT+2
SCROLL='/api/v1/users/range?start_index=900000&end_index=900100'
phase side-by-side '{"lazy_loading": {"enable_caching": false}, "limits": {"scroll_checkpoint_ttl_seconds": 5}}'
PORT_B=$((HTTP_PORT + 1))
PORT_C=$((HTTP_PORT + 2))
start_extra B "$CURRENT_JAR" "$PORT_B" "$ROOT/conf/sluice.json" "$ROOT" \
  '{"lazy_loading": {"enable_caching": false}, "items": {"batching": false}}'
start_extra C "$BASELINE_JAR" "$PORT_C" "$BASELINE_CONF" "$BASELINE_CWD" '{"lazy_loading": {"enable_caching": false}, "limits": {"scroll_checkpoint_ttl_seconds": 5}}'
A_URL=$BASE
B_URL="http://$HTTP_HOST:$PORT_B"
C_URL="http://$HTTP_HOST:$PORT_C"
UNCACHED_BYTES=$(size_of "$USERS")
for url in "$A_URL" "$C_URL"; do curl -s -o /dev/null "$url$SCROLL"; done   # lays each one's checkpoints
SCROLL_BYTES=$(size_of "$SCROLL")
# three JVMs that just started: let the JIT compile each one's paths before anything is measured
log "warming each service up on its scenarios (${JIT_WARMUP}s each)"
for target in "$A_URL$USERS" "$C_URL$USERS" "$A_URL$VIDEOS" "$C_URL$VIDEOS" "$A_URL$SCROLL" "$C_URL$SCROLL"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${JIT_WARMUP}s" --timeout 30s "$target" >/dev/null
done
for target in "$A_URL" "$B_URL"; do
  wrk -t"$THREADS" -c"$ITEM_CONNECTIONS" -d"${JIT_WARMUP}s" --timeout 30s -s "$BENCH_DIR/items.lua" "$target" >/dev/null
done
for ((round = 1; round <= ROUNDS; round++)); do
  R=$round
  BYTES[uncached-$R]=$UNCACHED_BYTES; BYTES[uncached-before-$R]=$UNCACHED_BYTES
  BYTES[uncached-videos-$R]=$VIDEOS_BYTES; BYTES[uncached-videos-before-$R]=$VIDEOS_BYTES
  BYTES[scroll-$R]=$SCROLL_BYTES; BYTES[scroll-before-$R]=$SCROLL_BYTES
  MEASURE_SECONDS=$SIDE_SECONDS measure "uncached-$R" "round $R: $USERS uncached (A: cache off)" "$CONNECTIONS" \
    "$A_URL$USERS"
  MEASURE_SECONDS=$SIDE_SECONDS measure "uncached-before-$R" "round $R: the same page on $BASELINE_REV (C)" \
    "$CONNECTIONS" "$C_URL$USERS"
  MEASURE_SECONDS=$SIDE_SECONDS measure "uncached-videos-$R" "round $R: $VIDEOS uncached (A: cache off; a family stored gzip'd)" \
    "$CONNECTIONS" "$A_URL$VIDEOS"
  MEASURE_SECONDS=$SIDE_SECONDS measure "uncached-videos-before-$R" "round $R: the same page on $BASELINE_REV (C)" \
    "$CONNECTIONS" "$C_URL$VIDEOS"
  MEASURE_SECONDS=$SIDE_SECONDS measure "items-batched-$R" "round $R: single videos by id, batching on (A)" \
    "$ITEM_CONNECTIONS" "$A_URL" -s "$BENCH_DIR/items.lua"
  MEASURE_SECONDS=$SIDE_SECONDS measure "items-unbatched-$R" "round $R: single videos by id, batching off (B)" \
    "$ITEM_CONNECTIONS" "$B_URL" -s "$BENCH_DIR/items.lua"
  # deep virtual scroll while its checkpoints keep expiring (a 5 s TTL): before this issue every request in flight
  # at an expiry walked the keys again; now one walk refreshes them ahead
  MEASURE_SECONDS=$((SIDE_SECONDS * 2)) measure "scroll-$R" "round $R: window at index 900,000, 5 s checkpoint TTL (A)" \
    "$CONNECTIONS" "$A_URL$SCROLL"
  MEASURE_SECONDS=$((SIDE_SECONDS * 2)) measure "scroll-before-$R" "round $R: the same window on $BASELINE_REV (C)" \
    "$CONNECTIONS" "$C_URL$SCROLL"
done
stop_extras

# the same 200 concurrent single-item loads without HTTP: callers in one JVM load through the typed client from a
# videos loader with batching on, then off, round after round (ItemsBench, in src/test)
log "single items over the event bus: $ROUNDS rounds of ${DURATION}s, batching on and off (ItemsBench)"
java -Xmx1g -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CLASSPATH_FILE")" dev.sluice.bench.ItemsBench \
  "postgresql://postgres@127.0.0.1:$PG_PORT/sluice" "$IDS_FILE" "$DURATION" "$ITEM_CONNECTIONS" "$ROUNDS" \
  2>"$RUN_DIR/items-bench.log" | tee "$RUN_DIR/items-bench.txt" >&2
while read -r key rate _ loads _ queries _; do
  ORDER+=("$key"); RPS[$key]=$rate; REQUESTS[$key]=$loads; QUERIES[$key]=$queries
  LABEL[$key]="${key%-*}: $ITEM_CONNECTIONS callers of SluiceClient.item in one JVM, no HTTP (loads/s)"
done < <(grep '^bus-items-' "$RUN_DIR/items-bench.txt")
stop_service

# ================================================================= report
{
  echo "Sluice cache benchmark, $(date -u +%FT%TZ), $((SECONDS - START)) s"
  print_machine
  echo "  wrk:           $(wrk -v 2>&1 | head -1)"
  echo "  jar:           $(sha256sum "$CURRENT_JAR" | cut -c1-16)…  baseline $BASELINE_REV $(sha256sum "$BASELINE_JAR" | cut -c1-16)…"
  echo "  service:       java ${SERVICE_JVM_OPTS[*]} -jar sluice.jar, 127.0.0.1; wrk -t$THREADS -d${DURATION}s after ${WARMUP}s warm-up"
  echo
  printf '%-20s %10s %9s %9s  %s\n' scenario req/s p99-ms bytes what
  for key in "${ORDER[@]}"; do
    printf '%-20s %10s %9s %9s  %s%s\n' "$key" "${RPS[$key]:-n/a}" "${P99[$key]:-n/a}" "${BYTES[$key]:-}" \
      "${LABEL[$key]}" "${NOTE[$key]:+  [${NOTE[$key]}]}"
  done
  echo
  for key in "${ORDER[@]}"; do
    [[ $key == items-* || $key == bus-items-* ]] || continue
    awk -v k="$key" -v r="${REQUESTS[$key]:-0}" -v q="${QUERIES[$key]:-0}" 'BEGIN {
      printf "%s: %d requests, %d = ANY queries, %.1f items a query\n", k, r, q, (q > 0 ? r / q : 0) }'
  done
  echo
  plain=(); gzip=(); batching=(); bus=(); uncached=(); uncached_videos=(); scroll=(); scroll_before=()
  for ((round = 1; round <= CACHE_ROUNDS; round++)); do
    plain+=("$(ratio "${RPS[cached-$round]:-}" "${RPS[fixed-$round]:-}")")
    gzip+=("$(ratio "${RPS[cached-gzip-$round]:-}" "${RPS[fixed-gzip-$round]:-}")")
  done
  for ((round = 1; round <= ROUNDS; round++)); do
    batching+=("$(ratio "${RPS[items-batched-$round]:-}" "${RPS[items-unbatched-$round]:-}")")
    bus+=("$(ratio "${RPS[bus-items-batched-$round]:-}" "${RPS[bus-items-unbatched-$round]:-}")")
    uncached+=("$(ratio "${RPS[uncached-$round]:-}" "${RPS[uncached-before-$round]:-}")")
    uncached_videos+=("$(ratio "${RPS[uncached-videos-$round]:-}" "${RPS[uncached-videos-before-$round]:-}")")
    scroll+=("${P99[scroll-$round]:-n/a}")
    scroll_before+=("${P99[scroll-before-$round]:-n/a}")
  done
  r1=$(median "${plain[@]}")
  r2=$(median "${gzip[@]}")
  r3=$(median "${batching[@]}")
  r6=$(median "${bus[@]}")
  r4=$(median "${uncached[@]}")
  r7=$(median "${uncached_videos[@]}")
  r5=$(ratio "${RPS[cached-1]:-}" "${RPS[uncached-1]:-}")
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "cached / fixed reply of the same size (users), median" "$r1" \
    ">= 0.5" "$(verdict "$r1" 0.5)" "${plain[*]}"
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "cached / fixed reply of the same size (videos gzip), median" \
    "$r2" ">= 0.5" "$(verdict "$r2" 0.5)" "${gzip[*]}"
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "single items over HTTP: batching on / off, median" "$r3" \
    ">= 3" "$(verdict "$r3" 3)" "${batching[*]}"
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "single items over the bus: batching on / off, median" \
    "$r6" ">= 3" "$(verdict "$r6" 3)" "${bus[*]}"
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "uncached now / before (users), median" "$r4" \
    ">= 0.95" "$(verdict "$r4" 0.95)" "${uncached[*]}"
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "uncached now / before (videos), median" "$r7" \
    ">= 0.95" "$(verdict "$r7" 0.95)" "${uncached_videos[*]}"
  printf '%-52s %7s\n' "cached / uncached (users, round 1)" "$r5"
  printf '%-52s %s ms, before %s ms\n' "p99 of the deep scroll window, rounds" "${scroll[*]}" "${scroll_before[*]}"
} | tee "$RESULTS"
log "results in $RESULTS; raw wrk output in $RUN_DIR"
