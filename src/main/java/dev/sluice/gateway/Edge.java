package dev.sluice.gateway;

import dev.sluice.config.HttpConfig;
import dev.sluice.monitor.NodeState;
import dev.sluice.problem.Failures;
import dev.sluice.problem.Problem;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.LoggerFormat;
import io.vertx.ext.web.handler.LoggerHandler;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * What every request meets before its route: a request id ({@code X-Request-Id}: the client's own when it is at most
 * 64 URL-safe characters, else a new one), echoed on the response, carried into problem bodies, loader requests and
 * log lines; refusal with 503 once the node is shutting down (the health and metrics endpoints still answer); 413 for
 * a body over the limit; the count of requests in flight that a graceful shutdown waits for; and one access-log line
 * per request (method, route, status, duration, bytes, request id) through vertx-web's {@link LoggerHandler}. Requests
 * the HTTP decoder refuses before any route (a request line or headers over the limits) get their 414/431 as
 * problem+json too ({@link #invalidRequest}).
 */
final class Edge implements Handler<RoutingContext> {

  static final String REQUEST_ID = "X-Request-Id";
  /** Where a request's id is kept in its routing context. */
  static final String REQUEST_ID_KEY = "sluice.request-id";
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

  private final Vertx vertx;
  private final HttpConfig config;
  private final AtomicInteger inFlight;

  Edge(Vertx vertx, HttpConfig config, AtomicInteger inFlight) {
    this.vertx = vertx;
    this.config = config;
    this.inFlight = inFlight;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = requestId(ctx.request().getHeader(REQUEST_ID));
    ctx.put(REQUEST_ID_KEY, id);
    ctx.response().putHeader(REQUEST_ID, id);
    String path = ctx.request().path();
    boolean operations = path.startsWith("/health") || path.startsWith("/metrics");
    if (!operations && NodeState.isShuttingDown(vertx)) {
      closeAfter(ctx);
      Problems.send(ctx, Problem.unavailable("This node is shutting down; try another or again shortly", 1));
      return;
    }
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && exceeds(length, config.maxBodyBytes())) {
      closeAfter(ctx); // the body it does not read would follow on this connection
      Problems.send(ctx, Problem.of(Failures.CONTENT_TOO_LARGE, "body-too-large", "Request body too large",
        "No endpoint takes a body of more than " + config.maxBodyBytes() + " bytes"));
      return;
    }
    inFlight.incrementAndGet();
    ctx.addEndHandler(v -> inFlight.decrementAndGet());
    ctx.next();
  }

  /** The access log: one line per request, when its response has ended or its connection closed. */
  static LoggerHandler accessLog() {
    return LoggerHandler.create(LoggerFormat.CUSTOM).customFormatter((ctx, ms) -> {
      Route route = ctx.currentRoute();
      String name = route == null || route.getName() == null ? "unmatched" : route.getName();
      return "http.access method=" + ctx.request().method() + " route=\"" + name + "\" status="
        + ctx.response().getStatusCode() + " ms=" + ms + " bytes=" + ctx.response().bytesWritten()
        + " request_id=" + ctx.get(REQUEST_ID_KEY);
    });
  }

  /** The request id of a request: the client's when it is safe to echo, else a new one. */
  static String requestId(String fromClient) {
    return fromClient != null && CLIENT_ID.matcher(fromClient).matches() ? fromClient : newId();
  }

  /**
   * A random (version 4) UUID from the thread's own generator: {@code UUID.randomUUID()} draws on one shared
   * {@code SecureRandom}, which every event loop would contend for at each request; an id needs to be unique, not
   * unguessable.
   */
  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  /** The request id of a routed request ({@link #handle} gave it one). */
  static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID_KEY);
    return id == null ? requestId((String) null) : id;
  }

  /**
   * What the HTTP server does with a request its decoder refused: 414 for a request line over
   * {@code max_request_line_bytes}, 431 for headers over {@code max_header_bytes}, else 400, each as problem+json
   * with a request id, and the connection closed (what follows on it cannot be trusted).
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem;
    if (cause instanceof TooLongHttpLineException) {
      problem = Problem.of(Failures.URI_TOO_LONG, "uri-too-long", "Request line too long",
        "The request line is longer than this server accepts");
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem = Problem.of(Failures.HEADERS_TOO_LARGE, "headers-too-large", "Request header fields too large",
        "The request's headers are larger than this server accepts");
    } else {
      problem = Problem.badRequest("The request could not be read as HTTP");
    }
    String id = requestId((String) null);
    request.response().setStatusCode(problem.status())
      .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
      .putHeader(REQUEST_ID, id)
      .putHeader(HttpHeaders.CONNECTION, "close")
      .end(Problems.body(problem, id))
      .onComplete(v -> request.connection().close());
  }

  /**
   * Says {@code Connection: close} and closes the connection once the response is written: Vert.x 5 keeps a
   * connection alive by the request's headers alone, whatever the response says. HTTP/2 streams share their
   * connection, so only an HTTP/1 connection is closed.
   */
  private static void closeAfter(RoutingContext ctx) {
    if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      ctx.addEndHandler(v -> ctx.request().connection().close());
    }
  }

  private static boolean exceeds(String length, long max) {
    try {
      return Long.parseLong(length.trim()) > max;
    } catch (NumberFormatException e) {
      return true; // not a length at all: refused like a body too large to read
    }
  }
}
