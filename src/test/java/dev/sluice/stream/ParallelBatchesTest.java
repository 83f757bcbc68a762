package dev.sluice.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import dev.sluice.api.Operation;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.bus.Processed;
import dev.sluice.bus.RangeBatch;
import dev.sluice.bus.SluiceClient;
import dev.sluice.config.SluiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName(
    "Parallel batches: a whole listing read as concurrent keyset ranges through the typed client")
class ParallelBatchesTest {

  static final int BATCH = 50;
  static final int WINDOW = 4;
  static final int METRICS = 200_000;

  @Boot(config = "smallBatches")
  static Service service;

  static SluiceClient client;

  static JsonObject smallBatches() {
    return new JsonObject()
        .put(
            "lazy_loading",
            new JsonObject().put("batch_size", BATCH).put("buffer_size", BATCH * WINDOW))
        // long enough that a range left open by mistake would still be open when a test looks
        .put("streaming", new JsonObject().put("idle_timeout_seconds", 30));
  }

  @BeforeAll
  static void insertMetrics() {
    client = SluiceClient.create(service.vertx, SluiceConfig.from(service.config));
    // enough metrics that the performance stream (a filtered listing) is cut from a sample of the
    // table's pages
    service.sql(
        "INSERT INTO performance_metrics (component, metric, value, recorded_at) "
            + "SELECT 'database', 'parallel_test', g, now() - interval '12 hours' + g * interval '100 ms' "
            + "FROM generate_series(1, $1) g",
        METRICS);
    // no dead rows of other tests' in the pages a sample picks, and statistics of what is there now
    service.sql("VACUUM ANALYZE performance_metrics");
  }

  @AfterAll
  static void deleteMetrics() {
    service.sql("DELETE FROM performance_metrics WHERE metric = 'parallel_test'");
    service.sql("ANALYZE performance_metrics");
  }

  /**
   * What one parallel processing handed over: its result and every batch, in the order they
   * arrived.
   */
  record Run(Processed processed, List<RangeBatch> batches) {

    /**
     * The items in the listing's order, restored from the ranges and the places of their batches.
     */
    List<String> inOrder() {
      List<RangeBatch> sorted = new ArrayList<>(batches);
      sorted.sort(RangeBatch.ORDER);
      List<String> lines = new ArrayList<>();
      sorted.forEach(batch -> lines.addAll(lines(batch.batch())));
      return lines;
    }
  }

  static Run processed(Operation op, JsonObject params, int ranges) {
    List<RangeBatch> batches = Collections.synchronizedList(new ArrayList<>());
    Processed processed =
        Waits.request(
            client.processBatches(
                op,
                params,
                ranges,
                batch -> {
                  batches.add(batch);
                  return Future.succeededFuture();
                }));
    return new Run(processed, batches);
  }

  /** One stream of the same listing, read whole: the order the ranges must restore. */
  static List<List<String>> oneStream(Operation op, JsonObject params) {
    List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    read(op, params, batch -> batches.add(lines(batch)));
    return batches;
  }

  static List<String> flat(List<List<String>> batches) {
    List<String> lines = new ArrayList<>();
    batches.forEach(lines::addAll);
    return lines;
  }

  static List<String> lines(StreamBatch batch) {
    String text = batch.lines().toString();
    List<String> lines = new ArrayList<>(List.of(text.split("\n")));
    lines.removeIf(String::isEmpty);
    assertEquals(batch.count(), lines.size(), "a batch holds as many lines as it counts");
    return lines;
  }

  static List<String> ids(List<String> lines, String field) {
    List<String> ids = new ArrayList<>(lines.size());
    lines.forEach(line -> ids.add(new JsonObject(line).getValue(field).toString()));
    Collections.sort(ids);
    return ids;
  }

  static List<String> idsFromSql(String sql) {
    List<String> ids = new ArrayList<>();
    for (Row row : service.sql(sql)) {
      ids.add(row.getValue(0).toString());
    }
    Collections.sort(ids);
    return ids;
  }

