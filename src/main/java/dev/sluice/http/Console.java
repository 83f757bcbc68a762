package dev.sluice.http;

import dev.sluice.config.SluiceConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The web console and the API's description: {@code GET /} is the console's page, {@code
 * /console/*} its ES modules and styles (files of the jar, {@code src/main/resources/console}),
 * {@code /webjars/*} the libraries it uses (uPlot, Swagger UI) from their WebJars, and {@code
 * /openapi.json} the OpenAPI 3.1 document ({@link OpenApi}). Nothing is fetched from elsewhere at
 * run time and nothing is built from JavaScript sources.
 */
final class Console {

  static final String OPENAPI = "/openapi.json";
  private static final String ROOT = "console";
  private static final String WEBJARS = "META-INF/resources/webjars";

  private Console() {}

  /**
   * Mounts the console and the description; call it once every other route is registered.
   *
   * @return the routes the router serves, as the document describes them
   */
  static List<OpenApi.Served> mount(
      Router router, Allowed allowed, SluiceConfig settings, OpenApiPaths descriptions) {
    route(router, allowed, "/")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .sendFile(ROOT + "/index.html"));
    // the console's own files change with the jar, and a file of the jar has no time of its own
    // (StaticHandler would
    // date it by its first request): no validators, fetched again on every load (about 15 kB gzip'd
    // in all)
    route(router, allowed, "/console/*")
        .handler(
            ctx -> {
              ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
              ctx.next();
            })
        .handler(StaticHandler.create(ROOT).setCachingEnabled(false).setDirectoryListing(false));
    // a WebJar's path holds its version, so its files never change
    route(router, allowed, "/webjars/*")
        .handler(
            StaticHandler.create(WEBJARS)
                .setMaxAgeSeconds(365L * 24 * 3600)
                .setDirectoryListing(false));
    Buffer document = Buffer.buffer();
    route(router, allowed, OPENAPI)
        .handler(
            Negotiation.only(
                Negotiation.JSON,
                ctx ->
                    ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                        .end(document)));
    // written once the router holds every route, this one included (a route is on the router once
    // it has a
    // handler); a route without a description fails the start
    List<OpenApi.Served> served = OpenApi.Served.of(router);
    document.appendBuffer(OpenApi.document(settings, served, descriptions).toBuffer());
    return served;
  }

  /**
   * A GET and HEAD route named by its path; a path ending in {@code /*} takes everything under it.
   */
  private static Route route(Router router, Allowed allowed, String path) {
    if (path.endsWith("/*")) {
      allowed.regex(
          Pattern.quote(path.substring(0, path.length() - 1)) + ".*",
          HttpMethod.GET,
          HttpMethod.HEAD);
    } else {
      allowed.path(path, HttpMethod.GET, HttpMethod.HEAD);
    }
    return router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).setName(path);
  }
}
