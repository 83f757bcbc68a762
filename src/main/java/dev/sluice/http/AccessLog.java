package dev.sluice.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line for every response that carries a request id, routed or refused before
 * any route (a request line, headers or body over the limits, an HTTP version this server does not
 * read, bytes that are not HTTP). Its level says whose fault it was: a client's error (4xx, and 505
 * for a request line in an HTTP version it does not read) is INFO like a success, since a probe of
 * bad inputs is not the operator's problem; 503 and 504 (capacity, a timeout, a DOWN health check)
 * are WARN; any other 5xx is an ERROR, the service's own fault. Written through the {@code
 * sluice.access} logger, which logback hands to an asynchronous appender.
 */
final class AccessLog {

  static final Logger LOG = LoggerFactory.getLogger("sluice.access");

  /**
   * The route of a request no route matched, in this log and in the {@code route} label of the HTTP
   * metrics.
   */
  static final String UNMATCHED = "unmatched";

  private AccessLog() {}

  /** Logs the request once its response has ended or its connection closed. */
  static void watch(RoutingContext ctx, String requestId) {
    long started = System.nanoTime();
    HttpMethod method = ctx.request().method();
    ctx.addEndHandler(
        v ->
            log(
                method,
                route(ctx),
                ctx.response().getStatusCode(),
                (System.nanoTime() - started) / 1_000_000,
                ctx.response().bytesWritten(),
                requestId));
  }

  /**
   * The route's name (its path template, {@code /api/v1/videos/{videoId}}), or {@link #UNMATCHED};
   * the HTTP metrics are told the same when no route matched, so that both spell a request alike.
   */
  static String route(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    return route == null || route.getName() == null ? UNMATCHED : route.getName();
  }

  /**
   * Tells the HTTP metrics that a request no route matched is {@link #UNMATCHED} (they would say
   * {@code ""}); called before its response ends, since Vert.x takes no route once a response has
   * ended.
   */
  static void unmatched(RoutingContext ctx) {
    if (UNMATCHED.equals(route(ctx))) {
      ctx.request().routed(UNMATCHED);
    }
  }

  static void log(
      HttpMethod method, String route, int status, long millis, long bytes, String requestId) {
    String line = "http.access method={} route=\"{}\" status={} ms={} bytes={} request_id={}";
    Object[] args = {method, route, status, millis, bytes, requestId};
    if (status == 503 || status == 504) {
      LOG.warn(line, args);
    } else if (status >= 500 && status != 505) {
      LOG.error(line, args);
    } else {
      LOG.info(line, args);
    }
  }
}