  /**
   * Every item once (against PostgreSQL), the ranges asked, each of about its share, one stream's
   * order restored.
   */
  static Run assertParallelEqualsTable(
      Operation op, JsonObject params, int ranges, String cutFrom, String sql) {
    Run run = processed(op, params, ranges);
    List<String> inOrder = run.inOrder();
    assertEquals(idsFromSql(sql), ids(inOrder, "id"), "every row of the listing, exactly once");
    assertEquals(inOrder.size(), run.processed().rows(), "the count it completes with");
    assertEquals(cutFrom, run.processed().cutFrom(), "cut from");
    assertEquals(ranges, run.processed().ranges(), "ranges: " + run.processed().rowsPerRange());
    long share = inOrder.size() / ranges;
    for (long rows : run.processed().rowsPerRange()) {
      assertTrue(
          rows > share / 2 && rows < share * 3 / 2,
          "ranges of about equal size: " + run.processed().rowsPerRange());
    }
    assertEquals(
        flat(oneStream(op, params)), inOrder, "by range and place, the order of one stream");
    return run;
  }

  @Test
  @DisplayName(
      "all videos in 4 ranges cut from PostgreSQL's statistics: every row once, one stream's order restored")
  void allVideos() {
    Run run =
        assertParallelEqualsTable(
            Operation.VIDEO_STREAM, new JsonObject(), 4, "statistics", "SELECT id FROM videos");
    // the ranges really ran at once: batches of different ranges arrived interleaved
    List<Integer> arrival = run.batches().stream().map(RangeBatch::range).toList();
    assertNotEquals(
        arrival.stream().sorted().toList(), arrival, "batches of the ranges interleave");
  }

  @Test
  @DisplayName(
      "more ranges than the loader has stream connections (8 on a pool of 4): the ranges past them wait for "
          + "a place and every row is read once")
  void moreRangesThanConnections() {
    int pool = service.config.getJsonObject("database").getInteger("pool_size");
    Run run = processed(Operation.VIDEO_STREAM, new JsonObject(), pool * 2);
    assertEquals(pool * 2, run.processed().ranges(), "ranges: " + run.processed().rowsPerRange());
    assertEquals(
        idsFromSql("SELECT id FROM videos"),
        ids(run.inOrder(), "id"),
        "every row of the listing, once");
  }

  @Test
  @DisplayName(
      "filtered listings, newest or most used first, are cut on their own keys: every row once, in order")
  void filteredAndDescending() {
    assertParallelEqualsTable(
        Operation.VIDEO_STREAM,
        new JsonObject().put("status", "ready"),
        4,
        "keys",
        "SELECT id FROM videos WHERE status = 'ready'");
    assertParallelEqualsTable(
        Operation.VIDEO_STREAM,
        new JsonObject().put("category", "music"),
        3,
        "keys",
        "SELECT id FROM videos WHERE category = 'music'");
    // most used first (descending, many equal counts), public ones by default
    assertParallelEqualsTable(
        Operation.TEMPLATE_STREAM,
        new JsonObject(),
        4,
        "keys",
        "SELECT id FROM templates WHERE is_public");
    assertParallelEqualsTable(
        Operation.USER_STREAM,
        new JsonObject().put("role", "creator"),
        2,
        "keys",
        "SELECT id FROM users WHERE role = 'creator' AND is_active");
  }

  @Test
  @DisplayName(
      "200,000 recent metrics (a time filter) are cut from a sample of the table's pages, every row once")
  void sampledMetrics() {
    JsonObject params = new JsonObject().put("time_range", "24h");
    Run run = processed(Operation.PERFORMANCE_STREAM, params, 4);
    assertEquals("sample", run.processed().cutFrom());
    assertEquals(4, run.processed().ranges(), "ranges: " + run.processed().rowsPerRange());
    List<String> inOrder = run.inOrder();
    List<Long> ids = new ArrayList<>();
    long ours = 0;
    for (String line : inOrder) {
      JsonObject item = new JsonObject(line);
      ids.add(item.getLong("id"));
      if ("parallel_test".equals(item.getString("metric"))) {
        ours++;
      }
    }
    assertEquals(ids.size(), ids.stream().distinct().count(), "no row twice");
    assertEquals(METRICS, ours, "every inserted row");
    List<Long> sorted = new ArrayList<>(ids);
    Collections.sort(sorted);
    // recorded_at and id grow together for the inserted rows, and those are almost all of the
    // listing
    assertEquals(
        idsOf(METRICS),
        ids.stream().filter(id -> id >= sorted.get(sorted.size() - METRICS)).toList(),
        "the inserted rows in the stream's order");
    for (long rows : run.processed().rowsPerRange()) {
      assertTrue(
          rows > inOrder.size() / 8 && rows < inOrder.size() * 3 / 8,
          "a sample cuts about equal ranges: " + run.processed().rowsPerRange());
    }
  }

