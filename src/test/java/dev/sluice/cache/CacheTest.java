package dev.sluice.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import dev.sluice.api.Bodies;
import dev.sluice.api.Operation;
import dev.sluice.bus.LoaderReply;
import dev.sluice.config.SluiceConfig;
import dev.sluice.plan.Planners;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName(
    "The node cache answers repeated requests, stays true to the database, and speaks HTTP caching")
class CacheTest {

  @Boot static Service service;

  static String cacheStatus(HttpResponse<Buffer> response) {
    return response.getHeader("Cache-Status");
  }

  static HttpResponse<Buffer> ok(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response::bodyAsString);
    return response;
  }

  /** The reply the node cache holds for a request, looked up by the key the planners give it. */
  static LoaderReply held(Operation operation, JsonObject params) {
    Planners planners = Planners.create(SluiceConfig.from(service.config));
    return (LoaderReply) service.node.cacheIfReady().peek(planners.plan(operation, params).key());
  }

  @Test
  @DisplayName(
      "a repeated request is a hit: the same bytes, without a query, and the counters move")
  void repeatedIsHit() {
    String path = "/api/v1/users?role=creator&limit=7";
    JsonObject before = service.stats("users");
    service.resetStatements();
    HttpResponse<Buffer> first = ok(service.get(path));
    HttpResponse<Buffer> second = ok(service.get(path));
    assertEquals("sluice; fwd=miss", cacheStatus(first));
    assertEquals("sluice; hit", cacheStatus(second));
    assertEquals(first.bodyAsString(), second.bodyAsString());
    assertEquals(first.getHeader("ETag"), second.getHeader("ETag"));
    assertEquals(
        first.getHeader("Link"), second.getHeader("Link"), "a hit carries the cursor links too");
    assertEquals(
        1,
        service.calls("FROM public.users d", "(d.role = $1) AND (d.is_active = $2)", "LIMIT $3"),
        "only the first request reached PostgreSQL");
    JsonObject after = service.stats("users");
    assertEquals(before.getLong("cache_hits") + 1, after.getLong("cache_hits"));
    assertEquals(before.getLong("cache_misses") + 1, after.getLong("cache_misses"));
    assertEquals(before.getLong("total_items") + 14, after.getLong("total_items"));
  }

  @Test
  @DisplayName("two spellings of one request share one entry")
  void spellingsShare() {
    ok(service.get("/api/v1/videos?status=draft&category=music&limit=9"));
    assertEquals(
        "sluice; hit",
        cacheStatus(ok(service.get("/api/v1/videos?limit=09&category=music&status=draft"))));
    ok(
        service.get(
            "/api/v1/analytics/platform?metrics=views,users&start_date=2026-01-01&end_date=2026-01-03"));
    assertEquals(
        "sluice; hit",
        cacheStatus(
            ok(
                service.get(
                    "/api/v1/analytics/platform?metrics=users,views&start_date=2026-01-01T00:00:00Z&end_date=2026-01-03"))));
    ok(service.get("/api/v1/users?limit=4"));
    assertEquals(
        "sluice; hit",
        cacheStatus(ok(service.get("/api/v1/users?limit=4&is_active=true"))),
        "a default given explicitly is the same request");
    ok(service.get("/api/v1/search/suggestions?query=Guitar"));
    assertEquals(
        "sluice; hit", cacheStatus(ok(service.get("/api/v1/search/suggestions?query=guitar%20"))));
    assertEquals(
        "sluice; fwd=miss",
        cacheStatus(ok(service.get("/api/v1/users?limit=4&is_active=false"))),
        "another value is another request");
  }

  @Test
  @DisplayName(
      "a compressed family's entry reaches a gzip client byte for byte, and a plain client decoded")
  void gzipEntries() {
    String path = "/api/v1/videos?category=travel&limit=40";
    HttpResponse<Buffer> gzip = ok(service.get(path, "Accept-Encoding", "gzip"));
    assertEquals("gzip", gzip.getHeader("Content-Encoding"));
    assertTrue(gzip.getHeader("Vary").contains("Accept-Encoding"), gzip.getHeader("Vary"));
    LoaderReply stored =
        held(Operation.VIDEOS, new JsonObject().put("category", "travel").put("limit", "40"));
    assertNotNull(stored, "the page is in the cache");
    assertTrue(stored.gzipped(), "videos are stored compressed");
    assertArrayEquals(
        stored.body().getBytes(), gzip.body().getBytes(), "the stored bytes, as they are");
    HttpResponse<Buffer> again = ok(service.get(path, "Accept-Encoding", "br;q=1.0, gzip;q=0.8"));
    assertEquals("sluice; hit", cacheStatus(again));
    assertArrayEquals(stored.body().getBytes(), again.body().getBytes());

    HttpResponse<Buffer> plain = ok(service.get(path));
    assertNull(plain.getHeader("Content-Encoding"));
    assertEquals(Bodies.gunzip(stored.body()).toString(), plain.bodyAsString());
    assertEquals(40, plain.bodyAsJsonObject().getJsonArray("data").size());
    assertNull(
        ok(service.get(path, "Accept-Encoding", "gzip;q=0, deflate")).getHeader("Content-Encoding"),
        "q=0 refuses gzip");
    assertNotEquals(
        gzip.getHeader("ETag"), plain.getHeader("ETag"), "the two representations have two tags");
  }

  @Test
  @DisplayName("a plain family's page is compressed for a gzip client; a small body stays plain")
  void gzipOnTheFly() {
    String path = "/api/v1/users?role=viewer&limit=30";
    HttpResponse<Buffer> plain = ok(service.get(path));
    HttpResponse<Buffer> gzip = ok(service.get(path, "Accept-Encoding", "gzip"));
    assertEquals("gzip", gzip.getHeader("Content-Encoding"));
    assertEquals(plain.bodyAsString(), Bodies.gunzip(gzip.body()).toString());
    assertTrue(gzip.body().length() < plain.body().length() / 2);
    HttpResponse<Buffer> small =
        ok(service.get("/api/v1/search/suggestions?query=zz&limit=1", "Accept-Encoding", "gzip"));
    assertNull(small.getHeader("Content-Encoding"), "a body under min_compress_bytes goes plain");
  }

  @Test
  @DisplayName(
      "If-None-Match with the ETag gives 304 with no body, from the cache; a changed page gets a new ETag")
  void conditional() {
    UUID id =
        service
            .sql(
                "SELECT id FROM templates WHERE is_public ORDER BY usage_count DESC, id DESC LIMIT 1")
            .get(0)
            .getUUID(0);
    String path = "/api/v1/templates?per_page=3";
    HttpResponse<Buffer> first = ok(service.get(path));
    String etag = first.getHeader("ETag");
    assertTrue(etag.matches("\"[A-Za-z0-9_-]{22}\""), etag);
    HttpResponse<Buffer> notModified = service.get(path, "If-None-Match", etag);
    assertEquals(304, notModified.statusCode());
    assertNull(notModified.body());
    assertEquals(etag, notModified.getHeader("ETag"));
    assertEquals("sluice; hit", cacheStatus(notModified));
    assertEquals(
        304,
        service.get(path, "If-None-Match", "\"other\", W/" + etag).statusCode(),
        "any tag of the list, weakly compared");
    assertEquals(
        304,
        service.get(path, "If-None-Match", etag, "Accept-Encoding", "gzip").statusCode(),
        "the plain tag still names the content a gzip client would get");
    assertEquals(200, service.get(path, "If-None-Match", "\"other\"").statusCode());

    String name = service.sql("SELECT name FROM templates WHERE id = $1", id).get(0).getString(0);
    try {
      service.sql("UPDATE templates SET name = name || ' (renamed)' WHERE id = $1", id);
      assertTrue(
          Service.eventually(
              1_000, () -> service.get(path, "If-None-Match", etag).statusCode() == 200),
          "the write made the old tag stale within a second");
      HttpResponse<Buffer> changed = ok(service.get(path));
      assertNotEquals(etag, changed.getHeader("ETag"));
      assertTrue(changed.bodyAsString().contains("(renamed)"));
    } finally {
      service.sql("UPDATE templates SET name = $2 WHERE id = $1", id, name);
    }
  }

  @Test
  @DisplayName("100 concurrent identical requests on a cold key run one query in PostgreSQL")
  void singleFlight() {
    UUID user =
        service
            .sql("SELECT user_id FROM videos GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
            .get(0)
            .getUUID(0);
    String path = "/api/v1/videos?user_id=" + user + "&category=gaming&status=ready&limit=11";
    service.resetStatements();
    List<Future<HttpResponse<Buffer>>> replies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      replies.add(service.http.get(path).send());
    }
    Waits.request(Future.all(replies));
    Set<String> bodies = new HashSet<>();
    for (Future<HttpResponse<Buffer>> reply : replies) {
      bodies.add(ok(reply.result()).bodyAsString());
    }
    assertEquals(1, bodies.size(), "everyone got the same answer");
    assertEquals(
        1,
        service.calls(
            "FROM public.videos d",
            "(d.status = $1) AND (d.category = $2) AND (d.user_id = $3)",
            "LIMIT $4"),
        "one query for 100 requests");
  }

  @Test
  @DisplayName(
      "an UPDATE through a plain SQL connection shows in the next request within a second, TTL or not")
  void invalidatedByWrites() {
    UUID id =
        service
            .sql("SELECT id FROM users WHERE is_active ORDER BY created_at DESC, id DESC LIMIT 1")
            .get(0)
            .getUUID(0);
    String name =
        service.sql("SELECT display_name FROM users WHERE id = $1", id).get(0).getString(0);
    String item = "/api/v1/users/" + id;
    String page = "/api/v1/users?limit=3";
    ok(service.get(item));
    ok(service.get(page));
    assertEquals("sluice; hit", cacheStatus(ok(service.get(item))));
    assertEquals("sluice; hit", cacheStatus(ok(service.get(page))));
    assertEquals(
        3_600, SluiceConfig.from(service.config).policy("users").ttlSeconds(), "a TTL of an hour");
    try {
      long written = System.currentTimeMillis();
      service.sql("UPDATE users SET display_name = 'Renamed by psql' WHERE id = $1", id);
      assertTrue(
          Service.eventually(
              1_000, () -> service.get(item).bodyAsString().contains("Renamed by psql")),
          "the single item shows the new name within a second");
      assertTrue(System.currentTimeMillis() - written < 1_000);
      assertEquals(
          "Renamed by psql",
          service.getJson(page).getJsonArray("data").getJsonObject(0).getString("display_name"),
          "and so does the listing that holds it");
      assertTrue(service.stats("users").getJsonObject("cache_stats").getLong("invalidations") >= 2);
    } finally {
      service.sql("UPDATE users SET display_name = $2 WHERE id = $1", id, name);
    }
  }

  @Test
  @DisplayName("after page 1, the next prefetch_distance pages of each strategy are hits")
  void prefetch() {
    // looked for in the node cache, not asked for (a miss asked for would be loaded and cached by
    // the asking)
    JsonObject listing = new JsonObject().put("category", "cooking").put("limit", "5");
    JsonObject first = service.getJson("/api/v1/videos?category=cooking&limit=5");
    JsonObject second = listing.copy().put("cursor", first.getString("next_cursor"));
    assertTrue(
        Service.eventually(5_000, () -> held(Operation.VIDEOS, second) != null),
        "the next cursor page was loaded ahead");
    HttpResponse<Buffer> page2 =
        ok(
            service.get(
                "/api/v1/videos?category=cooking&limit=5&cursor=" + second.getString("cursor")));
    assertEquals("sluice; hit", cacheStatus(page2));
    JsonObject third =
        listing.copy().put("cursor", page2.bodyAsJsonObject().getString("next_cursor"));
    assertTrue(
        Service.eventually(5_000, () -> held(Operation.VIDEOS, third) != null),
        "and the one after it");

    ok(service.get("/api/v1/templates?category=intro&per_page=2&page=1"));
    assertTrue(
        Service.eventually(
            2_000,
            () ->
                "sluice; hit"
                    .equals(
                        cacheStatus(
                            service.get("/api/v1/templates?category=intro&per_page=2&page=3")))),
        "offset pages 2 and 3");
    assertEquals(
        "sluice; hit",
        cacheStatus(ok(service.get("/api/v1/templates?category=intro&per_page=2&page=2"))));

    ok(service.get("/api/v1/users/range?role=viewer&start_index=0&end_index=20"));
    assertTrue(
        Service.eventually(
            2_000,
            () ->
                "sluice; hit"
                    .equals(
                        cacheStatus(
                            service.get(
                                "/api/v1/users/range?role=viewer&start_index=40&end_index=60")))),
        "scroll windows");
    assertEquals(
        "sluice; hit",
        cacheStatus(
            ok(service.get("/api/v1/users/range?role=viewer&start_index=20&end_index=40"))));
    assertTrue(service.stats("users").getJsonObject("cache_stats").getLong("prefetched") >= 2);
  }

  @Test
  @DisplayName("a client that walks on keeps the pages ahead of it loaded")
  void prefetchKeepsUp() {
    String path = "/api/v1/videos?status=ready&limit=4";
    JsonObject page = service.getJson(path);
    for (int i = 0; i < 6; i++) {
      String next = path + "&cursor=" + page.getString("next_cursor");
      assertTrue(
          Service.eventually(2_000, () -> "sluice; hit".equals(cacheStatus(service.get(next)))),
          "page " + (i + 2) + " was there when asked for");
      page = service.getJson(next);
    }
  }

  @Test
  @DisplayName(
      "the cache endpoints need the admin token (401) and a known loader (404), and say what they dropped")
  void admin() {
    ok(service.get("/api/v1/templates?per_page=4"));
    ok(service.get("/api/v1/templates?per_page=5"));
    HttpResponse<Buffer> missing = Waits.request(service.http.delete("/api/v1/cache").send());
    assertEquals(401, missing.statusCode());
    assertEquals("application/problem+json", missing.getHeader("Content-Type"));
    assertEquals("Bearer realm=\"sluice\"", missing.getHeader("WWW-Authenticate"));
    assertEquals(
        401,
        Waits.request(
                service
                    .http
                    .delete("/api/v1/cache/templates")
                    .putHeader("Authorization", "Bearer wrong")
                    .send())
            .statusCode());
    HttpResponse<Buffer> unknown =
        Waits.request(
            service
                .http
                .delete("/api/v1/cache/nothing")
                .putHeader("Authorization", "Bearer test-admin-token")
                .send());
    assertEquals(404, unknown.statusCode());
    assertEquals(
        "https://sluice.dev/problems/not-found", unknown.bodyAsJsonObject().getString("type"));
    // the pages prefetched after those two land in the background: count once they have
    long[] size = {-1};
    assertTrue(
        Service.eventually(
            5_000,
            () -> {
              long now = service.stats("templates").getJsonObject("cache_stats").getLong("size");
              boolean settled = now == size[0];
              size[0] = now;
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return settled;
            }));
    long held = size[0];
    assertTrue(held >= 2);
    HttpResponse<Buffer> cleared =
        Waits.request(
            service
                .http
                .delete("/api/v1/cache/templates")
                .putHeader("Authorization", "Bearer test-admin-token")
                .send());
    assertEquals(200, cleared.statusCode());
    assertEquals(held, cleared.bodyAsJsonObject().getLong("dropped"));
    assertEquals(0, service.stats("templates").getJsonObject("cache_stats").getLong("size"));
    assertEquals("sluice; fwd=miss", cacheStatus(ok(service.get("/api/v1/templates?per_page=4"))));
    HttpResponse<Buffer> all =
        Waits.request(
            service
                .http
                .delete("/api/v1/cache")
                .putHeader("Authorization", "Bearer test-admin-token")
                .send());
    assertEquals(200, all.statusCode());
    assertTrue(all.bodyAsJsonObject().getLong("dropped") >= 1);
    assertEquals(
        Set.of("videos", "users", "analytics", "templates", "search"),
        all.bodyAsJsonObject().getJsonObject("loaders").fieldNames());
  }
}
