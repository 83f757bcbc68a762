package dev.sluice.api;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Every status code Sluice sends, in one place. Loaders fail event-bus requests with {@code
 * message.fail(code, problemJson)} using these HTTP statuses, so the gateway maps them one to one;
 * {@link #problemOf(Throwable)} is the one mapping of event-bus failures to problems, for the
 * gateway and every other bus client.
 */
public final class Failures {

  public static final int NOT_MODIFIED = 304;
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int METHOD_NOT_ALLOWED = 405;
  public static final int NOT_ACCEPTABLE = 406;
  public static final int CONTENT_TOO_LARGE = 413;
  public static final int URI_TOO_LONG = 414;
  public static final int TOO_MANY_REQUESTS = 429;
  public static final int HEADERS_TOO_LARGE = 431;

  /**
   * The consumer of a stream went away or cancelled it (nginx's "client closed request"); never
   * sent on HTTP.
   */
  public static final int CLIENT_CLOSED = 499;

  public static final int INTERNAL = 500;
  public static final int UNAVAILABLE = 503;
  public static final int TIMEOUT = 504;
  public static final int HTTP_VERSION_NOT_SUPPORTED = 505;

  /**
   * The event-bus failure code of a loader that is stopping (its verticle undeploys, its node
   * leaves): the request reached a loader that will not serve it, and another instance may. Senders
   * try again; HTTP sees a 503.
   */
  public static final int LEAVING = 590;

  private Failures() {}

  /**
   * Whether {@code failure} came from a loader that is stopping, worth sending again: it said so,
   * or its consumer was unregistering as the request reached it (Vert.x then discards the request
   * and answers with a TIMEOUT at once, whose message says "Discarded").
   */
  public static boolean leaving(Throwable failure) {
    return failure instanceof ReplyException reply
        && (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == LEAVING
            || discarded(reply));
  }

  private static boolean discarded(ReplyException reply) {
    return reply.failureType() == ReplyFailure.TIMEOUT
        && reply.getMessage() != null
        && reply.getMessage().startsWith(DISCARDED);
  }

  /**
   * How Vert.x 5.0.7 words a request its consumer discarded (HandlerRegistration#discardMessage).
   */
  private static final String DISCARDED = "Discarded the request";

  /**
   * The problem an event-bus failure means: a loader's own problem as it sent it, no handler as 503
   * (no loader is serving), a bus timeout as 504, anything else unexpected as 500.
   */
  public static ProblemException problemOf(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case RECIPIENT_FAILURE ->
            new ProblemException(
                Problem.fromJson(
                    reply.failureCode() == LEAVING ? UNAVAILABLE : reply.failureCode(),
                    reply.getMessage()));
        case NO_HANDLERS ->
            new ProblemException(
                Problem.unavailable("No loader is serving this data right now", 5));
        case TIMEOUT ->
            new ProblemException(
                discarded(reply)
                    ? Problem.unavailable("The loader stopped before taking the request", 1)
                    : Problem.timeout("The load did not finish in time"));
        case ERROR ->
            new ProblemException(Problem.unavailable("The loader could not be reached", 5));
      };
    }
    return failure instanceof ProblemException p ? p : new ProblemException(Problem.internal());
  }
}
