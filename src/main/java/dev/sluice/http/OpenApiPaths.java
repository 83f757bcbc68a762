package dev.sluice.http;

import static dev.sluice.http.OpenApiParameters.path;
import static dev.sluice.http.OpenApiParameters.query;
import static dev.sluice.http.OpenApiSchemas.JSON;
import static dev.sluice.http.OpenApiSchemas.NDJSON;
import static dev.sluice.http.OpenApiSchemas.SSE;
import static dev.sluice.http.OpenApiSchemas.bucketRow;
import static dev.sluice.http.OpenApiSchemas.envelopeOf;
import static dev.sluice.http.OpenApiSchemas.header;
import static dev.sluice.http.OpenApiSchemas.orNull;
import static dev.sluice.http.OpenApiSchemas.ref;
import static dev.sluice.http.OpenApiSchemas.response;
import static dev.sluice.http.OpenApiSchemas.type;

import dev.sluice.api.Operation;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.DeclaredDataset;
import dev.sluice.dataset.Relation;
import dev.sluice.plan.DemoRoutes;
import dev.sluice.plan.Operations;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each route of the gateway does, as OpenAPI operations, by the route's path template and
 * method: the descriptions {@link OpenApi} puts on the routes the router really has. docs/API.md
 * sections 1 to 4a and 7 say the same in words.
 */
final class OpenApiPaths {

  private static final String API = HttpGatewayVerticle.API;

  private final SluiceConfig settings;
  private final Operations declarations;
  private final Map<String, Map<HttpMethod, JsonObject>> operations = new LinkedHashMap<>();

  /**
   * Each GET's query parameters, read from its description once, on first use (per gateway
   * instance).
   */
  private final Map<String, java.util.Set<String>> queryParameters =
      new java.util.concurrent.ConcurrentHashMap<>();

  OpenApiPaths(Operations operations) {
    this.declarations = operations;
    this.settings = operations.settings();
    if (settings.demo()) {
      videos();
      users();
      analytics();
      templates();
      search();
    }
    declarations.datasets().forEach(this::dataset);
    operations();
    console();
  }

  /**
   * The query parameters a GET of {@code path} (a template) reads, as described: what a {@code
   * Link} to its next page carries over (nothing else the client sent); empty for a path without a
   * description.
   */
  java.util.Set<String> queryParameters(String path) {
    return queryParameters.computeIfAbsent(path, this::describedQueryParameters);
  }

  private java.util.Set<String> describedQueryParameters(String path) {
    JsonObject operation = operations.getOrDefault(path, Map.of()).get(HttpMethod.GET);
    java.util.Set<String> names = new java.util.HashSet<>();
    if (operation != null) {
      for (Object parameter : operation.getJsonArray("parameters", new JsonArray())) {
        JsonObject p = (JsonObject) parameter;
        if ("query".equals(p.getString("in"))) {
          names.add(p.getString("name"));
        }
      }
    }
    return java.util.Set.copyOf(names);
  }

  /** The operation of a route, or null when there is no description of it. */
  JsonObject operation(String path, HttpMethod method) {
    JsonObject operation = operations.getOrDefault(path, Map.of()).get(method);
    return operation == null ? null : operation.copy();
  }

  // ---- the families: what each operation answers; its route and parameters are declared in
  // plan.Operations

  private void videos() {
    JsonObject video = ref("Video");
    page(Operation.USER_VIDEOS, "userVideos", "A user's videos, newest first")
        .ok(envelopeOf("PaginationEnvelope", video));
    page(Operation.VIDEOS, "videos", "Videos by cursor, or a batch by `ids`")
        .ok(cursorOrBatch(video))
        .link();
    page(Operation.VIDEO, "video", "One video").ok(envelopeOf("SingleEnvelope", video)).notFound();
    stream(Operation.VIDEO_STREAM, "videoStream", "Every video, newest first", video);
    page(
            Operation.POPULAR_VIDEOS,
            "popularVideos",
            "`ready` videos of the last `days` days, most viewed first")
        .ok(envelopeOf("PaginationEnvelope", video));
    page(
            Operation.VIDEO_ANALYTICS,
            "videoAnalytics",
            "A video's views, likes, shares and watch seconds per bucket")
        .ok(envelopeOf("WindowEnvelope", bucketRow(List.of(DemoRoutes.VIDEO_EVENTS), true)))
        .notFound();
  }

