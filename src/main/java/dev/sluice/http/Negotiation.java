package dev.sluice.http;

import dev.sluice.api.Problem;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Content negotiation by {@code Accept} (RFC 9110, 12.5.1), as vertx-web parsed it (its ranges in
 * order of preference): the first offered type that the most preferred acceptable range matches,
 * where a type's quality is that of the most specific range matching it, and a quality of 0 refuses
 * the type even where a wildcard would allow it. No {@code Accept} at all takes the first type
 * offered. vertx-web's own {@code Route.produces} ignores {@code q=0}, hence this.
 */
final class Negotiation {

  static final String JSON = "application/json";

  private Negotiation() {}

  /**
   * The type of {@code offered} to send, or null when {@code accepted} allows none of them (a 406).
   */
  static String choose(List<MIMEHeader> accepted, List<String> offered) {
    if (accepted.isEmpty()) {
      return offered.get(0);
    }
    for (MIMEHeader range : accepted) {
      if (range.weight() < 0.001f) {
        continue;
      }
      for (String type : offered) {
        if (matches(range, type) && quality(accepted, type) > 0) {
          return type;
        }
      }
    }
    return null;
  }

  /**
   * {@code handler} for a resource that is only {@code type}: a request whose {@code Accept}
   * refuses it gets a 406 problem instead (problems are sent whatever {@code Accept} says: RFC 9110
   * lets a server disregard it for errors).
   */
  static Handler<RoutingContext> only(String type, Handler<RoutingContext> handler) {
    List<String> offered = List.of(type);
    return ctx -> {
      Edge.vary(ctx.response(), "Accept"); // a 406 or not, by Accept
      if (ctx.request().headers().contains(HttpHeaders.ACCEPT)
          && choose(ctx.parsedHeaders().accept(), offered) == null) {
        Problems.send(
            ctx,
            Problem.notAcceptable(
                "This resource is "
                    + type
                    + ", which the request's Accept "
                    + "header does not allow"));
      } else {
        handler.handle(ctx);
      }
    };
  }

  /**
   * The quality the client gives a type: that of the most specific range that matches it (0 if none
   * does).
   */
  private static float quality(List<MIMEHeader> accepted, String type) {
    float quality = 0;
    int best = -1;
    for (MIMEHeader range : accepted) {
      if (matches(range, type)) {
        int specificity =
            "*".equals(range.component()) ? 0 : "*".equals(range.subComponent()) ? 1 : 2;
        if (specificity > best) {
          best = specificity;
          quality = range.weight();
        }
      }
    }
    return quality;
  }

  private static boolean matches(MIMEHeader range, String type) {
    int slash = type.indexOf('/');
    return ("*".equals(range.component())
            || type.substring(0, slash).equalsIgnoreCase(range.component()))
        && ("*".equals(range.subComponent())
            || type.substring(slash + 1).equalsIgnoreCase(range.subComponent()));
  }
}
