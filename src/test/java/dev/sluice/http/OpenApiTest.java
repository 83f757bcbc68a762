package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Column;
import dev.sluice.plan.DemoRoutes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("GET /openapi.json is a valid OpenAPI 3.1 document of the configuration in effect")
@EndToEnd
class OpenApiTest {

  /**
   * Limits other than the defaults, so a bound in the document can only have come from the
   * configuration. This service has no admin token (OpenApiRoutesTest's has one).
   */
  static final JsonObject LIMITS =
      new JsonObject()
          .put("max_page_size", 77)
          .put("max_limit", 333)
          .put("default_limit", 21)
          .put("max_window_days", 40)
          .put("max_buckets", 5000);

  @Boot(config = "configured")
  static Service service;

  static JsonObject document;

  static JsonObject configured() {
    return new JsonObject()
        .put("limits", LIMITS)
        .put("admin", new JsonObject().put("token", ""))
        .put("http", new JsonObject().put("benchmark_reply_bytes", 64));
  }

  @BeforeAll
  static void start() {
    var response = service.get(Console.OPENAPI);
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.getHeader("Content-Type"));
    document = response.bodyAsJsonObject();
  }

  @Test
  @DisplayName("the served document validates against the OpenAPI 3.1 schema")
  void valid() {
    OutputUnit result = OpenApiContracts.validate(service.vertx, document);
    assertTrue(result.getValid(), () -> "not valid: " + result.getErrors());
    assertEquals("3.1.0", document.getString("openapi"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("url", "/")), document.getJsonArray("servers"));
  }

  @Test
  @DisplayName(
      "summaries are plain text (Swagger UI shows them as they are): code marks live in descriptions")
  void plainSummaries() {
    int operations = 0;
    for (String path : document.getJsonObject("paths").fieldNames()) {
      JsonObject item = document.getJsonObject("paths").getJsonObject(path);
      for (String method : item.fieldNames()) {
        JsonObject operation = item.getJsonObject(method);
        String summary = operation.getString("summary");
        assertTrue(
            summary != null && !summary.contains("`"), () -> method + " " + path + ": " + summary);
        operations++;
      }
    }
    assertTrue(operations >= 30, "every operation looked at");
    JsonObject videos =
        document.getJsonObject("paths").getJsonObject("/api/v1/videos").getJsonObject("get");
    assertTrue(videos.getString("description").contains("`ids`"), videos::encode);
  }

  @Test
  @DisplayName("a broken copy of the document is refused, so the validation really runs")
  void brokenCopyRefused() {
    JsonObject noResponses = document.copy();
    noResponses
        .getJsonObject("paths")
        .getJsonObject(HttpGatewayVerticle.API + "/videos")
        .getJsonObject("get")
        .put("responses", "none");
    assertFalse(OpenApiContracts.validate(service.vertx, noResponses).getValid());
    JsonObject badParameter = document.copy();
    badParameter
        .getJsonObject("paths")
        .getJsonObject(HttpGatewayVerticle.API + "/videos")
        .getJsonObject("get")
        .getJsonArray("parameters")
        .getJsonObject(0)
        .put("in", "body");
    assertFalse(OpenApiContracts.validate(service.vertx, badParameter).getValid());
    JsonObject noInfo = document.copy();
    noInfo.remove("info");
    assertThrows(RuntimeException.class, () -> OpenApiContracts.contract(service.vertx, noInfo));
  }

  @Test
  @DisplayName("vertx-openapi reads the document as a contract with every operation of the router")
  void contract() {
    OpenAPIContract contract = OpenApiContracts.contract(service.vertx, document);
    int operations = 0;
    for (String path : document.getJsonObject("paths").fieldNames()) {
      operations += document.getJsonObject("paths").getJsonObject(path).size();
    }
    assertEquals(operations, contract.operations().size());
    assertNotNull(
        contract.findOperation(
            HttpGatewayVerticle.API + "/videos/" + java.util.UUID.randomUUID(), HttpMethod.GET));
    assertNotNull(contract.operation("clearLoaderCache"));
  }

  @Test
  @DisplayName("a route without a description stops the document from being built")
  void undescribedRouteFails() {
    SluiceConfig settings = SluiceConfig.from(service.config);
    IllegalStateException failure =
        assertThrows(
            IllegalStateException.class,
            () ->
                OpenApi.document(
                    settings,
                    List.of(
                        new OpenApi.Served(
                            "/api/v1/nowhere", Set.of(HttpMethod.GET, HttpMethod.HEAD)))));
    assertTrue(failure.getMessage().contains("GET /api/v1/nowhere"), failure.getMessage());
    // a static route is left out by the rule, and needs no description
    JsonObject statics =
        OpenApi.document(
            settings,
            List.of(new OpenApi.Served("/console/*", Set.of(HttpMethod.GET, HttpMethod.HEAD))));
    assertTrue(statics.getJsonObject("paths").isEmpty());
  }

  @Test
  @DisplayName(
      "bounds of the configuration are the document's: per_page, limit, its default, window span, buckets")
  void boundsFromConfiguration() {
    JsonObject perPage = parameter("/api/v1/templates", "per_page").getJsonObject("schema");
    assertEquals(77, perPage.getInteger("maximum"));
    assertEquals(20, perPage.getInteger("default"), "the templates' page_size");
    JsonObject limit = parameter("/api/v1/videos", "limit").getJsonObject("schema");
    assertEquals(333, limit.getInteger("maximum"));
    assertEquals(21, limit.getInteger("default"));
    assertTrue(
        parameter("/api/v1/users/range", "end_index")
            .getString("description")
            .contains("at most 333"));
    assertTrue(
        parameter("/api/v1/users/analytics", "end")
            .getString("description")
            .contains("at most 40 days"));
    assertTrue(
        parameter("/api/v1/users/analytics", "bucket")
            .getString("description")
            .contains("5000 buckets"));
  }

  @Test
  @DisplayName("each row schema holds exactly the typed columns of its dataset")
  void rowsFromDatasets() {
    JsonObject schemas = document.getJsonObject("components").getJsonObject("schemas");
    OpenApiSchemas.ROWS.forEach(
        (name, columns) -> {
          JsonObject row = schemas.getJsonObject(name);
          assertNotNull(row, name);
          assertEquals(
              columns.stream().map(Column::name).toList(),
              row.getJsonArray("required").getList(),
              name);
          assertEquals(false, row.getBoolean("additionalProperties"), name);
          for (Column column : columns) {
            assertEquals(
                OpenApiSchemas.kind(column.kind()),
                withoutNull(row.getJsonObject("properties").getJsonObject(column.name())),
                name + "." + column.name());
          }
        });
    JsonObject video = schemas.getJsonObject("Video").getJsonObject("properties");
    assertEquals("uuid", video.getJsonObject("id").getString("format"));
    assertEquals("int64", withoutNull(video.getJsonObject("view_count")).getString("format"));
    assertEquals("date-time", withoutNull(video.getJsonObject("created_at")).getString("format"));
    assertEquals(DemoRoutes.VIDEOS.columns().size(), video.size());
  }

  @Test
  @DisplayName(
      "the strategies' envelopes, the problem with errors[] and request_id, and the streams are described")
  void components() {
    JsonObject schemas = document.getJsonObject("components").getJsonObject("schemas");
    assertEquals(
        EndpointsTest.ENVELOPE_FIELDS,
        Set.copyOf(schemas.getJsonObject("Envelope").getJsonArray("required").getList()));
    for (String envelope :
        List.of(
            "PaginationEnvelope",
            "CursorEnvelope",
            "WindowEnvelope",
            "VirtualScrollEnvelope",
            "SingleEnvelope",
            "BatchEnvelope",
            "Window",
            "Range")) {
      assertNotNull(schemas.getJsonObject(envelope), envelope);
    }
    JsonObject problem = schemas.getJsonObject("Problem");
    assertTrue(problem.getJsonArray("required").contains("request_id"));
    assertNotNull(problem.getJsonObject("properties").getJsonObject("errors"));
    JsonObject stream = operation("/api/v1/videos/stream", "get");
    JsonObject content =
        stream.getJsonObject("responses").getJsonObject("200").getJsonObject("content");
    assertEquals(
        Set.of("application/x-ndjson", "text/event-stream", "text/csv"), content.fieldNames());
    Set<String> names = new java.util.HashSet<>();
    stream.getJsonArray("parameters").forEach(p -> names.add(((JsonObject) p).getString("name")));
    assertTrue(
        names.containsAll(Set.of("after", "until", "checkpoints", "snapshot", "Last-Event-ID")),
        names::toString);
    assertTrue(
        operation("/api/v1/analytics/performance/stream", "get").getJsonArray("parameters").stream()
            .anyMatch(p -> "follow".equals(((JsonObject) p).getString("name"))));
    assertEquals(
        new JsonArray().add(new JsonObject().put("adminToken", new JsonArray())),
        operation("/api/v1/cache/{loader}", "delete").getJsonArray("security"));
  }

  @Test
  @DisplayName(
      "while no admin token is configured the admin endpoints answer the 403 problem the document lists")
  void adminOff() {
    for (String path : List.of("/api/v1/cache", "/api/v1/cache/{loader}")) {
      JsonObject operation = operation(path, "delete");
      assertEquals(
          "#/components/responses/403",
          operation.getJsonObject("responses").getJsonObject("403").getString("$ref"),
          path);
      var reply =
          service
              .http
              .delete(path.replace("{loader}", "videos"))
              .putHeader("Authorization", "Bearer x")
              .send()
              .timeout(1, java.util.concurrent.TimeUnit.MINUTES)
              .await();
      assertEquals(403, reply.statusCode(), path);
      assertEquals(Problems.CONTENT_TYPE, reply.getHeader("Content-Type"), path);
      assertTrue(reply.bodyAsJsonObject().containsKey("request_id"), path);
    }
  }

  @Test
  @DisplayName("a route served only by some configurations is described when it is served")
  void conditionalRoute() {
    JsonObject bytes = parameter("/bench/fixed", "bytes");
    assertTrue(bytes.getString("description").contains("at most 64"), bytes.encode());
    assertFalse(
        bytes.getJsonObject("schema").containsKey("maximum"),
        "clamped, not refused: no maximum to enforce");
    var reply = service.get("/bench/fixed?bytes=10");
    assertEquals(200, reply.statusCode());
    assertEquals(10, reply.body().length());
    assertEquals(64, service.get("/bench/fixed?bytes=1000").body().length(), "clamped");
  }

  static JsonObject withoutNull(JsonObject schema) {
    JsonArray anyOf = schema.getJsonArray("anyOf");
    if (anyOf != null
        && anyOf.size() == 2
        && anyOf.getJsonObject(1).equals(new JsonObject().put("type", "null"))) {
      return anyOf.getJsonObject(0);
    }
    return schema;
  }

  static JsonObject operation(String path, String method) {
    return document.getJsonObject("paths").getJsonObject(path).getJsonObject(method);
  }

  static JsonObject parameter(String path, String name) {
    for (Object p : operation(path, "get").getJsonArray("parameters")) {
      if (name.equals(((JsonObject) p).getString("name"))) {
        return (JsonObject) p;
      }
    }
    throw new AssertionError("no parameter " + name + " on " + path);
  }
}
