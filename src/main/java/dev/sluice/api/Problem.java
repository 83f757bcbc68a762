package dev.sluice.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * An RFC 9457 problem: what the client did wrong, or what went wrong, in words fit for the client.
 * Never carries a stack trace or SQL.
 *
 * @param type the last segment of the problem type URI ({@code invalid-parameter}, {@code
 *     invalid-cursor}, …)
 * @param errors the parameters at fault, each with what is wrong with it
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    List<ParameterError> errors,
    Integer retryAfterSeconds) {

  public static final String TYPE_BASE = "https://sluice.dev/problems/";

  public record ParameterError(String parameter, String message) {}

  public static Problem invalidParameters(List<ParameterError> errors) {
    ParameterError first = errors.get(0);
    String detail =
        errors.size() == 1
            ? first.parameter() + " " + first.message()
            : first.parameter() + " " + first.message() + " (and " + (errors.size() - 1) + " more)";
    return new Problem(
        "invalid-parameter",
        "Invalid parameter",
        Failures.BAD_REQUEST,
        detail,
        List.copyOf(errors),
        null);
  }

  public static Problem invalidCursor(String parameter, String message) {
    return new Problem(
        "invalid-cursor",
        "Invalid cursor",
        Failures.BAD_REQUEST,
        parameter + " " + message,
        List.of(new ParameterError(parameter, message)),
        null);
  }

  public static Problem notFound(String detail) {
    return new Problem("not-found", "Not found", Failures.NOT_FOUND, detail, List.of(), null);
  }

  public static Problem unavailable(String detail, int retryAfterSeconds) {
    return new Problem(
        "unavailable",
        "Service unavailable",
        Failures.UNAVAILABLE,
        detail,
        List.of(),
        retryAfterSeconds);
  }

  public static Problem timeout(String detail) {
    return new Problem("timeout", "Load timed out", Failures.TIMEOUT, detail, List.of(), null);
  }

  /**
   * A stream whose reader took nothing for its idle timeout: the producer stops (a 504 on the bus;
   * at the gateway, a client that read nothing).
   */
  public static Problem readerStalled(String detail) {
    return new Problem(
        "reader-stalled", "Stream reader stalled", Failures.TIMEOUT, detail, List.of(), null);
  }

  public static Problem badRequest(String detail) {
    return of(Failures.BAD_REQUEST, "bad-request", "Bad request", detail);
  }

  public static Problem unauthorized(String detail) {
    return of(Failures.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
  }

  public static Problem forbidden(String detail) {
    return of(Failures.FORBIDDEN, "forbidden", "Forbidden", detail);
  }

  public static Problem methodNotAllowed(String detail) {
    return of(Failures.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed", detail);
  }

  public static Problem notAcceptable(String detail) {
    return of(Failures.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable", detail);
  }

  public static Problem tooManyStreams() {
    return tooManyStreams("Too many concurrent streams; try again shortly");
  }

  /** A stream refused for want of capacity (not a fault): 429 with {@code Retry-After: 1}. */
  public static Problem tooManyStreams(String detail) {
    return new Problem(
        "too-many-streams", "Too many streams", Failures.TOO_MANY_REQUESTS, detail, List.of(), 1);
  }

  /** A stream its consumer cancelled; ends the producer, never reaches an HTTP client. */
  public static Problem cancelled() {
    return cancelled("The consumer cancelled the stream");
  }

  /** A stream its consumer cancelled, saying why. */
  public static Problem cancelled(String detail) {
    return of(Failures.CLIENT_CLOSED, "cancelled", "Cancelled", detail);
  }

  public static Problem internal() {
    return new Problem(
        "internal",
        "Internal error",
        Failures.INTERNAL,
        "The request could not be served; it has been logged",
        List.of(),
        null);
  }

  public static Problem of(int status, String type, String title, String detail) {
    return new Problem(type, title, status, detail, List.of(), null);
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("type", TYPE_BASE + type)
            .put("title", title)
            .put("status", status)
            .put("detail", detail);
    if (!errors.isEmpty()) {
      JsonArray array = new JsonArray();
      for (ParameterError e : errors) {
        array.add(new JsonObject().put("parameter", e.parameter()).put("message", e.message()));
      }
      json.put("errors", array);
    }
    if (retryAfterSeconds != null) {
      json.put("retry_after_seconds", retryAfterSeconds);
    }
    return json;
  }

  /** Reads a problem sent by {@link #toJson()} with the status it names. */
  public static Problem fromJson(String text) {
    int status;
    try {
      status = new JsonObject(text).getInteger("status", Failures.INTERNAL);
    } catch (RuntimeException e) {
      status = Failures.INTERNAL;
    }
    return fromJson(status, text);
  }

  /**
   * Reads a problem sent by {@link #toJson()}; anything else becomes a generic problem of that
   * status.
   */
  public static Problem fromJson(int status, String text) {
    try {
      JsonObject json = new JsonObject(text);
      String type = json.getString("type", TYPE_BASE + "internal");
      JsonArray array = json.getJsonArray("errors", new JsonArray());
      List<ParameterError> errors = new java.util.ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        JsonObject e = array.getJsonObject(i);
        errors.add(new ParameterError(e.getString("parameter"), e.getString("message")));
      }
      return new Problem(
          type.startsWith(TYPE_BASE) ? type.substring(TYPE_BASE.length()) : type,
          json.getString("title", "Error"),
          status,
          json.getString("detail", ""),
          errors,
          json.getInteger("retry_after_seconds"));
    } catch (RuntimeException e) {
      return status >= 500 ? internal() : of(status, "error", "Error", "The request failed");
    }
  }
}
