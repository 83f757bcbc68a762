package dev.sluice.http;

import dev.sluice.api.Problem;
import dev.sluice.dataset.Column;
import dev.sluice.dataset.Measure;
import dev.sluice.dataset.Series;
import dev.sluice.plan.Bucket;
import dev.sluice.plan.DemoRoutes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The {@code components} of the OpenAPI document ({@link OpenApi}): the reply envelope of each
 * strategy, the problem, the shared headers and problem responses, and one row schema per dataset,
 * derived from its typed columns (the declarations: {@code DemoRoutes}, {@link Column.Kind}), so a
 * column declared there is in the document.
 */
final class OpenApiSchemas {

  /** The row schemas, by their component name, each from the columns of what the endpoint reads. */
  static final Map<String, List<Column>> ROWS =
      Map.of(
          "Video", DemoRoutes.VIDEOS.columns(),
          "User", DemoRoutes.USERS.columns(),
          "Session", DemoRoutes.SESSIONS.columns(),
          "Template", DemoRoutes.TEMPLATES.columns(),
          "TemplateAsset", DemoRoutes.TEMPLATE_ASSETS.columns(),
          "ErrorLog", DemoRoutes.ERROR_LOGS.columns(),
          "PerformanceMetric", DemoRoutes.PERFORMANCE_METRICS.columns(),
          "SearchHit", DemoRoutes.SEARCH_HITS.columns(),
          "Suggestion", DemoRoutes.SEARCH_TERMS.dataset().columns());

  static final String PROBLEM_JSON = Problems.CONTENT_TYPE;
  static final String JSON = "application/json";
  static final String NDJSON = StreamBody.NDJSON;
  static final String SSE = StreamBody.SSE;

  private OpenApiSchemas() {}

  static JsonObject components() {
    JsonObject schemas =
        new JsonObject()
            .put("Envelope", envelope())
            .put("PaginationEnvelope", strategy("pagination", "page", "per_page", "has_more"))
            .put("CursorEnvelope", strategy("cursor", "has_more"))
            .put("WindowEnvelope", strategy("window", "window"))
            .put("VirtualScrollEnvelope", strategy("virtual_scroll", "range"))
            .put("SingleEnvelope", strategy("single"))
            .put("BatchEnvelope", strategy("batch"))
            .put("Window", window())
            .put("Range", range())
            .put("Problem", problem())
            .put("Checkpoint", checkpoint())
            .put("StreamEnd", streamEnd())
            .put("Health", health())
            .put("Stats", stats())
            .put("CacheCleared", cacheCleared());
    ROWS.keySet().stream().sorted().forEach(name -> schemas.put(name, row(ROWS.get(name))));
    return new JsonObject()
        .put("schemas", schemas)
        .put("headers", headers())
        .put("responses", problems())
        .put(
            "securitySchemes",
            new JsonObject()
                .put(
                    "adminToken",
                    new JsonObject()
                        .put("type", "http")
                        .put("scheme", "bearer")
                        .put(
                            "description",
                            "The admin token of the configuration (`admin.token`, `SLUICE_ADMIN_TOKEN`); while none "
                                + "is configured the admin endpoints answer 403.")));
  }

  static JsonObject ref(String component) {
    return new JsonObject().put("$ref", "#/components/schemas/" + component);
  }

  // ---- plain schemas

  static JsonObject type(String type) {
    return new JsonObject().put("type", type);
  }

  /** {@code type} or null. */
  static JsonObject nullable(String type) {
    return new JsonObject().put("type", new JsonArray().add(type).add("null"));
  }

  static JsonObject string(String description) {
    return type("string").put("description", description);
  }

  static JsonObject object(JsonObject properties, String... required) {
    JsonObject object = type("object").put("properties", properties);
    if (required.length > 0) {
      object.put("required", new JsonArray(List.of(required)));
    }
    return object;
  }

  static JsonObject enumOf(List<String> values) {
    return type("string").put("enum", new JsonArray(List.copyOf(values)));
  }

  // ---- rows

