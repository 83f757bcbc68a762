package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.LogCapture;
import dev.sluice.Service;
import dev.sluice.monitor.PrometheusText;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More slow streams at once than a loader has connections for, each from a client address of its
 * own (so the per-client limit plays no part): capacity is not a database fault. The surplus is
 * refused at once, the breaker stays closed, and the family's pages go on being served.
 */
@EndToEnd
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName(
    "A burst of slow streams beyond a loader's connections is refused at once and leaves its pages alone")
class StreamCapacityTest {

  /** Connections of each loader pool: a loader holds at most this many streams' cursors at once. */
  static final int POOL = 3;

  static final int STREAMS = 30;
  static final String METRIC = "capacity_test";
  static final String STREAM = "/api/v1/analytics/performance/stream?time_range=7d";

  @Boot(config = "smallPool")
  static Service service;

  static JsonObject smallPool() {
    return new JsonObject()
        .put("database", new JsonObject().put("pool_size", POOL))
        // small batches and a window of two: a reader that reads nothing holds its cursor with
        // little in flight
        .put("lazy_loading", new JsonObject().put("batch_size", 100).put("buffer_size", 200))
        .put("streaming", new JsonObject().put("idle_timeout_seconds", 60));
  }

  @BeforeAll
  static void insertMetrics() {
    // more than the socket buffers of a stalled reader hold (about 8 MB of NDJSON against 4 MB at
    // most)
    service.sql(
        "INSERT INTO performance_metrics (component, metric, value, recorded_at) "
            + "SELECT 'database', $1, g, now() - interval '6 days' + g * interval '1 ms' FROM generate_series(1, 60000) g",
        METRIC);
  }

  @AfterAll
  static void deleteMetrics() {
    service.sql("DELETE FROM performance_metrics WHERE metric = $1", METRIC);
    service.sql("VACUUM performance_metrics"); // no dead pages left for another test's TABLESAMPLE
  }

  /**
   * One stream's answer: its status, Retry-After, how long the answer took, and the client holding
   * it open.
   */
  record Answer(int status, String retryAfter, long millis, HttpClient client) {}

  @Test
  @DisplayName(
      "30 slow streams from 30 addresses on a loader of 3 connections: 3 served, the rest 429 with "
          + "Retry-After within a second, the breaker closed throughout, every page of the family a 200")
  void burst() throws Exception {
    List<Future<Answer>> opening = new ArrayList<>();
    List<HttpResponse<io.vertx.core.buffer.Buffer>> pages = new ArrayList<>();
    try (LogCapture resilience = LogCapture.of("dev.sluice.load.Resilience")) {
      for (int i = 0; i < STREAMS; i++) {
        opening.add(open("127.0.0." + (10 + i)));
      }
      List<Answer> answers = new ArrayList<>();
      for (Future<Answer> answer : opening) {
        answers.add(answer.timeout(30, TimeUnit.SECONDS).await());
      }
      try {
        // the family's pages while its streams hold every stream connection: loads that reach the
        // database (a new
        // limit each), all at once
        List<Future<HttpResponse<io.vertx.core.buffer.Buffer>>> asked = new ArrayList<>();
        for (int limit = 1; limit <= 20; limit++) {
          asked.add(service.http.get("/api/v1/analytics/errors?limit=" + limit).send());
        }
        for (Future<HttpResponse<io.vertx.core.buffer.Buffer>> page : asked) {
          pages.add(page.timeout(30, TimeUnit.SECONDS).await());
        }
        List<Answer> served = answers.stream().filter(a -> a.status() == 200).toList();
        List<Answer> refused = answers.stream().filter(a -> a.status() != 200).toList();
        assertTrue(
            served.size() >= 1 && served.size() <= POOL,
            () -> served.size() + " served: " + answers);
        for (Answer answer : refused) {
          assertEquals(429, answer.status(), () -> "refused as too many streams: " + answers);
          assertEquals("1", answer.retryAfter(), "with Retry-After");
          assertTrue(
              answer.millis() < 1_000,
              () -> "refused at once, not after " + answer.millis() + " ms");
        }
        for (HttpResponse<io.vertx.core.buffer.Buffer> page : pages) {
          assertEquals(200, page.statusCode(), page::bodyAsString);
        }
        JsonObject health = service.getJson("/health");
        JsonObject analytics =
            health.getJsonArray("checks").stream()
                .map(JsonObject.class::cast)
                .filter(c -> "loader.analytics".equals(c.getString("id")))
                .findFirst()
                .orElseThrow();
        assertEquals(
            "closed", analytics.getJsonObject("data").getString("breaker"), analytics::encode);
        PrometheusText metrics = PrometheusText.parse(service.get("/metrics").bodyAsString());
        assertEquals(
            0.0, metrics.value("sluice_breaker_state", "loader", "analytics", "state", "open"));
        assertTrue(
            resilience.containing("breaker.open").isEmpty(),
            () -> "the breaker opened: " + resilience.lines());
      } finally {
        for (Answer answer : answers) {
          answer.client().close().timeout(30, TimeUnit.SECONDS).await();
        }
      }
    }
  }

  /** Opens the stream from {@code address} and reads none of it: a reader that stalled at once. */
  private static Future<Answer> open(String address) {
    HttpClient client =
        service.vertx.createHttpClient(
            new HttpClientOptions().setLocalAddress(address).setReceiveBufferSize(4096));
    long started = System.nanoTime();
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setHost("127.0.0.1")
            .setPort(service.port())
            .setURI(STREAM);
    return client
        .request(options)
        .compose(
            request ->
                request
                    .send()
                    .map(
                        (HttpClientResponse response) -> {
                          response.pause();
                          return new Answer(
                              response.statusCode(),
                              response.getHeader("Retry-After"),
                              (System.nanoTime() - started) / 1_000_000,
                              client);
                        }));
  }
}
