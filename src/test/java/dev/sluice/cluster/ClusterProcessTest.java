package dev.sluice.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The clustering issue's check through HTTP with real processes ({@code java …
 * dev.sluice.launcher.Main run --cluster}), all on this JVM's test database (so no child hosts a
 * PostgreSQL, and killing one orphans none): nodes G and G2 run a gateway and a monitor each, node
 * L the loaders and a monitor. A page loaded through G is a hit through G2, and an operator's clear
 * through G reaches G2. Then a second loader node L2 joins and L is killed with SIGKILL under load
 * (the survivor serves every request); then L2, the last loader, is killed (503s, a stream ends
 * with an error); then a new loader process with L's settings restores service. Every figure
 * measured is printed as a line starting {@code cluster-process:}.
 */
@EndToEnd
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName(
    "Clustered, real processes: two gateway nodes, two loader nodes killed one after the other and replaced")
class ClusterProcessTest {

  static final String SECRET = "cluster-process-test-secret";
  static final String ADMIN_TOKEN = "cluster-process-admin-token";

  /**
   * Hazelcast declares a member gone after 5 s without a heartbeat (conf/cluster.xml): 503s well
   * within this.
   */
  static final long DETECTION_BOUND_MS = 15_000;

  /** Once the loss is known, a request must not wait for anything. */
  static final long FAST_MS = 1_000;

  static final long RECOVERY_BOUND_MS = 60_000;
  static final long START_BOUND_MS = 90_000;

