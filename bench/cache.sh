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
#   BENCH_ITEM_CONNECTIONS=200 (single items), BENCH_THREADS=2, BENCH_BASELINE_REV=f332ead, BENCH_ROUNDS=3,
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
ROUNDS=${BENCH_ROUNDS:-3}
LOG_TAG=cache

RUN_DIR="$OUT/cache-run-$TS"
RESULTS="$OUT/cache-$TS.txt"
SERVICE_LOG="$RUN_DIR/service.log"
mkdir -p "$RUN_DIR"
CURRENT_JAR="$JAR"
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
      WHERE query LIKE '%FROM videos v%' AND query LIKE '%= ANY(%'")
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
for ((round = 1; round <= ROUNDS; round++)); do
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

# The pairs whose ratio has a target are measured side by side, round after round (new code, then the baseline;
# batching on, then off), and each ratio is the median of the rounds' ratios: one round on two shared cores can be
# 30 % off.
SCROLL='/api/v1/users/range?start_index=900000&end_index=900100'
for ((round = 1; round <= ROUNDS; round++)); do
  R=$round
  phase "cache-off-$R" '{"lazy_loading": {"enable_caching": false}, "limits": {"scroll_checkpoint_ttl_seconds": 5}}'
  BYTES[uncached-$R]=$(size_of "$USERS")
  measure "uncached-$R" "round $R: the same page uncached (enable_caching=false)" "$CONNECTIONS" "$USERS"
  measure "items-batched-$R" "round $R: single videos by id, batching on (cache off)" "$ITEM_CONNECTIONS" "$BASE" \
    -s "$BENCH_DIR/items.lua"
  # virtual scroll deep in the listing while its checkpoints keep expiring (a 5 s TTL, so 20 s see several):
  # before this issue every request in flight at an expiry walked the keys again; now one walk refreshes them
  curl -s -o /dev/null "$BASE$SCROLL"
  BYTES[scroll-$R]=$(size_of "$SCROLL")
  MEASURE_SECONDS=20 measure "scroll-$R" "round $R: window at index 900,000, checkpoints with a 5 s TTL (cache off)" \
    "$CONNECTIONS" "$SCROLL"

  phase "batching-off-$R" '{"lazy_loading": {"enable_caching": false}, "items": {"batching": false}}'
  measure "items-unbatched-$R" "round $R: single videos by id, batching off (cache off)" "$ITEM_CONNECTIONS" \
    "$BASE" -s "$BENCH_DIR/items.lua"

  stop_service
  JAR="$BASELINE_JAR"
  BASE_CONF="$BASELINE_CONF"
  SERVICE_CWD="$BASELINE_CWD"
  phase "before-$R" '{"limits": {"scroll_checkpoint_ttl_seconds": 5}}'
  BYTES[uncached-before-$R]=$(size_of "$USERS")
  measure "uncached-before-$R" "round $R: the same page on $BASELINE_REV, before the cache (no cache at all)" \
    "$CONNECTIONS" "$USERS"
  curl -s -o /dev/null "$BASE$SCROLL"
  BYTES[scroll-before-$R]=$(size_of "$SCROLL")
  MEASURE_SECONDS=20 measure "scroll-before-$R" "round $R: the same window on $BASELINE_REV (checkpoints expire together)" \
    "$CONNECTIONS" "$SCROLL"
  stop_service
  JAR="$CURRENT_JAR"
  unset BASE_CONF SERVICE_CWD
done

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
    [[ $key == items-* ]] || continue
    awk -v k="$key" -v r="${REQUESTS[$key]:-0}" -v q="${QUERIES[$key]:-0}" 'BEGIN {
      printf "%s: %d requests, %d = ANY queries, %.1f items a query\n", k, r, q, (q > 0 ? r / q : 0) }'
  done
  echo
  plain=(); gzip=(); batching=(); uncached=(); scroll=(); scroll_before=()
  for ((round = 1; round <= ROUNDS; round++)); do
    plain+=("$(ratio "${RPS[cached-$round]:-}" "${RPS[fixed-$round]:-}")")
    gzip+=("$(ratio "${RPS[cached-gzip-$round]:-}" "${RPS[fixed-gzip-$round]:-}")")
    batching+=("$(ratio "${RPS[items-batched-$round]:-}" "${RPS[items-unbatched-$round]:-}")")
    uncached+=("$(ratio "${RPS[uncached-$round]:-}" "${RPS[uncached-before-$round]:-}")")
    scroll+=("${P99[scroll-$round]:-n/a}")
    scroll_before+=("${P99[scroll-before-$round]:-n/a}")
  done
  r1=$(median "${plain[@]}")
  r2=$(median "${gzip[@]}")
  r3=$(median "${batching[@]}")
  r4=$(median "${uncached[@]}")
  r5=$(ratio "${RPS[cached-1]:-}" "${RPS[uncached-1]:-}")
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "cached / fixed reply of the same size (users), median" "$r1" \
    ">= 0.5" "$(verdict "$r1" 0.5)" "${plain[*]}"
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "cached / fixed reply of the same size (videos gzip), median" \
    "$r2" ">= 0.5" "$(verdict "$r2" 0.5)" "${gzip[*]}"
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "single items: batching on / off, median" "$r3" ">= 3" \
    "$(verdict "$r3" 3)" "${batching[*]}"
  printf '%-52s %7s  target %-6s %s   (rounds: %s)\n' "uncached now / before the cache issue, median" "$r4" \
    ">= 0.95" "$(verdict "$r4" 0.95)" "${uncached[*]}"
  printf '%-52s %7s\n' "cached / uncached (users, round 1)" "$r5"
  printf '%-52s %s ms, before %s ms\n' "p99 of the deep scroll window, rounds" "${scroll[*]}" "${scroll_before[*]}"
} | tee "$RESULTS"
log "results in $RESULTS; raw wrk output in $RUN_DIR"
