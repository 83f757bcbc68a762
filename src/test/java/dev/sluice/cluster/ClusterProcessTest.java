package dev.sluice.cluster;

import dev.sluice.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The clustering issue's check through HTTP with two real processes ({@code java … dev.sluice.launcher.Main run
 * --cluster}): node G runs the gateway and a monitor, node L the loaders and a monitor, both on this JVM's test
 * database (so no child hosts a PostgreSQL, and killing one orphans none). L is killed with SIGKILL, then replaced by
 * a new process with the same settings. Every figure measured is printed as a line starting {@code cluster-process:}.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Clustered, two real processes: a gateway node, a loader node killed and replaced")
class ClusterProcessTest {

  static final String SECRET = "cluster-process-test-secret";
  /** Hazelcast declares a member gone after 5 s without a heartbeat (conf/cluster.xml): 503s well within this. */
  static final long DETECTION_BOUND_MS = 15_000;
  /** Once the loss is known, a request must not wait for anything. */
  static final long FAST_MS = 1_000;
  static final long RECOVERY_BOUND_MS = 60_000;
  static final long START_BOUND_MS = 90_000;
  /** Longer than the gateway's send timeout (lazy_loading.timeout_seconds + 2 = 32 s), so a wait for it shows. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);
  static final String PAGE = "/api/v1/videos?limit=5";
  static final List<String> LOAD_PATHS = List.of("/api/v1/users?limit=5", "/api/v1/videos?limit=5",
    "/api/v1/templates?limit=5", "/api/v1/analytics/errors?limit=5", "/api/v1/videos/popular?limit=5");
  static final List<String> HAZELCAST_FLAGS = List.of("--add-modules", "java.se",
    "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED",
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  static final List<Node> nodes = new CopyOnWriteArrayList<>();
  static Path dir;
  static String clusterName;
  static int gatewayClusterPort;
  static int loaderClusterPort;
  static int httpPort;
  static String base;
  static HttpClient client;
  static Vertx vertx;
  static Pool db;
  static Node gateway;
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
    // nothing cached on the gateway: every page after the kill really asks a loader
    Files.writeString(conf.resolve("zz-cluster-process.json"), new JsonObject()
      .put("lazy_loading", new JsonObject().put("enable_caching", false))
      .put("database", new JsonObject().put("pool_size", 4)).encodePrettily());
    clusterName = "sluice-process-test-" + UUID.randomUUID();
    gatewayClusterPort = TestDatabase.freePort();
    loaderClusterPort = TestDatabase.freePort();
    httpPort = TestDatabase.freePort();
    base = "http://127.0.0.1:" + httpPort;
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
      .build();
    vertx = Vertx.vertx();
    db = TestDatabase.pool(vertx); // starts and seeds the test database first
    Runtime.getRuntime().addShutdownHook(new Thread(ClusterProcessTest::destroyAll));

    gateway = Node.start("gateway", "gateway,monitor", gatewayClusterPort, httpPort);
    long until = System.currentTimeMillis() + START_BOUND_MS;
    while (get("/health/live", Duration.ofSeconds(2)).status() != 200) {
      assertTrue(gateway.process.isAlive(), () -> "the gateway node died while starting\n" + logs());
      assertTrue(System.currentTimeMillis() < until, () -> "the gateway node did not answer in time\n" + logs());
      Thread.sleep(200);
    }
    readyBeforeLoaders = get("/health/ready", Duration.ofSeconds(5)).status();

    long spawned = System.currentTimeMillis();
    loaders = Node.start("loaders-1", "loaders,monitor", loaderClusterPort, TestDatabase.freePort());
    until = spawned + START_BOUND_MS;
    while (get("/health/ready", Duration.ofSeconds(5)).status() != 200) {
      assertTrue(loaders.process.isAlive(), () -> "the loader node died while starting\n" + logs());
      assertTrue(gateway.process.isAlive(), () -> "the gateway node died\n" + logs());
      assertTrue(System.currentTimeMillis() < until, () -> "never ready with the loader node\n" + logs());
      Thread.sleep(200);
    }
    readyAfterLoaderStartMs = System.currentTimeMillis() - spawned;
    System.out.println("cluster-process: ready_after_loader_start_ms=" + readyAfterLoaderStartMs);
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
  @DisplayName("readiness on the gateway node is DOWN alone and goes UP once the loader node has joined")
  void readyOnceLoadersJoin() {
    assertEquals(503, readyBeforeLoaders, "the gateway node alone is not ready");
    assertTrue(readyAfterLoaderStartMs < START_BOUND_MS, "ready in " + readyAfterLoaderStartMs + " ms");
    Reply ready = get("/health/ready", Duration.ofSeconds(5));
    assertEquals(200, ready.status(), ready::body);
    assertEquals("UP", new JsonObject(ready.body()).getString("status"));
  }

  @Test
  @Order(2)
  @DisplayName("a cursor walk through the gateway process, served by the loader process, returns every row once")
  void cursorWalk() {
    Set<String> seen = new HashSet<>();
    int rows = 0;
    String cursor = null;
    do {
      Reply page = get("/api/v1/users?limit=37" + (cursor == null ? "" : "&cursor="
        + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), Duration.ofSeconds(10));
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
  @DisplayName("an NDJSON stream from the loader process through the gateway process ends cleanly with every row "
    + "in order")
  void ndjsonStream() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/videos/stream"))
      .header("Accept", "application/x-ndjson").timeout(Duration.ofSeconds(60)).build();
    // a body cut short (no last chunk) fails the read: this body was complete
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response::body);
    assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse(null));
    List<String> streamed = response.body().lines().filter(l -> !l.isBlank())
      .map(l -> new JsonObject(l).getString("id")).toList();
    List<String> expected = sql("SELECT id::text FROM videos ORDER BY created_at DESC, id DESC").stream()
      .map(row -> row.getString(0)).toList();
    assertEquals(expected.size(), streamed.size(), "every row");
    assertEquals(expected, streamed, "in order, once");
  }

  @Test
  @Order(4)
  @DisplayName("the loader node killed (SIGKILL): pages turn 503 problems within the detection bound, each new one "
    + "answered at once, and readiness goes DOWN")
  void loaderNodeKilled() throws Exception {
    load = new Load(3);
    follow = new Follow("/api/v1/analytics/performance/stream?follow=true&time_range=7d");
    assertEquals(200, follow.status.get(10, TimeUnit.SECONDS), "the following stream opened");
    Thread.sleep(1_000);
    assertTrue(load.answers.stream().anyMatch(a -> a.status() == 200), "the load is served before the kill");

    killedAt = System.currentTimeMillis();
    loaders.process.destroyForcibly();
    // a new request every 100 ms, each on its own: one that hangs does not hold up the next
    List<Probe> probes = new ArrayList<>();
    List<Probe> readiness = new ArrayList<>();
    long firstUnavailableAt = -1;
    long windowEnd = killedAt + DETECTION_BOUND_MS;
    while (System.currentTimeMillis() < windowEnd) {
      probes.add(getAsync(PAGE));
      if (probes.size() % 5 == 1) {
        readiness.add(getAsync("/health/ready"));
      }
      Thread.sleep(100);
      if (firstUnavailableAt < 0) {
        firstUnavailableAt = probes.stream().filter(Probe::isDone).map(Probe::reply)
          .filter(r -> r.status() == 503).mapToLong(Reply::endedAt).min().orElse(-1);
        if (firstUnavailableAt > 0) {
          // on long enough to cover Hazelcast's removal of the member (5 s), and 3 s past the first 503
          windowEnd = Math.max(killedAt + 8_000, firstUnavailableAt + 3_000);
        }
      }
    }
    load.stop(); // requests of the load still out are judged later (loadInFlight)
    assertTrue(firstUnavailableAt > 0, () -> "no 503 within " + DETECTION_BOUND_MS + " ms of the kill; probes: "
      + summary(probes) + "\n" + logs());
    long toFirst503 = firstUnavailableAt - killedAt;
    System.out.println("cluster-process: first_503_after_kill_ms=" + toFirst503);

    long detected = firstUnavailableAt;
    earlyProbes = probes.stream().filter(p -> p.startedAt() < detected).toList();
    System.out.println("cluster-process: hazelcast_member_removed_after_kill_ms=" + memberRemovedAfterKillMs());
    List<Probe> after = probes.stream().filter(p -> p.startedAt() >= detected).toList();
    // every probe asked after the first 503 must have been answered within FAST_MS of being asked
    CompletableFuture.allOf(after.stream().map(Probe::future).toArray(CompletableFuture[]::new))
      .completeOnTimeout(null, FAST_MS * 2, TimeUnit.MILLISECONDS).join();
    List<Reply> answered = after.stream().filter(Probe::isDone).map(Probe::reply).toList();
    long stillOut = after.size() - answered.size();
    long maxMs = answered.stream().mapToLong(Reply::millis).max().orElse(-1);
    List<Long> sorted = answered.stream().map(Reply::millis).sorted().toList();
    System.out.println("cluster-process: after_first_503 requests=" + answered.size() + " still_out=" + stillOut
      + " statuses=" + statuses(answered) + " median_ms=" + (sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2))
      + " max_ms=" + maxMs);
    assertEquals(0, stillOut, () -> "requests asked after the first 503 still unanswered after " + FAST_MS * 2
      + " ms\n" + logs());
    assertTrue(answered.size() >= 20, "enough requests after the first 503: " + answered.size());
    for (Reply reply : answered) {
      assertEquals(503, reply.status(), () -> "once the loss is known: " + reply + "\n" + logs());
      assertTrue(reply.contentType().startsWith("application/problem+json"), reply::toString);
      assertTrue(reply.millis() < FAST_MS, () -> "answered at once: " + reply);
    }
    assertTrue(toFirst503 < DETECTION_BOUND_MS, "first 503 after " + toFirst503 + " ms");

    // readiness was asked every 500 ms from the kill on, alongside the pages
    Reply down = readiness.stream().filter(Probe::isDone).map(Probe::reply).filter(r -> r.status() == 503)
      .min(java.util.Comparator.comparingLong(Reply::endedAt)).orElse(null);
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
    assertTrue(down.endedAt() - killedAt < DETECTION_BOUND_MS, "readiness DOWN after "
      + (down.endedAt() - killedAt) + " ms");
  }

  /** When the gateway node's Hazelcast removed the killed member, by its log's clock; -1 if not found. */
  private static long memberRemovedAfterKillMs() {
    try (Stream<String> lines = Files.lines(gateway.log())) {
      String marker = "Removing Member [127.0.0.1]:" + loaderClusterPort;
      return lines.filter(l -> l.contains(marker)).findFirst().map(l -> java.time.LocalTime.parse(l.substring(0,
          12))).map(at -> java.time.Duration.between(java.time.Instant.ofEpochMilli(killedAt)
          .atZone(java.time.ZoneId.systemDefault()).toLocalTime(), at).toMillis()).orElse(-1L);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  @Test
  @Order(5)
  @DisplayName("a new loader process with the same settings restores pages and readiness on its own, and honours a "
    + "cursor the killed one signed")
  void newLoaderNodeRestores() throws Exception {
    assertNotNull(cursorOfFirstNode, "the cursor walk ran first");
    assertFalse(loaders.process.isAlive(), "the first loader node is gone");
    long spawned = System.currentTimeMillis();
    Node replacement = Node.start("loaders-2", "loaders,monitor", loaderClusterPort, TestDatabase.freePort());
    long until = spawned + RECOVERY_BOUND_MS;
    Reply page;
    while ((page = get(PAGE, Duration.ofSeconds(5))).status() != 200 && System.currentTimeMillis() < until) {
      assertTrue(replacement.process.isAlive(), () -> "the new loader node died while starting\n" + logs());
      Thread.sleep(250);
    }
    Reply first = page;
    assertEquals(200, first.status(), () -> "pages again within " + RECOVERY_BOUND_MS + " ms: " + first + "\n"
      + logs());
    long recoveredMs = first.endedAt() - spawned;
    System.out.println("cluster-process: pages_200_after_new_loader_start_ms=" + recoveredMs
      + " after_kill_ms=" + (first.endedAt() - killedAt));
    Reply ready;
    long readyUntil = System.currentTimeMillis() + 20_000;
    while ((ready = get("/health/ready", Duration.ofSeconds(5))).status() != 200
      && System.currentTimeMillis() < readyUntil) {
      Thread.sleep(200);
    }
    Reply up = ready;
    assertEquals(200, up.status(), () -> "ready again: " + up.body());
    System.out.println("cluster-process: ready_up_after_new_loader_start_ms=" + (up.endedAt() - spawned));
    Reply resumed = get("/api/v1/users?limit=37&cursor=" + URLEncoder.encode(cursorOfFirstNode,
      StandardCharsets.UTF_8), Duration.ofSeconds(10));
    assertEquals(200, resumed.status(), () -> "a cursor of the killed node: " + resumed.body());
  }

  @Test
  @Order(6)
  @DisplayName("requests in flight when the loader node died end 200 or 503 within the detection bound, none "
    + "waits for the send timeout")
  void loadInFlight() throws Exception {
    assertNotNull(load, "the kill ran first");
    assertTrue(load.await(killedAt + REQUEST_TIMEOUT.toMillis() + 5_000), "the load's requests all ended");
    List<Answer> all = new ArrayList<>(load.answers);
    List<Answer> inFlight = all.stream().filter(a -> a.startedAt() <= killedAt && a.endedAt() >= killedAt)
      .toList();
    List<Answer> afterKill = all.stream().filter(a -> a.startedAt() > killedAt).toList();
    // the probes asked between the kill and the first 503
    CompletableFuture.allOf(earlyProbes.stream().map(Probe::future).toArray(CompletableFuture[]::new))
      .completeOnTimeout(null, Math.max(1, killedAt + REQUEST_TIMEOUT.toMillis() + 5_000
        - System.currentTimeMillis()), TimeUnit.MILLISECONDS).join();
    List<Answer> early = earlyProbes.stream().map(p -> p.isDone() ? p.reply()
      : new Reply(p.startedAt(), System.currentTimeMillis(), -1, "", "unanswered"))
      .map(r -> new Answer(r.startedAt(), r.endedAt(), r.status())).toList();
    System.out.println("cluster-process: load in_flight_at_kill=" + inFlight.size() + " " + describe(inFlight)
      + " asked_after_kill=" + afterKill.size() + " " + describe(afterKill) + "; probes_before_first_503="
      + early.size() + " " + describe(early));
    List<Answer> bad = Stream.concat(all.stream().filter(a -> a.endedAt() >= killedAt), early.stream())
      .filter(a -> a.status() != 200 && a.status() != 503 || a.millis() >= DETECTION_BOUND_MS).toList();
    assertEquals(List.of(), bad, () -> "every request answered 200 or 503 within " + DETECTION_BOUND_MS + " ms");
  }

  @Test
  @Order(7)
  @DisplayName("an SSE stream open when the loader node died ends with an error event within the detection bound")
  void streamInFlight() throws Exception {
    assertNotNull(follow, "the kill ran first");
    try {
      follow.done.get(Math.max(1, killedAt + REQUEST_TIMEOUT.toMillis() - System.currentTimeMillis()),
        TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      fail("the stream was still open " + REQUEST_TIMEOUT.toSeconds() + " s after the kill; last lines: "
        + follow.last(6));
    }
    long endedMs = follow.endedAt - killedAt;
    int error = follow.lines.indexOf("event: error");
    System.out.println("cluster-process: stream_ended_after_kill_ms=" + endedMs + " how="
      + (follow.cut != null ? "cut" : error >= 0 ? "error-event " + follow.lines.get(error + 1) : "clean-end"));
    assertTrue(follow.lines.contains("event: error"), () -> "an error event; cut=" + follow.cut + " last lines: "
      + follow.last(6));
    assertTrue(endedMs < DETECTION_BOUND_MS, "ended " + endedMs + " ms after the kill");
  }

  // --- the processes ---

  /** A child JVM running the service clustered, its output in {@code <dir>/<name>.log}. */
  record Node(String name, Process process, Path log) {

    static Node start(String name, String role, int clusterPort, int httpPort) throws IOException {
      Path log = dir.resolve(name + ".log");
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx512m"));
      command.addAll(HAZELCAST_FLAGS);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sluice.launcher.Main", "run",
        "--cluster"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = builder.environment();
      env.keySet().removeIf(key -> key.startsWith("SLUICE_"));
      env.put("SLUICE_CONF_DIR", dir.resolve("conf").toString());
      env.put("SLUICE_DATABASE_URL", TestDatabase.url());
      env.put("SLUICE_CURSOR_SECRET", SECRET);
      env.put("SLUICE_CLUSTER_NAME", clusterName);
      env.put("SLUICE_CLUSTER_HOST", "127.0.0.1");
      env.put("SLUICE_CLUSTER_PORT", Integer.toString(clusterPort));
      env.put("SLUICE_CLUSTER_MEMBERS", "127.0.0.1:" + gatewayClusterPort + ",127.0.0.1:" + loaderClusterPort);
      env.put("SLUICE_ROLE", role);
      env.put("SLUICE_HTTP_HOST", "127.0.0.1");
      env.put("SLUICE_HTTP_PORT", Integer.toString(httpPort));
      Node node = new Node(name, builder.start(), log);
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
    return nodes.stream().map(n -> "--- " + n.name() + " (" + (n.process().isAlive() ? "alive" : "exited") + ", "
      + n.log() + ") ---\n" + n.tail(25)).collect(Collectors.joining("\n"));
  }

  // --- HTTP ---

  record Reply(long startedAt, long endedAt, int status, String contentType, String body) {
    long millis() {
      return endedAt - startedAt;
    }

    @Override
    public String toString() {
      return status + " in " + millis() + " ms " + (body.length() > 300 ? body.substring(0, 300) : body);
    }
  }

  static HttpRequest request(String path, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).build();
  }

  static Reply reply(long started, HttpResponse<String> response) {
    return new Reply(started, System.currentTimeMillis(), response.statusCode(),
      response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

  /** A GET; a failure to connect or a timeout is status -1 with the reason as body. */
  static Reply get(String path, Duration timeout) {
    long started = System.currentTimeMillis();
    try {
      return reply(started, client.send(request(path, timeout), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return new Reply(started, System.currentTimeMillis(), -1, "", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(started, System.currentTimeMillis(), -1, "", e.toString());
    }
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
    return new Probe(started, client.sendAsync(request(path, REQUEST_TIMEOUT), HttpResponse.BodyHandlers.ofString())
      .handle((response, failure) -> failure == null ? reply(started, response)
        : new Reply(started, System.currentTimeMillis(), -1, "", failure.toString())));
  }

  static String summary(List<Probe> probes) {
    List<Reply> done = probes.stream().filter(Probe::isDone).map(Probe::reply).toList();
    return done.size() + " answered " + statuses(done) + ", " + (probes.size() - done.size()) + " still out";
  }

  static Map<Integer, Long> statuses(List<Reply> replies) {
    return replies.stream().collect(Collectors.groupingBy(Reply::status, TreeMap::new, Collectors.counting()));
  }

  /** A request of the load: when it was asked, when answered, with what. */
  record Answer(long startedAt, long endedAt, int status) {
    long millis() {
      return endedAt - startedAt;
    }

    @Override
    public String toString() {
      return status + " asked " + (startedAt - killedAt) + " ms from the kill, answered in " + millis() + " ms";
    }
  }

  static String describe(List<Answer> answers) {
    return "statuses=" + answers.stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new,
      Collectors.counting())) + " max_ms=" + answers.stream().mapToLong(Answer::millis).max().orElse(-1);
  }

  /** A steady load: {@code users} clients, each asking its next page once the last was answered, until stopped. */
  static final class Load {
    final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    final List<Thread> threads = new ArrayList<>();
    volatile boolean running = true;

    Load(int users) {
      for (int u = 0; u < users; u++) {
        int user = u;
        Thread thread = new Thread(() -> {
          for (int n = user; running; n++) {
            Reply reply = get(LOAD_PATHS.get(n % LOAD_PATHS.size()), REQUEST_TIMEOUT);
            answers.add(new Answer(reply.startedAt(), reply.endedAt(), reply.status()));
          }
        }, "cluster-process-load-" + u);
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
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "text/event-stream")
        .build();
      done = client.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).handle((response, failure) -> {
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
}
