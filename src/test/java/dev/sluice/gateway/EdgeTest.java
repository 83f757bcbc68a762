package dev.sluice.gateway;

import dev.sluice.Service;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("The HTTP edge: request ids, limits as problems, HEAD, OPTIONS and Allow, Accept qualities, CORS")
class EdgeTest {

  static Service service;
  static Service cors;

  @BeforeAll
  static void start() {
    service = Service.start();
    cors = Service.start(Service.config(new JsonObject().put("http", new JsonObject()
      .put("cors_origins", List.of("https://console.example")))));
  }

  @AfterAll
  static void stop() {
    service.close();
    cors.close();
  }

  private static HttpResponse<Buffer> send(Service on, HttpMethod method, String path, String... headers) {
    var request = on.http.request(method, path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.send().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** What a raw HTTP/1.1 exchange sends after the response's headers, up to the connection's close. */
  private static String afterHeaders(Service on, String method, String path) {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", on.config.getJsonObject("http").getInteger("port"))) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String all = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int end = all.indexOf("\r\n\r\n");
      assertTrue(end > 0, all);
      return all.substring(end + 4);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName("X-Request-Id: a safe client id is echoed, a missing or unsafe one replaced, and problems carry it")
  void requestIds() {
    HttpResponse<Buffer> echoed = send(service, HttpMethod.GET, "/api/v1/users?limit=1", "X-Request-Id", "abc-123_x.y~");
    assertEquals("abc-123_x.y~", echoed.getHeader("X-Request-Id"));
    String generated = send(service, HttpMethod.GET, "/api/v1/users?limit=1").getHeader("X-Request-Id");
    assertTrue(generated.matches("[0-9a-f-]{36}"), generated);
    String unsafe = send(service, HttpMethod.GET, "/api/v1/users?limit=1", "X-Request-Id", "a b<script>")
      .getHeader("X-Request-Id");
    assertTrue(unsafe.matches("[0-9a-f-]{36}"), unsafe);
    String tooLong = send(service, HttpMethod.GET, "/api/v1/users?limit=1", "X-Request-Id", "x".repeat(65))
      .getHeader("X-Request-Id");
    assertTrue(tooLong.matches("[0-9a-f-]{36}"), tooLong);
    HttpResponse<Buffer> problem = send(service, HttpMethod.GET, "/api/v1/users?limit=-4", "X-Request-Id", "req-42");
    assertEquals(400, problem.statusCode());
    assertEquals("req-42", problem.getHeader("X-Request-Id"));
    assertEquals("req-42", problem.bodyAsJsonObject().getString("request_id"));
  }

  @Test
  @DisplayName("a request line over the limit is a 414, headers over it a 431, a body over it a 413: problem+json")
  void limits() {
    HttpResponse<Buffer> uri = send(service, HttpMethod.GET, "/api/v1/users?q=" + "x".repeat(9_000));
    assertEquals(414, uri.statusCode());
    assertEquals(Problems.CONTENT_TYPE, uri.getHeader("Content-Type"));
    assertEquals(414, uri.bodyAsJsonObject().getInteger("status"));
    assertTrue(uri.bodyAsJsonObject().containsKey("request_id"));

    HttpResponse<Buffer> headers = send(service, HttpMethod.GET, "/api/v1/users", "X-Big", "y".repeat(9_000));
    assertEquals(431, headers.statusCode());
    assertEquals(Problems.CONTENT_TYPE, headers.getHeader("Content-Type"));
    assertEquals(431, headers.bodyAsJsonObject().getInteger("status"));

    HttpResponse<Buffer> body = service.http.request(HttpMethod.GET, "/api/v1/users")
      .sendBuffer(Buffer.buffer(new byte[70_000])).toCompletionStage().toCompletableFuture()
      .orTimeout(30, TimeUnit.SECONDS).join();
    assertEquals(413, body.statusCode());
    assertEquals(Problems.CONTENT_TYPE, body.getHeader("Content-Type"));
  }

  @Test
  @DisplayName("a cursor as long as the error text allows (4,096 characters) reaches validation: a 400, not a 414")
  void longestCursorFits() {
    HttpResponse<Buffer> response = send(service, HttpMethod.GET, "/api/v1/videos?cursor=" + "A".repeat(4096));
    assertEquals(400, response.statusCode(), response::bodyAsString);
    assertEquals("cursor", response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("parameter"));
  }

  @Test
  @DisplayName("the console's files: / is its page, a library comes from its WebJar, a missing file is a 404, "
    + "another method a 405")
  void consoleFiles() {
    HttpResponse<Buffer> page = send(service, HttpMethod.GET, "/");
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"), page.getHeader("Content-Type"));
    HttpResponse<Buffer> library = send(service, HttpMethod.GET, "/webjars/uplot/1.6.30/dist/uPlot.esm.js");
    assertEquals(200, library.statusCode());
    assertTrue(library.getHeader("Content-Type").startsWith("text/javascript"), "an ES module needs a JS type");
    for (String missing : List.of("/console/nothing.js", "/webjars/nothing/1/x.js", "/console/../pom.xml")) {
      HttpResponse<Buffer> response = send(service, HttpMethod.GET, missing);
      assertEquals(404, response.statusCode(), missing);
      assertEquals(Problems.CONTENT_TYPE, response.getHeader("Content-Type"), missing);
    }
    HttpResponse<Buffer> post = send(service, HttpMethod.POST, "/console/index.html");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD, OPTIONS", post.getHeader("Allow"));
  }

  @Test
  @DisplayName("HEAD works like GET without a body, on pages, items, streams and the operations endpoints")
  void head() {
    for (String path : List.of("/api/v1/users?limit=3", "/api/v1/videos/popular", "/api/v1/stats", "/health/live",
      "/metrics")) {
      HttpResponse<Buffer> get = send(service, HttpMethod.GET, path);
      HttpResponse<Buffer> head = send(service, HttpMethod.HEAD, path);
      assertEquals(get.statusCode(), head.statusCode(), path);
      assertEquals(get.getHeader("Content-Type"), head.getHeader("Content-Type"), path);
      assertEquals("", afterHeaders(service, "HEAD", path), path + " sends no body");
    }
    HttpResponse<Buffer> get = send(service, HttpMethod.GET, "/api/v1/users?limit=3");
    HttpResponse<Buffer> head = send(service, HttpMethod.HEAD, "/api/v1/users?limit=3");
    assertEquals(get.getHeader("ETag"), head.getHeader("ETag")); // (Content-Length may be left out: RFC 9110, 9.3.2)
    HttpResponse<Buffer> stream = send(service, HttpMethod.HEAD, "/api/v1/videos/stream", "Accept",
      "text/event-stream");
    assertEquals(200, stream.statusCode());
    assertEquals("text/event-stream", stream.getHeader("Content-Type"));
    assertEquals("", afterHeaders(service, "HEAD", "/api/v1/videos/stream"), "a HEAD opens no stream");
    assertTrue(afterHeaders(service, "GET", "/api/v1/users?limit=3").contains("\"data\""), "the check can fail");
    assertEquals(400, send(service, HttpMethod.HEAD, "/api/v1/users?limit=0").statusCode());
  }

  @Test
  @DisplayName("OPTIONS answers with Allow; a 405 carries Allow; an unknown path is a 404 whatever the method")
  void allow() {
    HttpResponse<Buffer> options = send(service, HttpMethod.OPTIONS, "/api/v1/videos");
    assertEquals(204, options.statusCode());
    assertEquals("GET, HEAD, OPTIONS", options.getHeader("Allow"));
    assertEquals("DELETE, OPTIONS", send(service, HttpMethod.OPTIONS, "/api/v1/cache/videos").getHeader("Allow"));
    HttpResponse<Buffer> post = send(service, HttpMethod.POST, "/api/v1/videos");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD, OPTIONS", post.getHeader("Allow"));
    assertEquals(Problems.CONTENT_TYPE, post.getHeader("Content-Type"));
    assertEquals(405, send(service, HttpMethod.PUT, "/api/v1/users/00000000-0000-0000-0000-000000000001")
      .statusCode());
    assertEquals(404, send(service, HttpMethod.OPTIONS, "/api/v1/nothing").statusCode());
    assertEquals(404, send(service, HttpMethod.POST, "/api/v1/nothing").statusCode());
  }

  @ParameterizedTest(name = "Accept: {0} -> {1}")
  @CsvSource(delimiter = '|', value = {
    "text/event-stream;q=0, application/x-ndjson | application/x-ndjson",
    "application/x-ndjson;q=0                    | 406",
    "application/x-ndjson;q=0, */*               | text/event-stream",
    "text/event-stream;q=0.5, application/x-ndjson;q=0.9 | application/x-ndjson",
    "application/x-ndjson;q=0.2, text/event-stream | text/event-stream",
    "*/*;q=0                                     | 406",
    "text/*                                      | text/event-stream",
    "application/json                            | 406",
    "*/*                                         | application/x-ndjson"})
  void acceptQualities(String accept, String expected) {
    HttpResponse<Buffer> response = send(service, HttpMethod.HEAD, "/api/v1/templates/stream", "Accept", accept);
    if ("406".equals(expected)) {
      assertEquals(406, response.statusCode());
    } else {
      assertEquals(200, response.statusCode());
      assertEquals(expected, response.getHeader("Content-Type"));
    }
  }

  @Test
  @DisplayName("once the node is shutting down: readiness DOWN, requests 503 with Retry-After, operations answer")
  void shuttingDown() {
    try (Service stopping = Service.start()) {
      assertEquals(200, send(stopping, HttpMethod.GET, "/health/ready").statusCode());
      dev.sluice.monitor.NodeState.shuttingDown(stopping.vertx);
      HttpResponse<Buffer> ready = send(stopping, HttpMethod.GET, "/health/ready");
      assertEquals(503, ready.statusCode());
      HttpResponse<Buffer> page = send(stopping, HttpMethod.GET, "/api/v1/users?limit=1");
      assertEquals(503, page.statusCode());
      assertEquals("1", page.getHeader("Retry-After"));
      assertEquals("close", page.getHeader("Connection"));
      assertEquals(503, send(stopping, HttpMethod.GET, "/api/v1/videos/stream").statusCode());
      assertEquals(200, send(stopping, HttpMethod.GET, "/metrics").statusCode());
    }
  }

  @Test
  @DisplayName("CORS: off by default; when configured, the named origin is allowed and others get no CORS headers")
  void corsWhenConfigured() {
    assertNull(send(service, HttpMethod.GET, "/api/v1/users?limit=1", "Origin", "https://console.example")
      .getHeader("Access-Control-Allow-Origin"));
    HttpResponse<Buffer> allowed = send(cors, HttpMethod.GET, "/api/v1/users?limit=1", "Origin",
      "https://console.example");
    assertEquals(200, allowed.statusCode());
    assertEquals("https://console.example", allowed.getHeader("Access-Control-Allow-Origin"));
    assertNull(allowed.getHeader("Access-Control-Allow-Credentials"));
    HttpResponse<Buffer> preflight = send(cors, HttpMethod.OPTIONS, "/api/v1/users", "Origin",
      "https://console.example", "Access-Control-Request-Method", "GET");
    assertTrue(preflight.statusCode() == 200 || preflight.statusCode() == 204, () -> "" + preflight.statusCode());
    assertTrue(preflight.getHeader("Access-Control-Allow-Methods").contains("GET"));
    HttpResponse<Buffer> other = send(cors, HttpMethod.GET, "/api/v1/users?limit=1", "Origin", "https://evil.example");
    assertNull(other.getHeader("Access-Control-Allow-Origin"));
  }
}
