#!/usr/bin/env bash
# Sluice parallel-batches benchmark, one command: bench/parallel.sh   (see docs/BENCHMARKS.md, "Parallel batches
# through the typed client")
#
# On the medium data set (1,000,000 videos in bench/out/pgdata, seeded once as bench/run.sh does), in one run and one
# JVM (dev.sluice.bench.ParallelBench, in src/test): a videos loader deployed as verticles.json deploys it, and one
# handler that decodes every row with Jackson's streaming parser and sums view_count, run over every video through
# SluiceClient.processBatches as one stream (one range: no cut) and as 2 and 4 concurrent keyset ranges, the three
# in turn, round after round (the order turned each round). The handler runs two ways, both measured: on the caller's
# event loop ("loop") and on the worker pool ("workers", executeBlocking unordered). Every run must see every row and
# PostgreSQL's sum(view_count). Prints the seconds of each run, the medians, rows/s and the speed-up over one stream,
# writes them to bench/out/parallel-results-<timestamp>.txt, and stops the service (also on failure or interruption).
#
# The embedded PostgreSQL is started by the service jar (as the other scripts do), which then sits idle; the
# benchmark's JVM talks to the database itself. A run builds its own jar and configuration in its run directory, so
# it never replaces bench/out/sluice.jar or bench/out/conf that another script may be using.
#
# Settings (environment), besides those of bench/lib.sh (BENCH_HTTP_PORT, BENCH_PG_PORT, …):
#   BENCH_ROUNDS=3                 measured rounds (after one warm-up pass of each kind)
#   BENCH_RANGES=1,2,4             range counts measured (1 is the single stream)
#   BENCH_HANDLERS=loop,workers    where the handler runs
#   BENCH_LOADER_INSTANCES=1       videos loader instances (verticles.json deploys 1)
#   BENCH_OUT_DIR                  another bench/out holding the seeded data (pgdata, seeded-medium), e.g. that of the
#                                  main worktree when run from a second one; it is never seeded from here
set -euo pipefail

LOG_TAG=parallel
# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"   # sets BENCH_DIR, ROOT (and cd's there), OUT, TS, …

ROUNDS=${BENCH_ROUNDS:-3}
RANGES=${BENCH_RANGES:-1,2,4}
HANDLERS=${BENCH_HANDLERS:-loop,workers}
INSTANCES=${BENCH_LOADER_INSTANCES:-1}
if [[ -n ${BENCH_OUT_DIR:-} ]]; then
  OUT=$(cd "$BENCH_OUT_DIR" && pwd)
  SEED_MARK="$OUT/seeded-$SCALE"
  VACUUM_MARK="$OUT/vacuumed-$SCALE"
fi

RUN_DIR="$OUT/parallel-$TS"
RESULTS="$OUT/parallel-results-$TS.txt"
SERVICE_LOG="$RUN_DIR/service.log"
JAR="$RUN_DIR/sluice.jar"
CONF_DIR="$RUN_DIR/conf"
CLASSPATH_FILE="$RUN_DIR/test-classpath.txt"
mkdir -p "$RUN_DIR"

need jq jq
need curl curl
need psql postgresql-client
command -v java >/dev/null || die "java 17 is needed"
read_bench_conf
if [[ -n ${BENCH_OUT_DIR:-} ]]; then DATA_DIR="$OUT/pgdata"; fi
trap_cleanup

# ---------------------------------------------------------------- the run
START=$SECONDS
OTHER_LOAD="load average $(cut -d' ' -f1-3 /proc/loadavg); $(ps -eo pcpu= | awk '{ s += $1 } END { printf "%.0f", s }') % cpu in use by all processes"
log "before starting: $OTHER_LOAD"
port_in_use "$PG_PORT" && die "port $PG_PORT is in use (another benchmark running on the data set?)"
build
log "building the test classes (ParallelBench) and their classpath"
./mvnw -q -B test-compile dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test \
  >"$RUN_DIR/test-build.log" 2>&1 || { tail -20 "$RUN_DIR/test-build.log" >&2; die "the test classes did not build"; }
prepare_conf
if [[ ! -f $SEED_MARK ]]; then
  [[ -z ${BENCH_OUT_DIR:-} ]] || die "$OUT holds no seeded data set ($SEED_MARK)"
  seed
fi
start_service
ensure_data
PG_VERSION=$("${PSQL[@]}" -Atc "SELECT version()")
VIDEOS=$("${PSQL[@]}" -Atc "SELECT count(*) FROM videos")
TABLE_MB=$("${PSQL[@]}" -Atc "SELECT pg_total_relation_size('videos') / 1048576")

