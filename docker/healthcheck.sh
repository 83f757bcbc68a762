#!/usr/bin/env bash
# The image's health check (HEALTHCHECK in docker/Dockerfile). What it asks depends on what the node deploys, read
# from the same environment variables Sluice reads (a role set only in a conf/ file is not seen here):
#  * a node with the gateway (not clustered, or SLUICE_ROLE unset, `all` or naming `gateway`) is healthy while
#    GET /health/live answers 200 (curl: the eclipse-temurin Ubuntu images install it);
#  * a clustered node without it (`loaders,monitor`) has no HTTP port: it is healthy while Hazelcast listens on
#    SLUICE_CLUSTER_PORT. That is read from /proc/net/tcp*, not by connecting, because Hazelcast logs every
#    connection that closes without a handshake.
# Readiness (database reachable, every loader answering) is /health/ready, for load balancers: docs/DEPLOYMENT.md.
set -u

role=$(printf '%s' "${SLUICE_ROLE:-all}" | tr '[:upper:]' '[:lower:]' | tr -d ' ')
clustered=$(printf '%s' "${SLUICE_CLUSTER:-false}" | tr '[:upper:]' '[:lower:]')

case ",$role," in
  *,all,* | *,gateway,*) gateway=yes ;;
  *) gateway=no ;;
esac
[ "$clustered" = true ] || gateway=yes # an unclustered node deploys everything, whatever the role says

if [ "$gateway" = yes ]; then
  host=${SLUICE_HTTP_HOST:-0.0.0.0}
  [ "$host" = 0.0.0.0 ] && host=127.0.0.1
  # Docker reads 1 as unhealthy and reserves other codes: curl's (7 refused, 22 HTTP error, 28 timeout) become 1
  curl -fsS -o /dev/null --max-time 4 "http://$host:${SLUICE_HTTP_PORT:-8080}/health/live" || exit 1
  exit 0
fi

port=$(printf '%04X' "${SLUICE_CLUSTER_PORT:-5701}")
# a socket in state 0A (LISTEN) on that local port, IPv4 or IPv6 (Java listens dual-stack)
grep -qE "^ *[0-9]+: [0-9A-F]+:$port [0-9A-F]+:[0-9A-F]+ 0A " /proc/net/tcp /proc/net/tcp6 2>/dev/null || {
  echo "nothing listens on the Hazelcast port ${SLUICE_CLUSTER_PORT:-5701}" >&2
  exit 1
}
