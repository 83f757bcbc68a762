package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName("A stream goes gzip'd to a client that takes it, flushed batch by batch")
class GzipStreamTest {

  static final int BATCH = 100;

  @Boot(config = "smallBatches")
  static Service service;

  static HttpClient client;

  static JsonObject smallBatches() {
    return new JsonObject()
        .put(
            "lazy_loading",
            new JsonObject().put("batch_size", BATCH).put("buffer_size", BATCH * 2));
  }

  @BeforeAll
  static void rawClient() {
    // raw bytes: the client neither asks for nor decodes gzip by itself
    client =
        service.vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(false));
  }

  @AfterAll
  static void closeClient() {
    Waits.lifecycle(client.close());
  }

  /**
   * Opens {@code path} and hands the response to {@code reading} on the event loop as it arrives,
   * before any of its body can (a handler set later from the test thread would miss the first
   * chunks).
   */
  <T> T open(
      String path,
      boolean gzip,
      java.util.function.Function<HttpClientResponse, io.vertx.core.Future<T>> reading) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(service.port())
            .setURI(path);
    if (gzip) {
      options.putHeader("Accept-Encoding", "gzip");
    }
    // chained to send() inside the callback that sends (on the event loop), not from this thread,
    // where a response
    // could come before the chain is complete
    return Waits.request(
        client.request(options).compose(request -> request.send().compose(reading)));
  }

  @Test
  @DisplayName("the gzip'd body decodes to exactly the plain stream's lines")
  void sameLines() throws Exception {
    String path = "/api/v1/videos/stream?status=ready";
    String expected = open(path, false, HttpClientResponse::body).toString();
    String[] encoding = {null};
    Buffer body =
        open(
            path,
            true,
            response -> {
              encoding[0] = response.getHeader("Content-Encoding");
              return response.body();
            });
    assertEquals("gzip", encoding[0]);
    try (GZIPInputStream in =
        new GZIPInputStream(new java.io.ByteArrayInputStream(body.getBytes()))) {
      String decoded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(expected, decoded);
    }
    long rows = service.count("SELECT count(*) FROM videos WHERE status = 'ready'");
    assertEquals(rows, expected.lines().count());
    assertTrue(body.length() * 3 < expected.length(), "and it is much smaller");
  }

  @Test
  @DisplayName(
      "each batch is flushed: a following stream's rows decode while the stream stays open, waiting")
  void flushedPerBatch() throws Exception {
    service.sql(
        "INSERT INTO performance_metrics (component, metric, value, recorded_at) "
            + "SELECT 'search-loader', 'gzip_test', g, now() - g * interval '1 second' FROM generate_series(1, 7) g");
    long rows =
        service.count(
            "SELECT count(*) FROM performance_metrics WHERE component = 'search-loader' "
                + "AND recorded_at >= now() - interval '1 hour'");
    Inflater inflater = new Inflater(true);
    ByteArrayOutputStream decoded = new ByteArrayOutputStream();
    Promise<Void> listed = Promise.promise();
    boolean[] header = {false};
    boolean[] ended = {false};
    open(
        "/api/v1/analytics/performance/stream?component=search-loader&time_range=1h&follow=true",
        true,
        response -> {
          response.handler(chunk -> read(response, chunk, inflater, decoded, header, listed, rows));
          response.endHandler(v -> ended[0] = true);
          return io.vertx.core.Future.succeededFuture();
        });
    Waits.request(listed.future());
    List<String> lines = decoded.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(rows, lines.size(), "every listed row decoded");
    assertTrue(new JsonObject(lines.get(0)).containsKey("metric"));
    assertTrue(
        !ended[0], "while the stream is still open: its gzip was flushed, not held for more");
    Waits.lifecycle(client.close());
    client =
        service.vertx.createHttpClient(new HttpClientOptions().setDecompressionSupported(false));
  }

  /**
   * Inflates what arrived so far; completes {@code firstBatch} once {@code expected} lines are
   * decoded.
   */
  private static void read(
      HttpClientResponse response,
      Buffer chunk,
      Inflater inflater,
      ByteArrayOutputStream decoded,
      boolean[] header,
      Promise<Void> firstBatch,
      long expected) {
    byte[] bytes = chunk.getBytes();
    int offset = 0;
    if (!header[0]) {
      offset = 10; // the gzip header: a raw deflate stream follows
      header[0] = true;
    }
    inflater.setInput(bytes, offset, bytes.length - offset);
    byte[] out = new byte[65536];
    try {
      int n;
      while ((n = inflater.inflate(out)) > 0) {
        decoded.write(out, 0, n);
      }
    } catch (java.util.zip.DataFormatException e) {
      firstBatch.tryFail(e);
    }
    if (decoded.toString(StandardCharsets.UTF_8).lines().count() >= expected) {
      firstBatch.tryComplete();
    }
  }
}
