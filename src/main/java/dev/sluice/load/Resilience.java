package dev.sluice.load;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.config.ResilienceConfig;
import dev.sluice.db.Faults;
import dev.sluice.node.LoaderStats;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guards one loader's database work: a circuit breaker (vertx-circuit-breaker) that opens on the
 * failure rate of a rolling window, and retries of transient failures ({@link Faults}) with
 * full-jitter backoff, within the request's deadline and a retry budget. Created and used on the
 * loader's event loop.
 *
 * <p>The module's breaker counts failures and forgets them at the first success, so it is used here
 * for its states and its timer only: it never opens by itself ({@code maxFailures} unreachable);
 * this class opens it when at least {@code failure_rate} of the last {@code window_seconds}' calls
 * (and at least {@code min_calls} of them) failed on the database. While open every call fails at
 * once with 503 and the time left as {@code Retry-After}; after {@code reset_seconds} the breaker
 * is half-open and lets one trial call through: its success closes the breaker and clears the
 * window, its failure opens it again.
 */
final class Resilience {

  private static final Logger LOG = LoggerFactory.getLogger(Resilience.class);

  private final Vertx vertx;
  private final String family;
  private final CircuitBreaker breaker;
  private final ResilienceConfig config;
  private final int attempts;
  private final long baseDelayMs;
  private final long deadlineMs;
  private final int timeoutSeconds;
  private final LoaderStats stats;
  private final Window calls;
  private final Window failures;
  private final Window retries;
  private volatile long openedAt;

  /**
   * @param attempts most tries of one call ({@code retry_attempts}, at least 1)
   * @param baseDelaySeconds the n-th retry waits a random time under {@code baseDelaySeconds ×
   *     2^(n-1)}
   * @param timeoutSeconds the statement timeout; a call (all its tries) ends at this plus a second,
   *     below the event-bus send timeout of its requester
   */
  Resilience(
      Vertx vertx,
      String family,
      ResilienceConfig config,
      int attempts,
      double baseDelaySeconds,
      int timeoutSeconds,
      LoaderStats stats) {
    this.vertx = vertx;
    this.family = family;
    this.config = config;
    this.attempts = Math.max(1, attempts);
    this.baseDelayMs = Math.max(0, Math.round(baseDelaySeconds * 1000));
    this.timeoutSeconds = timeoutSeconds;
    this.deadlineMs = timeoutSeconds * 1000L + 1_000;
    this.stats = stats;
    int seconds = Math.max(1, config.windowSeconds());
    this.calls = new Window(seconds);
    this.failures = new Window(seconds);
    this.retries = new Window(seconds);
    this.breaker =
        CircuitBreaker.create(
                "sluice." + family,
                vertx,
                new CircuitBreakerOptions()
                    .setMaxFailures(Integer.MAX_VALUE)
                    .setTimeout(deadlineMs)
                    .setResetTimeout(Math.max(1, config.resetSeconds()) * 1000L)
                    .setNotificationAddress(null))
            .failurePolicy(result -> result.failed() && Faults.isDatabaseFault(result.cause()))
            .openHandler(
                v -> {
                  openedAt = System.currentTimeMillis();
                  stats.breaker(CircuitBreakerState.OPEN.name());
                  LOG.warn("breaker.open loader={} reset_s={}", family, config.resetSeconds());
                })
            .halfOpenHandler(
                v -> {
                  stats.breaker(CircuitBreakerState.HALF_OPEN.name());
                  LOG.info("breaker.half-open loader={}", family);
                })
            .closeHandler(
                v -> {
                  failures.clear();
                  calls.clear();
                  stats.breaker(CircuitBreakerState.CLOSED.name());
                  LOG.info("breaker.closed loader={}", family);
                });
    stats.breaker(CircuitBreakerState.CLOSED.name());
  }