  /**
   * The schema of a value of {@code kind}, as {@code row_to_json} (and {@link
   * dev.sluice.dataset.RowEncoder}) write it. A float or numeric may be {@code NaN} or an infinity,
   * which JSON writes as a string.
   */
  static JsonObject kind(Column.Kind kind) {
    return switch (kind) {
      case UUID -> type("string").put("format", "uuid");
      case TEXT -> type("string");
      case INTEGER -> type("integer").put("format", "int32");
      case BIGINT -> type("integer").put("format", "int64");
      case BOOLEAN -> type("boolean");
      case TIMESTAMP -> type("string").put("format", "date-time");
      case FLOAT, NUMERIC ->
          new JsonObject()
              .put(
                  "anyOf",
                  new JsonArray()
                      // no format: "double" makes validators refuse 1, which is how PostgreSQL
                      // writes the float 1.0; a numeric keeps every digit it has
                      .add(
                          type("number")
                              .put(
                                  "description",
                                  kind == Column.Kind.FLOAT
                                      ? "A double (or real), in PostgreSQL's shortest text: 1, 0.1, 1e-300"
                                      : "A numeric, with every digit it has"))
                      .add(enumOf(List.of("NaN", "Infinity", "-Infinity"))));
      // whatever to_json writes for its type: any JSON value
      case JSON ->
          new JsonObject().put("description", "The value as PostgreSQL's to_json writes it");
    };
  }

  /** A value of {@code schema} or null. */
  static JsonObject orNull(JsonObject schema) {
    return new JsonObject().put("anyOf", new JsonArray().add(schema).add(type("null")));
  }

  /**
   * A dataset's row: every column, always present. {@link Column} records no nullability (the
   * migrations' NOT NULL does), so every field but {@code id} and the key may be null.
   */
  static JsonObject row(List<Column> columns) {
    JsonObject properties = new JsonObject();
    for (Column column : columns) {
      JsonObject value = kind(column.kind());
      boolean key = column.name().equals("id") || column.name().equals("term");
      properties.put(column.name(), key ? value : orNull(value));
    }
    return object(properties, columns.stream().map(Column::name).toArray(String[]::new))
        .put("additionalProperties", false);
  }

  /**
   * A window's row: {@code bucket_start} and the measures of the series; {@code all} when every one
   * is present.
   */
  static JsonObject bucketRow(List<Series> series, boolean all) {
    JsonObject properties =
        new JsonObject()
            .put(
                "bucket_start",
                type("string")
                    .put("format", "date-time")
                    .put("description", "The bucket's start, written like `window.start`"));
    JsonArray required = new JsonArray().add("bucket_start");
    for (Series one : series) {
      for (Measure measure : one.measures()) {
        // error_rate of a bucket without log lines has nothing to divide by
        properties.put(
            measure.name(),
            measure.kind() == Column.Kind.NUMERIC
                ? orNull(kind(measure.kind()))
                : kind(measure.kind()));
        if (all) {
          required.add(measure.name());
        }
      }
    }
    return type("object")
        .put("properties", properties)
        .put("required", required)
        .put("additionalProperties", false);
  }

  // ---- the envelope

  private static JsonObject envelope() {
    JsonObject properties =
        new JsonObject()
            .put("success", type("boolean").put("const", true))
            .put("message", type("string"))
            .put(
                "strategy",
                enumOf(
                    List.of("pagination", "cursor", "window", "virtual_scroll", "single", "batch")))
            .put(
                "data",
                type("array")
                    .put(
                        "description",
                        "The items; a batch holds null for an id that does not exist"))
            .put(
                "count",
                type("integer")
                    .put("minimum", 0)
                    .put("description", "The number of items in `data`"))
            .put(
                "total_count",
                nullable("integer")
                    .put("description", "All matching items, when `count` asked for it"))
            .put(
                "total_count_type",
                new JsonObject()
                    .put(
                        "enum",
                        new JsonArray().add("exact").add("estimated").add("lower_bound").addNull()))
            .put("has_more", nullable("boolean"))
            .put("page", nullable("integer"))
            .put("per_page", nullable("integer"))
            .put(
                "next_cursor",
                nullable("string")
                    .put("description", "The cursor of the next page; null at the end"))
            .put("prev_cursor", nullable("string"))
            .put("window", orNull(ref("Window")))
            .put(
                "next_window",
                orNull(ref("Window"))
                    .put(
                        "description",
                        "The window of the same span right after this "
                            + "one; null when this one ends at 9999-12-31T23:59:59.999999Z"))
            .put("range", orNull(ref("Range")));
    return object(properties, properties.fieldNames().toArray(String[]::new))
        .put(
            "description",
            "The reply of every page (docs/API.md section 2): every field is present, those that do "
                + "not apply to the strategy are null.");
  }

