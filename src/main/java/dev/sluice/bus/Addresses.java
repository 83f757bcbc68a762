package dev.sluice.bus;

/**
 * Every event-bus address Sluice consumes, in one place. docs/EVENT_BUS.md documents each message shape.
 *
 * <p>A loader address takes requests whose {@code action} header names the operation ({@link Operation}) and whose
 * body is a {@code JsonObject} of request parameters (strings as in a query string, or JSON values). The reply body
 * is a {@code Buffer}: the UTF-8 JSON envelope of docs/API.md section 2, encoded once by the loader; the headers
 * {@link #NEXT_CURSOR_HEADER} and {@link #PREV_CURSOR_HEADER} carry the cursors for a {@code Link} header. A failure
 * arrives as a {@code ReplyException} whose code is an HTTP status ({@link Failures}) and whose message is a
 * problem+json document ({@link Problem}).
 */
public final class Addresses {

  public static final String VIDEOS = "sluice.videos";
  public static final String USERS = "sluice.users";
  public static final String ANALYTICS = "sluice.analytics";
  public static final String TEMPLATES = "sluice.templates";
  public static final String SEARCH = "sluice.search";

  /** Request header naming the operation of a loader request. */
  public static final String ACTION_HEADER = "action";
  /** Reply header: the cursor of the next page, when there is one. */
  public static final String NEXT_CURSOR_HEADER = "next-cursor";
  /** Reply header: the cursor of the previous page, when there is one. */
  public static final String PREV_CURSOR_HEADER = "prev-cursor";

  private Addresses() {
  }
}
