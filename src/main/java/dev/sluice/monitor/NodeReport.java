package dev.sluice.monitor;

import dev.sluice.node.Cluster;
import dev.sluice.node.Node;
import dev.sluice.node.NodeState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a clustered node's monitor tells the others about its node: who it is (its id, host, the
 * parts of Sluice it runs, since when) and a summary of its health by the rules of {@code /health},
 * over the parts it runs.
 */
final class NodeReport {

  private final Node node;
  private final Cluster cluster;
  private final String host;

  NodeReport(Node node, Cluster cluster, String host) {
    this.node = node;
    this.cluster = cluster;
    this.host = host;
  }

  /**
   * {@code {id, host, event_bus, roles, loaders, started_at, uptime_seconds}}: {@code roles} are
   * those of {@code gateway}, {@code loaders} and {@code monitor} that have a verticle running
   * here, {@code loaders} the families whose loader runs here, both in a fixed order.
   */
  JsonObject identity() {
    Set<String> running = node.state().running();
    List<String> loaders = loaders(running);
    JsonArray roles = new JsonArray();
    if (running.contains(NodeState.GATEWAY)) {
      roles.add(NodeState.GATEWAY);
    }
    if (!loaders.isEmpty()) {
      roles.add("loaders");
    }
    if (running.contains(NodeState.MONITOR)) {
      roles.add(NodeState.MONITOR);
    }
    long started = node.state().startedAt();
    return new JsonObject()
        .put("id", cluster.nodeId())
        .put("host", host)
        .put("event_bus", cluster.eventBus())
        .put("roles", roles)
        .put("loaders", new JsonArray(loaders))
        .put("started_at", Instant.ofEpochMilli(started).toString())
        .put("uptime_seconds", Math.max(0, (System.currentTimeMillis() - started) / 1000));
  }

  /**
   * The node's health: {@code {status, shutting_down, database, memory, loaders: {family: {breaker,
   * level, …}}}} for the loaders it runs; {@code status} is {@code DOWN} when the node is shutting
   * down, its round trip to PostgreSQL failed, memory is critical, or one of its loaders has its
   * circuit open, as the node's own {@code /health} checks would be (a loader's figures, its hit
   * rate, are shown and never make it DOWN).
   *
   * @param judgement the monitor's {@code {memory, loaders}} judgement ({@code action: health})
   * @param database the monitor's round trip to PostgreSQL ({@code action: ping})
   */
  JsonObject health(JsonObject judgement, JsonObject database) {
    boolean stopping = node.state().isShuttingDown();
    JsonObject memory = judgement.getJsonObject("memory");
    boolean up =
        !stopping
            && Boolean.TRUE.equals(database.getBoolean("up"))
            && !"critical".equals(memory.getString("level"));
    JsonObject loaders = new JsonObject();
    for (String family : loaders(node.state().running())) {
      String breaker = node.loaderStats(family).breakerState().toLowerCase(Locale.ROOT);
      JsonObject figures =
          new JsonObject()
              .put("breaker", breaker)
              .mergeIn(judgement.getJsonObject("loaders").getJsonObject(family, new JsonObject()));
      up &= !"open".equals(breaker);
      loaders.put(family, figures);
    }
    return new JsonObject()
        .put("status", up ? "UP" : "DOWN")
        .put("shutting_down", stopping)
        .put("database", database)
        .put("memory", memory)
        .put("loaders", loaders);
  }

  private List<String> loaders(Set<String> running) {
    return node.families().stream().filter(running::contains).toList();
  }
}
