#!/usr/bin/env bash
# A local Sluice cluster in one command, for trying it by hand: two processes on loopback, joined by Hazelcast.
#   node L (Hazelcast 127.0.0.1:5801): the loaders and a monitor; it hosts the embedded PostgreSQL (data in
#          ./data-cluster, seeded `small` on first start, on port 55440)
#   node G (Hazelcast 127.0.0.1:5802): the gateway and a monitor, HTTP on :8080, on L's database
# Ctrl-C stops both (each drains and stops cleanly). Logs: target/local-cluster/{loaders,gateway}.log.
# Settings (environment): SLUICE_HTTP_PORT (8080), SLUICE_CURSOR_SECRET (a fixed dev secret), SLUICE_SEED_SCALE.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=target/sluice.jar
[[ -f $JAR ]] || ./mvnw -q -B package -DskipTests
LOGS=target/local-cluster
mkdir -p "$LOGS" "$LOGS/conf"
cp conf/*.json conf/cluster.xml "$LOGS/conf/"
# the hosting node's embedded PostgreSQL on a known port, so that the gateway node can be given its URL
echo '{"database": {"embedded_port": 55440}}' >"$LOGS/conf/zz-local-cluster.json"

export SLUICE_CONF_DIR="$LOGS/conf"
export SLUICE_CURSOR_SECRET=${SLUICE_CURSOR_SECRET:-local-cluster-dev-secret}
export SLUICE_CLUSTER_MEMBERS=127.0.0.1:5801,127.0.0.1:5802
PIDS=()
stop() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT INT TERM

SLUICE_CLUSTER_PORT=5801 SLUICE_ROLE=loaders,monitor SLUICE_HOSTS_DATABASE=true SLUICE_DATA_DIR=./data-cluster \
  java -jar "$JAR" run --cluster >"$LOGS/loaders.log" 2>&1 &
PIDS+=($!)
echo "loader node starting (log: $LOGS/loaders.log; the first start seeds the database)"
for ((i = 0; i < 600; i++)); do
  grep -q "sluice.started" "$LOGS/loaders.log" && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { tail -20 "$LOGS/loaders.log"; exit 1; }
  sleep 1
done

SLUICE_CLUSTER_PORT=5802 SLUICE_ROLE=gateway,monitor SLUICE_DATABASE_URL=postgresql://postgres@127.0.0.1:55440/sluice \
  java -jar "$JAR" run --cluster >"$LOGS/gateway.log" 2>&1 &
PIDS+=($!)
PORT=${SLUICE_HTTP_PORT:-8080}
for ((i = 0; i < 120; i++)); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready" && break
  sleep 1
done
echo "gateway node ready: curl 'http://127.0.0.1:$PORT/api/v1/videos?limit=3'   (Ctrl-C stops both nodes)"
wait
