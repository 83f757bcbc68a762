package dev.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.config.DatabaseConfig;
import dev.sluice.config.ResilienceConfig;
import dev.sluice.db.Database;
import dev.sluice.db.Faults;
import dev.sluice.node.LoaderStats;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@EndToEnd
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
@DisplayName(
    "A loader's database work is retried while that is safe and cut off while the database is failing")
class ResilienceTest {

  /**
   * A breaker that opens at half the calls failed, once ten calls were made; 2 s open; 10 % extra
   * tries.
   */
  private static final ResilienceConfig RATE = new ResilienceConfig(0.5, 10, 10, 2, 0.1, 10);

  /** The same with a breaker that never opens, to see the retry budget alone. */
  private static final ResilienceConfig NEVER_OPENS =
      new ResilienceConfig(0.5, Integer.MAX_VALUE, 10, 2, 0.1, 5);

  private static String url;
  private Vertx vertx;
  private Context loop;

  @BeforeAll
  static void database() {
    url = TestDatabase.url();
  }

  @BeforeEach
  void loop(Vertx vertx) {
    this.vertx = vertx;
    // a loader makes its Resilience on its event loop and uses it there: the tests do the same
    this.loop = vertx.getOrCreateContext();
  }

  @Test
  @DisplayName("a syntax error is tried once only and is a 500")
  void syntaxErrorTriedOnce(VertxTestContext test) throws Exception {
    Pool pool = pool(url, 0);
    AtomicInteger tries = new AtomicInteger();
    onLoop(
        test,
        () -> {
          Resilience resilience = resilience("syntax", RATE, 3, 0.01, 2);
          return failureOf(
                  resilience.call(
                      () -> {
                        tries.incrementAndGet();
                        return pool.query("SELEC 1").execute();
                      }))
              .map(
                  failure -> {
                    assertEquals(
                        "42601", assertInstanceOf(PgException.class, failure).getSqlState());
                    assertEquals(1, tries.get(), "tries");
                    assertEquals(500, resilience.problemOf(failure).status());
                    assertEquals(0, stats("syntax").retries());
                    assertEquals(CircuitBreakerState.CLOSED, resilience.state());
                    return null;
                  });
        });
  }

  @Test
  @DisplayName("a statement past its timeout is tried once and is a 504")
  void statementTimeoutTriedOnce(VertxTestContext test) throws Exception {
    Pool pool = pool(url, 100);
    AtomicInteger tries = new AtomicInteger();
    onLoop(
        test,
        () -> {
          Resilience resilience = resilience("timeout", RATE, 3, 0.01, 2);
          return failureOf(
                  resilience.call(
                      () -> {
                        tries.incrementAndGet();
                        return pool.query("SELECT pg_sleep(1)").execute();
                      }))
              .map(
                  failure -> {
                    assertEquals(
                        "57014", assertInstanceOf(PgException.class, failure).getSqlState());
                    assertEquals(1, tries.get(), "tries");
                    Problem problem = resilience.problemOf(failure);
                    assertEquals(504, problem.status());
                    assertEquals(0, stats("timeout").retries());
                    return null;
                  });
        });
  }

  @Test
  @DisplayName(
      "a backend terminated under a load is tried again, the load succeeds, the retry is counted by cause")
  void transientFailureRetried(VertxTestContext test) throws Exception {
    Pool pool = pool(url, 0);
    AtomicInteger tries = new AtomicInteger();
    AtomicReference<Throwable> first = new AtomicReference<>();
    onLoop(
        test,
        () -> {
          Resilience resilience = resilience("terminated", RATE, 3, 0.01, 2);
          return resilience
              .call(
                  () ->
                      tries.incrementAndGet() == 1
                          ? pool.query("SELECT pg_terminate_backend(pg_backend_pid())")
                              .execute()
                              .onFailure(first::set)
                          : pool.query("SELECT 1 AS one").execute())
              .map(
                  rows -> {
                    assertEquals(1, rows.iterator().next().getInteger("one"));
                    assertEquals(2, tries.get(), "tries");
                    // the client hears of the terminated backend as a reset or a closed connection,
                    // as the race goes
                    String cause = Faults.of(first.get()).cause();
                    assertEquals(Faults.Kind.TRANSIENT, Faults.of(first.get()).kind(), cause);
                    assertEquals(Map.of(cause, 1L), stats("terminated").retriesByCause());
                    assertEquals(1, stats("terminated").retries());
                    return null;
                  });
        });
  }