  static List<Long> idsOf(int count) {
    List<Long> ids = new ArrayList<>();
    for (Row row :
        service.sql(
            "SELECT id FROM performance_metrics WHERE metric = 'parallel_test' ORDER BY recorded_at, id")) {
      ids.add(row.getLong(0));
    }
    assertEquals(count, ids.size());
    return ids;
  }

  @Test
  @DisplayName(
      "a search, computed whole by every stream, is read as one range; one range asked is one stream")
  void notCut() {
    JsonObject search = new JsonObject().put("query", "guitar");
    Run run = processed(Operation.SEARCH_STREAM, search, 4);
    assertEquals("none", run.processed().cutFrom());
    assertEquals(1, run.processed().ranges());
    assertEquals(flat(oneStream(Operation.SEARCH_STREAM, search)), run.inOrder());
    Run one = processed(Operation.VIDEO_STREAM, new JsonObject(), 1);
    assertEquals(1, one.processed().ranges());
    assertEquals(idsFromSql("SELECT id FROM videos"), ids(one.inOrder(), "id"));
  }

  @Test
  @DisplayName(
      "until ends a stream with the item at it: after=a&until=b sends exactly the items between")
  void untilBounds() {
    List<List<String>> whole = oneStream(Operation.VIDEO_STREAM, new JsonObject());
    List<String> positions = positions(Operation.VIDEO_STREAM, new JsonObject());
    assertTrue(positions.size() > 8, "enough batches: " + positions.size());
    // the position after batch 2 and after batch 6
    String a = positions.get(2);
    String b = positions.get(6);
    assertEquals(
        flat(whole.subList(3, 7)),
        flat(oneStream(Operation.VIDEO_STREAM, new JsonObject().put("after", a).put("until", b))),
        "after a, up to b included");
    assertEquals(
        flat(whole.subList(0, 7)),
        flat(oneStream(Operation.VIDEO_STREAM, new JsonObject().put("until", b))),
        "from the start, up to b included");
    assertEquals(
        List.of(),
        flat(oneStream(Operation.VIDEO_STREAM, new JsonObject().put("after", b).put("until", a))),
        "until before after: nothing");
    // a filter applies within the range too
    List<String> ready =
        flat(oneStream(Operation.VIDEO_STREAM, new JsonObject().put("status", "ready")));
    List<String> readyPositions =
        positions(Operation.VIDEO_STREAM, new JsonObject().put("status", "ready"));
    List<String> readyUntil =
        flat(
            oneStream(
                Operation.VIDEO_STREAM,
                new JsonObject().put("status", "ready").put("until", readyPositions.get(1))));
    assertEquals(ready.subList(0, readyUntil.size()), readyUntil);
    assertEquals(2 * BATCH, readyUntil.size());
  }

  /** The position after each batch of one stream. */
  static List<String> positions(Operation op, JsonObject params) {
    List<String> positions = Collections.synchronizedList(new ArrayList<>());
    read(op, params, batch -> positions.add(batch.position()));
    return positions;
  }

  /**
   * Reads one stream whole. The handlers are set as the stream opens, on its context: set later
   * from the test's thread, they could miss the end of a short stream.
   */
  static void read(Operation op, JsonObject params, java.util.function.Consumer<StreamBatch> each) {
    Waits.request(
        client.stream(op, params, WINDOW, 0.8, 30_000)
            .compose(
                stream -> {
                  Promise<Void> ended = Promise.promise();
                  stream.handler(each::accept);
                  stream.exceptionHandler(ended::tryFail);
                  stream.endHandler(v -> ended.tryComplete());
                  return ended.future();
                }));
  }

