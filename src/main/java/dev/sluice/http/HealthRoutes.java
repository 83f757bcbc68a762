package dev.sluice.http;

import dev.sluice.api.Addresses;
import dev.sluice.api.Operation;
import dev.sluice.bus.Delivery;
import dev.sluice.bus.MonitorClient;
import dev.sluice.node.Node;
import dev.sluice.node.NodeState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;

/**
 * {@code /health}, {@code /health/live} and {@code /health/ready} (vertx-health-check, through
 * vertx-web's handler: 200 when every check is UP, 503 otherwise). Each check asks the part that
 * knows over the event bus, with a timeout of its own shorter than the check's, so a stalled part
 * is a DOWN check and never a failed one:
 *
 * <ul>
 *   <li>{@code database}: the monitor's round trip to PostgreSQL, with its latency;
 *   <li>{@code loader.<family>}: the loader answers (it is deployed), its breaker's state and the
 *       monitor's judgement of its last minute (errors, cache hit rate); DOWN when it does not
 *       answer or its breaker is open, never for its figures (a low hit rate is a tuning signal, in
 *       statistics, alerts and metrics);
 *   <li>{@code memory}: the monitor's judgement of heap use against the limit; DOWN when critical;
 *   <li>{@code node}: DOWN once the node is shutting down;
 *   <li>{@code cluster}, on a clustered node only: Hazelcast's state of the cluster and every
 *       member's health summary ({@link ClusterViews#health}); DOWN while the cluster is not {@code
 *       ACTIVE} or not safe.
 * </ul>
 *
 * On a clustered node the database and memory checks ask this node's own monitor. Readiness holds
 * the database, whether each loader answers at all, and the node; liveness only that the gateway's
 * event loop answers.
 */
final class HealthRoutes {

  static final long ASK_TIMEOUT_MS = 1_500;
  static final long CHECK_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final Node node;
  private final List<String> loaders;

  /** Every member's view, on a clustered node; null on one that runs alone. */
  private final ClusterViews views;

  /** Whichever monitor the bus picks. */
  private final MonitorClient anyMonitor;

  /** This node's own monitor, on a clustered node; null on one that runs alone. */
  private final MonitorClient ownMonitor;

  HealthRoutes(Node node, ClusterViews views) {
    this.node = node;
    this.vertx = node.vertx();
    this.views = views;
    this.loaders = node.families();
    // sent again if its consumer is stopping or its node is lost: an answer lost with a node is no
    // verdict
    this.anyMonitor = MonitorClient.create(vertx, node.membership(), ASK_TIMEOUT_MS);
    this.ownMonitor =
        node.cluster().map(cluster -> anyMonitor.ofNode(cluster.nodeId())).orElse(null);
  }

  void mount(HttpGatewayVerticle.Routes routes) {
    HealthChecks all = HealthChecks.create(vertx);
    HealthChecks ready = HealthChecks.create(vertx);
    HealthChecks live = HealthChecks.create(vertx);
    all.register("database", CHECK_TIMEOUT_MS, this::database);
    ready.register("database", CHECK_TIMEOUT_MS, this::database);
    for (String family : loaders) {
      all.register("loader." + family, CHECK_TIMEOUT_MS, promise -> loader(family, true, promise));
      ready.register(
          "loader." + family, CHECK_TIMEOUT_MS, promise -> loader(family, false, promise));
    }
    all.register("memory", CHECK_TIMEOUT_MS, this::memory);
    all.register("node", CHECK_TIMEOUT_MS, this::node);
    if (views != null) {
      all.register("cluster", CHECK_TIMEOUT_MS, promise -> views.health().onComplete(promise));
    }
    ready.register("node", CHECK_TIMEOUT_MS, this::node);
    live.register("event-loop", CHECK_TIMEOUT_MS, promise -> promise.complete(Status.OK()));
    routes.get("/health", HealthCheckHandler.createWithHealthChecks(all));
    routes.get("/health/ready", HealthCheckHandler.createWithHealthChecks(ready));
    routes.get("/health/live", HealthCheckHandler.createWithHealthChecks(live));
  }

  private void database(Promise<Status> promise) {
    monitor()
        .database()
        .onComplete(
            ar -> {
              JsonObject database =
                  ar.succeeded() ? ar.result() : unanswered("monitor", ar.cause());
              promise.complete(
                  Boolean.TRUE.equals(database.getBoolean("up"))
                      ? Status.OK(database)
                      : Status.KO(database));
            });
  }

  private void loader(String family, boolean judged, Promise<Status> promise) {
    Future<JsonObject> ping = ping(family);
    Future<JsonObject> judgement =
        judged ? monitor().health() : Future.succeededFuture(new JsonObject());
    Future.join(ping, judgement)
        .onComplete(
            ar -> {
              if (ping.failed()) {
                promise.complete(Status.KO(unanswered("loader", ping.cause())));
                return;
              }
              JsonObject data = new JsonObject().put("deployed", true);
              if (!judged) {
                promise.complete(Status.OK(data));
                return;
              }
              String breaker =
                  ping.result().getString("breaker", "CLOSED").toLowerCase(java.util.Locale.ROOT);
              data.put("breaker", breaker);
              JsonObject figures =
                  judgement.succeeded()
                      ? judgement
                          .result()
                          .getJsonObject("loaders", new JsonObject())
                          .getJsonObject(family)
                      : null;
              if (figures != null) {
                data.mergeIn(figures);
              }
              // the minute's figures are tuning signals (a cold cache, varied queries): shown,
              // alerted on, never DOWN; a
              // loader that cannot serve says so through its breaker, which opens on database
              // failures
              boolean up = !"open".equals(breaker);
              promise.complete(up ? Status.OK(data) : Status.KO(data));
            });
  }

  private void memory(Promise<Status> promise) {
    monitor()
        .health()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                promise.complete(Status.KO(unanswered("monitor", ar.cause())));
                return;
              }
              JsonObject memory = ar.result().getJsonObject("memory");
              promise.complete(
                  "critical".equals(memory.getString("level"))
                      ? Status.KO(memory)
                      : Status.OK(memory));
            });
  }

  private void node(Promise<Status> promise) {
    boolean stopping = node.state().isShuttingDown();
    JsonObject data = new JsonObject().put("shutting_down", stopping);
    promise.complete(stopping ? Status.KO(data) : Status.OK(data));
  }

  /**
   * The monitor of this node when it runs one (on a clustered node the bus would pick any member's,
   * and memory is this node's), else whichever the bus picks.
   */
  private MonitorClient monitor() {
    return ownMonitor != null && node.state().running().contains(NodeState.MONITOR)
        ? ownMonitor
        : anyMonitor;
  }

  /**
   * The loader of {@code family}'s answer to its ping ({@link Addresses#pingOf}): {@code
   * {breaker}}.
   */
  private Future<JsonObject> ping(String family) {
    // sent again if its consumer is stopping or its node is lost: a ping lost with a node is no
    // verdict
    return Delivery.<JsonObject>request(
            vertx,
            node.membership(),
            Addresses.pingOf(Operation.addressOf(family)),
            new JsonObject(),
            new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
        .map(Message::body);
  }

  private static JsonObject unanswered(String who, Throwable cause) {
    String why =
        cause instanceof io.vertx.core.eventbus.ReplyException reply
            ? reply.failureType().name().toLowerCase(java.util.Locale.ROOT)
            : "error";
    return new JsonObject().put("up", false).put("deployed", false).put("cause", who + " " + why);
  }
}