  /** The envelope of one strategy: {@code strategy} fixed, {@code present} fields not null. */
  private static JsonObject strategy(String name, String... present) {
    JsonObject properties = new JsonObject().put("strategy", new JsonObject().put("const", name));
    for (String field : present) {
      properties.put(
          field,
          switch (field) {
            case "window" -> ref("Window");
            case "range" -> ref("Range");
            case "has_more" -> type("boolean");
            default -> type("integer").put("minimum", 1);
          });
    }
    return new JsonObject()
        .put(
            "allOf",
            new JsonArray().add(ref("Envelope")).add(type("object").put("properties", properties)));
  }

  /** The envelope of {@code strategy} whose {@code data} holds {@code item}s. */
  static JsonObject envelopeOf(String strategy, JsonObject item) {
    return new JsonObject()
        .put(
            "allOf",
            new JsonArray()
                .add(ref(strategy))
                .add(
                    type("object")
                        .put(
                            "properties",
                            new JsonObject().put("data", type("array").put("items", item)))));
  }

  private static JsonObject window() {
    return object(
        new JsonObject()
            .put("start", type("string").put("format", "date-time"))
            .put("end", type("string").put("format", "date-time").put("description", "Exclusive"))
            .put("bucket", enumOf(Bucket.NAMES)),
        "start",
        "end");
  }

  private static JsonObject range() {
    return object(
        new JsonObject()
            .put("start_index", type("integer").put("minimum", 0))
            .put(
                "end_index",
                type("integer")
                    .put("minimum", 0)
                    .put(
                        "description",
                        "Where the returned rows end (less "
                            + "than asked at the end of the data)"))
            .put("total", nullable("integer"))
            .put(
                "total_count_type",
                new JsonObject()
                    .put(
                        "enum",
                        new JsonArray()
                            .add("exact")
                            .add("estimated")
                            .add("lower_bound")
                            .addNull())),
        "start_index",
        "end_index",
        "total",
        "total_count_type");
  }

  // ---- problems

  private static JsonObject problem() {
    return object(
            new JsonObject()
                .put(
                    "type",
                    type("string")
                        .put("format", "uri")
                        .put(
                            "description",
                            "`"
                                + Problem.TYPE_BASE
                                + "<name>`: "
                                + "invalid-parameter, invalid-cursor, bad-request, unauthorized, forbidden, not-found, method-not-allowed, "
                                + "not-acceptable, too-many-streams, unavailable, timeout, uri-too-long, headers-too-large, body-too-large, "
                                + "internal"))
                .put("title", type("string"))
                .put("status", type("integer").put("minimum", 400).put("maximum", 599))
                .put("detail", type("string"))
                .put(
                    "errors",
                    type("array")
                        .put("description", "The parameters at fault, all of them")
                        .put(
                            "items",
                            object(
                                new JsonObject()
                                    .put("parameter", type("string"))
                                    .put("message", type("string")),
                                "parameter",
                                "message")))
                .put("retry_after_seconds", type("integer").put("minimum", 0))
                .put(
                    "cursor",
                    nullable("string")
                        .put("description", "On an SSE `event: error` only: where to resume"))
                .put("request_id", string("The request's `X-Request-Id`")),
            "type",
            "title",
            "status",
            "detail",
            "request_id")
        .put("description", "RFC 9457 problem details");
  }

