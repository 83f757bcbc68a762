package dev.sluice.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import dev.sluice.api.Addresses;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName(
    "The monitor watches memory against its limit, sheds the caches, and reports every loader's figures")
class MonitorTest {

  static final long MB = 1024 * 1024;

  /** Each test starts the service as it needs it; closed after the test. */
  @AutoClose Service service;

  /** The service with a monitor that reads heap use from {@code heap} instead of the JVM. */
  Service withGauge(AtomicLong heap, JsonObject overrides) {
    JsonObject config = Service.config(overrides);
    Service started = Service.start(config, Set.of("monitor"));
    Waits.lifecycle(
        started.vertx.deployVerticle(
            new MonitorVerticle(started.node, heap::get),
            new DeploymentOptions().setConfig(config)));
    return started;
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String level() {
    return service.getJson("/api/v1/stats").getJsonObject("memory").getString("level");
  }

  @Test
  @DisplayName(
      "heap use over 80 % of the limit is high: the caches shed about half; over 95 % critical: they clear "
          + "and new streams get 503 with Retry-After; back under, everything resumes")
  void levels() {
    AtomicLong heap = new AtomicLong(20 * MB);
    service =
        withGauge(
            heap,
            new JsonObject()
                .put(
                    "lazy_loading",
                    new JsonObject().put("memory_limit_mb", 100).put("enable_prefetching", false))
                .put("cache", new JsonObject().put("max_mb", 64))
                .put("monitor", new JsonObject().put("sample_interval_ms", 20)));
    List<String> published = new CopyOnWriteArrayList<>();
    Waits.lifecycle(
        service
            .vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.MEMORY_LEVEL, m -> published.add(m.body().getString("level")))
            .completion());
    for (int limit = 60; limit < 100; limit++) {
      assertEquals(200, service.get("/api/v1/users?limit=" + limit).statusCode());
    }
    JsonObject full = service.stats("users").getJsonObject("cache_stats");
    assertEquals(40, full.getLong("size"));
    assertEquals("normal", level());

    heap.set(85 * MB);
    assertTrue(Service.eventually(2_000, () -> "high".equals(level())));
    JsonObject shed = service.stats("users").getJsonObject("cache_stats");
    double kept = (double) shed.getLong("weight_bytes") / full.getLong("weight_bytes");
    assertTrue(kept > 0.3 && kept <= 0.55, "about half the weight is left: " + kept);
    assertEquals(
        200,
        service.get("/api/v1/videos/stream?category=music").statusCode(),
        "streams still go on high");

    heap.set(97 * MB);
    assertTrue(Service.eventually(2_000, () -> "critical".equals(level())));
    assertEquals(0, service.stats("users").getJsonObject("cache_stats").getLong("size"), "cleared");
    HttpResponse<Buffer> refused = service.get("/api/v1/videos/stream?category=music");
    assertEquals(503, refused.statusCode());
    assertNotNull(refused.getHeader("Retry-After"));
    assertEquals("application/problem+json", refused.getHeader("Content-Type"));
    assertEquals(200, service.get("/api/v1/users?limit=5").statusCode(), "pages are still served");
    assertEquals(
        "sluice; fwd=miss",
        service.get("/api/v1/users?limit=5").getHeader("Cache-Status"),
        "but not kept while memory is critical");

    heap.set(92 * MB);
    sleep(200);
    assertEquals("critical", level(), "92 % is not clearly under 95 %: the level does not flap");
    heap.set(89 * MB);
    assertTrue(Service.eventually(2_000, () -> "high".equals(level())));
    heap.set(40 * MB);
    assertTrue(Service.eventually(2_000, () -> "normal".equals(level())));
    assertEquals(200, service.get("/api/v1/videos/stream?category=music").statusCode());
    service.get("/api/v1/users?limit=5");
    assertEquals("sluice; hit", service.get("/api/v1/users?limit=5").getHeader("Cache-Status"));
    assertTrue(published.containsAll(List.of("high", "critical", "normal")), published.toString());
  }

  @Test
  @DisplayName("a low memory limit on the real heap drives the level to critical")
  void realHeap() {
    service =
        Service.start(
            Service.config(
                new JsonObject()
                    .put("lazy_loading", new JsonObject().put("memory_limit_mb", 1))
                    .put("monitor", new JsonObject().put("sample_interval_ms", 20))));
    assertTrue(Service.eventually(2_000, () -> "critical".equals(level())));
    JsonObject memory = service.getJson("/api/v1/stats").getJsonObject("memory");
    assertEquals(1, memory.getInteger("limit_mb"));
    assertTrue(memory.getDouble("used_mb") > 1);
    assertEquals(503, service.get("/api/v1/users/stream").statusCode());
  }

