package dev.sluice.db;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a failed load means, as one table: whether it may be tried again (loads are reads, so a
 * failure of the connection or of the server's availability may be), and what the client is told
 * when it is not or no try is left. Classified by type and SQLSTATE only, never by the words of a
 * message. The first matching row wins; a failure no row matches is a fault of Sluice (500, never
 * retried).
 */
public final class Faults {

  /** How a failure is handled. */
  public enum Kind {
    /**
     * The connection or the server's availability failed; another try may well succeed. 503 when
     * none is left.
     */
    TRANSIENT,
    /**
     * The database cannot take the load now and another try at once would not help. 503, not
     * retried.
     */
    UNAVAILABLE,
    /** The load ran past its timeout. 504, not retried: it would only run as long again. */
    TIMEOUT,
    /**
     * The statement itself is at fault (syntax, data, constraint, permission) or Sluice is. 500,
     * not retried.
     */
    PERMANENT,
    /**
     * Sluice's own capacity is used up (a pool's wait queue is full): 503, not retried, and not the
     * database's fault, so it never counts towards opening a breaker.
     */
    BUSY
  }

  /**
   * One row of the table.
   *
   * @param cause the bounded label of the failure in metrics and logs
   */
  public record Rule(String cause, Kind kind, Predicate<Throwable> matches) {}

  /** The table, in order. */
  public static final List<Rule> RULES =
      List.of(
          state("57014", "statement_timeout", Kind.TIMEOUT),
          state("57P01", "admin_shutdown", Kind.TRANSIENT),
          state("57P02", "crash_shutdown", Kind.TRANSIENT),
          state("57P03", "cannot_connect_now", Kind.TRANSIENT),
          state("53300", "too_many_connections", Kind.TRANSIENT),
          state("40001", "serialization_failure", Kind.TRANSIENT),
          state("40P01", "deadlock", Kind.TRANSIENT),
          stateClass("08", "connection_exception", Kind.TRANSIENT),
          stateClass("53", "insufficient_resources", Kind.UNAVAILABLE),
          type(ClosedConnectionException.class, "connection_closed", Kind.TRANSIENT),
          type(ConnectException.class, "connect_failed", Kind.TRANSIENT),
          // the socket failed under a command (reset, broken pipe): how vertx-pg-client reports a
          // terminated backend
          type(IOException.class, "connection_lost", Kind.TRANSIENT),
          type(ConnectionPoolTooBusyException.class, "pool_full", Kind.BUSY),
          type(OpenCircuitException.class, "circuit_open", Kind.UNAVAILABLE),
          type(io.vertx.circuitbreaker.TimeoutException.class, "timeout", Kind.TIMEOUT),
          type(PgException.class, "statement_error", Kind.PERMANENT));

  /** The cause of a failure no row matches: a fault of Sluice. */
  public static final String UNKNOWN_CAUSE = "internal";

  /**
   * The cause of a load Sluice refused itself, without trying it (a loader at its limit, or
   * stopping).
   */
  public static final String REFUSED_CAUSE = "refused";

  private static final Rule UNKNOWN = new Rule(UNKNOWN_CAUSE, Kind.PERMANENT, t -> true);

  private Faults() {}

  /**
   * The row that classifies {@code failure}: of the failure itself, else of the first cause a row
   * knows.
   */
  public static Rule of(Throwable failure) {
    int depth = 0; // a cause chain that loops back on itself ends here too
    for (Throwable t = failure;
        t != null && depth++ < 16;
        t = t.getCause() == t ? null : t.getCause()) {
      for (Rule rule : RULES) {
        if (rule.matches().test(t)) {
          return rule;
        }
      }
    }
    return UNKNOWN;
  }

  /**
   * Whether the failure is the database's (or the way to it), as the breaker and the error counts
   * see it.
   */
  public static boolean isDatabaseFault(Throwable failure) {
    if (failure instanceof ProblemException) {
      return false;
    }
    Rule rule = of(failure);
    return rule != UNKNOWN
        && rule.kind() != Kind.PERMANENT
        && rule.kind() != Kind.BUSY
        && !"circuit_open".equals(rule.cause());
  }

  public static boolean retriable(Throwable failure) {
    return !(failure instanceof ProblemException) && of(failure).kind() == Kind.TRANSIENT;
  }

  /**
   * What a failed load means to its client: the problem it carries, or its row's: a 504 past the
   * timeout, a 503 (with {@code retryAfterSeconds}) when the database is unavailable, a 500 without
   * detail otherwise.
   */
  public static Problem problemOf(Throwable failure, int timeoutSeconds, int retryAfterSeconds) {
    if (failure instanceof ProblemException p) {
      return p.problem();
    }
    return switch (of(failure).kind()) {
      case TIMEOUT -> Problem.timeout("The load ran past its timeout of " + timeoutSeconds + " s");
      case TRANSIENT, UNAVAILABLE ->
          Problem.unavailable("The database is unavailable or busy", retryAfterSeconds);
      case BUSY ->
          Problem.unavailable("Too many loads in progress; try again shortly", retryAfterSeconds);
      case PERMANENT -> Problem.internal();
    };
  }

  private static Rule state(String sqlState, String cause, Kind kind) {
    return new Rule(
        cause, kind, t -> t instanceof PgException pg && sqlState.equals(pg.getSqlState()));
  }

  private static Rule stateClass(String prefix, String cause, Kind kind) {
    return new Rule(
        cause,
        kind,
        t ->
            t instanceof PgException pg
                && pg.getSqlState() != null
                && pg.getSqlState().startsWith(prefix));
  }

  private static Rule type(Class<? extends Throwable> type, String cause, Kind kind) {
    return new Rule(cause, kind, type::isInstance);
  }
}