  /** The problem responses, by status; each names its problem types. */
  private static JsonObject problems() {
    JsonObject responses = new JsonObject();
    problemResponse(
        responses,
        "400",
        "A parameter missing, malformed, out of range or not in its list, a bad or "
            + "foreign cursor (`invalid-cursor`), a window whose end is not after its start or that is too wide; every "
            + "fault of the request is in `errors`");
    problemResponse(
            responses,
            "401",
            "No admin token, or a wrong one (with `WWW-Authenticate: Bearer "
                + "realm=\"sluice\"`)")
        .getJsonObject("headers")
        .put("WWW-Authenticate", header("WWW-Authenticate"));
    problemResponse(responses, "403", "No admin token is configured: the admin endpoints are off");
    problemResponse(
        responses, "404", "No such item (an unknown id or loader), or no resource at the path");
    problemResponse(
            responses, "405", "A method the path does not serve; `Allow` lists those it does")
        .getJsonObject("headers")
        .put("Allow", header("Allow"));
    problemResponse(responses, "406", "A stream asked for a format it does not speak (`Accept`)");
    problemResponse(responses, "413", "A `Content-Length` over `http.max_body_bytes`");
    problemResponse(responses, "414", "A request line over `http.max_request_line_bytes`");
    problemResponse(responses, "429", "Too many concurrent streams, in all or from this client")
        .getJsonObject("headers")
        .put("Retry-After", header("Retry-After"));
    problemResponse(responses, "431", "Headers over `http.max_header_bytes`");
    problemResponse(
            responses,
            "503",
            "The database is unreachable, the loader's circuit is open or it is full, "
                + "memory is critical (new streams), or the node is shutting down")
        .getJsonObject("headers")
        .put("Retry-After", header("Retry-After"));
    problemResponse(responses, "504", "A load ran past its timeout");
    responses.put(
        "304",
        new JsonObject()
            .put(
                "description",
                "Not Modified: `If-None-Match` holds the reply's tag "
                    + "(compared weakly, either representation's); no body")
            .put(
                "headers",
                new JsonObject()
                    .put("ETag", header("ETag"))
                    .put("Vary", header("Vary"))
                    .put("Cache-Status", header("Cache-Status"))
                    .put("X-Request-Id", header("X-Request-Id"))));
    return responses;
  }

  private static JsonObject problemResponse(
      JsonObject responses, String status, String description) {
    JsonObject response =
        new JsonObject()
            .put("description", description)
            .put("headers", new JsonObject().put("X-Request-Id", header("X-Request-Id")))
            .put(
                "content",
                new JsonObject().put(PROBLEM_JSON, new JsonObject().put("schema", ref("Problem"))));
    responses.put(status, response);
    return response;
  }

  /** A reference to a response of {@link #problems()} (or the 304). */
  static JsonObject response(String status) {
    return new JsonObject().put("$ref", "#/components/responses/" + status);
  }

  // ---- headers

  private static JsonObject headers() {
    return new JsonObject()
        .put(
            "ETag",
            headerOf(
                "A strong tag of the plain body, `\"<22 characters>\"`; the gzip'd representation's "
                    + "ends in `-gz\"`"))
        .put(
            "Cache-Status",
            headerOf(
                "RFC 9211: `sluice; hit`, `sluice; fwd=miss` or `sluice; fwd=uri-miss; "
                    + "detail=off`"))
        .put("Vary", headerOf("`Accept-Encoding` (pages), `Accept, Accept-Encoding` (streams)"))
        .put(
            "Link",
            headerOf(
                "RFC 8288 links of a cursor page: `<…&cursor=…>; rel=\"next\"` (and `rel=\"prev\"`)"))
        .put(
            "Retry-After",
            headerOf("Seconds to wait before trying again")
                .put("schema", type("integer").put("minimum", 0)))
        .put(
            "X-Request-Id",
            headerOf(
                "The client's own id when it matches `[A-Za-z0-9._~-]{1,64}`, else a new UUID"))
        .put("Allow", headerOf("The methods the path serves"))
        .put("WWW-Authenticate", headerOf("`Bearer realm=\"sluice\"`"))
        .put(
            "Content-Encoding",
            headerOf(
                "`gzip` when the client accepts it and the body is at least "
                    + "`http.min_compress_bytes`"));
  }

  private static JsonObject headerOf(String description) {
    return new JsonObject().put("description", description).put("schema", type("string"));
  }