  @Test
  @DisplayName(
      "during an outage the retry budget caps the extra tries: 200 calls, at most 200 + 10 % tries")
  void retryBudgetCapsTries(VertxTestContext test) throws Exception {
    Pool pool = pool(refusing(), 0);
    AtomicInteger tries = new AtomicInteger();
    int calls = 200;
    onLoop(
        test,
        () -> {
          Resilience resilience = resilience("budget", NEVER_OPENS, 3, 0.005, 2);
          List<Future<Throwable>> failures = new ArrayList<>();
          for (int i = 0; i < calls; i++) {
            failures.add(
                failureOf(
                    resilience.call(
                        () -> {
                          tries.incrementAndGet();
                          return pool.query("SELECT 1").execute();
                        })));
          }
          return Future.all(failures)
              .map(
                  all -> {
                    long budget =
                        Math.max(
                            NEVER_OPENS.retryBudgetMin(),
                            (long) (NEVER_OPENS.retryBudgetRatio() * calls));
                    assertTrue(
                        tries.get() <= calls + budget,
                        tries.get() + " tries, at most " + (calls + budget));
                    assertTrue(tries.get() > calls, "some calls were tried again: " + tries.get());
                    assertEquals(tries.get() - calls, stats("budget").retries());
                    assertEquals(
                        Map.of("connect_failed", (long) tries.get() - calls),
                        stats("budget").retriesByCause());
                    for (Future<Throwable> failure : failures) {
                      assertEquals(503, resilience.problemOf(failure.result()).status());
                    }
                    return null;
                  });
        });
  }

  @Test
  @DisplayName(
      "during an outage the breaker opens on the way; the calls after it fail at once without a try")
  void outageOpensBreaker(VertxTestContext test) throws Exception {
    Pool pool = pool(refusing(), 0);
    AtomicInteger tries = new AtomicInteger();
    int calls = 200;
    List<Integer> triesOfCall = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    onLoop(
        test,
        () -> {
          Resilience resilience = resilience("outage", RATE, 3, 0.005, 2);
          return sequentially(
                  calls,
                  i -> {
                    int before = tries.get();
                    return failureOf(
                            resilience.call(
                                () -> {
                                  tries.incrementAndGet();
                                  return pool.query("SELECT 1").execute();
                                }))
                        .onSuccess(
                            failure -> {
                              triesOfCall.add(tries.get() - before);
                              failures.add(failure);
                            });
                  })
              .map(
                  v -> {
                    long budget =
                        Math.max(RATE.retryBudgetMin(), (long) (RATE.retryBudgetRatio() * calls));
                    assertTrue(
                        tries.get() <= calls + budget,
                        tries.get() + " tries, at most " + (calls + budget));
                    assertEquals(CircuitBreakerState.OPEN, resilience.state());
                    int opened = 0;
                    while (!(failures.get(opened) instanceof ProblemException)) {
                      opened++;
                    }
                    // every try failed: it opened once the window held min_calls tries, so after
                    // min_calls calls at most
                    assertTrue(
                        opened > 0 && opened <= RATE.minCalls(),
                        "opened after " + opened + " calls");
                    for (int i = opened; i < calls; i++) {
                      assertEquals(
                          0, triesOfCall.get(i), "call " + i + " after the breaker opened");
                      Problem problem = ((ProblemException) failures.get(i)).problem();
                      assertEquals(503, problem.status());
                      assertEquals(RATE.resetSeconds(), problem.retryAfterSeconds());
                    }
                    assertTrue(tries.get() < calls, tries.get() + " tries of " + calls + " calls");
                    return null;
                  });
        });
  }

