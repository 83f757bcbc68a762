package dev.sluice.http;

import dev.sluice.api.Addresses;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.bus.MonitorClient;
import dev.sluice.node.Cluster;
import dev.sluice.node.Membership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import java.util.List;
import java.util.function.Function;

/**
 * The cluster as a gateway reports it (docs/API.md section 7, "Cluster"): every member the cluster
 * manager lists is asked by its own monitor's addresses ({@link Addresses#monitorOf}, through
 * {@link MonitorClient#ofNode}), each within {@value #NODE_TIMEOUT_MS} ms, all at once; a member
 * that does not answer in time, or runs no monitor, is listed as {@code unreachable}. The member
 * list is Hazelcast's own: it is what the event bus routes by, and a member that dies leaves it by
 * itself, where a registry the monitors kept would need a lease to forget one.
 */
final class ClusterViews {

  static final long NODE_TIMEOUT_MS = 1_500;

  private final MonitorClient monitors;
  private final Cluster cluster;

  ClusterViews(Vertx vertx, Cluster cluster) {
    // a member's monitor asked once: one that is silent is shown as it is, within the timeout
    this.monitors = MonitorClient.create(vertx, Membership.NONE, NODE_TIMEOUT_MS);
    this.cluster = cluster;
  }

  /**
   * The statistics document of this node (else of the first member that answered), with {@code
   * cluster}: {@code {name, node, members, top_level_from, nodes: [{id, status, roles, loaders, …,
   * stats}]}}. Fails with a 503 only when no member's monitor answered.
   */
  Future<JsonObject> stats() {
    return ask(MonitorClient::report)
        .compose(
            nodes -> {
              JsonObject top =
                  nodes.stream()
                      .filter(n -> up(n) && cluster.nodeId().equals(n.getString("id")))
                      .findFirst()
                      .or(() -> nodes.stream().filter(ClusterViews::up).findFirst())
                      .orElse(null);
              if (top == null) {
                return Future.failedFuture(
                    new ProblemException(
                        Problem.unavailable(
                            "No monitor of the cluster answered "
                                + "within "
                                + NODE_TIMEOUT_MS
                                + " ms",
                            5)));
              }
              JsonObject view =
                  new JsonObject()
                      .put("name", cluster.name())
                      .put("node", cluster.nodeId())
                      .put("members", nodes.size())
                      .put("top_level_from", top.getString("id"))
                      .put("nodes", new JsonArray(List.copyOf(nodes)));
              return Future.succeededFuture(top.getJsonObject("stats").copy().put("cluster", view));
            });
  }

  /**
   * The {@code cluster} health check: Hazelcast's state of the cluster ({@link Cluster#state}) and
   * every member's health summary under {@code nodes}. UP while the cluster is {@code ACTIVE} and
   * safe; a member that is DOWN or unreachable is shown, and is not this node's failure (its own
   * {@code /health} says so).
   */
  Future<Status> health() {
    Future<JsonObject> state = cluster.state();
    Future<List<JsonObject>> nodes = ask(MonitorClient::reportHealth);
    return Future.join(state, nodes)
        .transform(
            ar -> {
              JsonObject data =
                  state.result().copy().put("nodes", new JsonArray(List.copyOf(nodes.result())));
              boolean up =
                  "ACTIVE".equals(data.getString("state"))
                      && Boolean.TRUE.equals(data.getBoolean("safe"));
              return Future.succeededFuture(up ? Status.OK(data) : Status.KO(data));
            });
  }

  /**
   * Every member's monitor's answer to {@code question}, in the cluster's member order; never
   * fails.
   */
  private Future<List<JsonObject>> ask(Function<MonitorClient, Future<JsonObject>> question) {
    List<Future<JsonObject>> answers =
        cluster.members().stream()
            .map(
                id ->
                    question
                        .apply(monitors.ofNode(id))
                        .map(
                            reply ->
                                new JsonObject().put("id", id).put("status", "up").mergeIn(reply))
                        .otherwise(err -> unreachable(id, err)))
            .toList();
    return Future.join(answers)
        .transform(ar -> Future.succeededFuture(answers.stream().map(Future::result).toList()));
  }

  private static boolean up(JsonObject node) {
    return "up".equals(node.getString("status"));
  }

  private static JsonObject unreachable(String id, Throwable err) {
    String cause =
        !(err instanceof ReplyException reply)
            ? "error"
            : switch (reply.failureType()) {
              case TIMEOUT -> "timeout";
              case NO_HANDLERS -> "no_monitor";
              default -> "error";
            };
    return new JsonObject().put("id", id).put("status", "unreachable").put("cause", cause);
  }
}
