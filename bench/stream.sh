#!/usr/bin/env bash
# Sluice streaming benchmark, one command: bench/stream.sh   (see bench/README.md, "Streaming")
#
# Builds the jar like bench/run.sh, reuses (or seeds) the "medium" data in bench/out/pgdata, starts the service on
# 127.0.0.1 with -Xmx1g and a GC log, and measures GET /api/v1/videos/stream (NDJSON, every video):
#   1. throughput: rows/s of 3 full streams with curl (median), rows written on the JVM and, from a second service on
#      the same database, by row_to_json, in rounds with psql \copy of the same rows and columns, plain (the floor),
#      of SELECT * and of the row_to_json SQL (medians of 3)
#   2. time to first byte: curl time_starttransfer, median of 5 full streams; and the time to the first NDJSON row
#      (median of 5 requests that stop there), since the gateway sends the headers before the query has a row
#   3. heap: used after GC before, during 1 and 10 streams in a row (10,000,000 rows), and after
#   4. heap with 16 concurrent rate-limited clients: a) curl --limit-rate 200k for 20 s, as the brief has it;
#      b) 16 steady readers at 200 KB/s for 60 s, after a restart with database.pool_size 16 (a stream holds a
#      connection of the stream pool, which has pool_size of them)
# prints a table with the targets and PASS/MISS, writes it to bench/out/stream-results-<timestamp>.txt, and stops
# the service (also on failure or interruption).
#
# Settings (environment), besides those of bench/lib.sh (BENCH_SKIP_BUILD, BENCH_HTTP_PORT, BENCH_PG_PORT, …):
#   BENCH_STREAM_RUNS=3           full streams timed for throughput (and \copy runs)
#   BENCH_TTFB_RUNS=5             full streams timed for the first byte (and first-row requests)
#   BENCH_HEAP_STREAMS=10         full streams in a row for the heap figure
#   BENCH_SLOW_CLIENTS=16, BENCH_SLOW_RATE=200k (curl's notation), BENCH_SLOW_SECONDS=20   scenario 4a
#   BENCH_STEADY_SECONDS=60       length of 4b (0 skips it and its restart); same clients and rate
#   BENCH_STEADY_POOL=16          database.pool_size for 4b
set -euo pipefail

LOG_TAG=stream
# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"   # sets BENCH_DIR, ROOT (and cd's there), OUT, TS, …

STREAM_RUNS=${BENCH_STREAM_RUNS:-3}
TTFB_RUNS=${BENCH_TTFB_RUNS:-5}
HEAP_STREAMS=${BENCH_HEAP_STREAMS:-10}
SLOW_CLIENTS=${BENCH_SLOW_CLIENTS:-16}
SLOW_RATE=${BENCH_SLOW_RATE:-200k}
SLOW_SECONDS=${BENCH_SLOW_SECONDS:-20}
STEADY_SECONDS=${BENCH_STEADY_SECONDS:-60}
STEADY_POOL=${BENCH_STEADY_POOL:-16}
SLOW_RATE_BYTES=$(awk -v r="$SLOW_RATE" 'BEGIN { m = 1; if (r ~ /[kK]$/) m = 1024; else if (r ~ /[mM]$/) m = 1048576
  sub(/[kKmM]$/, "", r); printf "%d", r * m }')
# BENCH_STREAM_PATH=/api/v1/data/clips/stream streams the same rows from a declared dataset (zz-declared.json)
STREAM_PATH=${BENCH_STREAM_PATH:-/api/v1/videos/stream}
STREAM_MAX_TIME=900        # curl --max-time of one full stream
TARGET_RATIO=0.9
TARGET_TTFB_MS=50
TARGET_GROWTH_MB=64

RUN_DIR="$OUT/stream-$TS"
RESULTS="$OUT/stream-results-$TS.txt"
SERVICE_LOG="$RUN_DIR/service.log"
mkdir -p "$RUN_DIR"
TOOL=(python3 "$BENCH_DIR/stream_tool.py")

# ---------------------------------------------------------------- tools
need jq jq
need curl curl
need psql postgresql-client
command -v python3 >/dev/null || die "python3 is needed"
command -v java >/dev/null || die "java 17 is needed"
need top procps
JDK_BIN=/usr/lib/jvm/java-17-openjdk-amd64/bin
[[ -x $JDK_BIN/jcmd ]] || JDK_BIN=$(dirname "$(readlink -f "$(command -v java)")")
JCMD=$JDK_BIN/jcmd
JSTAT=$JDK_BIN/jstat
[[ -x $JCMD && -x $JSTAT ]] || die "jcmd and jstat are needed (a JDK 17: $JDK_BIN)"

read_bench_conf
URL="$BASE$STREAM_PATH"
PSQL_CLI=(psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres sluice)

# The SQL the service streams for /videos/stream, in each row encoding (bench/sql/stream*.sql, which PlansTest keeps
# equal to what Plans.stream() builds): the ten plain columns (row_encoding jvm, the default: the keyset values are
# read from the row's own columns), or row_to_json with the key values as text after it (postgres). The first is
# the floor the stream is measured against: the same rows, the same columns in the same order, plain. STAR_SQL is
# printed beside it.
STREAM_SQL=$(sed 's/;[[:space:]]*$//' "$BENCH_DIR/sql/stream.sql")
R2J_SQL=$(sed 's/;[[:space:]]*$//' "$BENCH_DIR/sql/stream_row_to_json.sql")
FLOOR_SQL=$STREAM_SQL
STAR_SQL="SELECT * FROM videos"
SECOND_PORT=$((HTTP_PORT + 1))
URL2="http://$HTTP_HOST:$SECOND_PORT$STREAM_PATH"

PROBLEMS=()
BG_PIDS=()        # background processes of this script (jstat, curl clients, top), stopped by pid
JSTAT_PID=""
GC_LOG=""
JVM_STARTED=""

problem() { PROBLEMS+=("$*"); log "PROBLEM: $*"; }

