package dev.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import dev.sluice.api.Operation;
import dev.sluice.api.ProblemException;
import dev.sluice.bus.SluiceClient;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName("Single items and ids= batches, loaded together as a DataLoader would")
class ItemsTest {

  @Boot static Service service;
  static final String BATCH_SQL = ".id = ANY(";

  static List<UUID> ids(String table, int n) {
    return service.sql("SELECT id FROM " + table + " ORDER BY md5(id::text) LIMIT " + n).stream()
        .map(r -> r.getUUID(0))
        .toList();
  }

  static void clearCache() {
    HttpResponse<Buffer> cleared =
        Waits.request(
            service
                .http
                .delete("/api/v1/cache")
                .putHeader("Authorization", "Bearer test-admin-token")
                .send());
    assertEquals(200, cleared.statusCode());
  }

  @Test
  @DisplayName(
      "one video, user or template by id: the envelope with the one item, as PostgreSQL holds it")
  void single() {
    for (String[] kind :
        new String[][] {{"videos", "title"}, {"users", "username"}, {"templates", "name"}}) {
      UUID id = ids(kind[0], 1).get(0);
      Row row = service.sql("SELECT " + kind[1] + " FROM " + kind[0] + " WHERE id = $1", id).get(0);
      JsonObject envelope = service.getJson("/api/v1/" + kind[0] + "/" + id);
      assertEquals("single", envelope.getString("strategy"));
      assertEquals(1, envelope.getInteger("count"));
      JsonObject item = envelope.getJsonArray("data").getJsonObject(0);
      assertEquals(id.toString(), item.getString("id"));
      assertEquals(row.getString(0), item.getString(kind[1]));
      assertTrue(envelope.containsKey("next_cursor") && envelope.getValue("next_cursor") == null);
    }
  }

  @Test
  @DisplayName(
      "an unknown id is a 404 problem; a segment that is not a UUID is no such path; named paths keep theirs")
  void unknown() {
    HttpResponse<Buffer> missing = service.get("/api/v1/videos/" + new UUID(0, 42));
    assertEquals(404, missing.statusCode());
    assertEquals("application/problem+json", missing.getHeader("Content-Type"));
    assertTrue(missing.bodyAsJsonObject().getString("detail").contains(new UUID(0, 42).toString()));
    assertEquals(404, service.get("/api/v1/users/not-a-uuid").statusCode());
    assertEquals(404, service.get("/api/v1/templates/12345").statusCode());
    assertEquals("pagination", service.getJson("/api/v1/videos/popular").getString("strategy"));
    assertEquals(
        "virtual_scroll",
        service.getJson("/api/v1/users/range?start_index=0&end_index=2").getString("strategy"));
  }

  @Test
  @DisplayName("ids= answers in the order asked, null for an unknown id, count being the ids asked")
  void batch() {
    List<UUID> known = ids("videos", 3);
    UUID unknown = new UUID(0, 7);
    List<UUID> asked = List.of(known.get(2), unknown, known.get(0), known.get(1));
    JsonObject envelope =
        service.getJson(
            "/api/v1/videos?ids="
                + asked.stream().map(UUID::toString).collect(Collectors.joining(",")));
    assertEquals("batch", envelope.getString("strategy"));
    assertEquals(4, envelope.getInteger("count"));
    JsonArray data = envelope.getJsonArray("data");
    for (int i = 0; i < asked.size(); i++) {
      if (asked.get(i).equals(unknown)) {
        assertNull(data.getValue(i));
      } else {
        assertEquals(asked.get(i).toString(), data.getJsonObject(i).getString("id"));
      }
    }
    JsonObject users = service.getJson("/api/v1/users?ids=" + ids("users", 2).get(1));
    assertEquals(1, users.getJsonArray("data").size());
    JsonObject templates =
        service.getJson("/api/v1/templates?ids=" + ids("templates", 1).get(0) + "," + unknown);
    assertNull(templates.getJsonArray("data").getValue(1));
  }