log "ParallelBench: $ROUNDS rounds of ranges $RANGES, handlers $HANDLERS, $INSTANCES loader instance(s)"
java -Xmx1g -cp "$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CLASSPATH_FILE")" dev.sluice.bench.ParallelBench \
  "postgresql://postgres@127.0.0.1:$PG_PORT/sluice" "$ROUNDS" "$INSTANCES" "$RANGES" "$HANDLERS" \
  2>"$RUN_DIR/bench.log" >"$RUN_DIR/bench.txt" &
BENCH_PID=$!
# the measured lines as they come (the rest of its output is the loader's log)
tail -f --pid="$BENCH_PID" "$RUN_DIR/bench.txt" 2>/dev/null | grep --line-buffered '^parallel ' >&2 &
wait "$BENCH_PID" || { tail -20 "$RUN_DIR/bench.log" >&2; die "ParallelBench failed; see $RUN_DIR/bench.txt"; }
AFTER_LOAD="load average $(cut -d' ' -f1-3 /proc/loadavg)"
stop_service
JAR_SUM=$(sha256sum "$JAR" | cut -c1-16)
rm -f "$JAR"   # its checksum is in the results; a jar per run would pile up

# ---------------------------------------------------------------- report
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) printf "%.3f", v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
{
  echo "Sluice parallel-batches benchmark, $(date -u +%FT%TZ), $((SECONDS - START)) s"
  echo "command: bench/parallel.sh   (rounds $ROUNDS, ranges $RANGES, handlers $HANDLERS, videos loader instances $INSTANCES)"
  print_machine
  echo "  load:          before the run: $OTHER_LOAD; after it: $AFTER_LOAD"
  echo "  jar:           sha256 $JAR_SUM…, commit $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src || echo ' (with local changes)')"
  echo "  data:          videos $VIDEOS rows, $TABLE_MB MB with indexes; $(cat "$SEED_MARK" 2>/dev/null || echo n/a)"
  echo "  $(grep -m1 'parallel-bench:' "$RUN_DIR/bench.log" || true)"
  echo
  echo "Every video through SluiceClient.processBatches(VIDEO_STREAM, {}, ranges, handler); the handler decodes each"
  echo "NDJSON line whole with Jackson's streaming parser and sums view_count (checked against PostgreSQL's sum)."
  echo "ranges=1 is one stream (no cut). loop: the handler on the caller's event loop; workers: executeBlocking, unordered."
  echo
  printf '%-8s %-7s %-40s %8s %8s %8s %7s %7s %6s  %s\n' handler ranges "seconds, each round" median rows/s \
    speed-up paired jvm-cpu cores cut
  IFS=',' read -r -a H_LIST <<<"$HANDLERS"
  IFS=',' read -r -a N_LIST <<<"$RANGES"
  for h in "${H_LIST[@]}"; do
    base=$(median $(grep "handler=$h ranges=1 " "$RUN_DIR/bench.txt" | field seconds))
    for n in "${N_LIST[@]}"; do
      lines=$(grep "handler=$h ranges=$n " "$RUN_DIR/bench.txt" || true)
      [[ -n $lines ]] || continue
      secs=$(field seconds <<<"$lines" | tr '\n' ' ')
      med=$(median $secs)
      rps=$(awk -v r="$VIDEOS" -v s="$med" 'BEGIN { if (s + 0 > 0) printf "%.0f", r / s; else print "n/a" }')
      speed=$(ratio "$base" "$med")
      # the same round's single stream over this run: pairs taken side by side
      paired=$(for r in $(seq 1 "$ROUNDS"); do
        one=$(grep "handler=$h ranges=1 round=$r " "$RUN_DIR/bench.txt" | field seconds)
        this=$(grep "handler=$h ranges=$n round=$r " "$RUN_DIR/bench.txt" | field seconds)
        [[ -n $one && -n $this ]] && awk -v a="$one" -v b="$this" 'BEGIN { printf "%.3f\n", a / b }'
      done)
      cut=$(field cut <<<"$lines" | sort -u | tr '\n' ' ')
      per=$(field per_range <<<"$lines" | tail -1)
      jvm=$(median $(field jvm_cpu_s <<<"$lines"))
      cores=$(median $(field busy_cores <<<"$lines"))
      printf '%-8s %-7s %-40s %8s %8s %8s %7s %7.1f %6.2f  %s %s\n' "$h" "$n" "$secs" "$med" "$rps" "$speed" \
        "$(median $paired)" "$jvm" "$cores" "$cut" "$per"
    done
  done
  echo
  echo "speed-up: median seconds of one stream / median seconds of this run; paired: median over the rounds of"
  echo "(that round's single stream / this run); jvm-cpu: CPU seconds of the benchmark's JVM (loader, client, handler,"
  echo "GC) in a run, median; cores: cores the whole machine kept busy during a run (/proc/stat, PostgreSQL and anything"
  echo "else running included), median, of $(nproc). Raw lines: $RUN_DIR/bench.txt"
} | tee "$RESULTS"
