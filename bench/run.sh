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

# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"   # sets BENCH_DIR, ROOT (and cd's there), OUT, TS, …

DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP_SECONDS:-3}
WRK_TIMEOUT=60s   # wrk's default (2 s) would drop slow replies instead of timing them
WALK_LIMIT=1000
WALK_STEPS=900
MAX_POPULAR_PAGE=9000
PER_PAGE=100

RUN_DIR="$OUT/run-$TS"
RESULTS="$OUT/results-$TS.txt"
SERVICE_LOG="$RUN_DIR/service.log"
mkdir -p "$OUT" "$RUN_DIR"

declare -A RPS=() P50=() P99=() ITEMS=() BYTES=() FIRST=() NOTE=() LABEL=() URLS=()
declare -A PG_TPS=() PG_P50=() PG_P99=() PG_N=() PG_NOTE=() PG_CMD=()
SECOND_PORT=$(( ${BENCH_HTTP_PORT:-18080} + 1 ))
PROBLEMS=()

# ---------------------------------------------------------------- tools
need wrk wrk
need jq jq
need curl curl
need psql postgresql-client
need pgbench postgresql-client
command -v python3 >/dev/null || die "python3 is needed"
command -v java >/dev/null || die "java 17 is needed"

read_bench_conf

trap_cleanup

