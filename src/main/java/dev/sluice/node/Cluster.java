package dev.sluice.node;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.ClusterHealthCheck;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * This node's place in its Vert.x cluster on Hazelcast: its node id (Vert.x's, the name the cluster
 * manager gives each member), the members, and Hazelcast's own state of the cluster. Recorded by
 * whoever builds a clustered {@code Vertx} (the launcher) into its node; an unclustered node has
 * none.
 */
public final class Cluster {

  /** How long Hazelcast may take to say whether the cluster is safe (it asks every member). */
  static final long VERDICT_TIMEOUT_MS = 1_500;

  private final Vertx vertx;
  private final HazelcastClusterManager manager;

  /** The cluster {@code vertx} was built into with {@code manager}. */
  public Cluster(Vertx vertx, HazelcastClusterManager manager) {
    this.vertx = vertx;
    this.manager = manager;
  }

  /** This node's id in the cluster. */
  public String nodeId() {
    return manager.getNodeId();
  }

  /**
   * Every member's node id, in Hazelcast's member order (the oldest first; the same order on every
   * member); none once Hazelcast has stopped on this node.
   */
  public List<String> members() {
    try {
      return manager.getNodes();
    } catch (RuntimeException e) { // HazelcastInstanceNotActiveException, while the node closes
      return List.of();
    }
  }

  /** The Hazelcast cluster name. */
  public String name() {
    return manager.getConfig().getClusterName();
  }

  /** The {@code host:port} this node's event bus announces, or null before it has. */
  public String eventBus() {
    NodeInfo info = manager.getNodeInfo();
    return info == null ? null : info.host() + ":" + info.port();
  }

  /**
   * Hazelcast's state of the cluster: {@code {name, node, members, state, version, safe}}. {@code
   * state} is Hazelcast's {@code ClusterState} ({@code ACTIVE} when it takes every operation);
   * {@code safe} is vertx-hazelcast's {@link ClusterHealthCheck} verdict (no partition is without
   * its backups, so losing a member loses no shared data), null when it gave none within {@value
   * #VERDICT_TIMEOUT_MS} ms. Never fails.
   */
  public Future<JsonObject> state() {
    Promise<Status> verdict = Promise.promise();
    ClusterHealthCheck.createProcedure(vertx).handle(verdict);
    Future<JsonObject> state =
        vertx
            .executeBlocking(
                () -> {
                  HazelcastInstance hazelcast = manager.getHazelcastInstance();
                  return new JsonObject()
                      .put("name", name())
                      .put("node", nodeId())
                      .put("members", members().size())
                      .put("state", hazelcast.getCluster().getClusterState().name())
                      .put("version", hazelcast.getCluster().getClusterVersion().toString());
                },
                false)
            .otherwise(
                err ->
                    new JsonObject()
                        .put("name", name())
                        .put("node", nodeId())
                        .put("state", "UNKNOWN")
                        .put(
                            "cause",
                            String.valueOf(
                                err.getMessage()))); // Hazelcast is no longer running on this node
    Future<Boolean> safe =
        verdict
            .future()
            .timeout(VERDICT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .map(Status::isOk)
            .otherwise((Boolean) null);
    return Future.join(state, safe)
        .transform(ar -> Future.succeededFuture(state.result().put("safe", safe.result())));
  }
}