  /**
   * Longer than the gateway's send timeout (lazy_loading.timeout_seconds + 2 = 32 s), so a wait for
   * it shows.
   */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);

  /**
   * How long the cluster tier's put, which the reply does not wait for, may take to land
   * (ClusterCacheTest's).
   */
  static final long PUT_BOUND_MS = 2_000;

  /**
   * How soon an operator's clear must reach every node's local tier (the "within a
   * second").
   */
  static final long CLEAR_BOUND_MS = 1_000;

  /**
   * How long the load goes on once the gateway's view shows the lost member gone (NodeLossTest's
   * 1.5 s).
   */
  static final long AFTER_LOSS_MS = 1_500;

  /**
   * Numbers the pages of the node-loss load, so that no two of its requests share a cache key
   * ({@link #uncached}).
   */
  static final AtomicLong SEQUENCE = new AtomicLong();

  static final List<String> HAZELCAST_FLAGS =
      List.of(
          "--add-modules",
          "java.se",
          "--add-exports",
          "java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens",
          "java.base/java.lang=ALL-UNNAMED",
          "--add-opens",
          "java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens",
          "java.management/sun.management=ALL-UNNAMED",
          "--add-opens",
          "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  static final List<Node> nodes = new CopyOnWriteArrayList<>();
  static Path dir;
  static String clusterName;
  static int gatewayClusterPort;
  static int gateway2ClusterPort;
  static int loaderClusterPort;
  static int loader2ClusterPort;
  static int httpPort;
  static String base;
  static String base2;
  static HttpClient client;
  static Vertx vertx;
  static Pool db;
  static Node gateway;
  static Node gateway2;

  /** The first loader node L, killed while L2 serves. */
  static Node firstLoaders;

  /** The loader node killed last, when none is left: L2. */
  static Node loaders;

  static int readyBeforeLoaders;
  static long readyAfterLoaderStartMs;

  /** A cursor the killed loader node signed, for the replacement to honour. */
  static String cursorOfFirstNode;

  static long killedAt;
  static Load load;
  static Follow follow;
  static List<Probe> earlyProbes = List.of();

  @BeforeAll
  static void start() throws Exception {
    dir = Path.of("target", "cluster-process-" + ProcessHandle.current().pid()).toAbsolutePath();
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    for (String file : List.of("sluice.json", "cluster.xml")) {
      Files.copy(Path.of("conf", file), conf.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    // the cache on, with its cluster tier (the node-loss load asks pages no one asked before, see
    // uncached());
    // nothing prefetched, so that a page is one query and pg_stat_statements counts what the
    // clients asked
    Files.writeString(
        conf.resolve("zz-cluster-process.json"),
        new JsonObject()
            .put(
                "lazy_loading",
                new JsonObject().put("enable_caching", true).put("enable_prefetching", false))
            .put("database", new JsonObject().put("pool_size", 4))
            .encodePrettily());
    clusterName = "sluice-process-test-" + UUID.randomUUID();
    gatewayClusterPort = TestDatabase.freePort();
    gateway2ClusterPort = TestDatabase.freePort();
    loaderClusterPort = TestDatabase.freePort();
    loader2ClusterPort = TestDatabase.freePort();
    httpPort = TestDatabase.freePort();
    int http2Port = TestDatabase.freePort();
    base = "http://127.0.0.1:" + httpPort;
    base2 = "http://127.0.0.1:" + http2Port;
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    vertx = Vertx.vertx();
    db = TestDatabase.pool(vertx); // starts and seeds the test database first
    Runtime.getRuntime().addShutdownHook(new Thread(ClusterProcessTest::destroyAll));

    gateway = Node.start("gateway", "gateway,monitor", gatewayClusterPort, httpPort);
    long until = System.currentTimeMillis() + START_BOUND_MS;
    while (get("/health/live", Duration.ofSeconds(2)).status() != 200) {
      assertTrue(
          gateway.process.isAlive(), () -> "the gateway node died while starting\n" + logs());
      assertTrue(
          System.currentTimeMillis() < until,
          () -> "the gateway node did not answer in time\n" + logs());
      Thread.sleep(200);
    }
    readyBeforeLoaders = get("/health/ready", Duration.ofSeconds(5)).status();

    // G2 joins beside L (both join G's Hazelcast, which is up), so that the two JVM starts overlap
    // on 2 cores: the
    // time to ready below includes that contention
    long spawned = System.currentTimeMillis();
    firstLoaders =
        Node.start("loaders-1", "loaders,monitor", loaderClusterPort, TestDatabase.freePort());
    gateway2 = Node.start("gateway-2", "gateway,monitor", gateway2ClusterPort, http2Port);
    loaders = firstLoaders;
    until = spawned + START_BOUND_MS;
    while (get("/health/ready", Duration.ofSeconds(5)).status() != 200) {
      assertTrue(
          firstLoaders.process.isAlive(), () -> "the loader node died while starting\n" + logs());
      assertTrue(gateway.process.isAlive(), () -> "the gateway node died\n" + logs());
      assertTrue(
          System.currentTimeMillis() < until, () -> "never ready with the loader node\n" + logs());
      Thread.sleep(200);
    }
    readyAfterLoaderStartMs = System.currentTimeMillis() - spawned;
    System.out.println("cluster-process: ready_after_loader_start_ms=" + readyAfterLoaderStartMs);
    while (get(base2, "/health/ready", Duration.ofSeconds(5)).status() != 200) {
      assertTrue(
          gateway2.process.isAlive(),
          () -> "the second gateway node died while starting\n" + logs());
      assertTrue(
          System.currentTimeMillis() < until,
          () -> "the second gateway node never ready\n" + logs());
      Thread.sleep(200);
    }
    System.out.println(
        "cluster-process: second_gateway_ready_after_start_ms="
            + (System.currentTimeMillis() - spawned));
  }

  @AfterAll
  static void stop() throws Exception {
    if (load != null) {
      load.stop();
    }
    destroyAll();
    if (vertx != null) {
      if (db != null) {
        db.close().timeout(30, TimeUnit.SECONDS).await();
      }
      vertx.close().timeout(30, TimeUnit.SECONDS).await();
    }
  }

  private static void destroyAll() {
    for (Node node : nodes) {
      if (node.process.isAlive()) {
        try {
          node.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "readiness on the gateway node is DOWN alone and goes UP once the loader node has joined, on both "
          + "gateway nodes")
  void readyOnceLoadersJoin() {
    assertEquals(503, readyBeforeLoaders, "the gateway node alone is not ready");
    for (String on : List.of(base, base2)) {
      Reply ready = get(on, "/health/ready", Duration.ofSeconds(5));
      assertEquals(200, ready.status(), ready::body);
      assertEquals("UP", new JsonObject(ready.body()).getString("status"));
    }
  }

  @Test
  @Order(2)
  @DisplayName(
      "a cursor walk through the gateway process, served by the loader process, returns every row once")
  void cursorWalk() {
    Set<String> seen = new HashSet<>();
    int rows = 0;
    String cursor = null;
    do {
      Reply page =
          get(
              "/api/v1/users?limit=37"
                  + (cursor == null
                      ? ""
                      : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
              Duration.ofSeconds(10));
      assertEquals(200, page.status(), () -> page.body() + "\n" + logs());
      JsonObject body = new JsonObject(page.body());
      for (Object item : body.getJsonArray("data")) {
        seen.add(((JsonObject) item).getString("id"));
        rows++;
      }
      cursor = body.getString("next_cursor");
      if (cursorOfFirstNode == null) {
        cursorOfFirstNode = cursor;
      }
    } while (cursor != null);
    long expected = sql("SELECT count(*) FROM users WHERE is_active").get(0).getLong(0);
    assertEquals(expected, rows, "every row");
    assertEquals(rows, seen.size(), "once");
  }

  @Test
  @Order(3)
  @DisplayName(
      "an NDJSON stream from the loader process through the gateway process ends cleanly with every row "
          + "in order")
  void ndjsonStream() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/videos/stream"))
            .header("Accept", "application/x-ndjson")
            .timeout(Duration.ofSeconds(60))
            .build();
    // a body cut short (no last chunk) fails the read: this body was complete
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response::body);
    assertEquals(
        "application/x-ndjson", response.headers().firstValue("Content-Type").orElse(null));
    List<String> streamed =
        response
            .body()
            .lines()
            .filter(l -> !l.isBlank())
            .map(l -> new JsonObject(l).getString("id"))
            .toList();
    List<String> expected =
        sql("SELECT id::text FROM videos ORDER BY created_at DESC, id DESC").stream()
            .map(row -> row.getString(0))
            .toList();
    assertEquals(expected.size(), streamed.size(), "every row");
    assertEquals(expected, streamed, "in order, once");
  }

  @Test
  @Order(4)
  @DisplayName(
      "a page loaded through gateway G (a miss) is a hit through gateway G2, with the same body, found in the "
          + "cluster tier, and PostgreSQL ran its query once")
  void hitThroughAnotherGateway() throws Exception {
    String page = "/api/v1/users?limit=7&role=creator";
    resetStatements();
    long hitsBefore = clusterHits(base2, "users");
    Reply first = get(base, page, Duration.ofSeconds(10));
    assertEquals(200, first.status(), first::toString);
    assertTrue(
        first.cacheStatus().contains("fwd=miss"), "loaded through G: " + first.cacheStatus());
    // the put is not awaited by the reply: give it a moment to land in the map
    long asked = System.currentTimeMillis();
    Reply other;
    while (!(other = get(base2, page, Duration.ofSeconds(10))).cacheStatus().contains("hit")
        && System.currentTimeMillis() < asked + PUT_BOUND_MS) {
      Thread.sleep(50);
    }
    Reply hit = other;
    long queries = calls("FROM public.users d", "LIMIT $");
    long hits = clusterHits(base2, "users") - hitsBefore;
    System.out.println(
        "cluster-process: cache hit_through_g2_after_ms="
            + (hit.endedAt() - asked)
            + " cache_status_g=\""
            + first.cacheStatus()
            + "\" cache_status_g2=\""
            + hit.cacheStatus()
            + "\" g2_cluster_tier_hits="
            + hits
            + " postgres_queries="
            + queries);
    assertEquals(200, hit.status(), hit::toString);
    assertTrue(
        hit.cacheStatus().contains("hit"),
        () -> "a hit through G2 within " + PUT_BOUND_MS + " ms: " + hit.cacheStatus());
    assertEquals(first.body(), hit.body(), "the same body");
    assertEquals(1, hits, "found in G2's cluster tier, not loaded");
    assertEquals(1, queries, "one query for both gateways");
  }

  @Test
  @Order(5)
  @DisplayName(
      "DELETE /api/v1/cache through gateway G empties G2's local tier within a second, and the next request "
          + "through G2 is a miss")
  void clearReachesAnotherGateway() throws Exception {
    String page = "/api/v1/templates?per_page=3";
    assertEquals(200, get(base, page, Duration.ofSeconds(10)).status());
    long asked = System.currentTimeMillis();
    while (!get(base2, page, Duration.ofSeconds(10)).cacheStatus().contains("hit")
        && System.currentTimeMillis() < asked + PUT_BOUND_MS) {
      Thread.sleep(50);
    }
    long held = localEntries(base2, "templates");
    assertTrue(held > 0, "G2 holds the page: " + held);

    HttpRequest delete =
        HttpRequest.newBuilder(URI.create(base + "/api/v1/cache"))
            .DELETE()
            .header("Authorization", "Bearer " + ADMIN_TOKEN)
            .timeout(Duration.ofSeconds(10))
            .build();
    Reply cleared = send(delete);
    assertEquals(200, cleared.status(), cleared::toString);
    assertTrue(new JsonObject(cleared.body()).getBoolean("success"), cleared::body);
    long at = cleared.endedAt();
    // G2's own statistics (the top level of its /api/v1/stats is the node that answered) show its
    // local tier
    long left;
    while ((left = localEntries(base2, "templates")) > 0
        && System.currentTimeMillis() < at + CLEAR_BOUND_MS) {
      Thread.sleep(20);
    }
    long emptiedMs = System.currentTimeMillis() - at;
    Reply next = get(base2, page, Duration.ofSeconds(10));
    System.out.println(
        "cluster-process: cache clear_through_g dropped="
            + new JsonObject(cleared.body()).getLong("dropped")
            + " g2_entries_before="
            + held
            + " g2_emptied_within_ms="
            + emptiedMs
            + " next_through_g2=\""
            + next.cacheStatus()
            + "\"");
    assertEquals(0, left, "G2's local tier emptied within " + CLEAR_BOUND_MS + " ms");
    assertEquals(200, next.status(), next::toString);
    assertTrue(
        next.cacheStatus().contains("miss"),
        () -> "and the cluster tier holds it no more: " + next.cacheStatus());
  }

  @Test
  @Order(6)
  @DisplayName(
      "with a second loader process up, killing the first (SIGKILL) loses no request: every one of a "
          + "steady load through G, those in flight at the kill included, ends 200; readiness is UP again once G has seen "
          + "the loss")
  void survivorServes() throws Exception {
    long spawned = System.currentTimeMillis();
    loaders =
        Node.start("loaders-2", "loaders,monitor", loader2ClusterPort, TestDatabase.freePort());
    // both loader nodes are members with their loaders deployed, as the gateway's cluster view
    // shows
    long until = spawned + START_BOUND_MS;
    while (loaderNodes().size() < 2) {
      assertTrue(
          loaders.process.isAlive(), () -> "the second loader node died while starting\n" + logs());
      assertTrue(
          System.currentTimeMillis() < until,
          () -> "the second loader node never joined\n" + logs());
      Thread.sleep(250);
    }
    System.out.println(
        "cluster-process: second_loader_in_cluster_view_after_start_ms="
            + (System.currentTimeMillis() - spawned));
    Map<String, Long> before = loaderNodes();
    // twice the clients of the later load, so that more requests are in flight at the kill, some of
    // them on L
    Load survivorLoad = new Load(6);
    try {
      // the event bus round-robins between them: both serve some of the load before the kill
      until = System.currentTimeMillis() + 10_000;
      while (!bothServe(before)) {
        assertTrue(
            System.currentTimeMillis() < until,
            () -> "both loader nodes serve: " + before + " then " + loaderNodes() + "\n" + logs());
        Thread.sleep(200);
      }
      Thread.sleep(500);

      long killed = System.currentTimeMillis();
      firstLoaders.process.destroyForcibly();
      // readiness asked every 100 ms; G's cluster view asked one at a time (each may wait 1.5 s for
      // the dead
      // member's monitor) until it counts three members
      List<Probe> readiness = new ArrayList<>();
      List<Probe> views = new ArrayList<>();
      long lossSeen = -1;
      long windowEnd = killed + DETECTION_BOUND_MS;
      while (System.currentTimeMillis() < windowEnd) {
        readiness.add(getAsync("/health/ready"));
        if (lossSeen < 0 && (views.isEmpty() || views.get(views.size() - 1).isDone())) {
          views.add(getAsync("/api/v1/stats"));
        }
        Thread.sleep(100);
        if (lossSeen < 0) {
          lossSeen =
              views.stream()
                  .filter(Probe::isDone)
                  .map(Probe::reply)
                  .filter(
                      r ->
                          r.status() == 200
                              && new JsonObject(r.body())
                                      .getJsonObject("cluster")
                                      .getInteger("members")
                                  == 3)
                  .mapToLong(Reply::endedAt)
                  .min()
                  .orElse(-1);
          if (lossSeen > 0) {
            windowEnd = lossSeen + AFTER_LOSS_MS;
          }
        }
      }
      survivorLoad.stop();
      assertTrue(
          lossSeen > 0,
          () ->
              "G's view still had 4 members "
                  + DETECTION_BOUND_MS
                  + " ms after the kill\n"
                  + logs());
      assertTrue(
          survivorLoad.await(killed + REQUEST_TIMEOUT.toMillis() + 5_000),
          "the load's requests all ended");
      CompletableFuture.allOf(
              readiness.stream().map(Probe::future).toArray(CompletableFuture[]::new))
          .completeOnTimeout(null, 10, TimeUnit.SECONDS)
          .join();

      List<Answer> all = new ArrayList<>(survivorLoad.answers);
      List<Answer> inFlight =
          all.stream().filter(a -> a.startedAt() <= killed && a.endedAt() >= killed).toList();
      long seen = lossSeen;
      List<Answer> beforeSeen =
          all.stream().filter(a -> a.startedAt() > killed && a.startedAt() < seen).toList();
      List<Answer> afterSeen = all.stream().filter(a -> a.startedAt() >= seen).toList();
      List<Answer> sinceKill = all.stream().filter(a -> a.endedAt() >= killed).toList();
      Answer slowest =
          sinceKill.stream().max(java.util.Comparator.comparingLong(Answer::millis)).orElse(null);
      String slowestSinceKill =
          slowest == null
              ? "none"
              : slowest.millis()
                  + " ms, asked "
                  + (slowest.startedAt() - killed)
                  + " ms from the kill";
      List<String> lost =
          all.stream()
              .filter(a -> a.status() != 200)
              .map(
                  a ->
                      a.status()
                          + " asked "
                          + (a.startedAt() - killed)
                          + " ms from the kill, answered in "
                          + a.millis()
                          + " ms")
              .toList();
      long removedMs = memberRemovedAfterKillMs(firstLoaders, killed);
      List<Answer> afterRemoved =
          removedMs < 0
              ? List.of()
              : all.stream().filter(a -> a.startedAt() >= killed + removedMs).toList();
      System.out.println(
          "cluster-process: survivor requests="
              + all.size()
              + " "
              + describe(all)
              + " in_flight_at_kill="
              + inFlight.size()
              + " "
              + describe(inFlight)
              + " asked_before_loss_seen="
              + beforeSeen.size()
              + " "
              + describe(beforeSeen)
              + " asked_after_loss_seen="
              + afterSeen.size()
              + " "
              + describe(afterSeen)
              + " asked_after_member_removed="
              + afterRemoved.size()
              + " "
              + describe(afterRemoved)
              + " slowest_since_kill=["
              + slowestSinceKill
              + "] lost="
              + lost);
      System.out.println(
          "cluster-process: survivor hazelcast_member_removed_after_kill_ms="
              + removedMs
              + " loss_seen_in_g_stats_after_kill_ms="
              + (seen - killed));
      List<Reply> ready = readiness.stream().filter(Probe::isDone).map(Probe::reply).toList();
      List<Reply> notUp = ready.stream().filter(r -> r.status() != 200).toList();
      System.out.println(
          "cluster-process: survivor readiness probes="
              + readiness.size()
              + " statuses="
              + statuses(ready)
              + " max_ms="
              + ready.stream().mapToLong(Reply::millis).max().orElse(-1)
              + " not_up(asked_ms_from_kill:status:answered_in_ms)="
              + notUp.stream()
                  .map(r -> (r.startedAt() - killed) + ":" + r.status() + ":" + r.millis())
                  .toList()
              + " last_not_up_answered_after_kill_ms="
              + notUp.stream().mapToLong(r -> r.endedAt() - killed).max().orElse(-1));

      assertEquals(List.of(), lost, () -> lost.size() + " requests lost\n" + logs());
      assertFalse(inFlight.isEmpty(), "requests were in flight at the kill");
      assertFalse(afterSeen.isEmpty(), "requests after the loss was seen");
      assertEquals(readiness.size(), ready.size(), "every readiness probe answered");
      // Readiness pings each family's loaders within a 1.5 s ask timeout; pings are sent again on
      // the loss as pages
      // are, but a ping asked at the kill may reach the dead node with its first copy and with the
      // first wave too
      // (Vert.x still routes to it for a moment), and then its time is up: that probe says DOWN
      // although every page
      // was served. What holds: only probes asked before G's view counted the loss are DOWN, and
      // every later one UP.
      for (Reply down : notUp) {
        assertTrue(
            down.startedAt() < seen, () -> "DOWN only if asked before the loss was seen: " + down);
        assertEquals(503, down.status(), down::toString);
        assertTrue(
            down.body().contains("loader timeout"),
            () -> "a ping that went to the dead node: " + down);
      }
      List<Reply> upAfter = ready.stream().filter(r -> r.startedAt() >= seen).toList();
      assertTrue(upAfter.size() >= 5, "readiness asked after the loss was seen: " + upAfter.size());
      upAfter.forEach(r -> assertEquals(200, r.status(), () -> "UP once the loss is seen: " + r));
    } finally {
      survivorLoad.stop();
    }
  }

  @Test
  @Order(7)
  @DisplayName(
      "the last loader node killed (SIGKILL): pages turn 503 problems within the detection bound, each new "
          + "one answered at once, and readiness goes DOWN")
  void loaderNodeKilled() throws Exception {
    load = new Load(3);
    follow = new Follow("/api/v1/analytics/performance/stream?follow=true&time_range=7d");
    assertEquals(200, follow.status.get(10, TimeUnit.SECONDS), "the following stream opened");
    Thread.sleep(1_000);
    assertTrue(
        load.answers.stream().anyMatch(a -> a.status() == 200),
        "the load is served before the kill");

    assertFalse(
        firstLoaders.process.isAlive(), "the first loader node is gone: the second is the last");
    killedAt = System.currentTimeMillis();
    loaders.process.destroyForcibly();
    // a new request every 100 ms, each on its own: one that hangs does not hold up the next
    List<Probe> probes = new ArrayList<>();
    List<Probe> readiness = new ArrayList<>();
    long firstUnavailableAt = -1;
    long windowEnd = killedAt + DETECTION_BOUND_MS;
    while (System.currentTimeMillis() < windowEnd) {
      probes.add(getAsync(uncached()));
      if (probes.size() % 5 == 1) {
        readiness.add(getAsync("/health/ready"));
      }
      Thread.sleep(100);
      if (firstUnavailableAt < 0) {
        firstUnavailableAt =
            probes.stream()
                .filter(Probe::isDone)
                .map(Probe::reply)
                .filter(r -> r.status() == 503)
                .mapToLong(Reply::endedAt)
                .min()
                .orElse(-1);
        if (firstUnavailableAt > 0) {
          // on long enough to cover Hazelcast's removal of the member (5 s), and 3 s past the first
          // 503
          windowEnd = Math.max(killedAt + 8_000, firstUnavailableAt + 3_000);
        }
      }
    }
    load.stop(); // requests of the load still out are judged later (loadInFlight)
    assertTrue(
        firstUnavailableAt > 0,
        () ->
            "no 503 within "
                + DETECTION_BOUND_MS
                + " ms of the kill; probes: "
                + summary(probes)
                + "\n"
                + logs());
    long toFirst503 = firstUnavailableAt - killedAt;
    System.out.println("cluster-process: first_503_after_kill_ms=" + toFirst503);

    long detected = firstUnavailableAt;
    earlyProbes = probes.stream().filter(p -> p.startedAt() < detected).toList();
    System.out.println(
        "cluster-process: hazelcast_member_removed_after_kill_ms="
            + memberRemovedAfterKillMs(loaders, killedAt));
    List<Probe> after = probes.stream().filter(p -> p.startedAt() >= detected).toList();
    // every probe asked after the first 503 must have been answered within FAST_MS of being asked
    CompletableFuture.allOf(after.stream().map(Probe::future).toArray(CompletableFuture[]::new))
        .completeOnTimeout(null, FAST_MS * 2, TimeUnit.MILLISECONDS)
        .join();
    List<Reply> answered = after.stream().filter(Probe::isDone).map(Probe::reply).toList();
    long stillOut = after.size() - answered.size();
    long maxMs = answered.stream().mapToLong(Reply::millis).max().orElse(-1);
    List<Long> sorted = answered.stream().map(Reply::millis).sorted().toList();
    System.out.println(
        "cluster-process: after_first_503 requests="
            + answered.size()
            + " still_out="
            + stillOut
            + " statuses="
            + statuses(answered)
            + " median_ms="
            + (sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2))
            + " max_ms="
            + maxMs);
    assertEquals(
        0,
        stillOut,
        () ->
            "requests asked after the first 503 still unanswered after "
                + FAST_MS * 2
                + " ms\n"
                + logs());
    assertTrue(answered.size() >= 20, "enough requests after the first 503: " + answered.size());
    for (Reply reply : answered) {
      assertEquals(503, reply.status(), () -> "once the loss is known: " + reply + "\n" + logs());
      assertTrue(reply.contentType().startsWith("application/problem+json"), reply::toString);
      assertTrue(reply.millis() < FAST_MS, () -> "answered at once: " + reply);
    }

    // readiness was asked every 500 ms from the kill on, alongside the pages
    Reply down =
        readiness.stream()
            .filter(Probe::isDone)
            .map(Probe::reply)
            .filter(r -> r.status() == 503)
            .min(java.util.Comparator.comparingLong(Reply::endedAt))
            .orElse(null);
    long until = killedAt + DETECTION_BOUND_MS + 5_000;
    while (down == null && System.currentTimeMillis() < until) {
      Reply ready = get("/health/ready", Duration.ofSeconds(5));
      if (ready.status() == 503) {
        down = ready;
      } else {
        Thread.sleep(200);
      }
    }
    assertNotNull(down, () -> "readiness DOWN without the loader node\n" + logs());
    assertEquals("DOWN", new JsonObject(down.body()).getString("status"));
    System.out.println("cluster-process: ready_down_after_kill_ms=" + (down.endedAt() - killedAt));
    assertTrue(
        down.endedAt() - killedAt < DETECTION_BOUND_MS,
        "readiness DOWN after " + (down.endedAt() - killedAt) + " ms");
  }

  /**
   * When the gateway node's Hazelcast removed {@code killed}'s member, by its log's clock, after
   * {@code at} (epoch millis); -1 if not found.
   */
  private static long memberRemovedAfterKillMs(Node killed, long at) {
    try (Stream<String> lines = Files.lines(gateway.log())) {
      String marker = "Removing Member [127.0.0.1]:" + killed.clusterPort();
      return lines
          .filter(l -> l.contains(marker))
          .findFirst()
          .map(l -> java.time.LocalTime.parse(l.substring(0, 12)))
          .map(
              removed ->
                  java.time.Duration.between(
                          java.time.Instant.ofEpochMilli(at)
                              .atZone(java.time.ZoneId.systemDefault())
                              .toLocalTime(),
                          removed)
                      .toMillis())
          .orElse(-1L);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Test
  @Order(8)
  @DisplayName(
      "a new loader process with the same settings restores pages and readiness on its own, and honours a "
          + "cursor the killed one signed")
  void newLoaderNodeRestores() throws Exception {
    assertNotNull(cursorOfFirstNode, "the cursor walk ran first");
    assertFalse(
        firstLoaders.process.isAlive() || loaders.process.isAlive(), "both loader nodes are gone");
    long spawned = System.currentTimeMillis();
    // the first loader node's settings, its cluster port included
    Node replacement =
        Node.start("loaders-3", "loaders,monitor", loaderClusterPort, TestDatabase.freePort());
    long until = spawned + RECOVERY_BOUND_MS;
    Reply page;
    // pages never asked before: a 200 is a loader's, not the cache's
    while ((page = get(uncached(), Duration.ofSeconds(5))).status() != 200
        && System.currentTimeMillis() < until) {
      assertTrue(
          replacement.process.isAlive(),
          () -> "the new loader node died while starting\n" + logs());
      Thread.sleep(250);
    }
    Reply first = page;
    assertEquals(
        200,
        first.status(),
        () -> "pages again within " + RECOVERY_BOUND_MS + " ms: " + first + "\n" + logs());
    long recoveredMs = first.endedAt() - spawned;
    System.out.println(
        "cluster-process: pages_200_after_new_loader_start_ms="
            + recoveredMs
            + " after_kill_ms="
            + (first.endedAt() - killedAt));
    Reply ready;
    long readyUntil = System.currentTimeMillis() + 20_000;
    while ((ready = get("/health/ready", Duration.ofSeconds(5))).status() != 200
        && System.currentTimeMillis() < readyUntil) {
      Thread.sleep(200);
    }
    Reply up = ready;
    assertEquals(200, up.status(), () -> "ready again: " + up.body());
    System.out.println(
        "cluster-process: ready_up_after_new_loader_start_ms=" + (up.endedAt() - spawned));
    // another limit than the walk's (a cursor binds filters and sort, not the limit): a page the
    // cache never held,
    // so the new loader node decodes the cursor itself
    Reply resumed =
        get(
            "/api/v1/users?limit=36&cursor="
                + URLEncoder.encode(cursorOfFirstNode, StandardCharsets.UTF_8),
            Duration.ofSeconds(10));
    assertEquals(200, resumed.status(), () -> "a cursor of the killed node: " + resumed.body());
    assertTrue(
        resumed.cacheStatus().contains("miss"),
        "loaded, not from the cache: " + resumed.cacheStatus());
  }

  @Test
  @Order(9)
  @DisplayName(
      "requests in flight when the loader node died end 200 or 503 within the detection bound, none "
          + "waits for the send timeout")
  void loadInFlight() throws Exception {
    assertNotNull(load, "the kill ran first");
    assertTrue(
        load.await(killedAt + REQUEST_TIMEOUT.toMillis() + 5_000), "the load's requests all ended");
    List<Answer> all = new ArrayList<>(load.answers);
    List<Answer> inFlight =
        all.stream().filter(a -> a.startedAt() <= killedAt && a.endedAt() >= killedAt).toList();
    List<Answer> afterKill = all.stream().filter(a -> a.startedAt() > killedAt).toList();
    // the probes asked between the kill and the first 503
    CompletableFuture.allOf(
            earlyProbes.stream().map(Probe::future).toArray(CompletableFuture[]::new))
        .completeOnTimeout(
            null,
            Math.max(1, killedAt + REQUEST_TIMEOUT.toMillis() + 5_000 - System.currentTimeMillis()),
            TimeUnit.MILLISECONDS)
        .join();
    List<Answer> early =
        earlyProbes.stream()
            .map(
                p ->
                    p.isDone()
                        ? p.reply()
                        : new Reply(
                            p.startedAt(), System.currentTimeMillis(), -1, "", "", "unanswered"))
            .map(r -> new Answer(r.startedAt(), r.endedAt(), r.status()))
            .toList();
    System.out.println(
        "cluster-process: load in_flight_at_kill="
            + inFlight.size()
            + " "
            + describe(inFlight)
            + " asked_after_kill="
            + afterKill.size()
            + " "
            + describe(afterKill)
            + "; probes_before_first_503="
            + early.size()
            + " "
            + describe(early));
    List<Answer> bad =
        Stream.concat(all.stream().filter(a -> a.endedAt() >= killedAt), early.stream())
            .filter(a -> a.status() != 200 && a.status() != 503 || a.millis() >= DETECTION_BOUND_MS)
            .toList();
    assertEquals(
        List.of(),
        bad,
        () -> "every request answered 200 or 503 within " + DETECTION_BOUND_MS + " ms");
  }

  @Test
  @Order(10)
  @DisplayName(
      "an SSE stream open when the loader node died ends with an error event within the detection bound")
  void streamInFlight() throws Exception {
    assertNotNull(follow, "the kill ran first");
    try {
      follow.done.get(
          Math.max(1, killedAt + REQUEST_TIMEOUT.toMillis() - System.currentTimeMillis()),
          TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      fail(
          "the stream was still open "
              + REQUEST_TIMEOUT.toSeconds()
              + " s after the kill; last lines: "
              + follow.last(6));
    }
    long endedMs = follow.endedAt - killedAt;
    int error = follow.lines.indexOf("event: error");
    System.out.println(
        "cluster-process: stream_ended_after_kill_ms="
            + endedMs
            + " how="
            + (follow.cut != null
                ? "cut"
                : error >= 0 ? "error-event " + follow.lines.get(error + 1) : "clean-end"));
    assertTrue(
        follow.lines.contains("event: error"),
        () -> "an error event; cut=" + follow.cut + " last lines: " + follow.last(6));
    assertTrue(endedMs < DETECTION_BOUND_MS, "ended " + endedMs + " ms after the kill");
  }

  // --- the processes ---

  /** A child JVM running the service clustered, its output in {@code <dir>/<name>.log}. */
  record Node(String name, Process process, Path log, int clusterPort) {

    static Node start(String name, String role, int clusterPort, int httpPort) throws IOException {
      Path log = dir.resolve(name + ".log");
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
      command.addAll(HAZELCAST_FLAGS);
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              "dev.sluice.launcher.Main",
              "run",
              "--cluster"));
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(key -> key.startsWith("SLUICE_"));
      env.put("SLUICE_CONF_DIR", dir.resolve("conf").toString());
      env.put("SLUICE_DATABASE_URL", TestDatabase.url());
      env.put("SLUICE_CURSOR_SECRET", SECRET);
      env.put("SLUICE_ADMIN_TOKEN", ADMIN_TOKEN);
      env.put("SLUICE_CLUSTER_NAME", clusterName);
      env.put("SLUICE_CLUSTER_HOST", "127.0.0.1");
      env.put("SLUICE_CLUSTER_PORT", Integer.toString(clusterPort));
      env.put(
          "SLUICE_CLUSTER_MEMBERS",
          Stream.of(gatewayClusterPort, gateway2ClusterPort, loaderClusterPort, loader2ClusterPort)
              .map(port -> "127.0.0.1:" + port)
              .collect(Collectors.joining(",")));
      env.put("SLUICE_ROLE", role);
      env.put("SLUICE_HTTP_HOST", "127.0.0.1");
      env.put("SLUICE_HTTP_PORT", Integer.toString(httpPort));
      Node node = new Node(name, builder.start(), log, clusterPort);
      nodes.add(node);
      return node;
    }

    String tail(int lines) {
      try {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
      } catch (IOException | UncheckedIOException e) {
        return e.toString();
      }
    }
  }

  /** The last lines of every node's log, for a failure message. */
  static String logs() {
    return nodes.stream()
        .map(
            n ->
                "--- "
                    + n.name()
                    + " ("
                    + (n.process().isAlive() ? "alive" : "exited")
                    + ", "
                    + n.log()
                    + ") ---\n"
                    + n.tail(25))
        .collect(Collectors.joining("\n"));
  }

  // --- HTTP ---

  record Reply(
      long startedAt,
      long endedAt,
      int status,
      String contentType,
      String cacheStatus,
      String body) {
    static Reply failed(long startedAt, Throwable failure) {
      return new Reply(startedAt, System.currentTimeMillis(), -1, "", "", failure.toString());
    }

    long millis() {
      return endedAt - startedAt;
    }

    @Override
    public String toString() {
      return status
          + " in "
          + millis()
          + " ms "
          + (cacheStatus.isEmpty() ? "" : "(" + cacheStatus + ") ")
          + (body.length() > 300 ? body.substring(0, 300) : body);
    }
  }

  static HttpRequest request(String on, String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(on + path)).timeout(timeout).build();
  }

  static Reply reply(long started, HttpResponse<String> response) {
    return new Reply(
        started,
        System.currentTimeMillis(),
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.headers().firstValue("Cache-Status").orElse(""),
        response.body());
  }

  /** A GET through gateway G. */
  static Reply get(String path, Duration timeout) {
    return get(base, path, timeout);
  }

  /** A GET through the gateway at {@code on}. */
  static Reply get(String on, String path, Duration timeout) {
    return send(request(on, path, timeout));
  }

  /**
   * A request, waited for; a failure to connect or a timeout is status -1 with the reason as body.
   */
  static Reply send(HttpRequest request) {
    long started = System.currentTimeMillis();
    try {
      return reply(started, client.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Reply.failed(started, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Reply.failed(started, e);
    }
  }

  /**
   * A page of the node-loss load that no request asked before. With the cache on, a page asked
   * twice may be answered by the gateway from its cache (local or cluster tier) with no loader at
   * all, which would hide a lost loader; so the load asks pages whose number grows with every
   * request: each its own cache key, each a miss that goes through the whole cached path (the
   * gateway's lookup in both tiers, the loader's lease and put on the cluster map, while a
   * Hazelcast member dies) to a loader. Setting {@code max_entries} 0 for the load's families would
   * have bypassed the cache altogether, the case caching off already showed. Pages past the end are
   * empty, and still loaded.
   */
  static String uncached() {
    long n = SEQUENCE.getAndIncrement();
    long page = 1 + n / 3;
    return switch ((int) (n % 3)) {
      case 0 -> "/api/v1/videos/popular?per_page=5&page=" + page;
      case 1 -> "/api/v1/templates?per_page=5&page=" + page;
      default -> "/api/v1/users/range?start_index=" + page + "&end_index=" + (page + 5);
    };
  }

  /** A GET on its own, asked at {@code startedAt}. */
  record Probe(long startedAt, CompletableFuture<Reply> future) {
    boolean isDone() {
      return future.isDone();
    }

    Reply reply() {
      return future.join();
    }
  }

  static Probe getAsync(String path) {
    long started = System.currentTimeMillis();
    return new Probe(
        started,
        client
            .sendAsync(request(base, path, REQUEST_TIMEOUT), HttpResponse.BodyHandlers.ofString())
            .handle(
                (response, failure) ->
                    failure == null ? reply(started, response) : Reply.failed(started, failure)));
  }

  static String summary(List<Probe> probes) {
    List<Reply> done = probes.stream().filter(Probe::isDone).map(Probe::reply).toList();
    return done.size()
        + " answered "
        + statuses(done)
        + ", "
        + (probes.size() - done.size())
        + " still out";
  }

  static Map<Integer, Long> statuses(List<Reply> replies) {
    return replies.stream()
        .collect(Collectors.groupingBy(Reply::status, TreeMap::new, Collectors.counting()));
  }

  /** A request of the load: when it was asked, when answered, with what. */
  record Answer(long startedAt, long endedAt, int status) {
    long millis() {
      return endedAt - startedAt;
    }

    @Override
    public String toString() {
      return status
          + " asked "
          + (startedAt - killedAt)
          + " ms from the kill, answered in "
          + millis()
          + " ms";
    }
  }

  static String describe(List<Answer> answers) {
    return "statuses="
        + answers.stream()
            .collect(Collectors.groupingBy(Answer::status, TreeMap::new, Collectors.counting()))
        + " max_ms="
        + answers.stream().mapToLong(Answer::millis).max().orElse(-1);
  }

  /**
   * A steady load: {@code users} clients, each asking its next page ({@link #uncached}) once the
   * last was answered, until stopped.
   */
  static final class Load {
    final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    final List<Thread> threads = new ArrayList<>();
    volatile boolean running = true;

    Load(int users) {
      for (int u = 0; u < users; u++) {
        Thread thread =
            new Thread(
                () -> {
                  while (running) {
                    Reply reply = get(uncached(), REQUEST_TIMEOUT);
                    answers.add(new Answer(reply.startedAt(), reply.endedAt(), reply.status()));
                  }
                },
                "cluster-process-load-" + u);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
    }

    void stop() {
      running = false;
    }

    /** Waits for every client's last request, at most until {@code deadline} (epoch millis). */
    boolean await(long deadline) throws InterruptedException {
      for (Thread thread : threads) {
        thread.join(Math.max(1, deadline - System.currentTimeMillis()));
      }
      return threads.stream().noneMatch(Thread::isAlive);
    }
  }

  /** An SSE stream read as it comes; {@link #done} completes when it ends, cleanly or cut. */
  static final class Follow {
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Integer> status = new CompletableFuture<>();
    final CompletableFuture<Void> done;
    volatile long endedAt;
    volatile String cut;

    Follow(String path) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Accept", "text/event-stream")
              .build();
      done =
          client
              .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
              .handle(
                  (response, failure) -> {
                    if (failure != null) {
                      status.complete(-1);
                      cut = failure.toString();
                    } else {
                      status.complete(response.statusCode());
                      try (Stream<String> body = response.body()) {
                        body.forEach(lines::add);
                      } catch (UncheckedIOException e) {
                        cut = e.toString();
                      }
                    }
                    endedAt = System.currentTimeMillis();
                    return null;
                  });
    }

    String last(int n) {
      synchronized (lines) {
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
      }
    }
  }

  // --- PostgreSQL, straight ---

  static List<Row> sql(String sql) {
    List<Row> rows = new ArrayList<>();
    db.query(sql).execute().timeout(30, TimeUnit.SECONDS).await().forEach(rows::add);
    return rows;
  }

  /**
   * Forgets PostgreSQL's statement statistics (every process's), so that {@link #calls} counts from
   * now.
   */
  static void resetStatements() {
    sql("SELECT pg_stat_statements_reset()");
  }

  /**
   * How many times statements whose text contains every one of {@code fragments} ran since the last
   * reset.
   */
  static long calls(String... fragments) {
    StringBuilder where =
        new StringBuilder(
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE "
                + "query NOT LIKE '%pg_stat_statements%'");
    for (int i = 0; i < fragments.length; i++) {
      where.append(" AND strpos(query, $").append(i + 1).append(") > 0");
    }
    return db.preparedQuery(where.toString())
        .execute(Tuple.from(List.of((Object[]) fragments)))
        .timeout(30, TimeUnit.SECONDS)
        .await()
        .iterator()
        .next()
        .getLong(0);
  }

  // --- the cluster's views, through HTTP

  /**
   * {@code /api/v1/stats} through the gateway at {@code on}: its top level is that node's own
   * figures.
   */
  static JsonObject stats(String on) {
    Reply reply = get(on, "/api/v1/stats", Duration.ofSeconds(10));
    assertEquals(200, reply.status(), reply::toString);
    JsonObject stats = new JsonObject(reply.body());
    JsonObject cluster = stats.getJsonObject("cluster");
    assertEquals(
        cluster.getString("node"),
        cluster.getString("top_level_from"),
        "the figures of the node asked");
    return stats;
  }

  /** The hits of {@code family}'s lookups in the cluster tier, on the node at {@code on}. */
  static long clusterHits(String on, String family) {
    return stats(on)
        .getJsonObject("loaders")
        .getJsonObject(family)
        .getJsonObject("cache_stats")
        .getJsonObject("cluster")
        .getLong("hits");
  }

  /** How many entries of {@code family} the local tier of the node at {@code on} holds. */
  static long localEntries(String on, String family) {
    return stats(on)
        .getJsonObject("loaders")
        .getJsonObject(family)
        .getJsonObject("cache_stats")
        .getLong("size");
  }

  /**
   * The loader nodes in G's cluster view that answered, by node id, with the loads each ran (all
   * families).
   */
  static Map<String, Long> loaderNodes() {
    Map<String, Long> loads = new TreeMap<>();
    for (Object item : stats(base).getJsonObject("cluster").getJsonArray("nodes")) {
      JsonObject node = (JsonObject) item;
      if ("up".equals(node.getString("status"))
          && node.getJsonArray("roles").contains("loaders")
          && !node.getJsonArray("loaders").isEmpty()) {
        loads.put(
            node.getString("id"),
            node.getJsonObject("stats").getJsonObject("loaders").stream()
                .mapToLong(e -> ((JsonObject) e.getValue()).getLong("batch_operations"))
                .sum());
      }
    }
    return loads;
  }

  /** Whether two loader nodes each ran loads since {@code before}. */
  static boolean bothServe(Map<String, Long> before) {
    Map<String, Long> now = loaderNodes();
    return now.size() == 2
        && now.entrySet().stream()
            .allMatch(e -> e.getValue() > before.getOrDefault(e.getKey(), 0L));
  }
}