# Stops what this script started in the background and still runs: only pids of BG_PIDS that are still jobs of this
# shell (a finished job's pid may since belong to another process)
stop_background() {
  local pid running
  running=" $(jobs -p | tr '\n' ' ') "
  for pid in "${BG_PIDS[@]}"; do
    if [[ $running == *" $pid "* ]]; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for pid in "${BG_PIDS[@]}"; do
    if [[ $running == *" $pid "* ]]; then wait "$pid" 2>/dev/null || true; fi
  done
  BG_PIDS=()
  JSTAT_PID=""
}

cleanup() {
  local rc=$?
  stop_background
  stop_service
  stop_orphan_postgres
  if ((rc != 0)); then log "failed (exit $rc); service log: $SERVICE_LOG"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { printf '%s' "$EPOCHREALTIME"; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
median() { "${TOOL[@]}" median "$@"; }

# Starts the service (generation n: 1, or 2 after the restart of 4b) with a GC log of its own, gc-<n>.log.
start_stream_service() { # n
  GC_LOG="$RUN_DIR/gc-$1.log"
  SERVICE_JVM_OPTS=(-Xmx1g "-Xlog:gc*:file=$GC_LOG:time,uptime,level,tags")
  prepare_conf
  start_service
  JVM_STARTED=$("${TOOL[@]}" jvmstart "$GC_LOG")
  STARTED_PID=$SERVICE_PID
  ln -sfn "$GC_LOG" "$OUT/stream-gc.log"
}

# jstat -gc every 200 ms into jstat-<n>.txt, only during the heap scenarios (it costs a few % of a core)
jstat_start() {
  "$JSTAT" -gc -t "$SERVICE_PID" 200 >>"$RUN_DIR/jstat-$SERVICE_GEN.txt" 2>&1 &
  JSTAT_PID=$!
  BG_PIDS+=("$JSTAT_PID")
}
jstat_stop() {
  [[ -n $JSTAT_PID ]] || return 0
  kill -TERM "$JSTAT_PID" 2>/dev/null || true
  wait "$JSTAT_PID" 2>/dev/null || true
  JSTAT_PID=""
}

stop_stream_service() {
  stop_background
  stop_service
}

# Full GC (jcmd GC.run), then the heap in use from GC.heap_info, in MB.
heap_after_full_gc() {
  "$JCMD" "$SERVICE_PID" GC.run >/dev/null
  "$JCMD" "$SERVICE_PID" GC.heap_info | awk '/ heap .*used [0-9]+K/ {
    for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); printf "%.1f", v / 1024; exit } }'
}

# CPU seconds used so far (user + system, with reaped children) by the JVM, by PostgreSQL (the postmaster and its
# processes), and by this script's finished children (curl): sets CPU_JVM CPU_PG CPU_KIDS. Not in a $(…): `times`
# must run in this shell.
cpu_seconds() {
  local hz pm jvm pg kids
  hz=$(getconf CLK_TCK)
  jvm=$(awk -v hz="$hz" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13 + $14 + $15) / hz }' "/proc/$SERVICE_PID/stat")
  pm=$(head -1 "$DATA_DIR/postmaster.pid")
  pg=$( { cat "/proc/$pm/stat"; for c in $(ps --ppid "$pm" -o pid=); do cat "/proc/$c/stat" 2>/dev/null || true; done; } \
    | awk -v hz="$hz" '{ sub(/^.*\) /, ""); t += $12 + $13 + $14 + $15 } END { printf "%.2f", t / hz }')
  times >"$RUN_DIR/times.txt"
  kids=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.2f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' \
    "$RUN_DIR/times.txt")
  CPU_JVM=$jvm CPU_PG=$pg CPU_KIDS=$kids
  CPU_BUSY=$(awk -v hz="$hz" '$1 == "cpu" { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit }' /proc/stat)
}

gc_window() { "${TOOL[@]}" gc "$GC_LOG" "$1" "$2"; }                 # from to -> count max_after last_after kinds
jstat_window() { "${TOOL[@]}" jstat "$RUN_DIR/jstat-$SERVICE_GEN.txt" "$JVM_STARTED" "$1" "$2"; }  # from to

# One full stream to /dev/null: sets S_CODE S_TTFB S_TOTAL S_BYTES S_EXIT (seconds, bytes).
stream_once() { # label [url]
  local out
  out=$(curl -s -o /dev/null --max-time "$STREAM_MAX_TIME" \
    -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download} %{exitcode}' "${2:-$URL}" || true)
  read -r S_CODE S_TTFB S_TOTAL S_BYTES S_EXIT <<<"$out"
  if [[ $S_CODE != 200 || $S_EXIT != 0 || ($VERIFIED_BYTES -gt 0 && $S_BYTES != "$VERIFIED_BYTES") ]]; then
    problem "$1: HTTP $S_CODE, curl exit $S_EXIT, $S_BYTES bytes (a full body has $VERIFIED_BYTES) after ${S_TOTAL}s"
    return 1
  fi
  return 0
}

# \copy of an SQL (the floor by default) to /dev/null; sets C_SECONDS C_ROWS. Extra environment (PGOPTIONS) may be
# given.
copy_once() { # label [sql]
  local t0 t1 out
  t0=$(now)
  out=$("${PSQL_CLI[@]}" -c "\\copy (${2:-$FLOOR_SQL}) to /dev/null" 2>&1) || { problem "$1: psql failed: $out"; return 1; }
  t1=$(now)
  C_SECONDS=$(calc "%.3f" "$t1 - $t0")
  C_ROWS=$(awk '/^COPY [0-9]+/ { print $2 }' <<<"$out")
  [[ $C_ROWS == "$ROWS" ]] || { problem "$1: \\copy gave '$out', expected COPY $ROWS"; return 1; }
}