  private void users() {
    JsonObject user = ref("User");
    page(Operation.USERS, "users", "Users by cursor, newest first, or a batch by `ids`")
        .ok(cursorOrBatch(user))
        .link();
    page(Operation.USER, "user", "One user").ok(envelopeOf("SingleEnvelope", user)).notFound();
    page(
            Operation.USER_RANGE,
            "userRange",
            "An index range of the users, for a virtual scroll view: served by keyset "
                + "seeks from remembered checkpoints, so a deep range costs what the first one does")
        .ok(envelopeOf("VirtualScrollEnvelope", user));
    stream(Operation.USER_STREAM, "userStream", "Every user, newest first", user);
    page(
            Operation.USER_ANALYTICS,
            "userAnalytics",
            "Sign-ups, active users and sessions per bucket")
        .ok(envelopeOf("WindowEnvelope", bucketRow(DemoRoutes.USER_ACTIVITY, true)));
    page(
            Operation.USER_SESSIONS,
            "userSessions",
            "A user's sessions of the last `days` days, latest first")
        .ok(envelopeOf("CursorEnvelope", ref("Session")))
        .link();
  }

  private void analytics() {
    page(Operation.PLATFORM_ANALYTICS, "platformAnalytics", "Platform metrics per bucket")
        .ok(envelopeOf("WindowEnvelope", bucketRow(DemoRoutes.PLATFORM_METRICS, false)));
    stream(
        Operation.PERFORMANCE_STREAM,
        "performanceStream",
        "Performance metrics of the last `time_range`, oldest " + "first",
        ref("PerformanceMetric"));
    page(Operation.ERROR_LOGS, "errorLogs", "Error log lines, latest first")
        .ok(envelopeOf("CursorEnvelope", ref("ErrorLog")))
        .link();
    JsonArray reports = new JsonArray();
    DemoRoutes.REPORTS.forEach(report -> reports.add(bucketRow(List.of(report), true)));
    page(Operation.REPORT, "report", "A usage report per bucket")
        .ok(envelopeOf("WindowEnvelope", new JsonObject().put("anyOf", reports)));
  }

  private void templates() {
    JsonObject template = ref("Template");
    page(Operation.TEMPLATES, "templates", "Templates, most used first, or a batch by `ids`")
        .ok(
            new JsonObject()
                .put(
                    "anyOf",
                    new JsonArray()
                        .add(envelopeOf("PaginationEnvelope", template))
                        .add(envelopeOf("BatchEnvelope", orNull(template)))));
    page(Operation.TEMPLATE, "template", "One template")
        .ok(envelopeOf("SingleEnvelope", template))
        .notFound();
    stream(
        Operation.TEMPLATE_STREAM, "templateStream", "Every template, most used first", template);
    page(Operation.TEMPLATE_ASSETS, "templateAssets", "A template's assets by position")
        .ok(envelopeOf("PaginationEnvelope", ref("TemplateAsset")))
        .notFound();
  }

  private void search() {
    page(
            Operation.SEARCH,
            "search",
            "Ready videos and public templates ranked by relevance, then id")
        .ok(envelopeOf("CursorEnvelope", ref("SearchHit")))
        .link();
    stream(
        Operation.SEARCH_STREAM,
        "searchStream",
        "Every hit of a search, by rank then id",
        ref("SearchHit"));
    page(
            Operation.SUGGESTIONS,
            "suggestions",
            "Words that complete a prefix, then near misses (trigram similarity)")
        .ok(envelopeOf("SingleEnvelope", ref("Suggestion")));
  }

