package dev.sluice.http;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes problems as {@code application/problem+json}: the only way an error leaves the gateway.
 */
final class Problems {

  static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  static void send(RoutingContext ctx, Throwable failure) {
    Problem problem = failure instanceof ProblemException p ? p.problem() : Problem.internal();
    send(ctx, problem);
  }

  static void send(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    AccessLog.unmatched(ctx);
    response.setStatusCode(problem.status()).putHeader("Content-Type", CONTENT_TYPE);
    if (problem.retryAfterSeconds() != null) {
      response.putHeader("Retry-After", Integer.toString(problem.retryAfterSeconds()));
    }
    response.end(body(problem, Edge.requestId(ctx)));
  }

  /** A problem's body, naming the request it answers. */
  static String body(Problem problem, String requestId) {
    return problem.toJson().put("request_id", requestId).encode();
  }
}
