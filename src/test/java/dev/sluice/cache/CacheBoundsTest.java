package dev.sluice.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName(
    "The cache keeps to its bounds: TTL, bytes, entries; its admin endpoints are off without a token")
class CacheBoundsTest {

  @Boot(config = "bounded")
  static Service service;

  static JsonObject bounded() {
    return new JsonObject()
        .put("cache", new JsonObject().put("max_mb", 1))
        .put("lazy_loading", new JsonObject().put("enable_prefetching", false))
        .put(
            "data_types", new JsonObject().put("templates", new JsonObject().put("ttl_seconds", 1)))
        .put("admin", new JsonObject().putNull("token"));
  }

  @Test
  @DisplayName("an entry expires after its family's TTL")
  void ttl() throws InterruptedException {
    String path = "/api/v1/templates?per_page=6";
    assertEquals("sluice; fwd=miss", service.get(path).getHeader("Cache-Status"));
    assertEquals("sluice; hit", service.get(path).getHeader("Cache-Status"));
    Thread.sleep(1_300);
    assertEquals(
        "sluice; fwd=miss", service.get(path).getHeader("Cache-Status"), "gone after its 1 s TTL");
    assertTrue(service.stats("templates").getJsonObject("cache_stats").getLong("evictions") >= 1);
  }

  @Test
  @DisplayName("under a flood of distinct keys each family stays within its bytes and entries")
  void byteBound() {
    JsonObject first = null;
    for (int limit = 40; limit <= 100; limit++) {
      HttpResponse<Buffer> response = service.get("/api/v1/users?limit=" + limit);
      assertEquals(200, response.statusCode());
      if (first == null) {
        first = service.stats("users").getJsonObject("cache_stats");
      }
    }
    JsonObject stats = service.stats("users").getJsonObject("cache_stats");
    long share = stats.getLong("max_weight_bytes");
    // a node bound of 1 MB, shared by the families in proportion to their entry counts (users: 500
    // of 5212)
    assertEquals((1L << 20) * 500 / (1000 + 500 + 2000 + 200 + 1000 + 256), share);
    assertTrue(stats.getLong("weight_bytes") <= share, stats::encode);
    assertTrue(
        stats.getLong("weight_bytes") > share / 4,
        "the share is used, not left empty: " + stats.encode());
    assertTrue(
        stats.getLong("evictions") >= 50,
        "61 pages of ~10-25 kB cannot all stay in ~100 kB: " + stats.encode());
    assertTrue(stats.getLong("size") < 15, stats::encode);
    long node = 0;
    JsonObject loaders = service.getJson("/api/v1/stats").getJsonObject("loaders");
    for (String family : loaders.fieldNames()) {
      node += loaders.getJsonObject(family).getJsonObject("cache_stats").getLong("weight_bytes");
    }
    assertTrue(node <= 1L << 20, "the node holds at most its 1 MB: " + node);
  }

  @Test
  @DisplayName("with no admin token configured the cache endpoints answer 403")
  void noToken() {
    HttpResponse<Buffer> response =
        Waits.request(
            service
                .http
                .delete("/api/v1/cache")
                .putHeader("Authorization", "Bearer anything")
                .send());
    assertEquals(403, response.statusCode());
    assertEquals(
        "https://sluice.dev/problems/forbidden", response.bodyAsJsonObject().getString("type"));
    assertEquals(
        403, Waits.request(service.http.delete("/api/v1/cache/videos").send()).statusCode());
  }
}
