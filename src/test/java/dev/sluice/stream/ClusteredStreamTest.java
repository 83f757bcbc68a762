package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.TwoNodes;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@EndToEnd
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@DisplayName("Streams across nodes: the loader on B, a slow client of the gateway on A")
class ClusteredStreamTest {

  static final int ROWS = 1_000_000;
  static final int BATCH = 500;
  static final int WINDOW = 4;
  static TwoNodes nodes;

  @BeforeAll
  static void start() throws Exception {
    nodes =
        TwoNodes.start(
            new JsonObject()
                .put(
                    "lazy_loading",
                    new JsonObject().put("batch_size", BATCH).put("buffer_size", BATCH * WINDOW))
                .put("streaming", new JsonObject().put("idle_timeout_seconds", 10)));
    nodes.gateway.sql(
        "INSERT INTO performance_metrics (component, metric, value, recorded_at) "
            + "SELECT 'database', 'cluster_stream', g, now() - interval '5 days' + g * interval '100 ms' "
            + "FROM generate_series(1, $1) g",
        ROWS);
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.gateway.sql("DELETE FROM performance_metrics WHERE metric = 'cluster_stream'");
      nodes.close();
    }
  }

  private static long sum(java.util.Map<String, Long> progress) {
    return progress.values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  @DisplayName(
      "a 1,000,000-row stream from B to a slow client on A keeps B within the credit window and completes")
  void slowClientAcrossNodes() throws Exception {
    int port = nodes.gateway.config.getJsonObject("http").getInteger("port");
    int[] seen = {0};
    StreamClient stream =
        StreamClient.open(
            nodes.gateway.vertx,
            port,
            "/api/v1/analytics/performance/stream?time_range=7d",
            null,
            null,
            line -> ++seen[0] == 2000);
    assertEquals(200, stream.status());
    // the socket buffers between A and the client fill first (longer on a busy machine); then B's
    // cursor must stop
    long fetched = -1;
    long delivered = -1;
    long until = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < until) {
      long before = sum(nodes.loaders.node.streams().fetched());
      delivered = sum(nodes.gateway.node.streams().delivered());
      Thread.sleep(1000);
      fetched = sum(nodes.loaders.node.streams().fetched());
      if (fetched == before && fetched > 0) {
        break;
      }
    }
    assertEquals(
        fetched,
        sum(nodes.loaders.node.streams().fetched()),
        "B's cursor stops while the client on A does not read");
    assertTrue(fetched > 0 && fetched < ROWS / 10, "far from the whole table: " + fetched);
    assertTrue(
        fetched - delivered <= (long) (WINDOW + 3) * BATCH,
        "fetched on B "
            + fetched
            + " vs handed to HTTP on A "
            + delivered
            + ": within the credit window");
    stream.resume();
    assertTrue(stream.awaitEnd(180), "resumes and ends cleanly");
    List<JsonObject> mine =
        StreamingTest.items(stream.lines).stream()
            .filter(item -> "cluster_stream".equals(item.getString("metric")))
            .toList();
    assertEquals(ROWS, mine.size(), "every row");
    for (int i = 0; i < mine.size(); i++) {
      assertEquals(i + 1, mine.get(i).getDouble("value").intValue(), "in order, once");
    }
    stream.close();
  }
}
