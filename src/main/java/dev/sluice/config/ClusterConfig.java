package dev.sluice.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Whether and how this process joins a Sluice cluster (Vert.x clustered with Hazelcast). Section {@code cluster}.
 *
 * @param enabled        start clustered ({@code --cluster} or {@code SLUICE_CLUSTER=true}); off, the process is the
 *                       single node it always was
 * @param name           the Hazelcast cluster name: nodes of one cluster share it
 * @param host           the interface this node binds (Hazelcast and the event bus) and announces
 * @param port           Hazelcast's port on that interface
 * @param members        {@code host:port} of the members to join (TCP-IP join; multicast is off)
 * @param role           what this node deploys: {@code all}, {@code gateway}, {@code loaders}, {@code monitor}, or a
 *                       comma list of those and loader names ({@code gateway,monitor}, {@code videos,users})
 * @param hostsDatabase  this node starts the embedded PostgreSQL for the cluster (others need {@code database.url})
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, List<String> members, String role,
                            boolean hostsDatabase) {

  public static ClusterConfig from(JsonObject json) {
    return new ClusterConfig(
      json.getBoolean("enabled", false),
      json.getString("name", "sluice"),
      json.getString("host", "127.0.0.1"),
      json.getInteger("port", 5701),
      json.getJsonArray("members", new JsonArray().add("127.0.0.1:5701")).stream().map(String::valueOf).toList(),
      json.getString("role", "all"),
      json.getBoolean("hosts_database", false));
  }
}