  /**
   * Runs {@code work} (one try of a read) through the breaker, trying again while that is safe and
   * worth it.
   */
  <T> Future<T> call(Supplier<Future<T>> work) {
    long deadline = System.currentTimeMillis() + deadlineMs;
    Promise<T> result = Promise.promise();
    // the breaker times out each try, not the call: a retry begun just before the deadline could
    // run a whole
    // deadline more, past the requester's send timeout; the call ends at the deadline, its last try
    // is let run
    long timer = vertx.setTimer(deadlineMs, t -> result.tryFail(TimeoutException.INSTANCE));
    attempt(work, 1, deadline, result);
    return result.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  private <T> void attempt(
      Supplier<Future<T>> work, int attempt, long deadline, Promise<T> result) {
    calls.add(1);
    breaker
        .<T>execute(work::get)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                // a success too may be the call that brings the window to min_calls at the failure
                // rate
                judge();
                result.tryComplete(ar.result());
                return;
              }
              Throwable failure = ar.cause();
              if (Faults.isDatabaseFault(failure)) {
                failures.add(1);
                judge();
              }
              long delay =
                  attempt < attempts
                      ? ThreadLocalRandom.current().nextLong((baseDelayMs << (attempt - 1)) + 1)
                      : 0;
              if (!result.future().isComplete()
                  && attempt < attempts
                  && Faults.retriable(failure)
                  && breaker.state() == CircuitBreakerState.CLOSED
                  && System.currentTimeMillis() + delay < deadline
                  && withinBudget()) {
                retries.add(1);
                stats.retried(Faults.of(failure).cause());
                LOG.debug(
                    "load.retry loader={} attempt={} delay_ms={} cause={}",
                    family,
                    attempt + 1,
                    delay,
                    Faults.of(failure).cause());
                vertx.setTimer(
                    Math.max(1, delay), t -> attempt(work, attempt + 1, deadline, result));
                return;
              }
              result.tryFail(
                  failure instanceof OpenCircuitException
                      ? new ProblemException(openProblem(), failure)
                      : failure);
            });
  }

  /** Opens the breaker when the window's failure rate says so; asked after every try. */
  private void judge() {
    long total = calls.sum();
    if (breaker.state() == CircuitBreakerState.CLOSED
        && total >= config.minCalls()
        && failures.sum() >= config.failureRate() * total) {
      breaker.open();
    }
  }

  /**
   * Retries may add at most {@code retry_budget_ratio} of the window's calls, or {@code
   * retry_budget_min}.
   */
  private boolean withinBudget() {
    long allowed =
        Math.max(
            config.retryBudgetMin(),
            (long) (config.retryBudgetRatio() * (calls.sum() - retries.sum())));
    return retries.sum() < allowed;
  }

  /**
   * The 503 of an open breaker: its {@code Retry-After} is the time until it lets a trial call
   * through.
   */
  Problem openProblem() {
    long left = openedAt + config.resetSeconds() * 1000L - System.currentTimeMillis();
    int seconds = (int) Math.max(1, (left + 999) / 1000);
    return Problem.unavailable(
        "The " + family + " loader's circuit is open after repeated database failures", seconds);
  }

  /**
   * What a failed call means to its client ({@link Faults#problemOf}), with this breaker's time
   * left.
   */
  Problem problemOf(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return openProblem();
    }
    return Faults.problemOf(failure, timeoutSeconds, 1);
  }

  CircuitBreakerState state() {
    return breaker.state();
  }

  void close() {
    breaker.close();
  }

  /** Counts over the last {@code seconds} seconds, in one-second buckets. */
  static final class Window {
    private final long[] counts;
    private final long[] stamps;

    Window(int seconds) {
      counts = new long[seconds];
      stamps = new long[seconds];
    }

    void add(long n) {
      long second = System.currentTimeMillis() / 1000;
      int at = (int) (second % counts.length);
      if (stamps[at] != second) {
        stamps[at] = second;
        counts[at] = 0;
      }
      counts[at] += n;
    }

    long sum() {
      long second = System.currentTimeMillis() / 1000;
      long sum = 0;
      for (int i = 0; i < counts.length; i++) {
        if (second - stamps[i] < counts.length) {
          sum += counts[i];
        }
      }
      return sum;
    }

    void clear() {
      java.util.Arrays.fill(counts, 0);
    }
  }
}
