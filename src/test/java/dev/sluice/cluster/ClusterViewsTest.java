package dev.sluice.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.TwoNodes;
import dev.sluice.api.Addresses;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster-wide views on two clustered nodes in one JVM: node A runs the gateway and a monitor,
 * node B the loaders and a monitor. {@code /api/v1/stats} and {@code /health} on A report both
 * nodes, each with what it runs and its own figures; a member that does not answer is listed as
 * unreachable, quickly.
 */
@EndToEnd
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Clustered views: stats and health on the gateway node report every node")
class ClusterViewsTest {

  static final List<String> FAMILIES =
      List.of("videos", "users", "analytics", "templates", "search");

  static TwoNodes nodes;
  static Service a;
  static Service b;
  static String idA;
  static String idB;

  @BeforeAll
  static void start() throws Exception {
    nodes = TwoNodes.startWithoutPrefetch();
    a = nodes.gateway;
    b = nodes.loaders;
    idA = a.node.cluster().orElseThrow().nodeId();
    idB = b.node.cluster().orElseThrow().nodeId();
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private static JsonObject node(JsonObject view, String id) {
    return view.getJsonArray("nodes").stream()
        .map(JsonObject.class::cast)
        .filter(n -> id.equals(n.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " in " + view.encode()));
  }

  private static JsonObject check(JsonObject health, String id) {
    return health.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " in " + health.encode()));
  }

  private static boolean bothUp() {
    JsonObject cluster = a.getJson("/api/v1/stats").getJsonObject("cluster");
    return cluster.getJsonArray("nodes").stream()
            .map(JsonObject.class::cast)
            .filter(n -> "up".equals(n.getString("status")))
            .count()
        == 2;
  }

  @Test
  @Order(1)
  @DisplayName(
      "stats via A list both nodes with what each runs; the top-level fields are A's own document")
  void statsListEveryNode() {
    assertTrue(
        Service.eventually(20_000, ClusterViewsTest::bothUp),
        () -> a.get("/api/v1/stats").bodyAsString());
    JsonObject document = a.getJson("/api/v1/stats");
    assertEquals(Set.of("config", "loaders", "memory", "cache", "cluster"), document.fieldNames());
    JsonObject cluster = document.getJsonObject("cluster");
    assertEquals(a.config.getJsonObject("cluster").getString("name"), cluster.getString("name"));
    assertEquals(idA, cluster.getString("node"));
    assertEquals(2, cluster.getInteger("members"));
    assertEquals(2, cluster.getJsonArray("nodes").size());
    assertEquals(
        idA, cluster.getString("top_level_from"), "A runs a monitor: the top level is A's");

    JsonObject nodeA = node(cluster, idA);
    assertEquals("up", nodeA.getString("status"));
    assertEquals(new JsonArray().add("gateway").add("monitor"), nodeA.getJsonArray("roles"));
    assertEquals(new JsonArray(), nodeA.getJsonArray("loaders"));
    JsonObject nodeB = node(cluster, idB);
    assertEquals("up", nodeB.getString("status"));
    assertEquals(new JsonArray().add("loaders").add("monitor"), nodeB.getJsonArray("roles"));
    assertEquals(new JsonArray(FAMILIES), nodeB.getJsonArray("loaders"));
    for (JsonObject node : List.of(nodeA, nodeB)) {
      assertEquals(
          Set.of(
              "id",
              "status",
              "host",
              "event_bus",
              "roles",
              "loaders",
              "started_at",
              "uptime_seconds",
              "stats"),
          node.fieldNames(),
          node::encode);
      assertFalse(node.getString("host").isBlank());
      assertTrue(node.getString("event_bus").startsWith("127.0.0.1:"), node::encode);
      assertTrue(Instant.parse(node.getString("started_at")).isBefore(Instant.now()));
      assertEquals(
          Set.of("config", "loaders", "memory", "cache"), node.getJsonObject("stats").fieldNames());
      assertEquals(
          Set.copyOf(FAMILIES), node.getJsonObject("stats").getJsonObject("loaders").fieldNames());
    }
    assertEquals(
        nodeA.getJsonObject("stats").getJsonObject("config"), document.getJsonObject("config"));
    assertEquals(
        nodeA
            .getJsonObject("stats")
            .getJsonObject("loaders")
            .getJsonObject("videos")
            .getLong("batch_operations"),
        document.getJsonObject("loaders").getJsonObject("videos").getLong("batch_operations"));
  }

  @Test
  @Order(2)
  @DisplayName(
      "pages the gateway on A forwards to the loaders on B move B's loader figures, not A's")
  void figuresMoveOnTheNodeThatServes() {
    JsonObject before = a.getJson("/api/v1/stats").getJsonObject("cluster");
    JsonObject usersA0 =
        node(before, idA).getJsonObject("stats").getJsonObject("loaders").getJsonObject("users");
    JsonObject usersB0 =
        node(before, idB).getJsonObject("stats").getJsonObject("loaders").getJsonObject("users");
    long items = 0;
    for (String query : List.of("limit=29", "limit=29&role=creator", "limit=29&role=viewer")) {
      HttpResponse<Buffer> page = a.get("/api/v1/users?" + query);
      assertEquals(200, page.statusCode(), page::bodyAsString);
      assertEquals("sluice; fwd=miss", page.getHeader("Cache-Status"), "loaded by B");
      items += page.bodyAsJsonObject().getInteger("count");
    }
    JsonObject after = a.getJson("/api/v1/stats").getJsonObject("cluster");
    JsonObject usersA1 =
        node(after, idA).getJsonObject("stats").getJsonObject("loaders").getJsonObject("users");
    JsonObject usersB1 =
        node(after, idB).getJsonObject("stats").getJsonObject("loaders").getJsonObject("users");
    assertEquals(
        usersB0.getLong("batch_operations") + 3,
        usersB1.getLong("batch_operations"),
        usersB1::encode);
    assertEquals(
        usersB0.getLong("loaded_items") + items,
        usersB1.getLong("loaded_items"),
        "the three pages' rows");
    assertEquals(usersB0.getLong("total_items") + items, usersB1.getLong("total_items"));
    assertTrue(usersB1.getString("last_loaded_at") != null);
    assertEquals(
        usersA0.getLong("batch_operations"),
        usersA1.getLong("batch_operations"),
        "A runs no loader");
    assertEquals(usersA0.getLong("loaded_items"), usersA1.getLong("loaded_items"));
    assertEquals(
        usersA0.getLong("total_items"),
        usersA1.getLong("total_items"),
        "A handed out nothing itself");
  }

  @Test
  @Order(3)
  @DisplayName(
      "health via A shows two members, the cluster ACTIVE and safe, and each node's own health")
  void healthShowsTheCluster() {
    assertTrue(
        Service.eventually(20_000, () -> a.get("/health").statusCode() == 200),
        () -> a.get("/health").bodyAsString());
    JsonObject health = a.getJson("/health");
    JsonObject cluster = check(health, "cluster");
    assertEquals("UP", cluster.getString("status"), cluster::encode);
    JsonObject data = cluster.getJsonObject("data");
    assertEquals(a.config.getJsonObject("cluster").getString("name"), data.getString("name"));
    assertEquals(idA, data.getString("node"));
    assertEquals(2, data.getInteger("members"));
    assertEquals("ACTIVE", data.getString("state"));
    assertEquals(true, data.getBoolean("safe"));
    assertEquals(2, data.getJsonArray("nodes").size());

    JsonObject healthA = node(data, idA).getJsonObject("health");
    assertEquals("UP", healthA.getString("status"), healthA::encode);
    assertEquals(true, healthA.getJsonObject("database").getBoolean("up"));
    assertEquals(false, healthA.getBoolean("shutting_down"));
    assertEquals(Set.of(), healthA.getJsonObject("loaders").fieldNames(), "A runs no loader");
    JsonObject nodeB = node(data, idB);
    assertEquals(new JsonArray(FAMILIES), nodeB.getJsonArray("loaders"));
    JsonObject healthB = nodeB.getJsonObject("health");
    assertEquals("UP", healthB.getString("status"), healthB::encode);
    assertEquals(Set.copyOf(FAMILIES), healthB.getJsonObject("loaders").fieldNames());
    assertEquals(
        "closed", healthB.getJsonObject("loaders").getJsonObject("users").getString("breaker"));
    assertEquals(
        "healthy", healthB.getJsonObject("loaders").getJsonObject("users").getString("level"));
    assertTrue(healthB.getJsonObject("memory").containsKey("percent"), healthB::encode);

    Set<String> ready =
        a.getJson("/health/ready").getJsonArray("checks").stream()
            .map(c -> ((JsonObject) c).getString("id"))
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "database",
            "loader.videos",
            "loader.users",
            "loader.analytics",
            "loader.templates",
            "loader.search",
            "node"),
        ready,
        "readiness stays whether A can serve");
  }

  @Test
  @Order(4)
  @DisplayName(
      "a member whose monitor does not answer is listed unreachable within the nodes' timeout, never a 500")
  void silentMember() {
    b.vertx.undeploy(b.deployments.get("monitor")).timeout(30, TimeUnit.SECONDS).await();
    // a monitor that has stopped answering: B's addresses are served, and nothing replies
    String monitorB = Addresses.monitorOf(idB);
    MessageConsumer<Object> silent =
        b.vertx.eventBus().consumer(Addresses.reportOf(monitorB), message -> {});
    MessageConsumer<Object> silentHealth =
        b.vertx.eventBus().consumer(Addresses.reportHealthOf(monitorB), message -> {});
    Future.all(silent.completion(), silentHealth.completion())
        .timeout(30, TimeUnit.SECONDS)
        .await();

    long started = System.nanoTime();
    HttpResponse<Buffer> stats = a.get("/api/v1/stats");
    long statsMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(200, stats.statusCode(), stats::bodyAsString);
    assertTrue(statsMs < 3_000, statsMs + " ms");
    JsonObject cluster = stats.bodyAsJsonObject().getJsonObject("cluster");
    assertEquals(2, cluster.getInteger("members"));
    assertEquals(
        new JsonObject().put("id", idB).put("status", "unreachable").put("cause", "timeout"),
        node(cluster, idB));
    assertEquals("up", node(cluster, idA).getString("status"));
    assertEquals(idA, cluster.getString("top_level_from"));

    started = System.nanoTime();
    HttpResponse<Buffer> health = a.get("/health");
    long healthMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(healthMs < 3_000, healthMs + " ms");
    JsonObject view = check(health.bodyAsJsonObject(), "cluster");
    assertEquals(
        "unreachable", node(view.getJsonObject("data"), idB).getString("status"), view::encode);
    assertEquals("UP", view.getString("status"), "B's silence is B's failure, not the cluster's");
    assertEquals(200, health.statusCode(), "B's loaders still answer: A can serve");

    // no monitor on B at all: unreachable at once
    Future.all(silent.unregister(), silentHealth.unregister())
        .timeout(30, TimeUnit.SECONDS)
        .await();
    assertTrue(
        Service.eventually(
            10_000,
            () ->
                "no_monitor"
                    .equals(
                        node(a.getJson("/api/v1/stats").getJsonObject("cluster"), idB)
                            .getString("cause"))));
    started = System.nanoTime();
    JsonObject again = a.getJson("/api/v1/stats").getJsonObject("cluster");
    long againMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals("unreachable", node(again, idB).getString("status"));
    assertTrue(againMs < 1_000, againMs + " ms");
  }
}
