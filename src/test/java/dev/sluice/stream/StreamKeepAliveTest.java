package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.LogCapture;
import dev.sluice.Service;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A following stream stays open for as long as its client reads, however long nothing new comes: it
 * writes keep-alives below the server's idle timeout (configured short here: 2 s), and when it ends
 * the log says why.
 */
@EndToEnd
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("A following stream with nothing new stays open past every idle timeout, kept alive")
class StreamKeepAliveTest {

  static final int IDLE_SECONDS = 2;
  static final String METRIC = "keepalive_test";

  @Boot(config = "shortIdleTimeout")
  static Service service;

  static JsonObject shortIdleTimeout() {
    return new JsonObject()
        .put("http", new JsonObject().put("idle_timeout_seconds", IDLE_SECONDS))
        .put("streaming", new JsonObject().put("keepalive_seconds", 15));
  }

  @AfterAll
  static void deleteMetrics() {
    service.sql("DELETE FROM performance_metrics WHERE metric = $1", METRIC);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text/event-stream", "application/x-ndjson"})
  @DisplayName(
      "open three times as long as http.idle_timeout_seconds with keep-alives arriving, a row written then "
          + "arrives, and the log names who ended it")
  void outlivesIdleTimeouts(String format) throws Exception {
    boolean sse = format.equals("text/event-stream");
    try (LogCapture gateway = LogCapture.of("dev.sluice.http.StreamResponder");
        LogCapture loader = LogCapture.of("dev.sluice.load.Streams")) {
      StreamClient stream =
          StreamClient.open(
              service.vertx,
              service.port(),
              "/api/v1/analytics/performance/stream?follow=true&time_range=1h&component=gateway",
              format,
              null,
              null);
      assertEquals(200, stream.status());
      Thread.sleep(3 * IDLE_SECONDS * 1000L);
      assertFalse(
          stream.ended.future().isComplete(),
          () -> "the stream ended: " + stream.ended.future().cause());
      long keepAlives =
          stream.lines.stream()
              .filter(line -> sse ? line.equals(": keep-alive") : line.isEmpty())
              .count();
      // every half idle timeout at least (the keep-alive interval is capped there), so 3 in 6 s at
      // the very least
      assertTrue(keepAlives >= 3, () -> keepAlives + " keep-alives in " + stream.lines);

      service.sql(
          "INSERT INTO performance_metrics (component, metric, value, recorded_at) "
              + "VALUES ('gateway', $1, 42, now())",
          METRIC);
      long until = System.currentTimeMillis() + 10_000;
      while (stream.lines.stream().noneMatch(line -> line.contains(METRIC))
          && System.currentTimeMillis() < until) {
        Thread.sleep(20);
      }
      assertTrue(
          stream.lines.stream().anyMatch(line -> line.contains(METRIC)),
          () -> "the new row: " + stream.lines);
      assertFalse(stream.ended.future().isComplete());

      stream.close();
      LogCapture.Line gone =
          gateway.await(5_000, line -> line.message().startsWith("stream.client-gone"));
      assertNotNull(gone, () -> "no stream.client-gone in " + gateway.lines());
      assertTrue(
          gone.message().contains("reason=\"the client closed the connection\""), gone::toString);
      LogCapture.Line stopped =
          loader.await(5_000, line -> line.message().startsWith("stream.stopped"));
      assertNotNull(stopped, () -> "no stream.stopped in " + loader.lines());
      assertTrue(
          stopped.message().contains("HTTP client gone: the client closed the connection"),
          stopped::toString);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"text/event-stream", "application/x-ndjson"})
  @DisplayName(
      "a keep-alive is what the format ignores: an SSE comment line, an empty NDJSON line; nothing else "
          + "but items comes")
  void keepAlivesAreNoItems(String format) throws Exception {
    boolean sse = format.equals("text/event-stream");
    StreamClient stream =
        StreamClient.open(
            service.vertx,
            service.port(),
            "/api/v1/analytics/performance/stream?follow=true&time_range=1h&component=database",
            format,
            null,
            null);
    Thread.sleep(2 * IDLE_SECONDS * 1000L);
    List<String> lines = List.copyOf(stream.lines);
    stream.close();
    assertTrue(
        lines.stream().anyMatch(line -> sse ? line.equals(": keep-alive") : line.isEmpty()),
        "keep-alives");
    for (String line : lines) {
      if (sse) {
        assertTrue(
            line.isEmpty()
                || line.equals(": keep-alive")
                || line.equals("event: item")
                || line.startsWith("id: ")
                || line.startsWith("data: {"),
            () -> "not SSE of items: '" + line + "'");
      } else {
        assertTrue(
            line.isEmpty() || new JsonObject(line).containsKey("id"),
            () -> "not an item: '" + line + "'");
      }
    }
  }
}