  @Test
  @DisplayName(
      "after a scripted sequence of requests /api/v1/stats has every field, each with its true value")
  void statistics() {
    AtomicLong heap = new AtomicLong(30 * MB);
    Instant deployed = Instant.now();
    service =
        withGauge(
            heap,
            new JsonObject()
                .put(
                    "lazy_loading",
                    new JsonObject().put("memory_limit_mb", 200).put("enable_prefetching", false))
                .put("monitor", new JsonObject().put("sample_interval_ms", 50)));
    UUID template = service.sql("SELECT id FROM templates ORDER BY id LIMIT 1").get(0).getUUID(0);
    Instant started = Instant.now();
    assertEquals(200, service.get("/api/v1/templates?per_page=5").statusCode()); // miss, 5 loaded
    assertEquals(200, service.get("/api/v1/templates?per_page=5").statusCode()); // hit
    assertEquals(
        200, service.get("/api/v1/templates?per_page=5&page=2").statusCode()); // miss, 5 loaded
    assertEquals(200, service.get("/api/v1/templates/" + template).statusCode()); // miss, 1 loaded
    assertEquals(400, service.get("/api/v1/templates?per_page=0").statusCode()); // nothing
    assertEquals(
        404, service.get("/api/v1/templates/" + new UUID(0, 1)).statusCode()); // miss, none found
    Instant asked = Instant.now();
    JsonObject document = service.getJson("/api/v1/stats");
    Instant answered = Instant.now();

    assertEquals(Set.of("config", "loaders", "memory", "cache"), document.fieldNames());
    JsonObject config = document.getJsonObject("config");
    assertEquals(200, config.getInteger("memory_limit_mb"));
    assertEquals(false, config.getBoolean("enable_prefetching"));
    assertEquals(1000, config.getInteger("batch_size"));
    assertEquals(
        Set.of("videos", "users", "analytics", "templates", "search"),
        document.getJsonObject("loaders").fieldNames());
    JsonObject templates = document.getJsonObject("loaders").getJsonObject("templates");
    assertEquals(
        Set.of(
            "total_items",
            "loaded_items",
            "cached_items",
            "batch_operations",
            "cache_hits",
            "cache_misses",
            "errors",
            "retries",
            "average_batch_time_ms",
            "memory_usage_mb",
            "throughput_items_per_second",
            "last_loaded_at",
            "cache_stats"),
        templates.fieldNames());
    assertEquals(16, templates.getLong("total_items"), "5 + 5 from the cache + 5 + 1");
    assertEquals(11, templates.getLong("loaded_items"));
    assertEquals(11, templates.getLong("cached_items"));
    assertEquals(
        3, templates.getLong("batch_operations"), "two pages and one item; the 404 found nothing");
    assertEquals(1, templates.getLong("cache_hits"));
    assertEquals(4, templates.getLong("cache_misses"));
    assertEquals(0, templates.getLong("errors"), "a 400 or a 404 is not an error of the service");
    assertEquals(0, templates.getLong("retries"));
    assertTrue(templates.getDouble("average_batch_time_ms") > 0);
    Instant last = Instant.parse(templates.getString("last_loaded_at"));
    assertTrue(!last.isBefore(started.minusMillis(1)) && !last.isAfter(Instant.now()));
    // 16 items since the monitor's first sample, which came after `deployed` and before `started`,
    // up to the
    // document's moment, between `asked` and `answered`; both moments are read in whole
    // milliseconds
    double throughput = templates.getDouble("throughput_items_per_second");
    double most = 16 / ((Duration.between(started, asked).toNanos() - 1_000_000) / 1e9);
    double least = 16 / ((Duration.between(deployed, answered).toNanos() + 1_000_000) / 1e9);
    assertTrue(
        throughput >= least - 0.01 && throughput <= most + 0.01,
        throughput + " items/s, expected between " + least + " and " + most);
    JsonObject cache = templates.getJsonObject("cache_stats");
    assertEquals(
        Set.of(
            "size",
            "max_size",
            "weight_bytes",
            "max_weight_bytes",
            "evictions",
            "invalidations",
            "prefetched"),
        cache.fieldNames());
    assertEquals(3, cache.getLong("size"));
    assertEquals(200, cache.getLong("max_size"));
    assertTrue(cache.getLong("weight_bytes") > 1_000);
    assertEquals(
        Math.round(cache.getLong("weight_bytes") / (double) MB * 100) / 100.0,
        templates.getDouble("memory_usage_mb"));
    assertEquals(0, cache.getLong("evictions"));
    assertEquals(0, cache.getLong("invalidations"));
    assertEquals(0, cache.getLong("prefetched"));
    JsonObject videos = document.getJsonObject("loaders").getJsonObject("videos");
    assertEquals(0, videos.getLong("total_items"));
    assertTrue(videos.getValue("last_loaded_at") == null, "never loaded");
    JsonObject memory = document.getJsonObject("memory");
    assertEquals(30.0, memory.getDouble("used_mb"));
    assertEquals(200.0, memory.getDouble("limit_mb"));
    assertEquals(
        160.0,
        memory.getDouble("high_mb"),
        "80 % of the limit, the monitor's default high_percent");
    assertEquals(190.0, memory.getDouble("critical_mb"), "95 %, its critical_percent");
    assertEquals("normal", memory.getString("level"));
  }
}