  @Test
  @DisplayName(
      "a row moved between ranges while they run is read once: every range reads the snapshot of the cut")
  void oneSnapshot() {
    List<String> before = ids("SELECT id::text FROM videos ORDER BY created_at DESC, id DESC");
    String oldest = before.get(before.size() - 1);
    String at =
        service
            .sql("SELECT created_at::text FROM videos WHERE id = $1::uuid", oldest)
            .get(0)
            .getString(0);
    JsonObject cut =
        Waits.request(
                service
                    .vertx
                    .eventBus()
                    .<JsonObject>request(
                        dev.sluice.api.Addresses.splitsOf(Operation.VIDEO_STREAM.address()),
                        new JsonObject(),
                        new io.vertx.core.eventbus.DeliveryOptions()
                            .addHeader(
                                dev.sluice.api.Addresses.ACTION_HEADER,
                                Operation.VIDEO_STREAM.action())
                            .addHeader(StreamProtocol.SPLITS, "2")))
            .body();
    String position = cut.getJsonArray("positions").getString(0);
    String move = "UPDATE videos SET created_at = now() + interval '1 day' WHERE id = $1::uuid";
    String back = "UPDATE videos SET created_at = $1::text::timestamptz WHERE id = $2::uuid";
    try {
      // without the snapshot: the first range read before the oldest video becomes the newest, the
      // second after;
      // neither sees it where it is then
      List<String> first = streamed(new JsonObject().put("until", position));
      service.sql(move, oldest);
      List<String> second = streamed(new JsonObject().put("after", position));
      assertFalse(
          first.contains(oldest) || second.contains(oldest),
          "lost between ranges read at two moments");
      service.sql(back, at, oldest);
      // with it (as processBatches opens every range): the moved video once, where it was when the
      // listing was cut
      String snapshot = cut.getString("snapshot");
      assertNotNull(snapshot, cut::encode);
      first = streamed(new JsonObject().put("until", position).put("snapshot", snapshot));
      service.sql(move, oldest);
      second = streamed(new JsonObject().put("after", position).put("snapshot", snapshot));
      List<String> both = new ArrayList<>(first);
      both.addAll(second);
      assertEquals(before, both, "every video once, as the snapshot of the cut shows them");
      // the snapshot is released once both ranges have imported it
      Problem released =
          refused(Operation.VIDEO_STREAM, new JsonObject().put("snapshot", snapshot));
      assertEquals(400, released.status(), () -> released.toJson().encode());
      assertEquals("snapshot", released.errors().get(0).parameter());
      assertEquals(
          "snapshot",
          refused(Operation.VIDEO_STREAM, new JsonObject().put("snapshot", "x'; DROP"))
              .errors()
              .get(0)
              .parameter(),
          "only an exported snapshot's shape is written into the SQL");
    } finally {
      service.sql(back, at, oldest);
    }
  }

  private static List<String> ids(String sql) {
    return service.sql(sql).stream().map(row -> row.getString(0)).toList();
  }

  /** The ids of one videos stream opened with {@code params}. */
  private static List<String> streamed(JsonObject params) {
    List<String> ids = new ArrayList<>();
    read(
        Operation.VIDEO_STREAM,
        params,
        batch -> lines(batch).forEach(line -> ids.add(new JsonObject(line).getString("id"))));
    return ids;
  }

  @Test
  @DisplayName(
      "a bad or forged until is a 400 naming until, over the bus and over HTTP; until with follow=true too")
  void badUntil() {
    String userPosition = positions(Operation.USER_STREAM, new JsonObject()).get(0);
    for (String until : List.of("garbage", userPosition, "x".repeat(5000))) {
      Problem problem = refused(Operation.VIDEO_STREAM, new JsonObject().put("until", until));
      assertEquals(400, problem.status());
      assertEquals("until", problem.errors().get(0).parameter(), problem.toString());
    }
    String metricPosition =
        positions(Operation.PERFORMANCE_STREAM, new JsonObject().put("time_range", "1h")).get(0);
    Problem follow =
        refused(
            Operation.PERFORMANCE_STREAM,
            new JsonObject()
                .put("time_range", "1h")
                .put("follow", "true")
                .put("until", metricPosition));
    assertEquals(400, follow.status());
    assertEquals("until", follow.errors().get(0).parameter());
    var http = service.get("/api/v1/videos/stream?until=garbage");
    assertEquals(400, http.statusCode());
    assertEquals(
        "until",
        http.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("parameter"));
  }

  static Problem refused(Operation op, JsonObject params) {
    return assertThrows(
            ProblemException.class,
            () -> Waits.request(client.stream(op, params, WINDOW, 0.8, 30_000)))
        .problem();
  }

