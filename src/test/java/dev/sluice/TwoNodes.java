package dev.sluice;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.UUID;

/**
 * Two clustered nodes in this JVM, each its own Hazelcast member on 127.0.0.1 with a cluster name of its own: node
 * A runs the gateway (and a monitor), node B the loaders (and a monitor), both on the test database.
 */
public final class TwoNodes implements AutoCloseable {

  public final Service gateway;
  public final Service loaders;

  private TwoNodes(Service gateway, Service loaders) {
    this.gateway = gateway;
    this.loaders = loaders;
  }

  /** Starts B, then A, each with the test configuration and {@code overrides} merged in. */
  public static TwoNodes start(JsonObject overrides) throws Exception {
    String name = "sluice-test-" + UUID.randomUUID();
    int portA = TestDatabase.freePort();
    int portB = TestDatabase.freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + portA).add("127.0.0.1:" + portB);
    Service loaders = Service.start(Service.config(overrides.copy().put("cluster", cluster(name, portB, members))),
      Set.of("gateway"));
    try {
      Service gateway = Service.start(Service.config(overrides.copy().put("cluster", cluster(name, portA, members))),
        Set.of("videos", "users", "analytics", "templates", "search"));
      return new TwoNodes(gateway, loaders);
    } catch (RuntimeException e) {
      loaders.close();
      throw e;
    }
  }

  private static JsonObject cluster(String name, int port, JsonArray members) {
    return new JsonObject().put("enabled", true).put("name", name).put("host", "127.0.0.1").put("port", port)
      .put("members", members);
  }

  @Override
  public void close() {
    gateway.close();
    loaders.close();
  }
}
