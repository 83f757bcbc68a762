package dev.sluice.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real faults of a real PostgreSQL (one of these tests' own), under a steady load with the cache
 * off (a hit would hide the database): stopped, killed, its backends terminated, frozen; a
 * statement past its timeout, a full loader, no loader, a loader that never answers. Each test
 * records its figures in the log line {@code fault.figures}, which docs/RELIABILITY.md quotes.
 */
@EndToEnd
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("Faults: Sluice keeps answering, truthfully and fast, and recovers by itself")
class FaultTest {

  static final List<String> PATHS =
      List.of(
          "/api/v1/users?limit=5",
          "/api/v1/videos?limit=5",
          "/api/v1/templates?limit=5",
          "/api/v1/analytics/errors?limit=5",
          "/api/v1/videos/popular?limit=5");
  static Throwaway postgres;
  Service service;

  @BeforeAll
  static void database() throws Exception {
    postgres = Throwaway.start("fault");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    postgres.close();
  }

  @AfterEach
  void stopService() {
    if (service != null) {
      service.close();
    }
  }

  /**
   * The service on the throwaway database, cache off, short timeouts, with {@code overrides} merged
   * in.
   */
  private Service start(JsonObject overrides) {
    JsonObject config =
        Service.config(
                new JsonObject()
                    .put(
                        "database", new JsonObject().put("url", postgres.url()).put("pool_size", 4))
                    .put(
                        "lazy_loading",
                        new JsonObject().put("enable_caching", false).put("timeout_seconds", 2))
                    .put(
                        "resilience",
                        new JsonObject()
                            .put("min_calls", 10)
                            .put("window_seconds", 5)
                            .put("reset_seconds", 1)))
            .mergeIn(overrides, true);
    service = Service.start(config);
    return service;
  }

  private static void log(String test, Map<String, Object> figures) {
    System.out.println(
        "fault.figures test="
            + test
            + " "
            + figures.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
  }

  private static Map<Integer, Long> byStatus(List<SteadyLoad.Answer> answers) {
    return answers.stream()
        .collect(
            Collectors.groupingBy(
                SteadyLoad.Answer::status, java.util.TreeMap::new, Collectors.counting()));
  }

  /**
   * Waits until {@code n} requests in a row succeed; returns how long that took from {@code since}.
   */
  private long recovered(long since, int n, long withinMs) {
    int ok = 0;
    long until = System.currentTimeMillis() + withinMs;
    while (ok < n && System.currentTimeMillis() < until) {
      ok = service.get(PATHS.get(ok % PATHS.size())).statusCode() == 200 ? ok + 1 : 0;
    }
    assertEquals(n, ok, "no recovery within " + withinMs + " ms");
    return System.currentTimeMillis() - since;
  }

  @Test
  @DisplayName(
      "database stopped under load: readiness DOWN within 2 s, fast 503s with Retry-After, none hangs; "
          + "started again: everything succeeds within 10 s, with no stale connection afterwards")
  void stopAndStart() throws Exception {
    start(new JsonObject());
    try (SteadyLoad load = new SteadyLoad(service.vertx, service.http, PATHS, 8)) {
      Thread.sleep(1_000);
      long stoppedAt = System.currentTimeMillis();
      postgres.stop();
      long stopMs = System.currentTimeMillis() - stoppedAt;
      assertTrue(
          Service.eventually(2_000, () -> service.get("/health/ready").statusCode() == 503),
          "readiness DOWN within 2 s");
      long readyDownMs = System.currentTimeMillis() - stoppedAt;
      Thread.sleep(3_000);
      // the failed loads of the last minute are over the seed's critical line: the loader's check
      // is DOWN
      JsonObject health = service.get("/health").bodyAsJsonObject();
      JsonObject users =
          health.getJsonArray("checks").stream()
              .map(JsonObject.class::cast)
              .filter(c -> "loader.users".equals(c.getString("id")))
              .findFirst()
              .orElseThrow();
      assertEquals("DOWN", users.getString("status"), users::encode);
      assertEquals(
          "critical", users.getJsonObject("data").getString("errors_level"), users::encode);
      long restartAt = System.currentTimeMillis();
      List<SteadyLoad.Answer> outage = load.since(stoppedAt + stopMs + 200);
      postgres.restart();
      long recoveredMs = recovered(restartAt, 20, 10_000);
      Thread.sleep(500);
      long after = System.currentTimeMillis();
      Thread.sleep(1_500);
      load.close();
      List<SteadyLoad.Answer> afterwards = load.since(after);

      assertFalse(outage.isEmpty());
      for (SteadyLoad.Answer a : outage) {
        assertEquals(503, a.status(), () -> "during the outage: " + a);
        assertTrue(
            a.retryAfter() != null && Integer.parseInt(a.retryAfter()) >= 1,
            () -> "Retry-After: " + a);
        assertTrue(a.millis() < 1_000, () -> "answered in well under a second: " + a);
      }
      assertTrue(load.all().stream().noneMatch(a -> a.status() == -1), "no request hung");
      assertTrue(afterwards.size() > 20);
      assertTrue(
          afterwards.stream().allMatch(a -> a.status() == 200),
          () -> "after recovery: " + byStatus(afterwards));
      assertEquals(200, service.get("/health/ready").statusCode());
      log(
          "stop-start",
          Map.of(
              "outage_requests",
              outage.size(),
              "outage_statuses",
              byStatus(outage),
              "outage_max_ms",
              outage.stream().mapToLong(SteadyLoad.Answer::millis).max().orElse(0),
              "ready_down_ms",
              readyDownMs,
              "recovered_ms",
              recoveredMs,
              "after_ok",
              afterwards.size()));
    }
  }

  @Test
  @DisplayName(
      "the embedded PostgreSQL killed: its supervisor starts it again and Sluice serves within 10 s")
  void killedAndSupervised() throws Exception {
    start(new JsonObject());
    postgres.database.supervise();
    assertEquals(200, service.get(PATHS.get(0)).statusCode());
    long pid = postgres.database.pid();
    long killedAt = System.currentTimeMillis();
    postgres.signal("KILL", false);
    assertTrue(
        Service.eventually(5_000, () -> !postgres.database.up() || postgres.database.pid() != pid));
    long recoveredMs = recovered(killedAt, 20, 10_000);
    assertTrue(postgres.database.pid() != pid, "a new server process");
    assertTrue(Service.eventually(5_000, () -> service.get("/health/ready").statusCode() == 200));
    log("kill", Map.of("recovered_ms", recoveredMs));
  }

  @Test
  @DisplayName(
      "pg_terminate_backend on all of Sluice's backends under load: retried, no client sees an error")
  void terminatedBackends() throws Exception {
    start(new JsonObject());
    Pool admin = adminPool();
    try (SteadyLoad load = new SteadyLoad(service.vertx, service.http, PATHS, 8)) {
      Thread.sleep(1_000);
      long terminated = 0;
      for (int round = 0; round < 5; round++) {
        terminated +=
            admin
                .query(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                        + "WHERE application_name = 'sluice' AND pid <> pg_backend_pid()")
                .execute()
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .iterator()
                .next()
                .getLong(0);
        Thread.sleep(300);
      }
      Thread.sleep(500);
      load.close();
      List<SteadyLoad.Answer> all = load.all();
      double retries = metric("sluice_load_retries_total");
      assertTrue(terminated >= 5, "backends terminated: " + terminated);
      assertEquals(
          Map.of(200, (long) all.size()),
          byStatus(all),
          () ->
              "every answer a 200: "
                  + all.stream().filter(a -> a.status() != 200).limit(3).toList());
      assertTrue(retries > 0, "the terminated loads were retried");
      log(
          "terminate",
          Map.of("requests", all.size(), "backends_terminated", terminated, "retries", retries));
    } finally {
      admin.close();
    }
  }

  @Test
  @DisplayName(
      "the database frozen (SIGSTOP): requests end as 503/504 within the timeout, none waits forever; "
          + "thawed (SIGCONT): everything recovers")
  void frozen() throws Exception {
    start(new JsonObject().put("http", new JsonObject().put("request_timeout_seconds", 6)));
    // a stream first, so that the stream pool holds an idle connection the frozen ones will take
    assertEquals(200, service.get("/api/v1/templates/stream").statusCode());
    try (SteadyLoad load = new SteadyLoad(service.vertx, service.http, PATHS, 8)) {
      Thread.sleep(1_000);
      postgres.signal("STOP", true);
      long frozenAt = System.currentTimeMillis();
      // streams asked while frozen: their opening gives up at its deadline, and a cursor that opens
      // after the thaw
      // must not be left holding a connection in a transaction
      List<Future<HttpResponse<Buffer>>> streams = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        streams.add(
            service.http.get("/api/v1/templates/stream").timeout(SteadyLoad.HANG_MS).send());
      }
      Thread.sleep(
          7_000); // every client starts at least one request after the freeze, and it ends before
      // the thaw
      postgres.signal("CONT", true);
      long thawedAt = System.currentTimeMillis();
      long recoveredMs = recovered(thawedAt, 20, 10_000);
      load.close();
      for (Future<HttpResponse<Buffer>> stream : streams) {
        int status =
            stream.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).statusCode();
        assertTrue(status == 503 || status == 504, "a stream asked while frozen: " + status);
      }
      Pool admin = adminPool();
      try {
        assertTrue(
            Service.eventually(
                5_000,
                () ->
                    Waits.statement(
                                admin
                                    .query(
                                        "SELECT count(*) FROM pg_stat_activity "
                                            + "WHERE application_name = 'sluice' AND state LIKE 'idle in transaction%'")
                                    .execute())
                            .iterator()
                            .next()
                            .getLong(0)
                        == 0),
            "no connection left idle in a transaction");
      } finally {
        admin.close();
      }
      List<SteadyLoad.Answer> during =
          load.since(frozenAt).stream().filter(a -> a.startedAt() < thawedAt - 3_500).toList();
      assertFalse(during.isEmpty());
      for (SteadyLoad.Answer a : during) {
        assertTrue(Set.of(503, 504).contains(a.status()), () -> "while frozen: " + a);
        assertTrue(
            a.millis() <= 2_000 + 1_000 + 500,
            () -> "within the timeout (2 s, + 1 s deadline): " + a);
      }
      assertTrue(load.all().stream().noneMatch(a -> a.status() == -1), "no request hung");
      log(
          "freeze",
          Map.of(
              "requests_while_frozen",
              during.size(),
              "statuses",
              byStatus(during),
              "max_ms",
              during.stream().mapToLong(SteadyLoad.Answer::millis).max().orElse(0),
              "recovered_ms",
              recoveredMs));
    }
  }

  @Test
  @DisplayName("a load that runs past the statement timeout is a 504 and is not retried")
  void statementTimeout() throws Exception {
    start(new JsonObject());
    double retriesBefore = metric("sluice_load_retries_total");
    Pool admin = adminPool();
    SqlConnection holder =
        admin.getConnection().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      Transaction tx =
          holder.begin().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      holder
          .query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
          .execute()
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      long started = System.currentTimeMillis();
      HttpResponse<Buffer> response = service.get("/api/v1/users?limit=3&role=viewer");
      long millis = System.currentTimeMillis() - started;
      assertEquals(504, response.statusCode(), response::bodyAsString);
      assertTrue(
          millis >= 1_900 && millis < 3_900,
          "one try of about timeout_seconds, not several: " + millis);
      assertEquals(retriesBefore, metric("sluice_load_retries_total"), "not retried");
      tx.rollback().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      log("statement-timeout", Map.of("ms", millis));
    } finally {
      holder.close();
      admin.close();
    }
  }

  @Test
  @DisplayName("a full loader gives fast 503s rather than an unbounded queue")
  void exhausted() throws Exception {
    start(
        new JsonObject()
            .put(
                "lazy_loading",
                new JsonObject().put("max_concurrent_batches", 2).put("timeout_seconds", 3)));
    Pool admin = adminPool();
    SqlConnection holder =
        admin.getConnection().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      holder.begin().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      holder
          .query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
          .execute()
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      List<Long> startedAt = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        startedAt.add(System.currentTimeMillis());
        sent.add(
            service.http.get("/api/v1/users?limit=2&role=viewer&active=" + (i % 2 == 0)).send());
      }
      List<Long> fast503 = new ArrayList<>();
      for (int i = 0; i < sent.size(); i++) {
        int index = i;
        sent.get(i)
            .onSuccess(
                r -> {
                  if (r.statusCode() == 503) {
                    synchronized (fast503) {
                      fast503.add(System.currentTimeMillis() - startedAt.get(index));
                    }
                  }
                });
      }
      Thread.sleep(1_000);
      int refused;
      synchronized (fast503) {
        refused = fast503.size();
        assertTrue(
            refused >= 120 - 2 - 64, "past 2 running and 64 waiting, refused at once: " + refused);
        assertTrue(fast503.stream().allMatch(ms -> ms < 1_000), fast503::toString);
      }
      holder.close();
      Future.join(new ArrayList<>(sent))
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      log("exhausted", Map.of("sent", 120, "refused_at_once", refused));
    } finally {
      holder.close();
      admin.close();
    }
  }

  @Test
  @DisplayName(
      "no loader listening is a 503 with Retry-After; a loader that never answers is a 504")
  void busFailures() throws Exception {
    start(new JsonObject().put("lazy_loading", new JsonObject().put("timeout_seconds", 1)));
    service
        .vertx
        .undeploy(service.deployments.get("templates"))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    HttpResponse<Buffer> none = service.get("/api/v1/templates?limit=2");
    assertEquals(503, none.statusCode(), none::bodyAsString);
    assertTrue(Integer.parseInt(none.getHeader("Retry-After")) >= 1);
    service
        .vertx
        .deployVerticle(
            new VerticleBase() {
              @Override
              public Future<?> start() {
                return vertx
                    .eventBus()
                    .consumer(
                        "sluice.templates",
                        message -> {
                          // takes the request and never answers
                        })
                    .completion();
              }
            },
            new DeploymentOptions())
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    long started = System.currentTimeMillis();
    HttpResponse<Buffer> silent = service.get("/api/v1/templates?limit=3");
    assertEquals(504, silent.statusCode(), silent::bodyAsString);
    assertTrue(System.currentTimeMillis() - started < 5_000);
  }

  private Pool adminPool() {
    PgConnectOptions options = PgConnectOptions.fromUri(postgres.url());
    options.setProperties(new java.util.HashMap<>(Map.of("application_name", "fault-test")));
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(2))
        .connectingTo(options)
        .using(service.vertx)
        .build();
  }

  /** The sum of a metric's samples on {@code /metrics}. */
  private double metric(String name) {
    Function<String, Double> value =
        line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    return service
        .get("/metrics")
        .bodyAsString()
        .lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .mapToDouble(value::apply)
        .sum();
  }
}
