package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName(
    "Streams: a whole result set at the speed the client reads, with the server's memory flat")
class StreamingTest {

  static final int ROWS = 1_000_000;
  static final int BATCH = 500;
  static final int WINDOW = 4;
  static final String METRICS = "/api/v1/analytics/performance/stream?time_range=7d";

  @Boot(config = "smallBatches")
  static Service service;

  static JsonObject smallBatches() {
    return new JsonObject()
        .put(
            "lazy_loading",
            new JsonObject().put("batch_size", BATCH).put("buffer_size", BATCH * WINDOW))
        .put(
            "streaming",
            new JsonObject().put("idle_timeout_seconds", 10).put("max_streams_per_client", 3));
  }

  @BeforeAll
  static void insertMetrics() {
    service.sql(
        "INSERT INTO performance_metrics (component, metric, value, recorded_at) "
            + "SELECT 'database', 'stream_test', g, now() - interval '6 days' + g * interval '100 ms' "
            + "FROM generate_series(1, $1) g",
        ROWS);
  }

  @AfterAll
  static void deleteMetrics() {
    service.sql("DELETE FROM performance_metrics WHERE metric = 'stream_test'");
  }

  static StreamClient open(
      String path, String accept, String lastEventId, java.util.function.Predicate<String> pause) {
    return StreamClient.open(service.vertx, service.port(), path, accept, lastEventId, pause);
  }

