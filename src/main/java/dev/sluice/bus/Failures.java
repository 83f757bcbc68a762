package dev.sluice.bus;

/**
 * Failure codes a loader sends with {@code message.fail(code, problemJson)}: HTTP statuses, so the gateway maps them
 * one to one. Event-bus failures of its own ({@code NO_HANDLERS}, {@code TIMEOUT}) the gateway maps to
 * {@link #UNAVAILABLE} and {@link #TIMEOUT}.
 */
public final class Failures {

  public static final int BAD_REQUEST = 400;
  public static final int NOT_FOUND = 404;
  public static final int TOO_MANY_REQUESTS = 429;
  public static final int INTERNAL = 500;
  public static final int UNAVAILABLE = 503;
  public static final int TIMEOUT = 504;

  private Failures() {
  }
}