  /** A declared dataset's routes (docs/API.md 8.2), each row described from its columns. */
  private void dataset(DeclaredDataset dataset) {
    Operations.DatasetOperations ops = Operations.DatasetOperations.of(dataset.name());
    JsonObject properties = new JsonObject();
    dataset
        .dataset()
        .columns()
        .forEach(
            c -> {
              Relation.Attribute column = dataset.column(c.name());
              JsonObject schema = OpenApiSchemas.kind(c.kind()).copy();
              schema.put("description", column.type() + (column.notNull() ? "" : ", may be null"));
              if (column.isEnum()) {
                schema.put("enum", new JsonArray(column.enumLabels()));
              }
              properties.put(c.name(), column.notNull() ? schema : orNull(schema));
            });
    JsonObject row =
        type("object")
            .put("properties", properties)
            .put("description", "A row of " + dataset.relation().qualified());
    String name = dataset.name();
    String relation = dataset.relation().kind().label() + " " + dataset.relation().qualified();
    if (dataset.hasKey()) {
      page(
              ops.list(),
              name + "List",
              "Rows of " + relation + " by cursor, or by page, or a batch by `ids`")
          .ok(
              new JsonObject()
                  .put(
                      "anyOf",
                      new JsonArray()
                          .add(envelopeOf("CursorEnvelope", row))
                          .add(envelopeOf("PaginationEnvelope", row))
                          .add(envelopeOf("BatchEnvelope", orNull(row)))))
          .link();
      page(
              ops.range(),
              name + "Range",
              "An index range of " + relation + ", for a virtual scroll view")
          .ok(envelopeOf("VirtualScrollEnvelope", row));
      page(ops.item(), name + "Item", "One row of " + relation + " by its key")
          .ok(envelopeOf("SingleEnvelope", row))
          .notFound();
    } else {
      page(ops.list(), name + "List", "Rows of " + relation + " by page (it has no key)")
          .ok(envelopeOf("PaginationEnvelope", row));
    }
    if (dataset.time() != null) {
      JsonObject bucket =
          type("object").put("properties", new JsonObject().put("bucket_start", type("string")));
      dataset
          .measures()
          .forEach(
              m ->
                  bucket
                      .getJsonObject("properties")
                      .put(m.name(), new JsonObject().put("description", m.aggregate())));
      page(ops.window(), name + "Window", "The declared measures of " + relation + " per bucket")
          .ok(envelopeOf("WindowEnvelope", bucket));
    }
    stream(ops.stream(), name + "Stream", "Every row of " + relation, row);
  }

  private void operations() {
    op(
            Operations.DATA,
            HttpMethod.GET,
            "datasets",
            "data",
            "The declared datasets: columns, key, sorts, filters, strategies, invalidation")
        .content("200", "Every declared dataset", JSON, type("object"));
    JsonObject health = ref("Health");
    for (String[] check :
        new String[][] {
          {
            "/health",
            "health",
            "Every check: database, loader.<family>, memory, node (and cluster when clustered)"
          },
          {"/health/live", "liveness", "Liveness: the gateway's event loop answers"},
          {
            "/health/ready",
            "readiness",
            "Readiness: the database, whether each loader is deployed, the node"
          }
        }) {
      op(check[0], HttpMethod.GET, check[1], "operations", check[2])
          .content("200", "Every check is UP", JSON, health)
          .content("503", "A check is DOWN", JSON, health);
    }
    op(
            "/metrics",
            HttpMethod.GET,
            "metrics",
            "operations",
            "Prometheus text exposition 0.0.4: Vert.x's, the JVM's " + "and Sluice's meters")
        .content("200", "The meters", "text/plain", type("string"));
    op(API + "/stats", HttpMethod.GET, "stats", "operations", "The statistics document")
        .content("200", "Per loader and for memory and the cache", JSON, ref("Stats"))
        .problems("503");
    JsonArray admin = new JsonArray().add(new JsonObject().put("adminToken", new JsonArray()));
    op(
            API + "/cache",
            HttpMethod.DELETE,
            "clearCache",
            "operations",
            "Clears every loader's cache entries")
        .put("security", admin)
        .content("200", "What was dropped", JSON, ref("CacheCleared"))
        .problems("401", "403");
    op(
            API + "/cache/{loader}",
            HttpMethod.DELETE,
            "clearLoaderCache",
            "operations",
            "Clears one loader's cache " + "entries")
        .put("security", admin)
        .param(
            path(
                "loader",
                type("string"),
                "The loader: one of "
                    + String.join(", ", declarations.families())
                    + " (another is a 404)"))
        .content("200", "What was dropped", JSON, ref("CacheCleared"))
        .problems("401", "403", "404");
  }