# The second iteration of `top -b` over everything, and over the JVM's threads, while a stream runs.
cpu_snapshot() { # name
  top -b -n 2 -d 1 -w 512 >"$RUN_DIR/top-$1.txt" 2>&1 &
  local a=$!
  top -H -b -n 2 -d 1 -w 512 -p "$SERVICE_PID" >"$RUN_DIR/top-threads-$1.txt" 2>&1 &
  local b=$!
  BG_PIDS+=("$a" "$b")
  wait "$a" "$b" || true
}

# Scenario 4: n clients at once, for `seconds`, each reading at `rate` bytes/s.
#   kind curl:   curl --limit-rate RATE --max-time SECONDS (timeout(1) as a backstop), as asked; curl keeps the
#                average, reading bursts of megabytes and then pausing for as long
#   kind steady: bench/stream_tool.py readers, which read RATE bytes/s in 50 ms steps (a steady slow client)
# Full GCs are forced (jcmd GC.run) halfway and 3 s before the end, while the clients still read. Sets SLOW_*.
slow_clients() { # tag kind clients rate_bytes seconds
  local tag=$1 kind=$2 n=$3 rate=$4 seconds=$5 i pids=() t0 t1 wait_s line before
  settle
  before=$(heap_after_full_gc)
  pg_temp_files; local temp0=$PG_TEMP
  log "4$tag. $n $kind clients at $rate bytes/s for $seconds s; heap after GC before: $before MB"
  t0=$(now)
  if [[ $kind == curl ]]; then
    for ((i = 0; i < n; i++)); do
      timeout $((seconds + 10)) curl -s -o /dev/null --limit-rate "$rate" --max-time "$seconds" \
        -w '%{http_code} %{time_starttransfer} %{size_download} curl-exit-%{exitcode}\n' "$URL" \
        >"$RUN_DIR/slow-$tag-$i.txt" 2>&1 &
      pids+=("$!")
      BG_PIDS+=("$!")
    done
  else
    "${TOOL[@]}" readers "$URL" "$n" "$rate" "$seconds" "$RUN_DIR/slow-$tag.txt" &
    pids+=("$!")
    BG_PIDS+=("$!")
  fi
  wait_s=$(calc "%.3f" "$t0 + $seconds / 2 - $(now)")
  if awk -v s="$wait_s" 'BEGIN { exit !(s > 0) }'; then sleep "$wait_s"; fi
  SLOW_FORCED_MID=$(heap_after_full_gc)
  wait_s=$(calc "%.3f" "$t0 + $seconds - 3 - $(now)")
  if awk -v s="$wait_s" 'BEGIN { exit !(s > 0) }'; then sleep "$wait_s"; fi
  # a stream's cursor stays open in its transaction between two fetches
  SLOW_ACTIVE=$("${PSQL[@]}" -Atc "SELECT count(*) FROM pg_stat_activity WHERE datname = 'sluice'
    AND backend_type = 'client backend' AND state <> 'idle' AND query LIKE 'SELECT d.id, d.user_id, d.title%'")
  SLOW_CPU=$( { top -b -n 2 -d 1 -w 512 >"$RUN_DIR/top-slow-$tag.txt" 2>&1 && "${TOOL[@]}" top "$RUN_DIR/top-slow-$tag.txt" 5; } || echo n/a)
  SLOW_FORCED_END=$(heap_after_full_gc)
  for i in "${pids[@]}"; do wait "$i" 2>/dev/null || true; done
  t1=$(now)
  read -r SLOW_GCS SLOW_MAX_PAUSE _ _ <<<"$(gc_window "$t0" "$t1")"
  read -r _ SLOW_MAX_USED _ <<<"$(jstat_window "$t0" "$t1")"
  # the largest heap-used-after-GC in the window: young pauses (old-generation garbage included) and the forced GCs
  SLOW_MAX_AFTER=$(printf '%s\n' "$SLOW_MAX_PAUSE" "$SLOW_FORCED_MID" "$SLOW_FORCED_END" | awk '$1 != "n/a" && $1 + 0 > m { m = $1 + 0 } END { printf "%.0f", m }')
  SLOW_MAX_FORCED=$(printf '%s\n' "$SLOW_FORCED_MID" "$SLOW_FORCED_END" | awk '$1 + 0 > m { m = $1 + 0 } END { printf "%.1f", m }')
  local ok=0 streamed=0 ends=() total=0 code ttfb size how
  if [[ $kind == curl ]]; then cat "$RUN_DIR"/slow-"$tag"-*.txt >"$RUN_DIR/slow-$tag.txt" 2>/dev/null || true; fi
  while read -r code ttfb size how; do
    ends+=("$code/${how%%@*}")
    total=$((total + ${size:-0}))
    if [[ $code == 200 ]]; then ok=$((ok + 1)); fi
    if ((${size:-0} > 0)); then streamed=$((streamed + 1)); fi
  done <"$RUN_DIR/slow-$tag.txt"
  SLOW_OK=$ok SLOW_STREAMED=$streamed SLOW_BYTES=$total
  SLOW_ENDS=$(printf '%s\n' "${ends[@]}" | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')
  settle
  pg_temp_files
  SLOW_TEMP=$(temp_delta "$temp0" "$PG_TEMP")
  SLOW_BEFORE=$before
  SLOW_AFTER=$(heap_after_full_gc)
  log "4$tag: $ok/$n got 200, $streamed received rows, $total bytes in all (status/end: $SLOW_ENDS); stream cursors open" \
    "3 s before the end: $SLOW_ACTIVE; heap after GC: max $SLOW_MAX_AFTER MB (pauses $SLOW_MAX_PAUSE, forced GCs" \
    "$SLOW_FORCED_MID / $SLOW_FORCED_END), after $SLOW_AFTER MB; PostgreSQL temp files: $SLOW_TEMP"
}

# The stream events of the service log after line `from`, counted by logger, event and status (and ERROR lines).
service_events() { # from
  tail -n +"$(($1 + 1))" "$SERVICE_LOG" | awk '{ ev = ""; st = ""; lg = ""
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^stream\./) { ev = $i; lg = $(i - 1); sub(/.*\./, "", lg) }
      if ($i ~ /^status=/) st = "(" $i ")"
      if ($i == "ERROR") ev = "ERROR"
    }
    if (ev != "") print lg " " ev st }' | sort | uniq -c | awk '{ printf "%s%s %s x%s", (NR > 1 ? ", " : ""), $2, $3, $1 }'
}