  @Test
  @DisplayName("bad parameters, or a position given, fail the processing with the loader's 400")
  void badParameters() {
    for (JsonObject params :
        List.of(new JsonObject().put("status", "bogus"), new JsonObject().put("after", "x"))) {
      Problem problem =
          assertThrows(
                  ProblemException.class,
                  () ->
                      Waits.request(
                          client.processBatches(
                              Operation.VIDEO_STREAM,
                              params,
                              4,
                              batch -> Future.succeededFuture())))
              .problem();
      assertEquals(400, problem.status());
      assertEquals(params.fieldNames().iterator().next(), problem.errors().get(0).parameter());
    }
  }

  @Test
  @DisplayName(
      "a range's next batch waits for the handler's future, and the range's database cursor waits with it")
  void backpressure() {
    Map<Integer, Boolean> busy = new ConcurrentHashMap<>();
    AtomicBoolean overlapped = new AtomicBoolean();
    AtomicLong maxFetched = new AtomicLong(-1);
    AtomicInteger held = new AtomicInteger();
    Promise<Void> gate = Promise.promise();
    java.util.Map<String, Long> fetched = service.node.streams().fetched();
    Processed processed =
        Waits.request(
            client.processBatches(
                Operation.VIDEO_STREAM,
                new JsonObject(),
                2,
                batch -> {
                  if (busy.put(batch.range(), true) != null) {
                    overlapped.set(true);
                  }
                  Future<Void> handled = Future.succeededFuture();
                  if (batch.seq() == 2) {
                    // both ranges hold their third batch; a second after the later one began, look
                    // how far the cursors went
                    handled = gate.future();
                    if (held.incrementAndGet() == batch.ranges()) {
                      service.vertx.setTimer(
                          1_000,
                          t -> {
                            maxFetched.set(
                                fetched.values().stream()
                                    .mapToLong(Long::longValue)
                                    .max()
                                    .orElse(0));
                            gate.complete();
                          });
                    }
                  }
                  return handled.andThen(ar -> busy.remove(batch.range()));
                }));
    assertEquals(2, processed.ranges());
    assertEquals(service.count("SELECT count(*) FROM videos"), processed.rows());
    assertFalse(overlapped.get(), "never two batches of one range with the handler at once");
    // three batches with the handler or before it, a window on its way, a fetch in the cursor's
    // hands
    assertTrue(
        maxFetched.get() > 0 && maxFetched.get() <= (3 + WINDOW + 3) * BATCH,
        "while the handler held a batch, a range's cursor had fetched "
            + maxFetched.get()
            + " rows, of "
            + processed.rowsPerRange());
  }

  @Test
  @DisplayName(
      "a handler that fails fails the whole processing and closes every other range at once")
  void failingHandler() {
    AtomicInteger started = new AtomicInteger();
    AtomicLong activeWhenFailing = new AtomicLong(-1);
    Promise<Void> allStarted = Promise.promise();
    Future<Processed> processing =
        client.processBatches(
            Operation.VIDEO_STREAM,
            new JsonObject(),
            4,
            batch -> {
              if (batch.seq() == 0 && started.incrementAndGet() == batch.ranges()) {
                allStarted.complete();
              }
              if (batch.range() == 0) {
                // once every range is under way (the others hold their first batch and are
                // mid-cursor), fail
                return allStarted
                    .future()
                    .compose(
                        v -> {
                          activeWhenFailing.set(service.node.loaderStats("videos").activeStreams());
                          return Future.failedFuture(
                              new IllegalStateException("the handler failed"));
                        });
              }
              return Promise.promise().future(); // never done: the range waits for it
            });
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> Waits.request(processing));
    assertEquals("the handler failed", e.getMessage());
    assertEquals(4, activeWhenFailing.get(), "four ranges were open when the handler failed");
    assertTrue(
        Service.eventually(3_000, () -> service.node.loaderStats("videos").activeStreams() == 0),
        "every range closed: "
            + service.node.loaderStats("videos").activeStreams()
            + " streams still active");
    assertTrue(
        Service.eventually(
            3_000,
            () ->
                service.node.streams().fetched().isEmpty()
                    && service.count(
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sluice' "
                                + "AND state LIKE 'idle in transaction%'")
                        == 0),
        "no cursor, no open transaction left");
  }
}
