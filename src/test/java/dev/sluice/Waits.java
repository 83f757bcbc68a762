package dev.sluice;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How long a test waits, from its own thread, for each kind of thing: a hang fails in the time the
 * thing may take, with a timeout that says so, rather than holding the run until JUnit's default
 * timeout.
 */
public final class Waits {

  /**
   * An HTTP request, an event-bus request or a stream read whole, on the test data: under a second
   * when well.
   */
  public static final Duration REQUEST = Duration.ofSeconds(30);

  /** A SQL statement, including the bulk ones that write, delete or vacuum a million test rows. */
  public static final Duration STATEMENT = Duration.ofMinutes(2);

  /** A node, a deployment, a pool or a Vert.x instance starting or closing. */
  public static final Duration LIFECYCLE = Duration.ofMinutes(1);

  private Waits() {}

  /** The result of an HTTP or event-bus request, waited for at most {@link #REQUEST}. */
  public static <T> T request(Future<T> future) {
    return await(future, REQUEST);
  }

  /** The result of a SQL statement, waited for at most {@link #STATEMENT}. */
  public static <T> T statement(Future<T> future) {
    return await(future, STATEMENT);
  }

  /** A start or a close, waited for at most {@link #LIFECYCLE}. */
  public static <T> T lifecycle(Future<T> future) {
    return await(future, LIFECYCLE);
  }

  /**
   * The result of {@code future}, waited for at most {@code within}; a {@code TimeoutException}
   * past it.
   */
  public static <T> T await(Future<T> future, Duration within) {
    return future.timeout(within.toMillis(), TimeUnit.MILLISECONDS).await();
  }
}
