package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.TestDatabase;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The edges a review of the declared datasets found, each held here: columns named like the
 * stream's own parameters, keys matched by value, values only PostgreSQL refuses, errors that are
 * the data's, a key column whose name holds a comma, a window moved back to its grid.
 */
@EndToEnd
class DeclaredEdgesTest {

  @Boot(config = "edges")
  static Service service;

  static JsonObject edges() {
    TestDatabase.run(
        "DROP SCHEMA IF EXISTS rv CASCADE; CREATE SCHEMA rv;"
            + " CREATE TABLE rv.validity (id int PRIMARY KEY, until timestamptz,"
            + " snapshot text, x float8, u uuid NOT NULL UNIQUE);"
            + " INSERT INTO rv.validity SELECT g, '2026-01-01T00:00:00Z'::timestamptz"
            + " + g * interval '1 day', 's' || g, g / 4.0,"
            + " ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a' || lpad(g::text, 2, '0'))::uuid"
            + " FROM generate_series(1, 30) g;"
            + " CREATE TABLE rv.\"odd,key\" (\"a,b\" int PRIMARY KEY, v text);"
            + " INSERT INTO rv.\"odd,key\" VALUES (1, 'one'), (2, 'two');"
            + " CREATE TABLE rv.ratios (t timestamptz PRIMARY KEY, a int, b int);"
            + " INSERT INTO rv.ratios VALUES ('2026-01-01T01:00:00Z', 1, 0);"
            + " CREATE TABLE rv.flags (id int PRIMARY KEY, bits bit varying(8));"
            + " INSERT INTO rv.flags VALUES (1, B'101'), (2, NULL);"
            + " CREATE TABLE rv.raw (id int PRIMARY KEY, t text);"
            + " INSERT INTO rv.raw VALUES (1, '5'), (2, '-');"
            + " CREATE VIEW rv.cast AS SELECT id, t::numeric AS n FROM rv.raw");
    return new JsonObject()
        .put(
            "datasets",
            new JsonObject()
                .put(
                    "validity", new JsonObject().put("relation", "rv.validity").put("filters", "*"))
                .put(
                    "by_uuid",
                    new JsonObject()
                        .put("relation", "rv.validity")
                        .put("key", new JsonArray(List.of("u"))))
                .put("odd", new JsonObject().put("relation", "rv.\"odd,key\""))
                .put("flags", new JsonObject().put("relation", "rv.flags").put("filters", "*"))
                .put(
                    "daily",
                    new JsonObject()
                        .put("relation", "rv.validity")
                        .put("time", "until")
                        .put(
                            "measures",
                            new JsonObject().put("n", "count(*)").put("total", "sum(x)")))
                .put(
                    "cast",
                    new JsonObject()
                        .put("relation", "rv.cast")
                        .put("key", new JsonArray(List.of("id")))
                        .put("filters", new JsonObject().put("id", new JsonArray(List.of("gte")))))
                .put(
                    "ratios",
                    new JsonObject()
                        .put("relation", "rv.ratios")
                        .put("filters", new JsonObject().put("a", new JsonArray(List.of("eq"))))
                        .put("time", "t")
                        .put("measures", new JsonObject().put("r", "sum(a) / sum(b)"))));
  }

  @Test
  @DisplayName("columns named until and snapshot: the stream serves, they are not filters")
  void streamParameterNames() {
    HttpResponse<Buffer> stream =
        service.get("/api/v1/data/validity/stream", "Accept", "application/x-ndjson");
    assertEquals(200, stream.statusCode(), stream.bodyAsString());
    assertEquals(30, stream.bodyAsString().split("\n").length);
    assertEquals(
        200, service.get("/api/v1/data/validity/stream", "Accept", "text/csv").statusCode());
    JsonObject filters =
        service
            .getJson("/api/v1/data")
            .getJsonArray("datasets")
            .getJsonObject(0)
            .getJsonObject("filters");
    assertTrue(!filters.containsKey("until") && !filters.containsKey("snapshot"), filters.encode());
  }

  @Test
  @DisplayName("ids are matched by value: 007 is 7, an upper-case UUID its own row")
  void idsByValue() {
    JsonArray data = service.getJson("/api/v1/data/validity?ids=007,8").getJsonArray("data");
    assertEquals(7, data.getJsonObject(0).getInteger("id"));
    assertEquals(8, data.getJsonObject(1).getInteger("id"));
    JsonArray upper =
        service
            .getJson(
                "/api/v1/data/by_uuid?ids=A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A05,a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a99")
            .getJsonArray("data");
    assertEquals(5, upper.getJsonObject(0).getInteger("id"));
    assertNull(upper.getValue(1));
  }

