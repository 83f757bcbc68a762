package dev.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.ConfigLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A clustered start: the refusals and the roles")
class ClusterStartTest {

  @Test
  @DisplayName("a clustered node without a configured cursor secret refuses to start, saying why")
  void needsSecret() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConfigLoader.withEnvironment(new JsonObject(), Map.of("SLUICE_CLUSTER", "true")));
    assertTrue(e.getMessage().contains("SLUICE_CURSOR_SECRET"), e.getMessage());
    JsonObject set =
        ConfigLoader.withEnvironment(
            new JsonObject(),
            Map.of(
                "SLUICE_CLUSTER",
                "true",
                "SLUICE_CURSOR_SECRET",
                "shared",
                "SLUICE_CLUSTER_MEMBERS",
                "10.0.0.1:5701, 10.0.0.2:5701"));
    assertEquals(
        new JsonArray().add("10.0.0.1:5701").add("10.0.0.2:5701"),
        set.getJsonObject("cluster").getJsonArray("members"));
  }

  @Test
  @DisplayName(
      "a clustered node with no database URL refuses to start unless it hosts the embedded database")
  void needsDatabase() {
    Main.UsageException e =
        assertThrows(
            Main.UsageException.class,
            () ->
                Main.Runtime.start(
                    Map.of(
                        "SLUICE_CLUSTER",
                        "true",
                        "SLUICE_CURSOR_SECRET",
                        "shared",
                        "SLUICE_CONF_DIR",
                        "target/no-conf")));
    assertTrue(e.getMessage().contains("SLUICE_DATABASE_URL"), e.getMessage());
  }

  @Test
  @DisplayName("a role deploys its part of verticles.json, in order; an unknown part is refused")
  void roles() throws Exception {
    JsonObject plan = Deployer.readPlan();
    assertEquals(List.of("gateway"), names(Deployer.forRole(plan, "gateway")));
    assertEquals(
        List.of("monitor", "videos", "users", "analytics", "templates", "search"),
        names(Deployer.forRole(plan, "loaders, monitor")));
    assertEquals(List.of("videos", "search"), names(Deployer.forRole(plan, "search,videos")));
    assertEquals(names(plan), names(Deployer.forRole(plan, "all")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Deployer.forRole(plan, "gateway,loadres"));
    assertTrue(e.getMessage().contains("loadres"), e.getMessage());
  }

  private static List<String> names(JsonObject plan) {
    return plan.getJsonArray("verticles").stream()
        .map(v -> ((JsonObject) v).getString("name"))
        .toList();
  }

  @Test
  @DisplayName(
      "a node names its event-bus port and a primary to hear changes from; a host name becomes an address")
  void portsAndReplicas() {
    dev.sluice.config.SluiceConfig config =
        dev.sluice.config.SluiceConfig.from(
            ConfigLoader.withEnvironment(
                new JsonObject(),
                Map.of(
                    "SLUICE_CLUSTER",
                    "true",
                    "SLUICE_CURSOR_SECRET",
                    "shared",
                    "SLUICE_CLUSTER_BUS_PORT",
                    "5702",
                    "SLUICE_DATABASE_URL",
                    "postgresql://u@replica:5432/sluice",
                    "SLUICE_DATABASE_LISTEN_URL",
                    "postgresql://u@primary:5432/sluice")));
    org.junit.jupiter.api.Assertions.assertEquals(5702, config.cluster().busPort());
    org.junit.jupiter.api.Assertions.assertEquals(
        "postgresql://u@replica:5432/sluice", config.database().url());
    org.junit.jupiter.api.Assertions.assertEquals(
        "postgresql://u@primary:5432/sluice",
        config.database().listening().url(),
        "changes are heard on the primary");
    dev.sluice.config.DatabaseConfig alone =
        dev.sluice.config.SluiceConfig.from(
                ConfigLoader.withEnvironment(
                    new JsonObject(),
                    Map.of(
                        "SLUICE_CURSOR_SECRET",
                        "x",
                        "SLUICE_DATABASE_URL",
                        "postgresql://u@replica:5432/sluice")))
            .database();
    org.junit.jupiter.api.Assertions.assertSame(
        alone, alone.listening(), "without listen_url, the database itself");
    org.junit.jupiter.api.Assertions.assertEquals("127.0.0.1", Nodes.address("localhost"));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Nodes.address("no-such-host.invalid"));
  }
}
