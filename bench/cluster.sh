#!/usr/bin/env bash
# What the extra hop of a cluster costs: one process with everything (A) beside the gateway and the loaders on two
# processes joined by Hazelcast on loopback (B), both up at once on the same embedded PostgreSQL with the `medium`
# data, measured in pairs A B A B ... so that each ratio B/A compares two runs made a moment apart on this noisy
# machine; the median of the pairs is the figure.
#
#   bench/cluster.sh            (BENCH_SKIP_BUILD=1 reuses target/sluice.jar; BENCH_PAIRS=5)
#
# Per pair, for A then B:
#   stream    the NDJSON stream of all videos, `curl` to the last byte (rows/s)
#   uncached  the first page of videos (`/api/v1/videos?limit=100`; videos are not cached in this run),
#             `hey -n 4000 -c 16` (requests/s)
#   cached    the first page of users (`/api/v1/users?limit=100`; cached), `hey -n 20000 -c 16` (requests/s)
# Each is run once on both before the pairs start (JIT, PostgreSQL's buffers, the cache). Prints every pair and the
# medians, and writes them to bench/out/cluster-<UTC>.txt. Needs the bench data of bench/run.sh (seeded `medium` in
# bench/out/pgdata): run that once first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out"
TS=$(date -u +%Y%m%dT%H%M%SZ)
RUN="$OUT/cluster-run-$TS"
RESULT="$OUT/cluster-$TS.txt"
PAIRS=${BENCH_PAIRS:-5}
PORT_A=18080
PORT_B=18082
PG=55439
DATA="$OUT/pgdata"
mkdir -p "$RUN"
log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for tool in hey curl; do
  command -v $tool >/dev/null || apt-get install -y $tool >/dev/null || die "could not install $tool"
done
[[ -f $OUT/seeded-medium ]] || die "no bench data: run bench/run.sh once (it seeds bench/out/pgdata)"
for port in $PORT_A $PORT_B $PG 5811 5812; do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && die "port $port is in use"
done

JAR="$ROOT/target/sluice.jar"
[[ ${BENCH_SKIP_BUILD:-0} = 1 && -f $JAR ]] || ./mvnw -q -B package -DskipTests
cp "$JAR" "$RUN/sluice.jar"

# one configuration for all three processes: the bench's ports and data, videos not cached, users cached
CONF="$RUN/conf"
mkdir -p "$CONF"
cp conf/sluice.json conf/cluster.xml bench/conf/zz-bench.json bench/conf/zz-stream.json "$CONF/"
cat >"$CONF/zz-cluster-bench.json" <<'EOF'
{"lazy_loading": {"enable_prefetching": false}, "data_types": {"videos": {"max_entries": 0}}}
EOF

PIDS=()
stop_all() {
  local pid i
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  PIDS=()
}
trap stop_all EXIT INT TERM

ready() { # port
  local i
  for ((i = 0; i < 240; i++)); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/health/ready" && return 0
    sleep 0.5
  done
  die "port $1 not ready; logs in $RUN"
}

export SLUICE_CONF_DIR="$CONF" SLUICE_CURSOR_SECRET=bench-cluster-secret SLUICE_SEED_SCALE=none
# A: everything in one process, hosting the embedded PostgreSQL
SLUICE_DATA_DIR="$DATA" SLUICE_HTTP_PORT=$PORT_A java -Xmx1g -jar "$RUN/sluice.jar" run >"$RUN/one.log" 2>&1 &
PIDS+=($!)
ready $PORT_A
# B: the loaders on one process, the gateway on another, both on A's PostgreSQL
CLUSTER=(SLUICE_CLUSTER=true SLUICE_CLUSTER_NAME="bench-$TS" SLUICE_CLUSTER_MEMBERS=127.0.0.1:5811,127.0.0.1:5812
  SLUICE_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG/sluice")
env "${CLUSTER[@]}" SLUICE_CLUSTER_PORT=5811 SLUICE_ROLE=loaders,monitor \
  java -Xmx1g -jar "$RUN/sluice.jar" run >"$RUN/two-loaders.log" 2>&1 &
PIDS+=($!)
env "${CLUSTER[@]}" SLUICE_CLUSTER_PORT=5812 SLUICE_ROLE=gateway,monitor SLUICE_HTTP_PORT=$PORT_B \
  java -Xmx1g -jar "$RUN/sluice.jar" run >"$RUN/two-gateway.log" 2>&1 &
PIDS+=($!)
ready $PORT_B

stream_rate() { # port: rows/s
  local secs rows
  secs=$(curl -s -w '%{time_total}' -o "$RUN/stream.ndjson" "http://127.0.0.1:$1/api/v1/videos/stream")
  rows=$(grep -c '"id"' "$RUN/stream.ndjson" || true)
  rm -f "$RUN/stream.ndjson"
  ((rows == 1000000)) || die "the stream on port $1 ended after $rows rows"
  awk -v r="$rows" -v s="$secs" 'BEGIN {printf "%.0f", r / s}'
}
rps() { # port path requests: requests/s, and every reply a 200
  local out
  out=$(hey -n "$3" -c 16 "http://127.0.0.1:$1$2")
  grep -q '\[200\]' <<<"$out" || die "no 200s from port $1$2"
  if grep -E '^\s+\[[0-9]+\]' <<<"$out" | grep -qv '\[200\]'; then die "non-200 replies from port $1$2"; fi
  awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out"
}
figure() { # what port
  case $1 in
    stream) stream_rate "$2" ;;
    uncached) rps "$2" "/api/v1/videos?limit=100" 4000 ;;
    cached) rps "$2" "/api/v1/users?limit=100" 20000 ;;
  esac
}

WHAT=(stream uncached cached)
log "warming up both shapes"
for what in "${WHAT[@]}"; do figure "$what" $PORT_A >/dev/null; figure "$what" $PORT_B >/dev/null; done
declare -A A B
for ((p = 1; p <= PAIRS; p++)); do
  for what in "${WHAT[@]}"; do
    A[$what-$p]=$(figure "$what" $PORT_A)
    B[$what-$p]=$(figure "$what" $PORT_B)
    log "pair $p $what: one process ${A[$what-$p]}, two processes ${B[$what-$p]}"
  done
done

{
  echo "# bench/cluster.sh $TS: one process (A) vs gateway + loaders on two processes (B), medium data, pairs A B"
  printf '%-34s %s\n' "figure" "pairs: A / B = ratio"
  for what in "${WHAT[@]}"; do
    unit=$([[ $what = stream ]] && echo "rows/s" || echo "req/s")
    line="" ratios=()
    for ((p = 1; p <= PAIRS; p++)); do
      r=$(awk -v a="${A[$what-$p]}" -v b="${B[$what-$p]}" 'BEGIN {printf "%.2f", b / a}')
      ratios+=("$r")
      line+="${A[$what-$p]}/${B[$what-$p]}=$r  "
    done
    median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
    printf '%-34s %s\n' "$what ($unit)" "$line"
    printf '%-34s %s\n' "  median B/A" "$median"
  done
  echo "target: B at least 0.70 of A on uncached pages and streams"
} | tee "$RESULT"
log "written $RESULT"