  @Test
  @DisplayName("a value Sluice reads but PostgreSQL refuses is a 400 before a stream's first byte")
  void refusedBeforeTheStream() {
    for (String filter :
        List.of("x=gt.1e400", "until=gt.0000-01-01T00:00:00Z", "id=in.(1,99999999999)")) {
      HttpResponse<Buffer> reply =
          service.get("/api/v1/data/validity/stream?" + filter, "Accept", "application/x-ndjson");
      assertEquals(400, reply.statusCode(), filter + ": " + reply.bodyAsString());
    }
  }

  @Test
  @DisplayName(
      "a value PostgreSQL refuses quoting only part of it (a bit string's digit) is a 400 naming"
          + " its filter")
  void partQuoted() {
    for (String filter : List.of("bits=eq.(a,b)", "bits=eq.102", "bits=in.(1,2x)")) {
      HttpResponse<Buffer> reply = service.get("/api/v1/data/flags?" + filter);
      assertEquals(400, reply.statusCode(), filter + ": " + reply.bodyAsString());
      assertEquals(
          "bits",
          reply.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("parameter"),
          filter + ": " + reply.bodyAsString());
    }
    assertEquals(200, service.get("/api/v1/data/flags?bits=eq.101").statusCode());
    // a view's own bad data ("-" read as a number) is not blamed on a filter whose value holds a -
    HttpResponse<Buffer> data = service.get("/api/v1/data/cast?id=gte.-1");
    assertTrue(data.statusCode() >= 500, data.bodyAsString());
  }

  @Test
  @DisplayName(
      "a window's measures are part of what it is: each choice its own reply, cached apart")
  void measuresChosen() {
    String window =
        "/api/v1/data/daily/window?start=2026-01-01T00:00:00Z&end=2026-01-11T00:00:00Z&bucket=1d";
    JsonObject counts = service.getJson(window + "&measures=n");
    JsonObject totals = service.getJson(window + "&measures=total");
    JsonObject both = service.getJson(window);
    JsonObject second = counts.getJsonArray("data").getJsonObject(1);
    assertEquals(Set.of("bucket_start", "n"), second.fieldNames(), counts.encode());
    assertEquals(
        Set.of("bucket_start", "total"),
        totals.getJsonArray("data").getJsonObject(1).fieldNames(),
        totals.encode());
    assertEquals(
        Set.of("bucket_start", "n", "total"),
        both.getJsonArray("data").getJsonObject(1).fieldNames(),
        both.encode());
  }

  @Test
  @DisplayName("an error of the data (a division by zero in a measure) blames no filter")
  void dataErrorsAreNotTheRequests() {
    HttpResponse<Buffer> reply =
        service.get(
            "/api/v1/data/ratios/window?start=2026-01-01T00:00:00Z&end=2026-01-01T03:00:00Z"
                + "&bucket=1h&a=eq.1");
    assertNotEquals(400, reply.statusCode(), reply.bodyAsString());
    assertTrue(reply.statusCode() >= 500, reply.bodyAsString());
  }

  @Test
  @DisplayName("a key column whose name holds a comma is a key, and its rows are served by it")
  void commaInAKey() {
    assertEquals(
        List.of(1, 2),
        service.getJson("/api/v1/data/odd?limit=5").getJsonArray("data").stream()
            .map(r -> ((JsonObject) r).getInteger("a,b"))
            .toList());
    assertEquals(
        "two",
        service
            .getJson("/api/v1/data/odd/items/2")
            .getJsonArray("data")
            .getJsonObject(0)
            .getString("v"));
  }

  @Test
  @DisplayName("a window moved back to its grid may not exceed the bucket limit")
  void alignedWindowBucketLimit() {
    // 10,000 one-minute buckets from 00:00:30 are 10,001 once the start moves back to 00:00:00
    HttpResponse<Buffer> reply =
        service.get(
            "/api/v1/data/ratios/window?start=2026-01-01T00:00:30Z&end=2026-01-07T22:40:30Z&bucket=1m");
    assertEquals(400, reply.statusCode(), reply.bodyAsString());
    assertEquals(
        "bucket",
        reply.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("parameter"));
  }

  @Test
  @DisplayName("a dataset may not be called like a part of the node")
  void partNames() throws Exception {
    for (String name : List.of("monitor", "gateway")) {
      JsonObject config =
          ConfigLoader.withEnvironment(
              new JsonObject()
                  .put(
                      "datasets",
                      new JsonObject().put(name, new JsonObject().put("relation", "rv.validity"))),
              Map.of());
      assertThrows(DeclarationException.class, () -> Declarations.read(SluiceConfig.from(config)));
    }
  }
}
