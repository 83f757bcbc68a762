package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The router and the document agree: every route the running gateway serves is described, and every
 * described operation answers as described, asked over HTTP with real ids: its status is one the
 * operation lists, with the content type listed for it, a JSON reply matches its schema
 * (vertx-openapi's ResponseValidator), and each bound, list and required parameter the document
 * states is refused with a 400 the operation lists, naming the parameter.
 */
@DisplayName("Every route the gateway serves is in /openapi.json, and answers as it says")
@EndToEnd
class OpenApiRoutesTest {

  static final String TOKEN = "openapi-admin-token";

  @Boot(config = "configured")
  static Service service;

  static HttpClient client;
  static JsonObject document;
  static OpenAPIContract contract;
  static ResponseValidator validator;

  /** A real value of each path parameter, and of each required query parameter. */
  static final Map<String, String> samples = new HashMap<>();

  static JsonObject configured() {
    return new JsonObject()
        .put("admin", new JsonObject().put("token", TOKEN))
        .put("limits", OpenApiTest.LIMITS);
  }

  @BeforeAll
  static void start() {
    client =
        service.vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(service.config.getJsonObject("http").getInteger("port")));
    document = service.getJson(Console.OPENAPI);
    contract = OpenApiContracts.contract(service.vertx, document);
    validator = ResponseValidator.create(service.vertx, contract);
    samples.put(
        "userId",
        service
            .sql(
                "SELECT user_id FROM videos v WHERE EXISTS (SELECT 1 FROM user_sessions s "
                    + "WHERE s.user_id = v.user_id) ORDER BY created_at DESC LIMIT 1")
            .get(0)
            .getUUID(0)
            .toString());
    samples.put(
        "videoId",
        service
            .sql("SELECT video_id FROM video_events ORDER BY occurred_at DESC LIMIT 1")
            .get(0)
            .getUUID(0)
            .toString());
    samples.put(
        "templateId",
        service
            .sql("SELECT template_id FROM template_assets ORDER BY created_at LIMIT 1")
            .get(0)
            .getUUID(0)
            .toString());
    samples.put("loader", "videos");
    samples.put(
        "query",
        service
            .sql(
                "SELECT term FROM search_terms WHERE length(term) > 4 ORDER BY frequency DESC, "
                    + "term LIMIT 1")
            .get(0)
            .getString(0));
    samples.put("start_index", "0");
    samples.put("end_index", "10");
  }

  @AfterAll
  static void stop() {
    client.close().timeout(1, TimeUnit.MINUTES).await();
  }

  // ---- the walk

  @Test
  @DisplayName(
      "the router's routes and the document's operations are the same, but for the static files")
  void sameRoutes() {
    // one more gateway of the node, on a port of its own, that says which routes it serves
    HttpGatewayVerticle gateway = new HttpGatewayVerticle(service.node);
    JsonObject config = service.config.copy();
    config.getJsonObject("http").put("port", 0);
    String deployment =
        service
            .vertx
            .deployVerticle(gateway, new io.vertx.core.DeploymentOptions().setConfig(config))
            .timeout(1, TimeUnit.MINUTES)
            .await();
    JsonArray routes = gateway.served();
    service.vertx.undeploy(deployment).timeout(1, TimeUnit.MINUTES).await();
    assertTrue(!routes.isEmpty(), "the gateway says which routes it serves");
    Set<String> served = new TreeSet<>();
    Set<String> statics = new TreeSet<>();
    for (Object r : routes) {
      JsonObject route = (JsonObject) r;
      Set<HttpMethod> methods =
          ((List<?>) route.getJsonArray("methods").getList())
              .stream().map(m -> HttpMethod.valueOf((String) m)).collect(Collectors.toSet());
      if (!OpenApi.describes(route.getString("path"))) {
        statics.add(route.getString("path"));
        continue;
      }
      for (HttpMethod method : methods) {
        if (!OpenApi.implied(method, methods)) {
          served.add(method.name() + " " + route.getString("path"));
        }
      }
    }
    Set<String> described = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        described.add(method.toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    assertEquals(served, described);
    assertEquals(Set.of("/console/*", "/webjars/*"), statics);
    // what the API lists, at least (section 4 and the operations)
    assertTrue(
        described.containsAll(
            Set.of(
                "GET /health",
                "GET /health/live",
                "GET /health/ready",
                "GET /metrics",
                "GET /api/v1/stats",
                "DELETE /api/v1/cache",
                "DELETE /api/v1/cache/{loader}",
                "GET /openapi.json",
                "GET /",
                "GET /api/v1/videos/{videoId}",
                "GET /api/v1/analytics/performance/stream")),
        described::toString);
    assertEquals(33, described.size(), described::toString);
  }

  @Test
  @DisplayName(
      "every operation answers a valid request with a status and content type it lists, its schema holding")
  void everyOperationAnswers() {
    List<String> checked = new ArrayList<>();
    forEachOperation(
        (path, method, operation) -> {
          Map<String, String> headers = new LinkedHashMap<>();
          if (operation.containsKey("security")) {
            headers.put("Authorization", "Bearer " + TOKEN);
          }
          Reply reply = send(method, uri(path, operation, Map.of()), headers);
          String what = method + " " + path;
          assertEquals(200, reply.status, () -> what + " -> " + reply.body);
          JsonObject content = conforms(operation, reply, what);
          if (content.containsKey(OpenApiSchemas.NDJSON)) {
            streamConforms(path, operation, content);
          }
          if (method == HttpMethod.GET) {
            Reply head = send(HttpMethod.HEAD, uri(path, operation, Map.of()), headers);
            assertEquals(reply.status, head.status, () -> "HEAD " + path);
            assertEquals(0, head.body.length(), () -> "HEAD " + path);
          }
          if (responses(operation).containsKey("304")) {
            String tag = reply.headers.get("ETag");
            assertNotNull(tag, what);
            Reply again =
                send(method, uri(path, operation, Map.of()), Map.of("If-None-Match", tag));
            assertEquals(304, again.status, what);
            assertEquals(0, again.body.length(), what);
            assertEquals(tag, again.headers.get("ETag"), what);
          }
          checked.add(what);
        });
    assertEquals(33, checked.size(), checked::toString);
  }

  @Test
  @DisplayName(
      "the problems an operation lists are answered so: an unknown id 404, a format it does not speak 406")
  void listedProblems() {
    forEachOperation(
        (path, method, operation) -> {
          JsonObject responses = responses(operation);
          String what = method + " " + path;
          if (responses.containsKey("404") && path.contains("Id}")) {
            Map<String, String> unknown = new HashMap<>();
            for (String name : List.of("userId", "videoId", "templateId")) {
              unknown.put(name, java.util.UUID.randomUUID().toString());
            }
            Reply reply = send(method, uri(path, operation, unknown), Map.of());
            assertEquals(404, reply.status, () -> what + " -> " + reply.body);
            conforms(operation, reply, what);
          }
          if (responses.containsKey("406")) {
            Reply reply =
                send(method, uri(path, operation, Map.of()), Map.of("Accept", "application/xml"));
            assertEquals(406, reply.status, what);
            conforms(operation, reply, what);
          }
        });
  }

  @Test
  @DisplayName(
      "the admin endpoints need the bearer token the document names: 401 without it or with a wrong one")
  void adminToken() {
    forEachOperation(
        (path, method, operation) -> {
          if (!operation.containsKey("security")) {
            return;
          }
          String what = method + " " + path;
          assertTrue(
              document
                  .getJsonObject("components")
                  .getJsonObject("securitySchemes")
                  .containsKey(
                      operation
                          .getJsonArray("security")
                          .getJsonObject(0)
                          .fieldNames()
                          .iterator()
                          .next()),
              what);
          for (Map<String, String> headers :
              List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer not-" + TOKEN))) {
            Reply reply = send(method, uri(path, operation, Map.of()), headers);
            assertEquals(401, reply.status, what);
            assertEquals("Bearer realm=\"sluice\"", reply.headers.get("WWW-Authenticate"), what);
            conforms(operation, reply, what);
          }
          if (path.contains("{loader}")) {
            Reply reply =
                send(
                    method,
                    uri(path, operation, Map.of("loader", "nothing")),
                    Map.of("Authorization", "Bearer " + TOKEN));
            assertEquals(404, reply.status, what);
            conforms(operation, reply, what);
          }
        });
  }

  @Test
  @DisplayName(
      "every bound, list and requirement of a parameter is kept: one past it is a 400 naming the parameter")
  void parameterBounds() {
    List<String> checked = new ArrayList<>();
    forEachOperation(
        (path, method, operation) -> {
          for (Object p : operation.getJsonArray("parameters", new JsonArray())) {
            JsonObject parameter = (JsonObject) p;
            String name = parameter.getString("name");
            if ("header".equals(parameter.getString("in"))) {
              continue;
            }
            for (String bad : outOfBounds(parameter)) {
              Reply reply = send(method, uri(path, operation, Map.of(name, bad)), Map.of());
              String what = method + " " + path + " " + name + "=" + abbreviate(bad);
              assertEquals(400, reply.status, () -> what + " -> " + reply.body);
              conforms(operation, reply, what);
              JsonArray errors = new JsonObject(reply.body).getJsonArray("errors");
              assertTrue(
                  errors.stream()
                      .anyMatch(e -> name.equals(((JsonObject) e).getString("parameter"))),
                  () -> what + " -> " + reply.body);
              checked.add(what);
            }
            if (Boolean.TRUE.equals(parameter.getBoolean("required"))
                && "query".equals(parameter.getString("in"))) {
              Reply reply =
                  send(method, uri(path, operation, Map.of(name, "\u0000omit")), Map.of());
              String what = method + " " + path + " without " + name;
              assertEquals(400, reply.status, () -> what + " -> " + reply.body);
              conforms(operation, reply, what);
              checked.add(what);
            }
          }
        });
    assertTrue(checked.size() >= 130, () -> checked.size() + " checks: " + checked);
  }

  /** Values just past what a parameter's schema allows: its bounds, its list, its type. */
  static List<String> outOfBounds(JsonObject parameter) {
    JsonObject schema = parameter.getJsonObject("schema");
    List<String> bad = new ArrayList<>();
    if (schema.containsKey("maximum")) {
      bad.add(Long.toString(schema.getLong("maximum") + 1));
    }
    if (schema.containsKey("minimum")) {
      bad.add(Long.toString(schema.getLong("minimum") - 1));
    }
    if (schema.containsKey("maxLength")) {
      bad.add("a".repeat(schema.getInteger("maxLength") + 1));
    }
    if (schema.containsKey("minLength")) {
      bad.add("a".repeat(schema.getInteger("minLength") - 1));
    }
    if (schema.containsKey("enum") || "boolean".equals(schema.getString("type"))) {
      bad.add("not-listed");
    }
    if ("uuid".equals(schema.getString("format")) && "query".equals(parameter.getString("in"))) {
      bad.add("not-a-uuid");
    }
    if ("array".equals(schema.getString("type"))) {
      JsonObject items = schema.getJsonObject("items");
      if (items.containsKey("enum")) {
        bad.add(items.getJsonArray("enum").getString(0) + ",not-listed");
      }
      if (schema.containsKey("maxItems")) {
        String id = java.util.UUID.randomUUID().toString();
        bad.add(
            String.join(",", java.util.Collections.nCopies(schema.getInteger("maxItems") + 1, id)));
      }
    }
    return bad;
  }

  // ---- checking a reply against the document

  /**
   * The reply's status is listed, with its content type, and a JSON body holds to the schema; the
   * content listed.
   */
  static JsonObject conforms(JsonObject operation, Reply reply, String what) {
    JsonObject response =
        resolve(responses(operation).getJsonObject(Integer.toString(reply.status)));
    assertNotNull(
        response, () -> what + ": status " + reply.status + " is not listed: " + reply.body);
    JsonObject content = response.getJsonObject("content", new JsonObject());
    String type = reply.headers.get("Content-Type");
    if (content.isEmpty()) {
      assertEquals(0, reply.body.length(), what);
      return content;
    }
    assertNotNull(type, what);
    String base = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    assertTrue(
        content.containsKey(base),
        () -> what + ": " + type + " is not among " + content.fieldNames());
    if (base.equals(MediaType.APPLICATION_JSON) || base.equals(Problems.CONTENT_TYPE)) {
      Map<String, String> headers = new HashMap<>();
      response
          .getJsonObject("headers", new JsonObject())
          .fieldNames()
          .forEach(
              name -> {
                String value = reply.headers.get(name);
                // vertx-openapi 5.0.7 reads a header as JSON, or else as the text of a JSON string,
                // so it cannot read a
                // value with quotes inside (Link's rel="next", WWW-Authenticate's realm="sluice"):
                // those are checked here
                if (value != null
                    && value.indexOf('"', 1) > 0
                    && value.indexOf('"', 1) < value.length() - 1) {
                  assertEquals(
                      "string",
                      resolveHeader(response.getJsonObject("headers").getJsonObject(name))
                          .getJsonObject("schema")
                          .getString("type"),
                      what + " " + name);
                } else if (value != null) {
                  headers.put(name, value);
                }
              });
      // the validator's view reads problem+json as JSON (OpenApiContracts.validatorView)
      ValidatableResponse validatable =
          ValidatableResponse.create(
              reply.status, headers, Buffer.buffer(reply.body), MediaType.APPLICATION_JSON);
      try {
        validator
            .validate(validatable, operation.getString("operationId"))
            .timeout(1, TimeUnit.MINUTES)
            .await();
      } catch (RuntimeException e) {
        throw new AssertionError(
            what
                + ": the reply does not hold to the document: "
                + e.getMessage()
                + "\n"
                + abbreviate(reply.body),
            e);
      }
    }
    return content;
  }

  /**
   * A stream's first line (NDJSON) is a row with the fields its schema requires; SSE starts with
   * its events.
   */
  static void streamConforms(String path, JsonObject operation, JsonObject content) {
    String row =
        content
            .getJsonObject(OpenApiSchemas.NDJSON)
            .getJsonObject("x-sluice-line")
            .getJsonArray("oneOf")
            .getJsonObject(0)
            .getString("$ref");
    JsonObject schema =
        document
            .getJsonObject("components")
            .getJsonObject("schemas")
            .getJsonObject(row.substring(row.lastIndexOf('/') + 1));
    Reply ndjson =
        send(
            HttpMethod.GET,
            uri(path, operation, Map.of()),
            Map.of("Accept", OpenApiSchemas.NDJSON));
    assertEquals(200, ndjson.status, path);
    assertTrue(ndjson.headers.get("Content-Type").startsWith(OpenApiSchemas.NDJSON), path);
    // a row schema holds no reference, so it is a JSON schema of its own
    Validator rows =
        Validator.create(
            JsonSchema.of(schema),
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri("app://")
                .setOutputFormat(OutputFormat.Basic));
    assertTrue(!ndjson.body.isEmpty(), path);
    JsonObject first = new JsonObject(ndjson.body.split("\n")[0]);
    OutputUnit line = rows.validate(first);
    assertTrue(line.getValid(), () -> path + ": " + first + " " + line.getErrors());
    Reply sse =
        send(HttpMethod.GET, uri(path, operation, Map.of()), Map.of("Accept", OpenApiSchemas.SSE));
    assertEquals(200, sse.status, path);
    assertTrue(sse.headers.get("Content-Type").startsWith(OpenApiSchemas.SSE), path);
    assertTrue(
        sse.body.startsWith("event: ") || sse.body.startsWith("id: "),
        () -> path + ": " + sse.body);
    String data = sse.body.lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
    assertTrue(sse.body.contains("event: item\n"), path);
    OutputUnit item = rows.validate(new JsonObject(data.substring("data: ".length())));
    assertTrue(item.getValid(), () -> path + ": " + data + " " + item.getErrors());
  }

  static JsonObject responses(JsonObject operation) {
    return operation.getJsonObject("responses");
  }

  /** A response, or the component it refers to. */
  static JsonObject resolve(JsonObject response) {
    if (response == null || !response.containsKey("$ref")) {
      return response;
    }
    String ref = response.getString("$ref");
    return document
        .getJsonObject("components")
        .getJsonObject("responses")
        .getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
  }

  static JsonObject resolveHeader(JsonObject header) {
    if (!header.containsKey("$ref")) {
      return header;
    }
    String ref = header.getString("$ref");
    return document
        .getJsonObject("components")
        .getJsonObject("headers")
        .getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
  }

  interface OperationCheck {
    void check(String path, HttpMethod method, JsonObject operation);
  }

  static void forEachOperation(OperationCheck check) {
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        check.check(
            path, HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)), item.getJsonObject(method));
      }
    }
  }

  /**
   * The request URI of an operation: its path with real ids (or {@code values}), its required query
   * parameters, and {@code values} of its query parameters ({@code \0omit} leaves one out).
   */
  static String uri(String path, JsonObject operation, Map<String, String> values) {
    String uri = path;
    List<String> query = new ArrayList<>();
    for (Object p : operation.getJsonArray("parameters", new JsonArray())) {
      JsonObject parameter = (JsonObject) p;
      String name = parameter.getString("name");
      String value = values.containsKey(name) ? values.get(name) : null;
      if ("path".equals(parameter.getString("in"))) {
        String real =
            value != null
                ? value
                : samples.containsKey(name)
                    ? samples.get(name)
                    : parameter.getJsonObject("schema").getJsonArray("enum").getString(0);
        uri = uri.replace("{" + name + "}", URLEncoder.encode(real, StandardCharsets.UTF_8));
      } else if ("query".equals(parameter.getString("in"))) {
        if (value == null && Boolean.TRUE.equals(parameter.getBoolean("required"))) {
          value = samples.get(name);
        }
        if (value != null && !value.equals("\u0000omit")) {
          query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
      }
    }
    return query.isEmpty() ? uri : uri + "?" + String.join("&", query);
  }

  // ---- HTTP

  record Reply(int status, MultiMap headers, String body) {}

  /**
   * Sends a request; of a stream's 200 only the first chunk of the body is read, then the request
   * is reset.
   */
  static Reply send(HttpMethod method, String uri, Map<String, String> headers) {
    return client
        .request(method, uri)
        .compose(
            request -> {
              headers.forEach(request::putHeader);
              return request
                  .send()
                  .compose(
                      response -> {
                        String type = response.getHeader("Content-Type");
                        boolean stream =
                            type != null
                                && (type.startsWith(OpenApiSchemas.NDJSON)
                                    || type.startsWith(OpenApiSchemas.SSE));
                        if (!stream || method == HttpMethod.HEAD) {
                          return response
                              .body()
                              .map(
                                  body ->
                                      new Reply(
                                          response.statusCode(),
                                          response.headers(),
                                          body.toString()));
                        }
                        Promise<Reply> first = Promise.promise();
                        Buffer start = Buffer.buffer();
                        response.handler(
                            chunk -> {
                              start.appendBuffer(chunk);
                              if (start.toString().contains("}\n")
                                  && first.tryComplete(
                                      new Reply(200, response.headers(), start.toString()))) {
                                request.reset();
                              }
                            });
                        response.endHandler(
                            v ->
                                first.tryComplete(
                                    new Reply(200, response.headers(), start.toString())));
                        response.exceptionHandler(
                            err ->
                                first.tryComplete(
                                    new Reply(200, response.headers(), start.toString())));
                        return first.future();
                      });
            })
        .timeout(1, TimeUnit.MINUTES)
        .await();
  }

  static String abbreviate(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