  static JsonObject header(String name) {
    return new JsonObject().put("$ref", "#/components/headers/" + name);
  }

  // ---- streams

  private static JsonObject checkpoint() {
    return object(
            new JsonObject()
                .put(
                    "_checkpoint", string("The resume cursor: `after=` it goes on after the batch"))
                .put(
                    "count",
                    type("integer")
                        .put("minimum", 0)
                        .put("description", "The items before this line")),
            "_checkpoint",
            "count")
        .put(
            "description",
            "An NDJSON line of a stream asked with `checkpoints=true`, at the end of the batch that "
                + "crosses every `streaming.checkpoint_every`-th item");
  }

  private static JsonObject streamEnd() {
    return object(
            new JsonObject()
                .put("count", type("integer").put("minimum", 0))
                .put(
                    "cursor",
                    type("string").put("description", "Where the stream ended: resume from it")),
            "count",
            "cursor")
        .put("description", "The data of the SSE `event: end`");
  }

  // ---- operations' documents

  private static JsonObject health() {
    JsonObject check =
        object(
            new JsonObject()
                .put("id", type("string"))
                .put("status", enumOf(List.of("UP", "DOWN")))
                .put("data", type("object")),
            "id",
            "status");
    return object(
            new JsonObject()
                .put("status", enumOf(List.of("UP", "DOWN")))
                .put("outcome", enumOf(List.of("UP", "DOWN")))
                .put("checks", type("array").put("items", check)),
            "status")
        .put(
            "description",
            "vertx-health-check's document: every check with its `data` (docs/API.md section 7)");
  }

  private static JsonObject stats() {
    JsonObject cacheStats =
        object(
            new JsonObject()
                .put("size", type("integer"))
                .put("max_size", type("integer"))
                .put("weight_bytes", type("integer"))
                .put("max_weight_bytes", type("integer"))
                .put("evictions", type("integer"))
                .put("invalidations", type("integer"))
                .put("prefetched", type("integer"))
                .put("cluster", type("object")));
    JsonObject loader =
        object(
            new JsonObject()
                .put("total_items", type("integer"))
                .put("loaded_items", type("integer"))
                .put("cached_items", type("integer"))
                .put("batch_operations", type("integer"))
                .put("cache_hits", type("integer"))
                .put("cache_misses", type("integer"))
                .put("errors", type("integer"))
                .put("retries", type("integer"))
                .put("average_batch_time_ms", type("number"))
                .put("memory_usage_mb", type("number"))
                .put("throughput_items_per_second", type("number"))
                .put("last_loaded_at", nullable("string").put("format", "date-time"))
                .put("cache_stats", cacheStats),
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
            "cache_stats");
    JsonObject memory =
        object(
            new JsonObject()
                .put("used_mb", type("number"))
                .put("limit_mb", type("number"))
                .put(
                    "high_mb",
                    type("number").put("description", "Heap use from which the level is `high`"))
                .put(
                    "critical_mb",
                    type("number")
                        .put("description", "Heap use from which the level is `critical`"))
                .put("level", enumOf(List.of("normal", "high", "critical"))),
            "used_mb",
            "limit_mb",
            "high_mb",
            "critical_mb",
            "level");
    return object(
        new JsonObject()
            .put(
                "config",
                type("object")
                    .put(
                        "description",
                        "`lazy_loading` with the memory limit in effect, and " + "`cache_max_mb`"))
            .put("loaders", type("object").put("additionalProperties", loader))
            .put("memory", memory)
            .put("cache", type("object"))
            .put(
                "cluster",
                type("object").put("description", "On a clustered node only: every member")),
        "config",
        "loaders",
        "memory");
  }

  private static JsonObject cacheCleared() {
    return object(
        new JsonObject()
            .put("success", type("boolean").put("const", true))
            .put(
                "dropped",
                type("integer")
                    .put("minimum", 0)
                    .put(
                        "description",
                        "Entries dropped on this node, " + "virtual-scroll checkpoints included"))
            .put("loaders", type("object").put("additionalProperties", type("integer"))),
        "success",
        "dropped",
        "loaders");
  }
}