# temp files PostgreSQL wrote for database sluice so far (a sort that spills writes them): sets PG_TEMP "files bytes"
pg_temp_files() {
  PG_TEMP=$("${PSQL[@]}" -Atc "SELECT temp_files || ' ' || temp_bytes FROM pg_stat_database WHERE datname = 'sluice'")
}
temp_delta() { # "files bytes" "files bytes"
  awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%d files, %.0f MB", y[1] - x[1], (y[2] - x[2]) / 1048576 }'
}

# ================================================================= the run
START=$SECONDS
log "results will go to $RESULTS; run files in $RUN_DIR"
build
EXTRA_CONF_FILES=("$BENCH_DIR/conf/zz-stream.json" "$BENCH_DIR/conf/zz-declared.json")
if [[ ! -f $SEED_MARK ]]; then seed; fi
prepare_conf   # ensure_data may have to seed, which needs the configuration
SERVICE_GEN=1
start_stream_service 1
ensure_data
if [[ $SERVICE_PID != "$STARTED_PID" ]]; then   # ensure_data had to seed, and restarted the service plainly
  stop_stream_service
  start_stream_service 1
fi

PG_VERSION=$("${PSQL[@]}" -Atc "SELECT version()")
ROWS=$("${PSQL[@]}" -Atc "SELECT count(*) FROM videos")
FIRST_ID=$("${PSQL[@]}" -Atc "SELECT id FROM videos ORDER BY created_at DESC, id DESC LIMIT 1")
LAST_ID=$("${PSQL[@]}" -Atc "SELECT id FROM videos ORDER BY created_at ASC, id ASC LIMIT 1")
# how closely the heap follows created_at: the index walk of the stream reads heap pages in that order
CORRELATION=$("${PSQL[@]}" -Atc "SELECT round(correlation::numeric, 3) FROM pg_stats WHERE tablename = 'videos'
  AND attname = 'created_at'" || echo n/a)
log "videos: $ROWS rows; physical correlation of created_at: $CORRELATION"

# what else runs on the machine (the figures share its cores with it)
top -b -n 2 -d 1 -w 512 >"$RUN_DIR/top-idle.txt" 2>&1 || true
OTHER_LOAD="$(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min); busiest over 1 s: $("${TOOL[@]}" top "$RUN_DIR/top-idle.txt" 4)"
log "load before measuring: $OTHER_LOAD"

# ---------------------------------------------------------------- verification (also the warm-up)
VERIFIED_BYTES=0
settle
log "verifying one full stream (saved, counted with wc -l, checked line by line)"
BODY="$RUN_DIR/verify-body.ndjson"
V_OUT=$(curl -s -D "$RUN_DIR/verify-headers.txt" -o "$BODY" --max-time "$STREAM_MAX_TIME" \
  -w '%{http_code} %{time_starttransfer} %{time_total} %{size_download} %{exitcode} %{content_type}' "$URL" || true)
read -r V_CODE V_TTFB V_TOTAL V_BYTES V_EXIT V_TYPE <<<"$V_OUT"
V_LINES=$(wc -l <"$BODY")
V_CHECK=$("${TOOL[@]}" check "$BODY" "$FIRST_ID" "$LAST_ID")
rm -f "$BODY"
log "verify: HTTP $V_CODE, $V_TYPE, curl exit $V_EXIT, $V_BYTES bytes, wc -l $V_LINES; $V_CHECK"
[[ $V_CODE == 200 && $V_EXIT == 0 ]] || problem "verification stream: HTTP $V_CODE, curl exit $V_EXIT"
[[ $V_LINES == "$ROWS" ]] || problem "verification stream: wc -l gives $V_LINES lines, the table has $ROWS rows"
[[ $V_CHECK == *verdict=ok* ]] || problem "verification stream: $V_CHECK"
VERIFIED_BYTES=$V_BYTES

# ---------------------------------------------------------------- 1. throughput
# In rounds, so that each figure has its neighbours a moment apart: the stream from this service (rows written on
# the JVM), the stream from a second service on the same database that lets PostgreSQL write them (row_to_json), and
# \copy of the floor SQL with the service's plan (enable_sort=off: the index walk) and with PostgreSQL's own, of
# SELECT * and of the row_to_json SQL.
start_second_service postgres "$SECOND_PORT"
stream_once "second service warm-up" "$URL2" || true
settle
log "1. \\copy warm-up"
copy_once "\\copy warm-up" || true
pg_temp_files; TEMP0=$PG_TEMP
last() { if (($#)); then echo "${@: -1}"; else echo "?"; fi; }
G_RPS=() G_TTFB1=() G_TOT=() Q_RPS=() Q_TOT=() C_RPS=() C_SEC=() P_RPS=() P_SEC=() A_RPS=() A_SEC=() J_RPS=() J_SEC=()
for ((r = 1; r <= STREAM_RUNS; r++)); do
  settle
  if stream_once "throughput run $r"; then
    G_RPS+=("$(calc "%.0f" "$ROWS / $S_TOTAL")")
    G_TOT+=("$S_TOTAL")
    G_TTFB1+=("$S_TTFB")
    log "1. round $r: stream (JVM) ${S_TOTAL}s (first byte ${S_TTFB}s), $S_BYTES bytes, ${G_RPS[-1]} rows/s"
  fi
  settle
  if stream_once "row_to_json throughput run $r" "$URL2"; then
    Q_RPS+=("$(calc "%.0f" "$ROWS / $S_TOTAL")")
    Q_TOT+=("$S_TOTAL")
    log "1. round $r: stream (row_to_json) ${S_TOTAL}s, $S_BYTES bytes, ${Q_RPS[-1]} rows/s"
  fi
  settle
  if PGOPTIONS="-c enable_sort=off" copy_once "floor \\copy (index plan) run $r"; then
    P_RPS+=("$(calc "%.0f" "$ROWS / $C_SECONDS")"); P_SEC+=("$C_SECONDS")
  fi
  if copy_once "floor \\copy (default plan) run $r"; then
    C_RPS+=("$(calc "%.0f" "$ROWS / $C_SECONDS")"); C_SEC+=("$C_SECONDS")
  fi
  if copy_once "select * \\copy run $r" "$STAR_SQL"; then
    A_RPS+=("$(calc "%.0f" "$ROWS / $C_SECONDS")"); A_SEC+=("$C_SECONDS")
  fi
  if PGOPTIONS="-c enable_sort=off" copy_once "row_to_json \\copy run $r" "$R2J_SQL"; then
    J_RPS+=("$(calc "%.0f" "$ROWS / $C_SECONDS")"); J_SEC+=("$C_SECONDS")
  fi
  log "1. round $r: \\copy floor $(last "${P_SEC[@]}")s (index plan) / $(last "${C_SEC[@]}")s (default plan)," \
    "select * $(last "${A_SEC[@]}")s, row_to_json $(last "${J_SEC[@]}")s"
done
stop_second_service
med() { (($#)) && median "$@" || echo n/a; }
G_MEDIAN=$(med "${G_RPS[@]}")
Q_MEDIAN=$(med "${Q_RPS[@]}")
C_MEDIAN=$(med "${C_RPS[@]}")
P_MEDIAN=$(med "${P_RPS[@]}")
A_MEDIAN=$(med "${A_RPS[@]}")
J_MEDIAN=$(med "${J_RPS[@]}")
# the floor: the faster plan of the two
F_MEDIAN=$(awk -v a="$C_MEDIAN" -v b="$P_MEDIAN" 'BEGIN { if (a == "n/a") print b; else if (b == "n/a" || a + 0 > b + 0) print a; else print b }')
pg_temp_files; G_TEMP=$(temp_delta "$TEMP0" "$PG_TEMP")
PLAN_DEFAULT=$("${PSQL[@]}" -Atc "EXPLAIN $FLOOR_SQL" | head -1 | sed -E 's/ +\(cost.*//; s/^ *//')
PLAN_SERVICE=$("${PSQL[@]}" -Atc "SET enable_sort = off" -c "EXPLAIN $STREAM_SQL" | grep -v '^SET' | head -1 | sed -E 's/ +\(cost.*//; s/^ *//')
R_THROUGHPUT=$(ratio "$G_MEDIAN" "$F_MEDIAN")
R_R2J=$(ratio "$Q_MEDIAN" "$F_MEDIAN")
R_ENCODINGS=$(ratio "$G_MEDIAN" "$Q_MEDIAN")
R_STAR=$(ratio "$G_MEDIAN" "$A_MEDIAN")
R_R2J_SQL=$(ratio "$Q_MEDIAN" "$J_MEDIAN")

# ---------------------------------------------------------------- 2. time to first byte
settle
T_MS=() T_TOTALS=()
for ((r = 1; r <= TTFB_RUNS; r++)); do
  if stream_once "first-byte run $r"; then
    T_MS+=("$(calc "%.1f" "$S_TTFB * 1000")")
    T_TOTALS+=("$S_TOTAL")
    log "2. first byte run $r: ${T_MS[-1]} ms (whole stream ${S_TOTAL}s)"
  fi
  settle
done
T_MEDIAN=$( ((${#T_MS[@]})) && median "${T_MS[@]}" || echo n/a)
below() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "n/a") print "n/a"; else if (v + 0 < t + 0) print "PASS"; else print "MISS" }'; }
TTFB_VERDICT=$(below "$T_MEDIAN" "$TARGET_TTFB_MS")
# the first row: requests that close the connection once a whole NDJSON line has come (the service then cancels)
R_MS=() R_HEAD_MS=()
for ((r = 1; r <= TTFB_RUNS; r++)); do
  read -r R_CODE R_HEAD R_ROW <<<"$("${TOOL[@]}" first "$URL" 2>&1 || echo "000 n/a n/a")"
  if [[ $R_CODE == 200 && $R_ROW != n/a ]]; then
    R_MS+=("$(calc "%.1f" "$R_ROW * 1000")")
    R_HEAD_MS+=("$(calc "%.1f" "$R_HEAD * 1000")")
    log "2. first row run $r: ${R_MS[-1]} ms (headers at ${R_HEAD_MS[-1]} ms)"
  else
    problem "first-row run $r: HTTP $R_CODE, headers at $R_HEAD s, first row at $R_ROW s"
  fi
  settle
done
R_MEDIAN=$( ((${#R_MS[@]})) && median "${R_MS[@]}" || echo n/a)
ROW_VERDICT=$(below "$R_MEDIAN" "$TARGET_TTFB_MS")

# ---------------------------------------------------------------- where the CPU goes (one more stream, not timed)
settle
log "cpu: top 1 s and 4 s into one more stream"
DIAG_T0=$(now)
curl -s -o /dev/null --max-time "$STREAM_MAX_TIME" -w '%{http_code} %{time_starttransfer} %{time_total}' "$URL" \
  >"$RUN_DIR/cpu-stream.txt" 2>&1 &
DIAG_PID=$!
BG_PIDS+=("$DIAG_PID")
sleep 1
cpu_snapshot early
# the second sample after the first byte (which comes after about the median measured above), and 4 s in at least
FIRST_BYTE_MS=$T_MEDIAN
[[ $FIRST_BYTE_MS =~ ^[0-9.]+$ ]] || FIRST_BYTE_MS=0
WAIT_S=$(awk -v t0="$DIAG_T0" -v fb="$FIRST_BYTE_MS" -v now="$(now)" 'BEGIN { w = fb / 1000 + 0.3; if (w < 4) w = 4; printf "%.3f", t0 + w - now }')
if awk -v s="$WAIT_S" 'BEGIN { exit !(s > 0) }'; then sleep "$WAIT_S"; fi
"$JCMD" "$SERVICE_PID" Thread.print >"$RUN_DIR/threads-streaming.txt" 2>&1 &
BG_PIDS+=("$!")
cpu_snapshot streaming
wait "$DIAG_PID" || true
CPU_SORT=$("${TOOL[@]}" top "$RUN_DIR/top-early.txt" 5)
CPU_STREAM=$("${TOOL[@]}" top "$RUN_DIR/top-streaming.txt" 5)
CPU_THREADS=$("${TOOL[@]}" top "$RUN_DIR/top-threads-streaming.txt" 6 "$SERVICE_PID")
read -r _ DIAG_TTFB DIAG_TOTAL <<<"$(cat "$RUN_DIR/cpu-stream.txt")"
log "cpu 1 s in: $CPU_SORT"
log "cpu while streaming: $CPU_STREAM; JVM threads: $CPU_THREADS"

# ---------------------------------------------------------------- 3. heap over 10 streams in a row
settle
jstat_start
"$JCMD" "$SERVICE_PID" Thread.print >"$RUN_DIR/threads-before-heap.txt" 2>&1 || true
H_BEFORE=$(heap_after_full_gc)
log "3. heap after GC before: $H_BEFORE MB; $HEAP_STREAMS streams in a row"
cpu_seconds
CPU0_JVM=$CPU_JVM CPU0_PG=$CPU_PG CPU0_KIDS=$CPU_KIDS CPU0_BUSY=$CPU_BUSY
H_T0=$(now)
H_RPS=()
H_T1=""
for ((r = 1; r <= HEAP_STREAMS; r++)); do
  if stream_once "heap stream $r"; then
    H_RPS+=("$(calc "%.0f" "$ROWS / $S_TOTAL")")
  fi
  if ((r == 1)); then H_T1=$(now); fi
done
H_T10=$(now)
cpu_seconds
CPU1_JVM=$CPU_JVM CPU1_PG=$CPU_PG CPU1_KIDS=$CPU_KIDS CPU1_BUSY=$CPU_BUSY
"$JCMD" "$SERVICE_PID" Thread.print >"$RUN_DIR/threads-after-heap.txt" 2>&1 || true
H_WALL=$(calc "%.1f" "$H_T10 - $H_T0")
CPU_SPLIT=$(awk -v w="$H_WALL" -v j="$(calc "%.1f" "$CPU1_JVM - $CPU0_JVM")" -v p="$(calc "%.1f" "$CPU1_PG - $CPU0_PG")" \
  -v c="$(calc "%.1f" "$CPU1_KIDS - $CPU0_KIDS")" -v b="$(calc "%.1f" "$CPU1_BUSY - $CPU0_BUSY")" -v n="$(nproc)" 'BEGIN {
    o = b - j - p - c; if (o < 0) o = 0; t = w * n
    printf "wall %.1fs x %d cpus = %.1f cpu-s; JVM %.1fs (%.0f%%), PostgreSQL %.1fs (%.0f%%), curl %.1fs (%.0f%%), other processes %.1fs (%.0f%%), idle %.0f%%",
      w, n, t, j, 100 * j / t, p, 100 * p / t, c, 100 * c / t, o, 100 * o / t, 100 - 100 * b / t }')
CPU_HEAP_THREADS=$("${TOOL[@]}" threads "$RUN_DIR/threads-before-heap.txt" "$RUN_DIR/threads-after-heap.txt" 6)
log "3. cpu over the $HEAP_STREAMS streams: $CPU_SPLIT"
log "3. JVM threads: $CPU_HEAP_THREADS"
H_ROWS=$((ROWS * HEAP_STREAMS))
read -r H_GCS1 H_MAX1 _ _ <<<"$(gc_window "$H_T0" "$H_T1")"
read -r H_GCS10 H_MAX10 H_LAST10 H_KINDS <<<"$(gc_window "$H_T0" "$H_T10")"
read -r _ H_USED1 H_OLD1 <<<"$(jstat_window "$H_T0" "$H_T1")"
read -r H_SAMPLES H_USED10 H_OLD10 <<<"$(jstat_window "$H_T0" "$H_T10")"
H_AFTER=$(heap_after_full_gc)
growth() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a") print "n/a"; else { g = sprintf("%.0f", a - b); if (g == "-0") g = "0"; print g } }'; }
under() { awk -v v="$1" -v t="$2" 'BEGIN { if (v == "n/a") print "n/a"; else if (v + 0 < t + 0) print "PASS"; else print "MISS" }'; }
G1=$(growth "$H_MAX1" "$H_BEFORE")
G10=$(growth "$H_MAX10" "$H_BEFORE")
GA=$(growth "$H_AFTER" "$H_BEFORE")
H_RPS_MEDIAN=$( ((${#H_RPS[@]})) && median "${H_RPS[@]}" || echo n/a)
log "3. heap after GC: before $H_BEFORE MB; max during stream 1 $H_MAX1 MB ($H_GCS1 pauses), during all" \
  "$HEAP_STREAMS $H_MAX10 MB ($H_GCS10 pauses); after $H_AFTER MB; growth $G1 / $G10 / $GA MB"

# ---------------------------------------------------------------- 4. slow clients
A_POOL=$(jq -r '.database.pool_size' "$CONF_DIR/zz-bench.json")
MARK=$(wc -l <"$SERVICE_LOG")
slow_clients a curl "$SLOW_CLIENTS" "$SLOW_RATE" "$SLOW_SECONDS"
A_LINE="$SLOW_OK got HTTP 200, $SLOW_STREAMED received rows, $SLOW_BYTES bytes in all; status/curl exit: $SLOW_ENDS"
A_HEAP="before $SLOW_BEFORE; max after a GC pause $SLOW_MAX_PAUSE ($SLOW_GCS pauses); GC.run halfway $SLOW_FORCED_MID, 3 s before the end $SLOW_FORCED_END; after $SLOW_AFTER; jstat max in use $SLOW_MAX_USED"
A_MISC="stream cursors open 3 s before the end: $SLOW_ACTIVE; cpu then: $SLOW_CPU; PostgreSQL temp files: $SLOW_TEMP"
A_EVENTS=$(service_events "$MARK")
A_MAX=$SLOW_MAX_AFTER A_FORCED=$SLOW_MAX_FORCED A_STREAMED=$SLOW_STREAMED
jstat_stop

if ((STEADY_SECONDS > 0)); then
  log "4b. restarting with database.pool_size $STEADY_POOL"
  stop_stream_service
  jq -n --argjson p "$STEADY_POOL" '{ database: { pool_size: $p } }' >"$RUN_DIR/zz-stream-pool.json"
  EXTRA_CONF_FILES=("$BENCH_DIR/conf/zz-stream.json" "$BENCH_DIR/conf/zz-declared.json" "$RUN_DIR/zz-stream-pool.json")
  SERVICE_GEN=2
  start_stream_service 2
  # one stream first, so the 16 meet a warm JIT as in 4a
  stream_once "4b warm-up stream" || true
  jstat_start
  MARK=$(wc -l <"$SERVICE_LOG")
  slow_clients b steady "$SLOW_CLIENTS" "$SLOW_RATE_BYTES" "$STEADY_SECONDS"
  B_LINE="$SLOW_OK got HTTP 200, $SLOW_STREAMED received rows, $SLOW_BYTES bytes in all; status/end: $SLOW_ENDS"
  B_HEAP="before $SLOW_BEFORE; max after a GC pause $SLOW_MAX_PAUSE ($SLOW_GCS pauses); GC.run halfway $SLOW_FORCED_MID, 3 s before the end $SLOW_FORCED_END; after $SLOW_AFTER; jstat max in use $SLOW_MAX_USED"
  B_MISC="stream cursors open 3 s before the end: $SLOW_ACTIVE; cpu then: $SLOW_CPU; PostgreSQL temp files: $SLOW_TEMP"
  B_EVENTS=$(service_events "$MARK")
  B_MAX=$SLOW_MAX_AFTER B_FORCED=$SLOW_MAX_FORCED B_STREAMED=$SLOW_STREAMED
fi

stop_stream_service
SERVICE_EVENTS=$(service_events 0)

THROUGHPUT_VERDICT=$(verdict "$R_THROUGHPUT" "$TARGET_RATIO")
list() { local IFS=' '; echo "$*"; }

# ---------------------------------------------------------------- report
{
  echo "Sluice streaming benchmark  $(date -u '+%F %T UTC')"
  echo "command: bench/stream.sh   (runs $STREAM_RUNS, first-byte runs $TTFB_RUNS, heap streams $HEAP_STREAMS," \
    "slow clients $SLOW_CLIENTS x $SLOW_RATE/s: curl ${SLOW_SECONDS}s, steady ${STEADY_SECONDS}s with pool $STEADY_POOL)"
  echo "all on 127.0.0.1; service: java -Xmx1g -Xlog:gc*:file=… -jar bench/out/sluice.jar; streaming limits from bench/conf/zz-stream.json"
  echo
  print_machine
  echo "  clients:       $(curl --version | head -1 | cut -d' ' -f1-2), $(psql --version)"
  echo "  jar:           sha256 $(sha256sum "$JAR" | cut -c1-16)…, built $(date -u -r "$JAR" '+%F %T UTC')"
  echo "  data:          videos $ROWS rows (pg_stats correlation of created_at: $CORRELATION); $(cat "$SEED_MARK" 2>/dev/null || echo n/a)"
  echo "  load at start: $OTHER_LOAD"
  echo "  GC:            $(grep -m1 -o 'Using [A-Za-z0-9]*' "$RUN_DIR/gc-1.log" 2>/dev/null || echo n/a), heap max 1 GB"
  echo
  echo "GET $URL  (NDJSON, Accept: */*)"
  echo "  verified once: HTTP $V_CODE, $V_TYPE, curl exit $V_EXIT, $V_BYTES bytes, wc -l = $V_LINES (table: $ROWS rows)"
  echo "  line check: $V_CHECK"
  echo
  echo "1. throughput, $ROWS rows a stream, $STREAM_RUNS rounds (each: JVM stream, row_to_json stream, the \\copy runs)"
  echo "  stream, rows written on the JVM:   seconds $(list "${G_TOT[@]}"); first byte at $(list "${G_TTFB1[@]}") s"
  echo "                                     rows/s  $(list "${G_RPS[@]}")  -> median $G_MEDIAN"
  echo "  stream, row_to_json (2nd service): seconds $(list "${Q_TOT[@]}"), rows/s $(list "${Q_RPS[@]}") -> median $Q_MEDIAN"
  echo "  \\copy floor, index plan (enable_sort=off, the service's: $PLAN_SERVICE):"
  echo "                                     seconds $(list "${P_SEC[@]}"), rows/s $(list "${P_RPS[@]}") -> median $P_MEDIAN"
  echo "  \\copy floor, default plan ($PLAN_DEFAULT):"
  echo "                                     seconds $(list "${C_SEC[@]}"), rows/s $(list "${C_RPS[@]}") -> median $C_MEDIAN"
  echo "  \\copy (SELECT * FROM videos):     seconds $(list "${A_SEC[@]}"), rows/s $(list "${A_RPS[@]}") -> median $A_MEDIAN"
  echo "  \\copy of the row_to_json SQL:     seconds $(list "${J_SEC[@]}"), rows/s $(list "${J_RPS[@]}") -> median $J_MEDIAN"
  echo "  PostgreSQL temp files over the rounds: $G_TEMP"
  echo "  floor SQL (what the service sends): $FLOOR_SQL"
  echo "  row_to_json SQL: $R2J_SQL"
  echo "2. first byte (curl time_starttransfer), ms: $(list "${T_MS[@]}")  -> median $T_MEDIAN"
  echo "   whole streams of these runs, s: $(list "${T_TOTALS[@]}")"
  echo "   first NDJSON row (requests that stop there), ms: $(list "${R_MS[@]}")  -> median $R_MEDIAN" \
    "(headers at $(list "${R_HEAD_MS[@]}") ms)"
  echo "3. heap used after GC, MB: before (GC.run) $H_BEFORE; max after a GC pause during stream 1: $H_MAX1 ($H_GCS1 pauses);"
  echo "   during streams 1-$HEAP_STREAMS ($H_ROWS rows): $H_MAX10 ($H_GCS10 pauses: $H_KINDS); after (GC.run) $H_AFTER"
  echo "   jstat every 200 ms ($H_SAMPLES samples): max heap in use incl. garbage $H_USED10 MB, max old gen $H_OLD10 MB" \
    "(stream 1: $H_USED1 / $H_OLD1)"
  echo "   rows/s of the $HEAP_STREAMS streams: $(list "${H_RPS[@]}") (median $H_RPS_MEDIAN)"
  echo "   cpu over them: $CPU_SPLIT"
  echo "   JVM threads (jcmd Thread.print cpu=, before/after): $CPU_HEAP_THREADS"
  echo "4a. $SLOW_CLIENTS x curl --limit-rate $SLOW_RATE --max-time $SLOW_SECONDS at once, database.pool_size $A_POOL:"
  echo "   $A_LINE"
  echo "   heap after GC, MB: $A_HEAP"
  echo "   $A_MISC"
  echo "   service log: ${A_EVENTS:-no stream events}"
  if ((STEADY_SECONDS > 0)); then
    echo "4b. $SLOW_CLIENTS steady readers at $SLOW_RATE_BYTES bytes/s for ${STEADY_SECONDS}s at once, database.pool_size $STEADY_POOL (restarted):"
    echo "   $B_LINE"
    echo "   heap after GC, MB: $B_HEAP"
    echo "   $B_MISC"
    echo "   service log: ${B_EVENTS:-no stream events}"
  fi
  echo "cpu (top over 1 s) 1 s into one stream: $CPU_SORT"
  echo "cpu (top over 1 s) 4 s into it:         $CPU_STREAM"
  echo "    its JVM threads:                    $CPU_THREADS"
  echo "service log, whole run: ${SERVICE_EVENTS:-no stream events}"
  echo
  printf '%-62s %12s %10s  %s\n' "figure" value target verdict
  printf '%-62s %12s %10s  %s\n' "stream rows/s, JVM encoding (median of $STREAM_RUNS)" "$G_MEDIAN" "" ""
  printf '%-62s %12s %10s  %s\n' "stream rows/s, row_to_json (median of $STREAM_RUNS)" "$Q_MEDIAN" "" ""
  printf '%-62s %12s %10s  %s\n' "\\copy floor rows/s, faster plan (median of $STREAM_RUNS)" "$F_MEDIAN" "" ""
  printf '%-62s %12s %10s  %s\n' "stream (JVM) / \\copy floor" "$R_THROUGHPUT" ">= $TARGET_RATIO" "$THROUGHPUT_VERDICT"
  printf '%-62s %12s %10s  %s\n' "stream (row_to_json) / \\copy floor" "$R_R2J" "" ""
  printf '%-62s %12s %10s  %s\n' "stream JVM / stream row_to_json" "$R_ENCODINGS" "" ""
  printf '%-62s %12s %10s  %s\n' "stream (JVM) / \\copy (SELECT * FROM videos)" "$R_STAR" "" ""
  printf '%-62s %12s %10s  %s\n' "stream (row_to_json) / \\copy of its SQL" "$R_R2J_SQL" "" ""
  printf '%-62s %12s %10s  %s\n' "first byte (curl time_starttransfer), ms (median of $TTFB_RUNS)" "$T_MEDIAN" "< $TARGET_TTFB_MS" "$TTFB_VERDICT"
  printf '%-62s %12s %10s  %s\n' "first NDJSON row, ms (median of $TTFB_RUNS)" "$R_MEDIAN" "< $TARGET_TTFB_MS" "$ROW_VERDICT"
  printf '%-62s %12s %10s  %s\n' "heap after GC before streaming, MB" "$H_BEFORE" "" ""
  printf '%-62s %12s %10s  %s\n' "growth, max after-GC during 1 stream ($ROWS rows), MB" "$G1" "< $TARGET_GROWTH_MB" "$(under "$G1" "$TARGET_GROWTH_MB")"
  printf '%-62s %12s %10s  %s\n' "growth, max after-GC during $HEAP_STREAMS streams ($H_ROWS rows), MB" "$G10" "< $TARGET_GROWTH_MB" "$(under "$G10" "$TARGET_GROWTH_MB")"
  printf '%-62s %12s %10s  %s\n' "growth after the $HEAP_STREAMS streams (GC.run), MB" "$GA" "< $TARGET_GROWTH_MB" "$(under "$GA" "$TARGET_GROWTH_MB")"
  printf '%-62s %12s %10s  %s\n' "4a heap after GC, max in ${SLOW_SECONDS}s (GC.run max), MB" "$A_MAX ($A_FORCED)" "bounded" "$A_STREAMED/$SLOW_CLIENTS clients got rows"
  if ((STEADY_SECONDS > 0)); then
    printf '%-62s %12s %10s  %s\n' "4b heap after GC, max in ${STEADY_SECONDS}s (GC.run max), MB" "$B_MAX ($B_FORCED)" "bounded" "$B_STREAMED/$SLOW_CLIENTS clients got rows"
  fi
  if ((${#PROBLEMS[@]})); then
    echo
    echo "problems"
    for p in "${PROBLEMS[@]}"; do echo "  - $p"; done
  fi
  echo
  echo "run took $((SECONDS - START)) s; raw outputs in ${RUN_DIR#"$ROOT"/} (gc-*.log, jstat-*.txt, top-*.txt, slow-*.txt," \
    "threads-streaming.txt, service.log)"
} | tee "$RESULTS"
