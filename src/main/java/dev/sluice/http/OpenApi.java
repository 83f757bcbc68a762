package dev.sluice.http;

import dev.sluice.config.SluiceConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The OpenAPI 3.1 description of the gateway (docs/API.md), with the bounds this configuration
 * sets. Its paths are the router's own routes ({@link Served#of}), each given the description
 * {@link OpenApiPaths} holds for its path template and method; a route without one fails the build,
 * so the gateway does not start with a route the document does not know. Two rules leave routes
 * out, both stated in the document's {@code info.description}:
 *
 * <ul>
 *   <li>{@link #describes}: a route whose path ends in {@code /*} serves static files (the
 *       console's {@code /console/*}, the WebJars' {@code /webjars/*}) and has no operation;
 *   <li>{@link #implied}: {@code HEAD} is {@code GET} without the body on every {@code GET} route
 *       (RFC 9110), and {@code OPTIONS} answers every served path with {@code Allow}; neither is
 *       listed per path.
 * </ul>
 *
 * The components (envelopes, rows, problems, headers) are {@link OpenApiSchemas}'s, the parameters
 * {@link OpenApiParameters}'.
 */
final class OpenApi {

  private OpenApi() {}

  /** A route of the router: its path template in OpenAPI's spelling and the methods it takes. */
  record Served(String path, Set<HttpMethod> methods) {

    /**
     * The named routes of {@code router} in their order (the gateway names each by its path
     * template, as this document spells paths; the handlers of every request have no name); one
     * entry per path.
     */
    static List<Served> of(Router router) {
      List<Served> served = new ArrayList<>();
      for (Route route : router.getRoutes()) {
        if (route.getName() == null || !route.getName().startsWith("/")) {
          continue;
        }
        String path = route.getName();
        Set<HttpMethod> methods = new TreeSet<>(java.util.Comparator.comparing(HttpMethod::name));
        methods.addAll(route.methods());
        for (Served known : served) {
          if (known.path().equals(path)) {
            methods.addAll(known.methods());
          }
        }
        served.removeIf(known -> known.path().equals(path));
        served.add(new Served(path, java.util.Collections.unmodifiableSet(methods)));
      }
      return List.copyOf(served);
    }

    static JsonArray toJson(List<Served> routes) {
      JsonArray array = new JsonArray();
      for (Served route : routes) {
        array.add(
            new JsonObject()
                .put("path", route.path())
                .put(
                    "methods",
                    new JsonArray(
                        route.methods().stream().map(HttpMethod::name).sorted().toList())));
      }
      return array;
    }
  }

  /** Whether a route has operations in the document: not the static files of a {@code /*} route. */
  static boolean describes(String path) {
    return !path.endsWith("/*");
  }

  /** Whether a method of a route is left to the document's rule: HEAD beside GET. */
  static boolean implied(HttpMethod method, Set<HttpMethod> methods) {
    return method.equals(HttpMethod.HEAD) && methods.contains(HttpMethod.GET)
        || method.equals(HttpMethod.OPTIONS);
  }

  /**
   * The document of the routes {@code routes} with this configuration's bounds.
   *
   * @throws IllegalStateException when a route has no description
   */
  static JsonObject document(SluiceConfig settings, List<Served> routes) {
    return document(
        settings, routes, new OpenApiPaths(dev.sluice.plan.Operations.create(settings)));
  }

  /** As {@link #document(SluiceConfig, List)}, with the descriptions the gateway holds already. */
  static JsonObject document(
      SluiceConfig settings, List<Served> routes, OpenApiPaths descriptions) {
    JsonObject paths = new JsonObject();
    List<String> undescribed = new ArrayList<>();
    for (Served route : routes) {
      if (!describes(route.path())) {
        continue;
      }
      JsonObject item = new JsonObject();
      for (HttpMethod method : route.methods()) {
        if (implied(method, route.methods())) {
          continue;
        }
        JsonObject operation = descriptions.operation(route.path(), method);
        if (operation == null) {
          undescribed.add(method + " " + route.path());
        } else {
          item.put(method.name().toLowerCase(Locale.ROOT), operation);
        }
      }
      paths.put(route.path(), item);
    }
    if (!undescribed.isEmpty()) {
      throw new IllegalStateException(
          "routes without a description in OpenApiPaths: " + undescribed);
    }
    return new JsonObject()
        .put("openapi", "3.1.0")
        .put("info", info())
        // relative: Swagger UI's "Try it out" asks the origin that served the document
        .put("servers", new JsonArray().add(new JsonObject().put("url", "/")))
        .put("tags", tags())
        .put("paths", paths)
        .put("components", OpenApiSchemas.components());
  }

  private static JsonObject info() {
    return new JsonObject()
        .put("title", "Sluice")
        .put("version", "1")
        .put(
            "summary",
            "Large PostgreSQL datasets served lazily: pages, cursors, windows, index ranges and streams")
        .put(
            "description",
            String.join(
                "\n\n",
                "The HTTP contract of docs/API.md, generated by the gateway from its own router: every route it serves is "
                    + "here, with the bounds of the configuration it runs with.",
                "Rules that hold on every path and are not repeated per operation: `HEAD` answers as `GET` would, without "
                    + "the body; `OPTIONS` on a served path is a 204 with `Allow`; another method is a 405 problem with "
                    + "`Allow`; an unknown path is a 404 problem. Static files (`/console/*`, `/webjars/*`) are served and "
                    + "not described. Unknown query parameters are ignored; a parameter given twice is a 400. Every response "
                    + "carries `X-Request-Id`; a request line, headers or a body over the configured limits are a 414, 431 "
                    + "or 413; while the node shuts down every request but `/health*` and `/metrics` gets a 503 with "
                    + "`Retry-After`.",
                "Every error is `application/problem+json` (RFC 9457), with `errors[]` naming the parameters at fault and "
                    + "`request_id`."));
  }

  private static JsonArray tags() {
    JsonArray tags = new JsonArray();
    for (String[] tag :
        new String[][] {
          {"videos", "Loader `videos`"},
          {"users", "Loader `users`"},
          {"analytics", "Loader `analytics`"},
          {"templates", "Loader `templates`"},
          {"search", "Loader `search`"},
          {"operations", "Health, metrics, statistics and the cache"},
          {"console", "The console and this document"}
        }) {
      tags.add(new JsonObject().put("name", tag[0]).put("description", tag[1]));
    }
    return tags;
  }
}