  private void console() {
    op(Console.OPENAPI, HttpMethod.GET, "openapi", "console", "This document")
        .content(
            "200",
            "The OpenAPI 3.1 description of the gateway, with the bounds of its configuration",
            JSON,
            type("object"));
    op("/", HttpMethod.GET, "console", "console", "The web console's page")
        .content("200", "The page", "text/html", type("string"));
    int bytes = settings.http().benchmarkReplyBytes();
    op(
            "/bench/fixed",
            HttpMethod.GET,
            "benchFixed",
            "console",
            "The cache benchmark's ceiling (served only while "
                + "`http.benchmark_reply_bytes` is set): bytes from memory, nothing looked up")
        .param(
            query(
                "bytes",
                type("integer"),
                "How many bytes, at most "
                    + bytes
                    + " (all by default; a number "
                    + "out of range is clamped, a malformed one gives all)"))
        .content("200", "`x` repeated", JSON, type("string"));
  }

  // ---- building operations

  private static JsonObject cursorOrBatch(JsonObject item) {
    return new JsonObject()
        .put(
            "anyOf",
            new JsonArray()
                .add(envelopeOf("CursorEnvelope", item))
                .add(envelopeOf("BatchEnvelope", orNull(item))));
  }

  /**
   * An operation. Its summary is plain text (Swagger UI shows it as it is), so {@code `code`} marks
   * are left out of it; a summary that has them, or {@code more} words, is also the operation's
   * description, where CommonMark renders them.
   */
  private Op op(
      String path, HttpMethod method, String id, String tag, String summary, String... more) {
    JsonObject json =
        new JsonObject()
            .put("operationId", id)
            .put("tags", new JsonArray().add(tag))
            .put("summary", summary.replace("`", ""));
    if (summary.contains("`") || more.length > 0) {
      json.put(
          "description",
          String.join(
              ". ",
              java.util.stream.Stream.concat(
                      java.util.stream.Stream.of(summary), java.util.Arrays.stream(more))
                  .toList()));
    }
    Op op = new Op(json);
    operations.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, op.json);
    return op;
  }

  /**
   * A page: a JSON envelope with a strong ETag, conditional (304) and cacheable, that may be
   * refused or time out; at the route and with the parameters {@code operation} is declared with.
   */
  private Op page(Operation operation, String id, String summary) {
    return declared(
            operation,
            op(
                declarations.spec(operation).path(),
                HttpMethod.GET,
                id,
                operation.family(),
                summary))
        .problems("304", "400", "503", "504");
  }

  /** The parameters {@code operation} is declared with, described on {@code op}. */
  private Op declared(Operation operation, Op op) {
    declarations.spec(operation).parameters().forEach(p -> op.param(OpenApiParameters.of(p)));
    return op;
  }

  /**
   * A stream: NDJSON or SSE of {@code item}s, with its declared parameters (every stream's placing
   * ones first).
   */
  private Op stream(Operation operation, String id, String summary, JsonObject item) {
    Op op =
        op(
            declarations.spec(operation).path(),
            HttpMethod.GET,
            id,
            operation.family(),
            summary,
            "Parameter faults are answered as problems before any "
                + "byte of the body; a failure mid-stream ends an NDJSON body without its last chunk (truncated, never "
                + "silently short) and an SSE body with `event: error`. A stream with nothing to send for "
                + "`streaming.keepalive_seconds` writes a keep-alive: an empty NDJSON line, an SSE comment (`: keep-alive`)");
    declared(operation, op);
    JsonObject ok =
        new JsonObject()
            .put(
                "description",
                "The items as they are read (chunked); a slow reader slows "
                    + "the database cursor down, and one that reads nothing for "
                    + settings.streaming().idleTimeoutSeconds()
                    + " s is cut")
            .put(
                "headers",
                new JsonObject()
                    .put("Vary", header("Vary"))
                    .put("X-Request-Id", header("X-Request-Id"))
                    .put("Content-Encoding", header("Content-Encoding")))
            .put(
                "content",
                new JsonObject()
                    .put(
                        NDJSON,
                        new JsonObject()
                            .put(
                                "schema",
                                type("string")
                                    .put(
                                        "description",
                                        "The default format (also for `*/*`): one JSON object "
                                            + "a line, `\\n` separated, no envelope; each line is an item or, with `checkpoints=true`, a "
                                            + "`Checkpoint` (see `x-sluice-line`)"))
                            .put(
                                "x-sluice-line",
                                new JsonObject()
                                    .put(
                                        "oneOf", new JsonArray().add(item).add(ref("Checkpoint")))))
                    .put(
                        SSE,
                        new JsonObject()
                            .put(
                                "schema",
                                type("string")
                                    .put(
                                        "description",
                                        "Server-Sent Events: each item is `event: item` with "
                                            + "its JSON as `data`; the last item of each batch carries `id: <resume cursor>` (resume with "
                                            + "`Last-Event-ID` or `after`). The stream ends with `event: end` (`StreamEnd`), or after a failure "
                                            + "with `event: error` (a `Problem` with `cursor` and `request_id`; a graceful shutdown ends open "
                                            + "streams so, with a 503). See `x-sluice-events`"))
                            .put(
                                "x-sluice-events",
                                new JsonObject()
                                    .put("item", item)
                                    .put("end", ref("StreamEnd"))
                                    .put("error", ref("Problem"))))
                    .put(
                        StreamBody.CSV,
                        new JsonObject()
                            .put(
                                "schema",
                                type("string")
                                    .put(
                                        "description",
                                        "RFC 4180: a header record of the columns, then a record an item"
                                            + " (`\\r\\n` line ends), each field the value as the item's JSON"
                                            + " writes it, a string without its quotes, NULL an empty field, the"
                                            + " empty string `\"\"`; a failure mid-stream ends it truncated"))));
    op.responses().put("200", ok);
    return op.problems("400", "406", "429", "503");
  }

  /** One operation's JSON, written as it is built. */
  private static final class Op {
    final JsonObject json;

    Op(JsonObject json) {
      this.json = json;
    }

    Op put(String key, Object value) {
      json.put(key, value);
      return this;
    }

    Op param(JsonObject parameter) {
      JsonArray parameters = json.getJsonArray("parameters");
      if (parameters == null) {
        json.put("parameters", parameters = new JsonArray());
      }
      parameters.add(parameter);
      return this;
    }

    Op params(List<JsonObject> parameters) {
      parameters.forEach(this::param);
      return this;
    }

    JsonObject responses() {
      JsonObject responses = json.getJsonObject("responses");
      if (responses == null) {
        json.put("responses", responses = new JsonObject());
      }
      return responses;
    }

    /** The 200 of a page: its envelope, tagged, cached, maybe compressed. */
    Op ok(JsonObject schema) {
      responses()
          .put(
              "200",
              new JsonObject()
                  .put("description", "The envelope")
                  .put(
                      "headers",
                      new JsonObject()
                          .put("ETag", header("ETag"))
                          .put("Cache-Status", header("Cache-Status"))
                          .put("Vary", header("Vary"))
                          .put("Content-Encoding", header("Content-Encoding"))
                          .put("X-Request-Id", header("X-Request-Id")))
                  .put(
                      "content",
                      new JsonObject().put(JSON, new JsonObject().put("schema", schema))));
      return this;
    }

    /** A cursor page's {@code Link} header. */
    Op link() {
      responses().getJsonObject("200").getJsonObject("headers").put("Link", header("Link"));
      return this;
    }

    Op notFound() {
      return problems("404");
    }

    Op content(String status, String description, String mediaType, JsonObject schema) {
      responses()
          .put(
              status,
              new JsonObject()
                  .put("description", description)
                  .put("headers", new JsonObject().put("X-Request-Id", header("X-Request-Id")))
                  .put(
                      "content",
                      new JsonObject().put(mediaType, new JsonObject().put("schema", schema))));
      return this;
    }

    Op problems(String... statuses) {
      for (String status : statuses) {
        responses().put(status, response(status));
      }
      return this;
    }
  }
}