  @Test
  @DisplayName(
      "a malformed, empty or too long ids list, or ids with listing parameters, is a 400 naming ids")
  void badIds() {
    String hundredOne =
        java.util.stream.IntStream.range(0, 101)
            .mapToObj(i -> new UUID(1, i).toString())
            .collect(Collectors.joining(","));
    String hundred =
        java.util.stream.IntStream.range(0, 100)
            .mapToObj(i -> new UUID(1, i).toString())
            .collect(Collectors.joining(","));
    for (String query :
        List.of(
            "ids=",
            "ids=nope",
            "ids=" + new UUID(1, 1) + ",,",
            "ids=" + hundredOne,
            "ids=" + new UUID(1, 1) + "&cursor=abc",
            "ids=" + new UUID(1, 1) + "&status=ready",
            "ids=" + new UUID(1, 1) + "&ids=" + new UUID(1, 2))) {
      HttpResponse<Buffer> response = service.get("/api/v1/videos?" + query);
      assertEquals(400, response.statusCode(), query);
      assertEquals(
          "ids",
          response
              .bodyAsJsonObject()
              .getJsonArray("errors")
              .getJsonObject(0)
              .getString("parameter"),
          query);
    }
    assertEquals(
        400, service.get("/api/v1/templates?ids=" + new UUID(1, 1) + "&page=2").statusCode());
    assertEquals(
        200,
        service.get("/api/v1/videos?ids=" + hundred).statusCode(),
        "100 ids fit the request line");
  }

  @Test
  @DisplayName("200 concurrent single-video requests run a few queries, not 200")
  void concurrentItems() {
    List<UUID> ids = ids("videos", 200);
    // 200 open connections first, so the requests arrive together rather than as connections are
    // made
    List<Future<HttpResponse<Buffer>>> warm = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      warm.add(service.http.get("/api/v1/nothing-here").send());
    }
    Waits.request(Future.all(warm));
    clearCache();
    service.resetStatements();
    List<Future<HttpResponse<Buffer>>> replies = new ArrayList<>();
    for (UUID id : ids) {
      replies.add(service.http.get("/api/v1/videos/" + id).send());
    }
    Waits.request(Future.all(replies));
    for (int i = 0; i < ids.size(); i++) {
      HttpResponse<Buffer> reply = replies.get(i).result();
      assertEquals(200, reply.statusCode());
      assertEquals(
          ids.get(i).toString(),
          reply.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("id"));
    }
    long queries = service.calls("FROM public.videos d", BATCH_SQL);
    assertTrue(queries >= 1 && queries <= 10, queries + " queries for 200 items");
    assertEquals(
        0, service.calls("FROM public.videos d", "d.id = $1"), "no item was loaded on its own");
  }

  @Test
  @DisplayName("a batch takes the items the cache holds from it and caches each item it loads")
  void batchAndItemsShare() {
    clearCache();
    List<UUID> ids = ids("users", 6);
    service.getJson("/api/v1/users/" + ids.get(0));
    service.getJson("/api/v1/users/" + ids.get(1));
    service.resetStatements();
    String all = ids.stream().map(UUID::toString).collect(Collectors.joining(","));
    assertEquals(6, service.getJson("/api/v1/users?ids=" + all).getJsonArray("data").size());
    assertEquals(
        1,
        service.calls("FROM public.users d", BATCH_SQL),
        "one query for the four the cache did not hold");
    for (UUID id : ids) {
      assertEquals(
          "sluice; hit",
          service.get("/api/v1/users/" + id).getHeader("Cache-Status"),
          id.toString());
    }
  }

  @Test
  @DisplayName(
      "another verticle that loads 500 users one by one through the typed client causes a handful of queries")
  void typedClient() {
    clearCache();
    List<UUID> ids = ids("users", 300);
    SluiceClient client = SluiceClient.create(service.vertx, 10_000);
    service.resetStatements();
    List<Future<JsonObject>> items = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      items.add(client.item(Operation.USER, ids.get(i % ids.size())));
    }
    Waits.request(Future.all(items));
    for (int i = 0; i < 500; i++) {
      assertEquals(ids.get(i % ids.size()).toString(), items.get(i).result().getString("id"));
    }
    long queries = service.calls("FROM public.users d", BATCH_SQL);
    assertTrue(queries >= 1 && queries <= 10, queries + " queries for 500 loads");
    List<JsonObject> batch =
        Waits.request(client.items(Operation.USERS, List.of(ids.get(3), new UUID(0, 1))));
    assertEquals(ids.get(3).toString(), batch.get(0).getString("id"));
    assertNull(batch.get(1));
    Future<JsonObject> missing = client.item(Operation.VIDEO, new UUID(0, 3));
    Throwable failure = assertThrows(Exception.class, missing::await);
    assertInstanceOf(ProblemException.class, failure);
    assertEquals(404, ((ProblemException) failure).problem().status());
  }
}
