package dev.sluice.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.sluice.EndToEnd;
import dev.sluice.LogCapture;
import dev.sluice.Service;
import dev.sluice.db.Faults;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@EndToEnd
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName(
    "Health: the seed's thresholds, and /health, /health/ready, /health/live as the API says")
class HealthTest {

  static final long MB = 1024 * 1024;

  /** Each test starts the service as it needs it; closed after the test. */
  @AutoClose Service service;

  private static JsonObject check(JsonObject health, String id) {
    return health.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(id + " in " + health.encode()));
  }

  @Test
  @DisplayName(
      "every check is UP on a healthy node: the database with its latency, each loader, memory, the node")
  void healthyNode() {
    service = Service.start();
    HttpResponse<Buffer> response = service.get("/health");
    assertEquals(200, response.statusCode(), response::bodyAsString);
    JsonObject health = response.bodyAsJsonObject();
    assertEquals("UP", health.getString("status"));
    Set<String> ids =
        health.getJsonArray("checks").stream()
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
            "memory",
            "node"),
        ids);
    JsonObject database = check(health, "database").getJsonObject("data");
    assertEquals(true, database.getBoolean("up"), database::encode);
    JsonObject videos = check(health, "loader.videos").getJsonObject("data");
    assertEquals("closed", videos.getString("breaker"));
    assertEquals("healthy", videos.getString("level"));
    JsonObject ready = service.getJson("/health/ready");
    assertEquals(
        Set.of(
            "database",
            "loader.videos",
            "loader.users",
            "loader.analytics",
            "loader.templates",
            "loader.search",
            "node"),
        ready.getJsonArray("checks").stream()
            .map(c -> ((JsonObject) c).getString("id"))
            .collect(Collectors.toSet()));
    assertEquals("UP", service.getJson("/health/live").getString("status"));
  }

  @Test
  @DisplayName(
      "memory at 96 % of the limit: /health is 503 with memory critical, readiness stays UP")
  void criticalMemory() {
    AtomicLong heap = new AtomicLong(50 * MB);
    JsonObject config =
        Service.config(
            new JsonObject()
                .put("lazy_loading", new JsonObject().put("memory_limit_mb", 100))
                .put("monitor", new JsonObject().put("sample_interval_ms", 20)));
    service = Service.start(config, Set.of("monitor"));
    service
        .vertx
        .deployVerticle(
            new MonitorVerticle(service.node, heap::get), new DeploymentOptions().setConfig(config))
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
    assertEquals(200, service.get("/health").statusCode());
    heap.set(85 * MB);
    assertTrue(
        Service.eventually(
            5_000,
            () ->
                "warning"
                    .equals(
                        check(service.get("/health").bodyAsJsonObject(), "memory")
                            .getJsonObject("data")
                            .getString("level"))));
    assertEquals(200, service.get("/health").statusCode(), "a warning is still UP");
    heap.set(96 * MB);
    assertTrue(Service.eventually(5_000, () -> service.get("/health").statusCode() == 503));
    JsonObject memory;
    try (LogCapture log = LogCapture.of("sluice.access")) {
      HttpResponse<Buffer> down = service.get("/health");
      memory = check(down.bodyAsJsonObject(), "memory");
      String id = down.getHeader("X-Request-Id");
      // a node that says it cannot serve is a warning to an operator, not an error of the server
      LogCapture.Line line = log.await(2_000, l -> l.message().contains("request_id=" + id));
      assertNotNull(line, () -> "no access-log line for " + id + ": " + log.lines());
      assertTrue(line.message().contains("status=503"), line::toString);
      assertEquals(Level.WARN, line.level(), line::toString);
      assertTrue(
          log.lines().stream().noneMatch(l -> l.level() == Level.ERROR), () -> "" + log.lines());
    }
    assertEquals("DOWN", memory.getString("status"));
    assertEquals("critical", memory.getJsonObject("data").getString("level"));
    assertEquals(200, service.get("/health/ready").statusCode(), "memory is not readiness");
  }

  @Test
  @DisplayName(
      "a run of cold cursor pages (a hit rate the monitor calls critical) leaves /health UP: a hit rate is a "
          + "tuning signal, shown in the check's data, never a failure")
  void coldCacheIsHealthy() {
    service =
        Service.start(
            Service.config(
                new JsonObject()
                    .put("lazy_loading", new JsonObject().put("enable_prefetching", false))
                    .put("monitor", new JsonObject().put("min_lookups", 10))));
    JsonObject page = service.getJson("/api/v1/videos?limit=1");
    for (int i = 0; i < 30; i++) {
      page = service.getJson("/api/v1/videos?limit=1&cursor=" + page.getString("next_cursor"));
    }
    JsonObject videos = null;
    for (long until = System.currentTimeMillis() + 10_000; System.currentTimeMillis() < until; ) {
      HttpResponse<Buffer> health = service.get("/health");
      assertEquals(200, health.statusCode(), health::bodyAsString);
      videos = check(health.bodyAsJsonObject(), "loader.videos");
      if ("critical".equals(videos.getJsonObject("data").getString("hit_rate_level"))) {
        break;
      }
    }
    assertEquals(
        "critical",
        videos.getJsonObject("data").getString("hit_rate_level"),
        () ->
            "the walk should have made the hit rate critical: "
                + service.get("/health").bodyAsString());
    assertEquals("UP", videos.getString("status"));
    assertEquals(200, service.get("/health").statusCode());
    assertEquals(200, service.get("/health/ready").statusCode());
  }

  /** A fresh node's /metrics holds every failure and retry cause, and each load histogram, at 0. */
  private static void countersFromTheStart(PrometheusText fresh) {
    for (String loader : List.of("videos", "users", "analytics", "templates", "search")) {
      for (Faults.Rule rule : Faults.RULES) {
        assertTrue(
            fresh.samples().stream()
                .anyMatch(
                    sample ->
                        sample.name().equals("sluice_load_errors_total")
                            && loader.equals(sample.labels().get("loader"))
                            && rule.cause().equals(sample.labels().get("cause"))),
            () -> "sluice_load_errors_total{loader=" + loader + ",cause=" + rule.cause() + "}");
        boolean retried =
            fresh.samples().stream()
                .anyMatch(
                    sample ->
                        sample.name().equals("sluice_load_retries_total")
                            && loader.equals(sample.labels().get("loader"))
                            && rule.cause().equals(sample.labels().get("cause")));
        assertEquals(
            rule.kind() == Faults.Kind.TRANSIENT, retried, () -> "retries of " + rule.cause());
      }
      assertEquals(0.0, fresh.value("sluice_load_errors_total", "loader", loader));
      assertTrue(
          fresh.samples().stream()
              .anyMatch(
                  sample ->
                      sample.name().equals("sluice_load_seconds_count")
                          && loader.equals(sample.labels().get("loader"))),
          () -> "sluice_load_seconds of " + loader);
    }
    assertEquals(0.0, fresh.value("sluice_load_errors_total", "cause", "refused"));
  }

  @Test
  @DisplayName("a loader that is not deployed is DOWN, and so is readiness")
  void missingLoader() {
    service = Service.start(Service.config(new JsonObject()), Set.of("templates"));
    HttpResponse<Buffer> ready = service.get("/health/ready");
    assertEquals(503, ready.statusCode(), ready::bodyAsString);
    JsonObject templates = check(ready.bodyAsJsonObject(), "loader.templates");
    assertEquals("DOWN", templates.getString("status"));
    assertEquals(false, templates.getJsonObject("data").getBoolean("deployed"));
    assertEquals("UP", check(ready.bodyAsJsonObject(), "loader.videos").getString("status"));
  }

  @Test
  @DisplayName(
      "/metrics parses as Prometheus text; every failure and retry cause is there at 0 from the start; "
          + "Sluice's counters move with requests; labels are bounded")
  void metrics() {
    service = Service.start();
    PrometheusText before = PrometheusText.parse(service.get("/metrics").bodyAsString());
    countersFromTheStart(before);
    for (int i = 0; i < 3; i++) {
      assertEquals(200, service.get("/api/v1/users?limit=5&role=creator").statusCode());
    }
    assertEquals(
        404, service.get("/api/v1/videos/00000000-0000-0000-0000-00000000abcd").statusCode());
    HttpResponse<Buffer> response = service.get("/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(
        response.getHeader("Content-Type").startsWith("text/plain"),
        response.getHeader("Content-Type"));
    PrometheusText after = PrometheusText.parse(response.bodyAsString());
    assertEquals(
        15,
        after.value("sluice_items_served_total", "loader", "users")
            - before.value("sluice_items_served_total", "loader", "users"),
        0.0);
    assertTrue(after.value("sluice_load_seconds_count", "loader", "users") >= 1);
    assertEquals(1.0, after.value("sluice_breaker_state", "loader", "videos", "state", "closed"));
    assertEquals(0.0, after.value("sluice_breaker_state", "loader", "videos", "state", "open"));
    assertTrue(
        after.value("sluice_cache_hits_total", "loader", "users")
            > before.value("sluice_cache_hits_total", "loader", "users"),
        "the second and third request were hits");
    assertTrue(after.value("vertx_http_server_requests_total", "route", "/api/v1/users") >= 3);
    assertTrue(after.has("jvm_memory_used_bytes"));
    assertTrue(
        after.has("jvm_gc_pause_seconds_count")
            || after.has("jvm_gc_memory_allocated_bytes_total"));
    assertTrue(
        after.has("vertx_pool_in_use") || after.has("vertx_pool_queue_pending"), "pool metrics");
    assertTrue(after.has("vertx_eventbus_handlers"));
    assertTrue(after.has("sluice_memory_level"));
    for (PrometheusText.Sample sample : after.samples()) {
      sample
          .labels()
          .forEach(
              (name, value) -> {
                assertTrue(
                    !value.matches(".*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-.*") && !value.contains("?"),
                    () -> sample.name() + " has an unbounded label " + name + "=" + value);
              });
    }
  }
}
