package dev.sluice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * Two clustered nodes in this JVM, each its own Hazelcast member on 127.0.0.1 with a cluster name
 * of its own: node A runs the gateway (and a monitor), node B the loaders (and a monitor), both on
 * the test database.
 */
public final class TwoNodes implements AutoCloseable {

  public final Service gateway;
  public final Service loaders;
  private final String name;
  private final JsonArray members;
  private final JsonObject overrides;

  private TwoNodes(
      Service gateway, Service loaders, String name, JsonArray members, JsonObject overrides) {
    this.gateway = gateway;
    this.loaders = loaders;
    this.name = name;
    this.members = members;
    this.overrides = overrides;
  }

  /** Another node with the loaders (and a monitor) joining the two; the caller closes it. */
  public Service startLoaders() {
    return startNode(Set.of("gateway"));
  }

  /**
   * Another node with the gateway (and a monitor) joining the two, its HTTP on a port of its own.
   */
  public Service startGateway() {
    return startNode(Set.of("videos", "users", "analytics", "templates", "search"));
  }

  private Service startNode(Set<String> without) {
    int port = TestDatabase.freePort();
    JsonArray all = members.copy().add("127.0.0.1:" + port);
    return Service.start(
        Service.config(overrides.copy().put("cluster", cluster(name, port, all))), without);
  }

  /** Starts B, then A, each with the test configuration and {@code overrides} merged in. */
  /**
   * Two nodes that load nothing ahead of requests (no prefetch), so that a node's load count is the
   * requests it served.
   */
  public static TwoNodes startWithoutPrefetch() throws Exception {
    return start(
        new JsonObject().put("lazy_loading", new JsonObject().put("enable_prefetching", false)));
  }

  public static TwoNodes start(JsonObject overrides) throws Exception {
    String name = "sluice-test-" + UUID.randomUUID();
    int portA = TestDatabase.freePort();
    int portB = TestDatabase.freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + portA).add("127.0.0.1:" + portB);
    Service loaders =
        Service.start(
            Service.config(overrides.copy().put("cluster", cluster(name, portB, members))),
            Set.of("gateway"));
    try {
      Service gateway =
          Service.start(
              Service.config(overrides.copy().put("cluster", cluster(name, portA, members))),
              Set.of("videos", "users", "analytics", "templates", "search"));
      return new TwoNodes(gateway, loaders, name, members, overrides);
    } catch (RuntimeException e) {
      loaders.close();
      throw e;
    }
  }

  private static JsonObject cluster(String name, int port, JsonArray members) {
    return new JsonObject()
        .put("enabled", true)
        .put("name", name)
        .put("host", "127.0.0.1")
        .put("port", port)
        .put("members", members);
  }

  @Override
  public void close() {
    gateway.close();
    loaders.close();
  }
}
