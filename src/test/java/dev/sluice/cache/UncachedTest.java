package dev.sluice.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import dev.sluice.api.Operation;
import dev.sluice.bus.LoaderReply;
import dev.sluice.bus.SluiceClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName(
    "With enable_caching=false every request is loaded, and nothing is compressed only to be decompressed")
class UncachedTest {

  @Boot(config = "uncached")
  static Service service;

  static JsonObject uncached() {
    return new JsonObject().put("lazy_loading", new JsonObject().put("enable_caching", false));
  }

  @Test
  @DisplayName("a repeated page is loaded again, still with its ETag, and says the cache is off")
  void everyRequestLoads() {
    String path = "/api/v1/videos?limit=5&status=ready";
    service.resetStatements();
    for (int i = 0; i < 3; i++) {
      var response = service.get(path);
      assertEquals(200, response.statusCode());
      assertEquals("sluice; fwd=uri-miss; detail=off", response.getHeader("Cache-Status"));
      assertNotNull(response.getHeader("ETag"));
    }
    assertEquals(3, service.calls("FROM public.videos d", "(d.status = $1)", "LIMIT $2"));
    assertEquals(0, service.stats("videos").getJsonObject("cache_stats").getLong("size"));
  }

  @Test
  @DisplayName(
      "a compressed family's reply is not gzip'd when it is not kept; gzip clients still get gzip")
  void noPointlessCompression() {
    LoaderReply reply =
        Waits.request(
            SluiceClient.create(service.vertx, 10_000)
                .request(Operation.VIDEOS, new JsonObject().put("limit", "40")));
    assertFalse(reply.gzipped(), "sent plain over the bus: nobody keeps the compressed copy");
    assertEquals(40, reply.json().getJsonArray("data").size());
    assertEquals(
        "gzip",
        service
            .get("/api/v1/videos?limit=40", "Accept-Encoding", "gzip")
            .getHeader("Content-Encoding"));
  }
}
