package dev.sluice.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Whether and how this process joins a Sluice cluster (Vert.x clustered with Hazelcast). Section
 * {@code cluster}.
 *
 * @param enabled start clustered ({@code --cluster} or {@code SLUICE_CLUSTER=true}); off, the
 *     process is the single node it always was
 * @param name the Hazelcast cluster name: nodes of one cluster share it
 * @param host the interface this node binds (Hazelcast and the event bus) and announces
 * @param port Hazelcast's port on that interface
 * @param busPort the event bus's port on it (peers connect to it); 0 picks a free one at each start
 * @param members {@code host:port} of the members to join (TCP-IP join; multicast is off)
 * @param role what this node deploys: {@code all}, {@code gateway}, {@code loaders}, {@code
 *     monitor}, or a comma list of those and loader names ({@code gateway,monitor}, {@code
 *     videos,users})
 * @param hostsDatabase this node starts the embedded PostgreSQL for the cluster (others need {@code
 *     database.url})
 * @param cache the cache's cluster tier ({@code cluster.cache})
 */
public record ClusterConfig(
    boolean enabled,
    String name,
    String host,
    int port,
    int busPort,
    List<String> members,
    String role,
    boolean hostsDatabase,
    Cache cache) {

  /**
   * The cluster-wide tier behind each node's cache.
   *
   * @param shared whether replies are shared through a cluster-wide map at all
   * @param timeoutMs longest a lookup or lease in the map may take before the cache goes on without
   *     it
   * @param leaseMs how long a node's claim to load a key holds (a node that dies holding one frees
   *     it by then)
   * @param leaseWaitMs longest a miss waits for another node's load of the same key before loading
   *     itself
   */
  public record Cache(boolean shared, int timeoutMs, int leaseMs, int leaseWaitMs) {
    public Cache {
      if (timeoutMs < 1 || leaseMs < 1 || leaseWaitMs < 0) {
        throw new IllegalArgumentException(
            "cluster.cache: timeout_ms and lease_ms must be at least 1, lease_wait_ms "
                + "at least 0 (got "
                + timeoutMs
                + ", "
                + leaseMs
                + ", "
                + leaseWaitMs
                + ")");
      }
    }

    static Cache from(JsonObject json) {
      return new Cache(
          json.getBoolean("shared", true),
          json.getInteger("timeout_ms", 100),
          json.getInteger("lease_ms", 2_000),
          json.getInteger("lease_wait_ms", 500));
    }
  }

  public static ClusterConfig from(JsonObject json) {
    return new ClusterConfig(
        json.getBoolean("enabled", false),
        json.getString("name", "sluice"),
        json.getString("host", "127.0.0.1"),
        json.getInteger("port", 5701),
        json.getInteger("bus_port", 0),
        json.getJsonArray("members", new JsonArray().add("127.0.0.1:5701")).stream()
            .map(String::valueOf)
            .toList(),
        json.getString("role", "all"),
        json.getBoolean("hosts_database", false),
        Cache.from(json.getJsonObject("cache", new JsonObject())));
  }
}