  @Test
  @DisplayName(
      "the breaker opens on the failure rate, though a success follows every failure; open, it answers 503 "
          + "with the seconds left; half-open it lets one trial through, whose success closes it and clears the window")
  void opensOnFailureRate(VertxTestContext test) throws Exception {
    Pool pool = pool(url, 100);
    AtomicInteger tries = new AtomicInteger();
    onLoop(
        test,
        () -> {
          Resilience resilience = resilience("rate", RATE, 3, 0.01, 2);
          Supplier<Future<?>> failing =
              () -> {
                tries.incrementAndGet();
                return pool.query("SELECT pg_sleep(1)").execute();
              };
          Supplier<Future<?>> succeeding =
              () -> {
                tries.incrementAndGet();
                return pool.query("SELECT pg_sleep(0.02)").execute();
              };
          long[] opened = new long[1];
          return alternate(resilience, failing, succeeding, 9)
              .map(
                  v -> {
                    assertEquals(
                        CircuitBreakerState.CLOSED,
                        resilience.state(),
                        "5 failures in 9 calls: below min_calls");
                    return null;
                  })
              .compose(v -> call(resilience, succeeding))
              .compose(
                  v -> {
                    opened[0] = System.currentTimeMillis();
                    assertEquals(
                        CircuitBreakerState.OPEN, resilience.state(), "5 failures in 10 calls");
                    assertEquals(10, tries.get(), "timeouts are not retried");
                    return refused(resilience, succeeding, tries, RATE.resetSeconds());
                  })
              // 1.2 s after it opened, less than a second is left
              .compose(
                  v -> vertx.timer(Math.max(1, opened[0] + 1_200 - System.currentTimeMillis())))
              .compose(v -> refused(resilience, succeeding, tries, 1))
              .compose(
                  v ->
                      vertx.timer(
                          Math.max(
                              1,
                              opened[0]
                                  + RATE.resetSeconds() * 1_000L
                                  + 200
                                  - System.currentTimeMillis())))
              .compose(
                  v -> {
                    assertEquals(CircuitBreakerState.HALF_OPEN, resilience.state());
                    Future<?> trial = resilience.call(succeeding::get);
                    // one trial at a time: another call meanwhile is refused without a try
                    int before = tries.get();
                    return failureOf(resilience.call(succeeding::get))
                        .compose(
                            other -> {
                              assertEquals(
                                  503,
                                  assertInstanceOf(ProblemException.class, other)
                                      .problem()
                                      .status());
                              assertEquals(before, tries.get(), "no try while the trial runs");
                              return trial;
                            });
                  })
              .compose(
                  v -> {
                    assertEquals(
                        CircuitBreakerState.CLOSED, resilience.state(), "the trial succeeded");
                    return failureOf(resilience.call(failing::get));
                  })
              .map(
                  failure -> {
                    assertEquals("57014", ((PgException) failure).getSqlState());
                    assertEquals(
                        CircuitBreakerState.CLOSED,
                        resilience.state(),
                        "1 failure in a cleared window");
                    return null;
                  });
        });
  }

  @Test
  @DisplayName("a half-open breaker whose trial call fails opens again for reset_seconds")
  void failedTrialReopens(VertxTestContext test) throws Exception {
    Pool pool = pool(url, 100);
    AtomicInteger tries = new AtomicInteger();
    onLoop(
        test,
        () -> {
          Resilience resilience = resilience("trial", RATE, 3, 0.01, 2);
          Supplier<Future<?>> failing =
              () -> {
                tries.incrementAndGet();
                return pool.query("SELECT pg_sleep(1)").execute();
              };
          Supplier<Future<?>> succeeding =
              () -> {
                tries.incrementAndGet();
                return pool.query("SELECT 1").execute();
              };
          return alternate(resilience, failing, succeeding, 10)
              .compose(
                  v -> {
                    assertEquals(CircuitBreakerState.OPEN, resilience.state());
                    return vertx.timer(RATE.resetSeconds() * 1_000L + 200);
                  })
              .compose(
                  v -> {
                    assertEquals(CircuitBreakerState.HALF_OPEN, resilience.state());
                    return failureOf(resilience.call(failing::get));
                  })
              .compose(
                  failure -> {
                    assertEquals(
                        "57014", ((PgException) failure).getSqlState(), "the trial's own failure");
                    assertEquals(CircuitBreakerState.OPEN, resilience.state(), "the trial failed");
                    return refused(resilience, succeeding, tries, RATE.resetSeconds());
                  });
        });
  }

  @Test
  @DisplayName(
      "a retry that hangs does not outlive the deadline: the call ends at timeout_seconds + 1 s with a 504")
  void slowRetryEndsAtDeadline(VertxTestContext test) throws Exception {
    Pool pool = pool(url, 0);
    AtomicInteger tries = new AtomicInteger();
    int timeoutSeconds = 1;
    long deadlineMs = timeoutSeconds * 1_000L + 1_000;
    onLoop(
        test,
        () -> {
          Resilience resilience = resilience("deadline", RATE, 5, 0.05, timeoutSeconds);
          long started = System.currentTimeMillis();
          // the first try fails (transient) late, the second hangs longer than the whole deadline
          return failureOf(
                  resilience.call(
                      () ->
                          tries.incrementAndGet() == 1
                              ? pool.query(
                                      "DO $$ BEGIN PERFORM pg_sleep(1.5); "
                                          + "RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$")
                                  .execute()
                              : pool.query("SELECT pg_sleep(2.5)").execute()))
              .map(
                  failure -> {
                    long took = System.currentTimeMillis() - started;
                    assertEquals(2, tries.get(), "tries");
                    assertTrue(
                        took <= deadlineMs + 300,
                        "ended " + took + " ms after it began; the deadline is " + deadlineMs);
                    assertEquals(504, resilience.problemOf(failure).status(), failure.toString());
                    return null;
                  });
        });
  }