  /** The items of an NDJSON or SSE body, as JSON objects, in order. */
  static List<JsonObject> items(List<String> lines) {
    List<JsonObject> items = new ArrayList<>(lines.size());
    synchronized (lines) {
      boolean sse =
          !lines.isEmpty() && (lines.get(0).startsWith("event:") || lines.get(0).startsWith("id:"));
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        if (sse) {
          if (line.equals("event: item") && i + 1 < lines.size()) {
            items.add(new JsonObject(lines.get(++i).substring("data: ".length())));
          }
        } else if (line.startsWith("{") && !line.startsWith("{\"_checkpoint\"")) {
          items.add(new JsonObject(line));
        }
      }
    }
    return items;
  }

  /**
   * Checks order by (recorded_at, id), that no item comes twice, and that every test row is there.
   */
  static void assertCompleteInOrder(List<JsonObject> items) {
    Set<Long> ids = new HashSet<>();
    long testRows = 0;
    String lastTime = "";
    long lastId = -1;
    for (JsonObject item : items) {
      long id = item.getLong("id");
      assertTrue(ids.add(id), "item " + id + " twice");
      String time = item.getString("recorded_at");
      int cmp = time.compareTo(lastTime);
      assertTrue(cmp > 0 || cmp == 0 && id > lastId, "in order at " + id);
      lastTime = time;
      lastId = id;
      if ("stream_test".equals(item.getString("metric"))) {
        testRows++;
      }
    }
    assertEquals(ROWS, testRows, "every row of the table, once");
  }

  static List<String> ids(List<JsonObject> items) {
    return items.stream().map(item -> item.getString("id")).toList();
  }

  /** The analytics loader's value of a Sluice meter, scraped from /metrics. */
  static double metric(String name) {
    String text = service.get("/metrics").bodyAsString();
    return dev.sluice.monitor.PrometheusText.parse(text).value(name, "loader", "analytics");
  }

  static long fetched() {
    java.util.Map<String, Long> map = service.node.streams().fetched();
    return map.values().stream().mapToLong(Long::longValue).sum();
  }

  static long delivered() {
    java.util.Map<String, Long> map = service.node.streams().delivered();
    return map.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Waits up to a second for every stream to be released: no cursor, no open transaction, no
   * progress entry.
   */
  static void assertReleasedWithinOneSecond() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 1000;
    long idle;
    do {
      Thread.sleep(50);
      idle =
          service.count(
              "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sluice' "
                  + "AND state LIKE 'idle in transaction%'");
    } while ((idle > 0 || fetched() > 0) && System.currentTimeMillis() < deadline);
    assertEquals(0, idle, "no session left idle in transaction");
    assertEquals(0, service.node.streams().fetched().size(), "no stream open");
  }

  @Test
  @DisplayName("a 1,000,000-row stream arrives complete, in order, once, as NDJSON")
  void millionRowsNdjson() throws Exception {
    StreamClient stream = open(METRICS, null, null, null);
    assertEquals(200, stream.status());
    assertEquals("application/x-ndjson", stream.response.getHeader("Content-Type"));
    assertTrue(stream.awaitEnd(120), "ended cleanly");
    assertCompleteInOrder(items(stream.lines));
    stream.close();
  }

  @Test
  @DisplayName(
      "a 1,000,000-row stream arrives complete, in order, once, as Server-Sent Events ending with its count")
  void millionRowsSse() throws Exception {
    StreamClient stream = open(METRICS, "text/event-stream", null, null);
    assertEquals("text/event-stream", stream.response.getHeader("Content-Type"));
    assertTrue(stream.awaitEnd(120), "ended cleanly");
    List<JsonObject> items = items(stream.lines);
    assertCompleteInOrder(items);
    int endAt = stream.lines.lastIndexOf("event: end");
    assertTrue(endAt > 0, "an end event");
    JsonObject end = new JsonObject(stream.lines.get(endAt + 1).substring(6));
    assertEquals(items.size(), end.getLong("count"));
    assertNotNull(end.getString("cursor"));
    stream.close();
  }

  @Test
  @DisplayName(
      "a client that stops reading stops the database cursor within a few batches, and it goes on after")
  void backpressure() throws Exception {
    double rowsBefore = metric("sluice_stream_rows_total");
    int[] seen = {0};
    StreamClient stream = open(METRICS, null, null, line -> ++seen[0] == 2000);
    Thread.sleep(1500);
    long fetched = fetched();
    long delivered = delivered();
    double sent = metric("sluice_stream_rows_total") - rowsBefore;
    double inFlight = metric("sluice_stream_batches_in_flight");
    Thread.sleep(1000);
    assertEquals(fetched, fetched(), "the cursor does not move while the client does not read");
    assertTrue(fetched < ROWS / 10, "far from the whole table: " + fetched);
    assertTrue(
        fetched - delivered <= (long) (WINDOW + 3) * BATCH,
        "fetched " + fetched + " vs handed to HTTP " + delivered + ": within a few batches");
    // operators see it too: rows counted as they are sent (not at the end), and the reader's
    // unacknowledged batches
    assertTrue(
        sent >= 2000 && sent <= fetched, "rows streamed so far, while the stream is open: " + sent);
    assertEquals(
        sent,
        metric("sluice_stream_rows_total") - rowsBefore,
        "and they stop rising with the reader");
    assertTrue(
        inFlight >= 1 && inFlight <= WINDOW,
        "batches in flight within the credit window: " + inFlight);
    stream.resume();
    assertTrue(stream.awaitEnd(120), "resumes and ends cleanly");
    List<JsonObject> items = items(stream.lines);
    assertCompleteInOrder(items);
    stream.close();
    assertEquals(
        items.size(),
        metric("sluice_stream_rows_total") - rowsBefore,
        0.0,
        "every row counted once");
    assertEquals(0, metric("sluice_stream_batches_in_flight"), "none in flight once it ended");
  }

  @Test
  @DisplayName(
      "a client that disconnects releases cursor, transaction and connection within a second, 100 times over")
  void disconnects() throws Exception {
    for (int i = 0; i < 100; i++) {
      int[] seen = {0};
      StreamClient stream = open(METRICS, null, null, line -> ++seen[0] == 1000);
      stream.awaitLines(1000, 30);
      stream.close();
      if (i == 0 || i == 99) {
        assertReleasedWithinOneSecond();
      }
    }
    assertReleasedWithinOneSecond();
    assertEquals(
        200, service.get("/api/v1/videos?limit=1").statusCode(), "the service still answers");
  }

  @Test
  @DisplayName(
      "resuming with after= or Last-Event-ID continues right after the item, no gap, no duplicate")
  void resume() throws Exception {
    StreamClient whole = open("/api/v1/videos/stream", null, null, null);
    assertTrue(whole.awaitEnd(30));
    List<JsonObject> all = items(whole.lines);
    whole.close();

    // SSE: read a while, take the last id, reconnect with it
    StreamClient first = open("/api/v1/videos/stream", "text/event-stream", null, null);
    assertTrue(first.awaitEnd(30));
    String lastId = null;
    int itemsBeforeId = 0;
    int itemCount = 0;
    for (String line : first.lines) {
      if (line.equals("event: item")) {
        itemCount++;
      }
      if (line.startsWith("id: ") && lastId == null) {
        lastId = line.substring(4);
        itemsBeforeId = itemCount + 1; // the id belongs to the item that follows it
      }
    }
    assertEquals(
        ids(all),
        ids(items(first.lines)),
        "the SSE stream holds the NDJSON stream's items, in order");
    first.close();
    assertNotNull(lastId);
    StreamClient resumed = open("/api/v1/videos/stream", "text/event-stream", lastId, null);
    assertTrue(resumed.awaitEnd(30));
    List<JsonObject> rest = items(resumed.lines);
    assertEquals(
        all.subList(itemsBeforeId, all.size()), rest, "Last-Event-ID: no gap, no duplicate");
    resumed.close();

    // NDJSON with checkpoints: resume from a checkpoint with after=
    StreamClient checkpointed = open("/api/v1/videos/stream?checkpoints=true", null, null, null);
    assertTrue(checkpointed.awaitEnd(30));
    int before = 0;
    String checkpoint = null;
    for (String line : checkpointed.lines) {
      if (line.startsWith("{\"_checkpoint\"")) {
        JsonObject c = new JsonObject(line);
        checkpoint = c.getString("_checkpoint");
        assertEquals(before, c.getInteger("count"));
        break;
      }
      before++;
    }
    checkpointed.close();
    assertNotNull(checkpoint, "a checkpoint line");
    StreamClient after = open("/api/v1/videos/stream?after=" + checkpoint, null, null, null);
    assertTrue(after.awaitEnd(30));
    assertEquals(
        all.subList(before, all.size()), items(after.lines), "after=: no gap, no duplicate");
    after.close();
  }

  @Test
  @DisplayName("a forged resume token is a 400, a foreign one too")
  void forgedResume() throws Exception {
    assertEquals(400, service.get("/api/v1/users/stream?after=forged.token").statusCode());
    StreamClient users = open("/api/v1/videos/stream?checkpoints=true", null, null, null);
    assertTrue(users.awaitEnd(30));
    String checkpoint =
        users.lines.stream()
            .filter(l -> l.startsWith("{\"_checkpoint\""))
            .findFirst()
            .map(l -> new JsonObject(l).getString("_checkpoint"))
            .orElseThrow();
    users.close();
    var foreign = service.get("/api/v1/videos/stream?status=draft&after=" + checkpoint);
    assertEquals(400, foreign.statusCode());
    assertTrue(foreign.bodyAsJsonObject().getString("type").endsWith("/invalid-cursor"));
    String tampered =
        checkpoint.substring(0, 10)
            + (checkpoint.charAt(10) == 'x' ? 'y' : 'x')
            + checkpoint.substring(11);
    assertEquals(400, service.get("/api/v1/videos/stream?after=" + tampered).statusCode());
    assertEquals(
        400,
        service.get("/api/v1/users/stream?after=" + checkpoint).statusCode(),
        "another endpoint's");
    var withHeader =
        Waits.request(
            service.http.get("/api/v1/videos/stream").putHeader("Last-Event-ID", "nope").send());
    assertEquals(400, withHeader.statusCode());
  }

  @Test
  @DisplayName("a database error mid-stream truncates NDJSON and ends SSE with an error event")
  void failureMidStream() throws Exception {
    for (String accept : new String[] {null, "text/event-stream"}) {
      int[] seen = {0};
      StreamClient stream = open(METRICS, accept, null, line -> ++seen[0] == 1000);
      stream.awaitLines(1000, 30);
      long killed = 0;
      for (int tries = 0; tries < 100 && killed == 0; tries++) {
        Thread.sleep(50); // until the producer has filled the window and its cursor waits
        killed =
            service.count(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    + "WHERE application_name = 'sluice' AND state LIKE 'idle in transaction%' "
                    + "AND query LIKE '%performance_metrics%'");
      }
      assertEquals(1, killed, "the stream's backend");
      stream.resume();
      boolean clean = stream.awaitEnd(30);
      if (accept == null) {
        assertFalse(clean, "NDJSON is cut, never a clean short body");
        assertTrue(stream.lines.size() < ROWS);
      } else {
        assertTrue(clean);
        int errorAt = stream.lines.lastIndexOf("event: error");
        assertTrue(errorAt > 0, "an error event");
        assertTrue(stream.lines.get(errorAt + 1).contains("\"status\""));
        assertFalse(stream.lines.contains("event: end"));
      }
      stream.close();
    }
    assertReleasedWithinOneSecond();
  }

  /** The HTTP connections the service holds open now, as its metrics say. */
  private static double activeConnections(Service service) {
    return dev.sluice.monitor.PrometheusText.parse(service.get("/metrics").bodyAsString())
        .value("vertx_http_server_active_connections");
  }

  @Test
  @DisplayName(
      "too many streams from one client get 429 with Retry-After; a stalled client is cut at the idle timeout")
  void limits() throws Exception {
    Service strict =
        Service.start(
            Service.config(
                new JsonObject()
                    .put(
                        "streaming",
                        new JsonObject()
                            .put("idle_timeout_seconds", 1)
                            .put("max_streams_per_client", 3))));
    int strictPort = strict.port();
    dev.sluice.LogCapture log = dev.sluice.LogCapture.of("dev.sluice.http.StreamResponder");
    try {
      double connectionsBefore = activeConnections(strict);
      // three clients that send their request and then read nothing at all (plain sockets: nothing
      // reads for them)
      List<java.net.Socket> stalled = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", strictPort);
        socket
            .getOutputStream()
            .write(
                ("GET " + METRICS + " HTTP/1.1\r\nHost: test\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        stalled.add(socket);
      }
      long deadline = System.currentTimeMillis() + 5000;
      while (strict.node.streams().fetched().size() < 3 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20); // until all three streams run
      }
      HttpResponse<Buffer> refused = strict.get(METRICS);
      assertEquals(429, refused.statusCode());
      assertEquals("1", refused.getHeader("Retry-After"));
      assertEquals("application/problem+json", refused.getHeader("Content-Type"));
      // each is cut after the 1 s idle timeout: cursor and connection released, the socket closed
      deadline = System.currentTimeMillis() + 6000;
      while (!strict.node.streams().fetched().isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(
          0,
          strict.node.streams().fetched().size(),
          "every stalled stream cut and released within a few idle timeouts");
      // and their connections closed by the server while the clients still read nothing (a close
      // that waits for
      // what is queued to be flushed would keep them open until the HTTP idle timeout)
      assertTrue(
          Service.eventually(3_000, () -> activeConnections(strict) < connectionsBefore + 3),
          "the server closed the stalled connections: "
              + activeConnections(strict)
              + " open, "
              + connectionsBefore
              + " before the three");
      // the log says what happened: each client read nothing, at INFO (no 504, no "producer")
      assertTrue(
          Service.eventually(3_000, () -> log.containing("stream.stalled").size() == 3),
          () -> "" + log.lines());
      List<dev.sluice.LogCapture.Line> cuts = log.containing("stream.stalled");
      for (dev.sluice.LogCapture.Line cut : cuts) {
        assertEquals(ch.qos.logback.classic.Level.INFO, cut.level(), cut::toString);
        assertTrue(cut.message().contains("the client read nothing for"), cut::toString);
      }
      assertTrue(
          log.lines().stream()
              .noneMatch(
                  l -> l.message().contains("status=504") || l.message().contains("producer")),
          () -> "" + log.lines());
      for (java.net.Socket socket : stalled) {
        socket.setSoTimeout(30_000);
        byte[] body =
            socket
                .getInputStream()
                .readAllBytes(); // what was on its way, then the end of the connection
        String tail =
            new String(
                body,
                Math.max(0, body.length - 7),
                Math.min(7, body.length),
                java.nio.charset.StandardCharsets.US_ASCII);
        assertFalse(tail.endsWith("\r\n0\r\n\r\n"), "cut: no final chunk");
        assertTrue(body.length < ROWS * 50L, "far from the whole body");
        socket.close();
      }
      assertEquals(
          200, strict.get("/api/v1/templates/stream").statusCode(), "places are given back");
    } finally {
      log.close();
      strict.close();
    }
    assertReleasedWithinOneSecond();
  }

  @Test
  @DisplayName("follow=true keeps the stream open and sends metrics as they are written")
  void follow() throws Exception {
    String path =
        "/api/v1/analytics/performance/stream?time_range=1h&component=gateway&follow=true";
    long already =
        service.count(
            "SELECT count(*) FROM performance_metrics WHERE component = 'gateway' "
                + "AND recorded_at >= now() - interval '1 hour'");
    StreamClient stream = open(path, null, null, null);
    assertEquals(200, stream.status());
    Thread.sleep(500);
    assertEquals(already, items(stream.lines).size(), "what was there first");
    for (int round = 1; round <= 3; round++) {
      service.sql(
          "INSERT INTO performance_metrics (component, metric, value, recorded_at) "
              + "SELECT 'gateway', 'follow_test', g, now() FROM generate_series(1, $1) g",
          round * 2);
      long expected = already + (long) round * (round + 1);
      long deadline = System.currentTimeMillis() + 5000;
      while (items(stream.lines).size() < expected && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(
          expected, items(stream.lines).size(), "new metrics arrive while the stream stays open");
    }
    assertFalse(stream.ended.future().isComplete(), "still open");
    List<JsonObject> followed =
        items(stream.lines).subList((int) already, items(stream.lines).size());
    assertTrue(followed.stream().allMatch(m -> "follow_test".equals(m.getString("metric"))));
    stream.close();
    service.sql("DELETE FROM performance_metrics WHERE metric = 'follow_test'");
    assertReleasedWithinOneSecond();
  }

  @Test
  @DisplayName(
      "another verticle streams through the typed client, and its slow reading holds the cursor back")
  void typedClientInAnotherVerticle() throws Exception {
    io.vertx.core.Promise<long[]> result = io.vertx.core.Promise.promise();
    Waits.lifecycle(
        service.vertx.deployVerticle(new SlowReader(result, service.node.streams().fetched())));
    // {items, max lead of fetched over read, batches read slowly}: a million rows, the first 200
    // batches slowly
    long[] figures = Waits.await(result.future(), Duration.ofMinutes(2));
    assertTrue(figures[0] >= ROWS, "every row: " + figures[0]);
    assertTrue(
        figures[1] <= (long) (WINDOW + 3) * BATCH,
        "while reading slowly, PostgreSQL was at most " + figures[1] + " rows ahead");
    assertReleasedWithinOneSecond();
  }

  /**
   * Reads 200 batches slowly (one each 5 ms), measuring how far the cursor runs ahead, then the
   * rest at speed.
   */
  static final class SlowReader extends io.vertx.core.VerticleBase {
    private final io.vertx.core.Promise<long[]> result;

    /** The rows the node's producers have fetched, by stream. */
    private final java.util.Map<String, Long> fetched;

    SlowReader(io.vertx.core.Promise<long[]> result, java.util.Map<String, Long> fetched) {
      this.result = result;
      this.fetched = fetched;
    }

    @Override
    public io.vertx.core.Future<?> start() {
      dev.sluice.bus.SluiceClient client = dev.sluice.bus.SluiceClient.create(vertx, 30_000);
      return client.stream(
              dev.sluice.api.Operation.PERFORMANCE_STREAM,
              new JsonObject().put("time_range", "7d"),
              WINDOW,
              0.8,
              10_000)
          .onSuccess(
              stream -> {
                long[] figures = new long[3];
                stream.pause();
                stream.handler(
                    batch -> {
                      figures[0] += batch.count();
                      if (figures[2] < 200) {
                        long ahead = fetched.getOrDefault(stream.address(), 0L) - figures[0];
                        figures[1] = Math.max(figures[1], ahead);
                      }
                    });
                stream.exceptionHandler(result::tryFail);
                stream.endHandler(v -> result.tryComplete(figures));
                vertx.setPeriodic(
                    5,
                    id -> {
                      if (++figures[2] >= 200) {
                        vertx.cancelTimer(id);
                        stream.resume();
                      } else {
                        stream.fetch(1);
                      }
                    });
              });
    }
  }

  @Test
  @DisplayName(
      "a format the stream does not speak is a 406; bad parameters are a 400 before any byte of body")
  void formatsAndParameters() {
    var html =
        Waits.request(
            service.http.get("/api/v1/videos/stream").putHeader("Accept", "text/html").send());
    assertEquals(406, html.statusCode());
    assertEquals(200, service.get("/api/v1/templates/stream", "Accept", "*/*").statusCode());
    assertEquals(400, service.get("/api/v1/videos/stream?status=bogus").statusCode());
    assertEquals(400, service.get("/api/v1/search/stream").statusCode());
    assertEquals(
        400, service.get("/api/v1/analytics/performance/stream?time_range=2y").statusCode());
    assertEquals(400, service.get("/api/v1/videos/stream?checkpoints=maybe").statusCode());
  }
}
