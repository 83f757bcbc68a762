package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.LogCapture;
import dev.sluice.Service;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@EndToEnd
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName(
    "The HTTP edge: request ids, limits as problems, HEAD, OPTIONS and Allow, Accept qualities, CORS")
class EdgeTest {

  @Boot static Service service;

  @Boot(config = "withCors")
  static Service cors;

  static JsonObject withCors() {
    return new JsonObject()
        .put("http", new JsonObject().put("cors_origins", List.of("https://console.example")));
  }

  private static HttpResponse<Buffer> send(
      Service on, HttpMethod method, String path, String... headers) {
    var request = on.http.request(method, path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request
        .send()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
  }

  /**
   * What a raw HTTP/1.1 exchange sends after the response's headers, up to the connection's close.
   */
  private static String afterHeaders(Service on, String method, String path) {
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", on.config.getJsonObject("http").getInteger("port"))) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              (method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String all =
          new String(
              socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int end = all.indexOf("\r\n\r\n");
      assertTrue(end > 0, all);
      return all.substring(end + 4);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * A raw exchange: {@code request}'s bytes as they are, and everything the server sends until it
   * closes.
   */
  private static String raw(Service on, byte[] request) {
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", on.config.getJsonObject("http").getInteger("port"))) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String raw(Service on, String request) {
    return raw(on, request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  /**
   * A raw exchange's response head (status line and headers), read as far as the blank line after
   * them.
   */
  private static String head(Service on, String request) {
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", on.config.getJsonObject("http").getInteger("port"))) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      StringBuilder head = new StringBuilder();
      java.io.InputStream in = socket.getInputStream();
      for (int b; head.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0; ) {
        head.append((char) b);
      }
      return head.toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The JSON body of a raw response. */
  private static JsonObject rawBody(String response) {
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
  }

  /**
   * The access-log line of a request id, waited for (the access log is written off the event loop).
   */
  private static LogCapture.Line accessLine(LogCapture log, String requestId) {
    LogCapture.Line line = log.await(5_000, l -> l.message().contains("request_id=" + requestId));
    assertNotNull(line, () -> "no access-log line names " + requestId + " in " + log.lines());
    return line;
  }

  @ParameterizedTest(name = "a request line in {0}")
  @ValueSource(strings = {"HTTP/2.0", "HTTP/1.2", "HTTPS/1.1", "HTTP/3.0"})
  @DisplayName(
      "a request line in an HTTP version the server does not read is a 505 problem with a request id, logged "
          + "as unmatched, and the connection closed")
  void unsupportedVersions(String version) {
    try (LogCapture log = LogCapture.of("sluice.access")) {
      String response =
          raw(service, "GET /api/v1/videos?limit=1 " + version + "\r\nHost: x\r\n\r\n");
      assertTrue(response.startsWith(version + " 505 "), response);
      assertTrue(
          response
              .toLowerCase(java.util.Locale.ROOT)
              .contains("content-type: application/problem+json"),
          response);
      JsonObject problem = rawBody(response);
      assertEquals(505, problem.getInteger("status"));
      assertEquals(
          "https://sluice.dev/problems/http-version-not-supported", problem.getString("type"));
      String id = problem.getString("request_id");
      assertTrue(response.contains("X-Request-Id: " + id), response);
      LogCapture.Line line = accessLine(log, id);
      assertTrue(line.message().contains("route=\"unmatched\" status=505"), line::toString);
      assertEquals(
          ch.qos.logback.classic.Level.INFO, line.level(), "the client's fault, not the service's");
    }
    dev.sluice.monitor.PrometheusText metrics =
        dev.sluice.monitor.PrometheusText.parse(service.get("/metrics").bodyAsString());
    assertTrue(
        metrics.value("vertx_http_server_requests_total", "code", "505", "route", "unmatched") >= 1,
        "counted under the unmatched route");
  }

  @Test
  @DisplayName(
      "a WebSocket handshake is refused with a 400 and logged (the gateway speaks no WebSocket); a GET that "
          + "names another upgrade is served as a GET")
  void webSocketRefused() {
    try (LogCapture log = LogCapture.of("sluice.access")) {
      String response =
          head(
              service,
              "GET /api/v1/videos?limit=1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                  + "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
      assertTrue(response.startsWith("HTTP/1.1 400 "), response);
      assertNotNull(
          log.await(5_000, line -> line.message().contains("route=\"unmatched\" status=400")),
          () -> log.lines().toString());
    }
    HttpResponse<Buffer> h2c =
        send(service, HttpMethod.GET, "/api/v1/videos?limit=1", "Upgrade", "something-else");
    assertEquals(200, h2c.statusCode());
  }

  @Test
  @DisplayName(
      "requests refused before any route (413, 414, 431, bytes that are not HTTP) have their request id in "
          + "the access log")
  void protocolRejectionsLogged() {
    try (LogCapture log = LogCapture.of("sluice.access")) {
      List<HttpResponse<Buffer>> refused =
          List.of(
              send(service, HttpMethod.GET, "/api/v1/users?q=" + "x".repeat(9_000)),
              send(service, HttpMethod.GET, "/api/v1/users", "X-Big", "y".repeat(9_000)),
              service
                  .http
                  .request(HttpMethod.GET, "/api/v1/users")
                  .sendBuffer(Buffer.buffer(new byte[70_000]))
                  .toCompletionStage()
                  .toCompletableFuture()
                  .orTimeout(30, TimeUnit.SECONDS)
                  .join());
      List<Integer> statuses = new java.util.ArrayList<>();
      for (HttpResponse<Buffer> response : refused) {
        statuses.add(response.statusCode());
        String id = response.getHeader("X-Request-Id");
        assertEquals(id, response.bodyAsJsonObject().getString("request_id"));
        assertTrue(accessLine(log, id).message().contains("status=" + response.statusCode()));
      }
      assertEquals(List.of(414, 431, 413), statuses);
      String garbage = raw(service, "GET /api/v1/users HTTP/1.1\r\nHost x\r\n\r\n");
      assertTrue(garbage.startsWith("HTTP/1.1 400 "), garbage);
      assertTrue(
          accessLine(log, rawBody(garbage).getString("request_id"))
              .message()
              .contains("status=400"));
    }
  }

  @Test
  @DisplayName(
      "a path sent as raw UTF-8 is echoed as the text it was, not as mojibake; bytes that are not UTF-8 are "
          + "shown percent-encoded")
  void utf8Path() {
    String response =
        raw(
            service,
            ("GET /api/v1/vid\u00c3\u00a9os HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    assertTrue(response.startsWith("HTTP/1.1 404 "), response);
    assertEquals("No resource at GET /api/v1/vidéos", rawBody(response).getString("detail"));
    String invalid =
        raw(service, "GET /api/v1/vid\u00ffos HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assertEquals("No resource at GET /api/v1/vid%FFos", rawBody(invalid).getString("detail"));
  }

  @ParameterizedTest(name = "{0} with Accept: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/videos?limit=1 | application/xml                | 406",
        "/api/v1/videos?limit=1 | application/json;q=0           | 406",
        "/api/v1/videos?limit=1 | application/json;q=0, */*      | 406",
        "/api/v1/videos?limit=1 | text/html, application/*;q=0.1 | 200",
        "/api/v1/videos?limit=1 | */*                            | 200",
        "/api/v1/videos?limit=1 | application/json               | 200",
        "/api/v1/videos/popular | text/plain                     | 406",
        "/api/v1/stats          | application/xml                | 406",
        "/api/v1/stats          | application/*                  | 200",
        "/health/live           | application/xml                | 406",
        "/health/live           | application/json               | 200",
        "/openapi.json          | text/yaml                      | 406",
        "/openapi.json          | application/json, */*;q=0.1    | 200"
      })
  @DisplayName(
      "JSON resources negotiate Accept: a 406 problem when it allows no JSON (q=0 refuses even under a wildcard)")
  void jsonAccept(String path, String accept, int status) {
    HttpResponse<Buffer> response = send(service, HttpMethod.GET, path, "Accept", accept);
    assertEquals(status, response.statusCode(), response::bodyAsString);
    assertTrue(
        response.getHeader("Vary") != null
            && response.getHeader("Vary").contains("Accept")
            && response.getHeader("Vary").contains("Accept-Encoding"),
        () -> "Vary: " + response.getHeader("Vary"));
    if (status == 406) {
      assertEquals(Problems.CONTENT_TYPE, response.getHeader("Content-Type"));
      assertEquals(406, response.bodyAsJsonObject().getInteger("status"));
    } else {
      assertTrue(
          response.getHeader("Content-Type").startsWith("application/json"),
          response.getHeader("Content-Type"));
    }
  }

  @Test
  @DisplayName(
      "HEAD sends the headers GET sends, with and without gzip, and refuses the parameters GET refuses, "
          + "streams included")
  void headEqualsGet() {
    for (String path :
        List.of("/api/v1/users?limit=3", "/api/v1/videos/popular", "/api/v1/videos?limit=40")) {
      for (String encoding : List.of("gzip", "identity")) {
        HttpResponse<Buffer> get = send(service, HttpMethod.GET, path, "Accept-Encoding", encoding);
        HttpResponse<Buffer> head =
            send(service, HttpMethod.HEAD, path, "Accept-Encoding", encoding);
        assertEquals(names(get), names(head), path + " " + encoding);
        for (String name : names(get)) {
          if (!name.equals("x-request-id") && !name.equals("content-length")) {
            assertEquals(
                get.getHeader(name), head.getHeader(name), path + " " + encoding + " " + name);
          }
        }
      }
    }
    for (String accept : List.of("text/event-stream", "application/x-ndjson")) {
      HttpResponse<Buffer> get =
          send(service, HttpMethod.GET, "/api/v1/templates/stream", "Accept", accept);
      HttpResponse<Buffer> head =
          send(service, HttpMethod.HEAD, "/api/v1/templates/stream", "Accept", accept);
      assertEquals(200, head.statusCode());
      assertEquals(names(get), names(head), accept);
      for (String name : List.of("content-type", "cache-control", "vary", "x-accel-buffering")) {
        assertEquals(get.getHeader(name), head.getHeader(name), accept + " " + name);
      }
    }
    for (String path :
        List.of(
            "/api/v1/videos/stream?status=nope",
            "/api/v1/videos/stream?after=forged",
            "/api/v1/users/stream?is_active=maybe",
            "/api/v1/analytics/performance/stream?follow=true&until=x")) {
      HttpResponse<Buffer> get = send(service, HttpMethod.GET, path);
      HttpResponse<Buffer> head = send(service, HttpMethod.HEAD, path);
      assertEquals(400, get.statusCode(), path);
      assertEquals(400, head.statusCode(), path + ": HEAD validates as GET does");
    }
  }

  /** A response's header names, lower case, but those that say how its body travels. */
  private static java.util.Set<String> names(HttpResponse<Buffer> response) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    response.headers().names().forEach(name -> names.add(name.toLowerCase(java.util.Locale.ROOT)));
    names.remove("content-length");
    names.remove("transfer-encoding");
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/metrics",
        "/openapi.json",
        "/api/v1/stats",
        "/health",
        "/api/v1/videos?limit=40"
      })
  @DisplayName(
      "a reply that may be gzip'd says Vary: Accept-Encoding, whichever part compressed it")
  void varyAcceptEncoding(String path) {
    HttpResponse<Buffer> gzipped = send(service, HttpMethod.GET, path, "Accept-Encoding", "gzip");
    assertEquals("gzip", gzipped.getHeader("Content-Encoding"), path);
    assertTrue(
        gzipped.getHeader("Vary") != null && gzipped.getHeader("Vary").contains("Accept-Encoding"),
        () -> path + " Vary: " + gzipped.getHeader("Vary"));
    HttpResponse<Buffer> plain = send(service, HttpMethod.GET, path);
    assertTrue(
        plain.getHeader("Vary") != null && plain.getHeader("Vary").contains("Accept-Encoding"),
        () -> path + " plain, Vary: " + plain.getHeader("Vary"));
  }

  @Test
  @DisplayName(
      "the console's own files are revalidated on every load and carry no invented Last-Modified")
  void consoleCaching() {
    HttpResponse<Buffer> file = send(service, HttpMethod.GET, "/console/app.js");
    assertEquals(200, file.statusCode());
    assertEquals("no-cache", file.getHeader("Cache-Control"));
    assertNull(file.getHeader("Last-Modified"));
  }

  @Test
  @DisplayName(
      "routes are named by their templates, in the access log and the metrics alike; a request no route "
          + "matched is 'unmatched' in both")
  void routeNames() {
    String video = service.sql("SELECT id::text FROM videos LIMIT 1").get(0).getString(0);
    try (LogCapture log = LogCapture.of("sluice.access")) {
      HttpResponse<Buffer> analytics =
          send(service, HttpMethod.GET, "/api/v1/videos/" + video + "/analytics");
      assertEquals(200, analytics.statusCode(), analytics::bodyAsString);
      assertTrue(
          accessLine(log, analytics.getHeader("X-Request-Id"))
              .message()
              .contains("route=\"/api/v1/videos/{videoId}/analytics\""));
      HttpResponse<Buffer> missing = send(service, HttpMethod.GET, "/nothing-here");
      LogCapture.Line line = accessLine(log, missing.getHeader("X-Request-Id"));
      assertTrue(line.message().contains("route=\"unmatched\" status=404"), line::toString);
      assertEquals(ch.qos.logback.classic.Level.INFO, line.level(), "a client error is INFO");
    }
    dev.sluice.monitor.PrometheusText metrics =
        dev.sluice.monitor.PrometheusText.parse(service.get("/metrics").bodyAsString());
    assertTrue(
        metrics.value(
                "vertx_http_server_requests_total", "route", "/api/v1/videos/{videoId}/analytics")
            >= 1);
    assertTrue(
        metrics.value("vertx_http_server_requests_total", "code", "404", "route", "unmatched")
            >= 1);
    for (dev.sluice.monitor.PrometheusText.Sample sample : metrics.samples()) {
      String route = sample.labels().get("route");
      assertTrue(
          route == null || (!route.isEmpty() && !route.contains(":")),
          () -> sample + ": one route style");
    }
  }

  @Test
  @DisplayName(
      "a Link to the next page carries the parameters the endpoint reads, and none it does not")
  void linkCarriesKnownParameters() {
    HttpResponse<Buffer> page =
        send(service, HttpMethod.GET, "/api/v1/videos?limit=2&status=ready&foo=bar&x=%3Cy%3E");
    assertEquals(200, page.statusCode());
    String link = page.getHeader("Link");
    assertTrue(
        link.contains("limit=2") && link.contains("status=ready") && link.contains("cursor="),
        link);
    assertFalse(link.contains("foo") || link.contains("x="), link);
  }

  @Test
  @DisplayName(
      "X-Request-Id: a safe client id is echoed, a missing or unsafe one replaced, and problems carry it")
  void requestIds() {
    HttpResponse<Buffer> echoed =
        send(service, HttpMethod.GET, "/api/v1/users?limit=1", "X-Request-Id", "abc-123_x.y~");
    assertEquals("abc-123_x.y~", echoed.getHeader("X-Request-Id"));
    String generated =
        send(service, HttpMethod.GET, "/api/v1/users?limit=1").getHeader("X-Request-Id");
    assertTrue(generated.matches("[0-9a-f-]{36}"), generated);
    String unsafe =
        send(service, HttpMethod.GET, "/api/v1/users?limit=1", "X-Request-Id", "a b<script>")
            .getHeader("X-Request-Id");
    assertTrue(unsafe.matches("[0-9a-f-]{36}"), unsafe);
    String tooLong =
        send(service, HttpMethod.GET, "/api/v1/users?limit=1", "X-Request-Id", "x".repeat(65))
            .getHeader("X-Request-Id");
    assertTrue(tooLong.matches("[0-9a-f-]{36}"), tooLong);
    HttpResponse<Buffer> problem =
        send(service, HttpMethod.GET, "/api/v1/users?limit=-4", "X-Request-Id", "req-42");
    assertEquals(400, problem.statusCode());
    assertEquals("req-42", problem.getHeader("X-Request-Id"));
    assertEquals("req-42", problem.bodyAsJsonObject().getString("request_id"));
  }

  @Test
  @DisplayName(
      "a request line over the limit is a 414, headers over it a 431, a body over it a 413: problem+json")
  void limits() {
    HttpResponse<Buffer> uri =
        send(service, HttpMethod.GET, "/api/v1/users?q=" + "x".repeat(9_000));
    assertEquals(414, uri.statusCode());
    assertEquals(Problems.CONTENT_TYPE, uri.getHeader("Content-Type"));
    assertEquals(414, uri.bodyAsJsonObject().getInteger("status"));
    assertTrue(uri.bodyAsJsonObject().containsKey("request_id"));

    HttpResponse<Buffer> headers =
        send(service, HttpMethod.GET, "/api/v1/users", "X-Big", "y".repeat(9_000));
    assertEquals(431, headers.statusCode());
    assertEquals(Problems.CONTENT_TYPE, headers.getHeader("Content-Type"));
    assertEquals(431, headers.bodyAsJsonObject().getInteger("status"));

    HttpResponse<Buffer> body =
        service
            .http
            .request(HttpMethod.GET, "/api/v1/users")
            .sendBuffer(Buffer.buffer(new byte[70_000]))
            .toCompletionStage()
            .toCompletableFuture()
            .orTimeout(30, TimeUnit.SECONDS)
            .join();
    assertEquals(413, body.statusCode());
    assertEquals(Problems.CONTENT_TYPE, body.getHeader("Content-Type"));
  }

  @Test
  @DisplayName(
      "a cursor as long as the error text allows (4,096 characters) reaches validation: a 400, not a 414")
  void longestCursorFits() {
    HttpResponse<Buffer> response =
        send(service, HttpMethod.GET, "/api/v1/videos?cursor=" + "A".repeat(4096));
    assertEquals(400, response.statusCode(), response::bodyAsString);
    assertEquals(
        "cursor",
        response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("parameter"));
  }

  @Test
  @DisplayName(
      "the console's files: / is its page, a library comes from its WebJar, a missing file is a 404, "
          + "another method a 405")
  void consoleFiles() {
    HttpResponse<Buffer> page = send(service, HttpMethod.GET, "/");
    assertEquals(200, page.statusCode());
    assertTrue(
        page.getHeader("Content-Type").startsWith("text/html"), page.getHeader("Content-Type"));
    HttpResponse<Buffer> library =
        send(service, HttpMethod.GET, "/webjars/uplot/1.6.30/dist/uPlot.esm.js");
    assertEquals(200, library.statusCode());
    assertTrue(
        library.getHeader("Content-Type").startsWith("text/javascript"),
        "an ES module needs a JS type");
    for (String missing :
        List.of("/console/nothing.js", "/webjars/nothing/1/x.js", "/console/../pom.xml")) {
      HttpResponse<Buffer> response = send(service, HttpMethod.GET, missing);
      assertEquals(404, response.statusCode(), missing);
      assertEquals(Problems.CONTENT_TYPE, response.getHeader("Content-Type"), missing);
    }
    HttpResponse<Buffer> post = send(service, HttpMethod.POST, "/console/index.html");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD, OPTIONS", post.getHeader("Allow"));
  }

  @Test
  @DisplayName(
      "HEAD works like GET without a body, on pages, items, streams and the operations endpoints")
  void head() {
    for (String path :
        List.of(
            "/api/v1/users?limit=3",
            "/api/v1/videos/popular",
            "/api/v1/stats",
            "/health/live",
            "/metrics")) {
      HttpResponse<Buffer> get = send(service, HttpMethod.GET, path);
      HttpResponse<Buffer> head = send(service, HttpMethod.HEAD, path);
      assertEquals(get.statusCode(), head.statusCode(), path);
      assertEquals(get.getHeader("Content-Type"), head.getHeader("Content-Type"), path);
      assertEquals("", afterHeaders(service, "HEAD", path), path + " sends no body");
    }
    HttpResponse<Buffer> get = send(service, HttpMethod.GET, "/api/v1/users?limit=3");
    HttpResponse<Buffer> head = send(service, HttpMethod.HEAD, "/api/v1/users?limit=3");
    assertEquals(
        get.getHeader("ETag"),
        head.getHeader("ETag")); // (Content-Length may be left out: RFC 9110, 9.3.2)
    HttpResponse<Buffer> stream =
        send(service, HttpMethod.HEAD, "/api/v1/videos/stream", "Accept", "text/event-stream");
    assertEquals(200, stream.statusCode());
    assertEquals("text/event-stream", stream.getHeader("Content-Type"));
    assertEquals(
        "", afterHeaders(service, "HEAD", "/api/v1/videos/stream"), "a HEAD opens no stream");
    assertTrue(
        afterHeaders(service, "GET", "/api/v1/users?limit=3").contains("\"data\""),
        "the check can fail");
    assertEquals(400, send(service, HttpMethod.HEAD, "/api/v1/users?limit=0").statusCode());
  }

  @Test
  @DisplayName(
      "OPTIONS answers with Allow; a 405 carries Allow; an unknown path is a 404 whatever the method")
  void allow() {
    HttpResponse<Buffer> options = send(service, HttpMethod.OPTIONS, "/api/v1/videos");
    assertEquals(204, options.statusCode());
    assertEquals("GET, HEAD, OPTIONS", options.getHeader("Allow"));
    assertEquals(
        "DELETE, OPTIONS",
        send(service, HttpMethod.OPTIONS, "/api/v1/cache/videos").getHeader("Allow"));
    HttpResponse<Buffer> post = send(service, HttpMethod.POST, "/api/v1/videos");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD, OPTIONS", post.getHeader("Allow"));
    assertEquals(Problems.CONTENT_TYPE, post.getHeader("Content-Type"));
    assertEquals(
        405,
        send(service, HttpMethod.PUT, "/api/v1/users/00000000-0000-0000-0000-000000000001")
            .statusCode());
    assertEquals(404, send(service, HttpMethod.OPTIONS, "/api/v1/nothing").statusCode());
    assertEquals(404, send(service, HttpMethod.POST, "/api/v1/nothing").statusCode());
  }

  @ParameterizedTest(name = "Accept: {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "text/event-stream;q=0, application/x-ndjson | application/x-ndjson",
        "application/x-ndjson;q=0                    | 406",
        "application/x-ndjson;q=0, */*               | text/event-stream",
        "text/event-stream;q=0.5, application/x-ndjson;q=0.9 | application/x-ndjson",
        "application/x-ndjson;q=0.2, text/event-stream | text/event-stream",
        "*/*;q=0                                     | 406",
        "text/*                                      | text/event-stream",
        "application/json                            | 406",
        "*/*                                         | application/x-ndjson"
      })
  void acceptQualities(String accept, String expected) {
    HttpResponse<Buffer> response =
        send(service, HttpMethod.HEAD, "/api/v1/templates/stream", "Accept", accept);
    if ("406".equals(expected)) {
      assertEquals(406, response.statusCode());
    } else {
      assertEquals(200, response.statusCode());
      assertEquals(expected, response.getHeader("Content-Type"));
    }
  }

  @Test
  @DisplayName(
      "once the node is shutting down: readiness DOWN, requests 503 with Retry-After, operations answer")
  void shuttingDown() {
    try (Service stopping = Service.start()) {
      assertEquals(200, send(stopping, HttpMethod.GET, "/health/ready").statusCode());
      stopping.node.state().shuttingDown();
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
  @DisplayName(
      "CORS: off by default; when configured, the named origin is allowed and others get no CORS headers")
  void corsWhenConfigured() {
    assertNull(
        send(service, HttpMethod.GET, "/api/v1/users?limit=1", "Origin", "https://console.example")
            .getHeader("Access-Control-Allow-Origin"));
    HttpResponse<Buffer> allowed =
        send(cors, HttpMethod.GET, "/api/v1/users?limit=1", "Origin", "https://console.example");
    assertEquals(200, allowed.statusCode());
    assertEquals("https://console.example", allowed.getHeader("Access-Control-Allow-Origin"));
    assertNull(allowed.getHeader("Access-Control-Allow-Credentials"));
    HttpResponse<Buffer> preflight =
        send(
            cors,
            HttpMethod.OPTIONS,
            "/api/v1/users",
            "Origin",
            "https://console.example",
            "Access-Control-Request-Method",
            "GET");
    assertTrue(
        preflight.statusCode() == 200 || preflight.statusCode() == 204,
        () -> "" + preflight.statusCode());
    assertTrue(preflight.getHeader("Access-Control-Allow-Methods").contains("GET"));
    HttpResponse<Buffer> other =
        send(cors, HttpMethod.GET, "/api/v1/users?limit=1", "Origin", "https://evil.example");
    assertNull(other.getHeader("Access-Control-Allow-Origin"));
  }
}