  @Test
  @DisplayName("retries of fast failures back off only as long as the deadline allows")
  void backoffWithinDeadline(VertxTestContext test) throws Exception {
    Pool pool = pool(refusing(), 0);
    AtomicInteger tries = new AtomicInteger();
    int timeoutSeconds = 1;
    long deadlineMs = timeoutSeconds * 1_000L + 1_000;
    List<Long> startedAt = new ArrayList<>();
    onLoop(
        test,
        () -> {
          // the n-th retry waits up to 0.4 s × 2^(n-1): 10 tries would take up to 3.4 min
          Resilience resilience = resilience("backoff", NEVER_OPENS, 10, 0.4, timeoutSeconds);
          long started = System.currentTimeMillis();
          return failureOf(
                  resilience.call(
                      () -> {
                        tries.incrementAndGet();
                        startedAt.add(System.currentTimeMillis() - started);
                        return pool.query("SELECT 1").execute();
                      }))
              .map(
                  failure -> {
                    long took = System.currentTimeMillis() - started;
                    assertTrue(
                        took <= deadlineMs + 300,
                        "ended " + took + " ms after it began; the deadline is " + deadlineMs);
                    assertTrue(tries.get() >= 2 && tries.get() < 10, tries.get() + " tries");
                    assertTrue(
                        startedAt.stream().allMatch(at -> at < deadlineMs),
                        "tries began at " + startedAt);
                    assertEquals(503, resilience.problemOf(failure).status());
                    return null;
                  });
        });
  }

  // helpers

  /** {@code n} calls, one after the other: a failing one, a succeeding one, and so on. */
  private static Future<Void> alternate(
      Resilience resilience, Supplier<Future<?>> failing, Supplier<Future<?>> succeeding, int n) {
    return sequentially(
        n, i -> i % 2 == 0 ? failureOf(call(resilience, failing)) : call(resilience, succeeding));
  }

  private static Future<?> call(Resilience resilience, Supplier<Future<?>> work) {
    return resilience.call(work::get);
  }

  /**
   * A call now fails at once, without a try, with the 503 of an open breaker and {@code retryAfter}
   * seconds.
   */
  private static Future<Void> refused(
      Resilience resilience, Supplier<Future<?>> work, AtomicInteger tries, int retryAfter) {
    int before = tries.get();
    return failureOf(resilience.call(work::get))
        .map(
            failure -> {
              assertEquals(before, tries.get(), "no try while open");
              Problem problem = assertInstanceOf(ProblemException.class, failure).problem();
              assertEquals(503, problem.status());
              assertEquals(
                  retryAfter, problem.retryAfterSeconds(), "seconds left of reset_seconds");
              return null;
            });
  }

  private Resilience resilience(
      String family,
      ResilienceConfig config,
      int attempts,
      double delaySeconds,
      int timeoutSeconds) {
    return new Resilience(
        vertx, family, config, attempts, delaySeconds, timeoutSeconds, stats(family));
  }

  private final java.util.Map<String, LoaderStats> stats = new java.util.HashMap<>();

  private LoaderStats stats(String family) {
    return stats.computeIfAbsent(
        family,
        f ->
            new LoaderStats(
                new io.micrometer.core.instrument.composite.CompositeMeterRegistry(), f));
  }

  /** A pool as the loaders build theirs. */
  private Pool pool(String url, long statementTimeoutMs) {
    return Database.pool(
        vertx,
        DatabaseConfig.from(new JsonObject().put("url", url).put("pool_size", 4)),
        statementTimeoutMs);
  }

  /** The test database's URL with a port nothing listens on: every connection is refused. */
  private static String refusing() throws Exception {
    // below the ephemeral range, so no outbound connection of this machine takes it meanwhile
    return url.replaceFirst(":\\d+/", ":" + dev.sluice.TestDatabase.freePort() + "/");
  }

  /** Runs {@code scenario} on the loader's event loop and ends the test with its outcome. */
  private void onLoop(VertxTestContext test, Supplier<Future<?>> scenario)
      throws InterruptedException {
    loop.runOnContext(
        v -> {
          Future<?> outcome;
          try {
            outcome = scenario.get();
          } catch (Throwable t) {
            outcome = Future.failedFuture(t);
          }
          outcome.onComplete(test.succeedingThenComplete());
        });
    assertTrue(test.awaitCompletion(25, TimeUnit.SECONDS), "the scenario ended in time");
  }

  /** The failure of {@code work}, which must fail. */
  private static Future<Throwable> failureOf(Future<?> work) {
    return work.transform(
        ar ->
            ar.failed()
                ? Future.succeededFuture(ar.cause())
                : Future.failedFuture(
                    new AssertionError("expected a failure, got " + ar.result())));
  }

  /** {@code call(0)}, then {@code call(1)} once it ended, and so on. */
  private static Future<Void> sequentially(int n, IntFunction<Future<?>> call) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < n; i++) {
      int at = i;
      chain = chain.compose(v -> call.apply(at).transform(ar -> Future.<Void>succeededFuture()));
    }
    return chain;
  }
}