# ---------------------------------------------------------------- measuring
scenario() { # key label path [base]
  local key=$1 label=$2 url="${4:-$BASE}$3" probe="$RUN_DIR/probe-$1.json" w="$RUN_DIR/wrk-$1.txt" status
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

pgbench_first_page() { # key file: pgbench of bench/sql/<file> -> PG_TPS[key] PG_P50[key] PG_P99[key] PG_N[key]
  local key=$1 file=$2 dir="$RUN_DIR/pgbench-$1" out="$RUN_DIR/pgbench-$1.txt"
  mkdir -p "$dir"
  local cmd=(pgbench -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j "$THREADS")
  settle
  [[ -n $SETTLE_NOTE ]] && PG_NOTE[$key]="$SETTLE_NOTE; "
  log "pgbench $file: warm-up ${WARMUP}s, then ${DURATION}s"
  "${cmd[@]}" -T "$WARMUP" -f "$BENCH_DIR/sql/$file" sluice >/dev/null 2>&1
  (cd "$dir" && "${cmd[@]}" -T "$DURATION" -l --log-prefix=tx -f "$BENCH_DIR/sql/$file" sluice) >"$out" 2>&1 \
    || { cat "$out" >&2; die "pgbench failed"; }
  PG_TPS[$key]=$(awk '/^tps = / { printf "%.2f", $3; exit }' "$out")
  PG_CMD[$key]="${cmd[*]} -T $DURATION -f bench/sql/$file sluice"
  # per-transaction log: column 3 is the latency in microseconds
  read -r "PG_P50[$key]" "PG_P99[$key]" "PG_N[$key]" < <(cat "$dir"/tx.* | awk '{ print $3 }' | sort -n | awk '
    { v[NR] = $1 }
    END { i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
          printf "%.2f %.2f %d\n", v[i50] / 1000, v[i99] / 1000, NR }')
  log "pgbench $file: ${PG_TPS[$key]} tps, p50 ${PG_P50[$key]} ms, p99 ${PG_P99[$key]} ms (${PG_N[$key]} transactions)"
}

# ================================================================= the run
START=$SECONDS
log "results will go to $RESULTS; run files in $RUN_DIR"
build
# the strategies themselves are measured: every request reaches PostgreSQL (bench/cache.sh measures the cache)
EXTRA_CONF_FILES=("$BENCH_DIR/conf/zz-uncached.json" "$BENCH_DIR/conf/zz-declared.json")
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

# each scenario against the service that writes the rows' JSON on the JVM (lower-case key, the default) and then
# against the second one, on the same database, that lets PostgreSQL write it (upper-case key)
start_second_service postgres "$SECOND_PORT"
both() { # key label path
  scenario "$1" "$2" "$3"
  scenario "${1^^}" "$2, row_to_json" "$3" "$SECOND_BASE"
}
both a "first cursor page" "/api/v1/videos?limit=100"
if [[ -n $DEEP_CURSOR ]]; then
  both b "cursor page 900,000 deep" "/api/v1/videos?limit=100&cursor=$DEEP_CURSOR_Q"
else
  LABEL[b]="cursor page 900,000 deep"; NOTE[b]="no cursor (walk failed)"
  PROBLEMS+=("b: $WALK_SUMMARY")
fi
# c last: its deep OFFSET requests are slow and leave queries running after wrk stops (see settle)
both d "virtual scroll at 0" "/api/v1/users/range?start_index=0&end_index=100"
both e "virtual scroll at 900,000" "/api/v1/users/range?start_index=900000&end_index=900100"
both f "analytics 1 day, 1h buckets" "/api/v1/analytics/platform?start_date=$YESTERDAY&end_date=$TODAY&bucket=1h"
# the same listings served from declarations (bench/conf/zz-declared.json): clips is public.videos, people public.users
both g "declared: first cursor page" "/api/v1/data/clips?limit=100"
both h "declared: virtual scroll at 900,000" "/api/v1/data/people/range?start_index=900000&end_index=900100"
both c "offset page $POPULAR_PAGE (OFFSET $POPULAR_OFFSET)" "/api/v1/videos/popular?days=365&per_page=$PER_PAGE&page=$POPULAR_PAGE"
pgbench_first_page pg first_page.sql
pgbench_first_page PG first_page_row_to_json.sql

stop_service

R_CURSOR=$(ratio "${RPS[b]:-}" "${RPS[a]:-}")
R_SCROLL=$(ratio "${RPS[e]:-}" "${RPS[d]:-}")
R_PG=$(ratio "${RPS[a]:-}" "${PG_TPS[pg]:-}")
R_PG_R2J=$(ratio "${RPS[A]:-}" "${PG_TPS[PG]:-}")
R_SQL=$(ratio "${PG_TPS[pg]:-}" "${PG_TPS[PG]:-}")

# ---------------------------------------------------------------- report
{
  echo "Sluice benchmark  $(date -u '+%F %T UTC')"
  echo "command: bench/run.sh   (BENCH_SECONDS=$DURATION BENCH_CONNECTIONS=$CONNECTIONS BENCH_THREADS=$THREADS BENCH_WARMUP_SECONDS=$WARMUP)"
  echo "load: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, after a ${WARMUP}s warm-up; all on 127.0.0.1"
  echo
  print_machine
  echo "  clients:       $(psql --version), $(pgbench --version), $(wrk -v 2>&1 | awk 'NR == 1 { print $1, $2 }')"
  echo "  jar:           sha256 $(sha256sum "$JAR" | cut -c1-16)…, built $(date -u -r "$JAR" '+%F %T UTC')"
  echo "  data:          scale $SCALE: $COUNTS"
  echo "  seed:          $(cat "$SEED_MARK" 2>/dev/null || echo n/a)"
  echo "  vacuum:        $(cat "$VACUUM_MARK" 2>/dev/null || echo n/a)"
  echo "  cursor walk:   $WALK_SUMMARY"
  echo "  popular:       $READY ready videos in the last 365 days -> page $POPULAR_PAGE, per_page $PER_PAGE, OFFSET $POPULAR_OFFSET"
  echo
  printf '%-3s %-36s %10s %9s %9s %10s %6s %8s  %s\n' "" scenario "req/s" "p50 ms" "p99 ms" "1st req ms" items bytes note
  for k in a A b B c C d D e E f F g G h H; do
    printf '%-3s %-36s %10s %9s %9s %10s %6s %8s  %s\n' "$k" "${LABEL[$k]:-}" "${RPS[$k]:--}" "${P50[$k]:--}" \
      "${P99[$k]:--}" "${FIRST[$k]:--}" "${ITEMS[$k]:--}" "${BYTES[$k]:--}" "${NOTE[$k]:-}"
  done
  printf '%-3s %-36s %10s %9s %9s %10s %6s %8s  %s\n' "pg" "pgbench, SQL of (a) (tps)" "${PG_TPS[pg]:--}" \
    "${PG_P50[pg]:--}" "${PG_P99[pg]:--}" - 101 - "${PG_NOTE[pg]:-}${PG_N[pg]:-} transactions"
  printf '%-3s %-36s %10s %9s %9s %10s %6s %8s  %s\n' "PG" "pgbench, SQL of (A) (tps)" "${PG_TPS[PG]:--}" \
    "${PG_P50[PG]:--}" "${PG_P99[PG]:--}" - 101 - "${PG_NOTE[PG]:-}${PG_N[PG]:-} transactions"
  echo
  echo "  lower case: rows written on the JVM (row_encoding jvm, the default), $BASE"
  echo "  upper case: rows written by PostgreSQL (row_encoding postgres), a second service on the same database, $SECOND_BASE"
  echo "  a  GET ${URLS[a]:-}"
  echo "  b  GET $BASE/api/v1/videos?limit=100&cursor=<cursor after $WALK_STEPS x $WALK_LIMIT rows>"
  for k in c d e f g h; do echo "  $k  GET ${URLS[$k]:-}"; done
  echo "  pg ${PG_CMD[pg]:-}"
  echo "  PG ${PG_CMD[PG]:-}"
  echo "  (req/s, p50, p99: wrk over ${DURATION}s with $CONNECTIONS connections; 1st req: the single request before the"
  echo "   warm-up, on an idle service; items, bytes: of that reply; c ran last, after f)"
  echo
  echo "ratios                                        value   target"
  printf '  %-42s %6s   >= 0.9  %s\n' "deep cursor page / first cursor page (b/a)" "$R_CURSOR" "$(verdict "$R_CURSOR" 0.9)"
  printf '  %-42s %6s   >= 0.8  %s\n' "deep scroll window / first window (e/d)" "$R_SCROLL" "$(verdict "$R_SCROLL" 0.8)"
  printf '  %-42s %6s   >= 0.8  %s\n' "gateway first page / pgbench (a/pg)" "$R_PG" "$(verdict "$R_PG" 0.8)"
  printf '  %-42s %6s\n' "same, both row_to_json (A/PG)" "$R_PG_R2J"
  printf '  %-42s %6s\n' "pgbench plain columns / row_to_json (pg/PG)" "$R_SQL"
  printf '  %-42s %6s\n' "declared / demo first cursor page (g/a)" "$(ratio "${RPS[g]:-}" "${RPS[a]:-}")"
  printf '  %-42s %6s\n' "declared / demo scroll at 900,000 (h/e)" "$(ratio "${RPS[h]:-}" "${RPS[e]:-}")"
  for k in a b c d e f g h; do
    printf '  %-42s %6s\n' "JVM / PostgreSQL encoding ($k/${k^^})" "$(ratio "${RPS[$k]:-}" "${RPS[${k^^}]:-}")"
  done
  if ((${#PROBLEMS[@]})); then
    echo
    echo "problems"
    for p in "${PROBLEMS[@]}"; do echo "  - $p"; done
  fi
  echo
  echo "run took $((SECONDS - START)) s; raw outputs in ${RUN_DIR#"$ROOT"/}"
} | tee "$RESULTS"
