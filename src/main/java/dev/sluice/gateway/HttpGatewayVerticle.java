package dev.sluice.gateway;

import dev.sluice.bus.LoaderReply;
import dev.sluice.bus.Operation;
import dev.sluice.bus.Problem;
import dev.sluice.bus.SluiceClient;
import dev.sluice.config.SluiceConfig;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The HTTP face of Sluice: maps each endpoint of docs/API.md to a loader operation, forwards the request's
 * parameters over the event bus through {@link SluiceClient}, and writes the loader's encoded envelope as it is,
 * with a {@code Link} header for cursors. Every error leaves as problem+json ({@link Problems}).
 */
public class HttpGatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpGatewayVerticle.class);
  static final String API = "/api/v1";
  static final String LIMITS_MAP = "sluice.gateway";

  private SluiceClient client;
  private HttpServer server;

  @Override
  public Future<?> start() {
    SluiceConfig settings = SluiceConfig.from(config());
    // the bus waits a little longer than the database may run, so a slow load surfaces as the loader's 504
    client = SluiceClient.create(vertx, settings.lazy().timeoutSeconds() * 1000L + 2_000);
    Router router = Router.router(vertx);
    route(router, "/users/:userId/videos", Operation.USER_VIDEOS);
    route(router, "/videos", Operation.VIDEOS);
    route(router, "/videos/popular", Operation.POPULAR_VIDEOS);
    route(router, "/videos/:videoId/analytics", Operation.VIDEO_ANALYTICS);
    route(router, "/users", Operation.USERS);
    route(router, "/users/range", Operation.USER_RANGE);
    route(router, "/users/analytics", Operation.USER_ANALYTICS);
    route(router, "/users/:userId/sessions", Operation.USER_SESSIONS);
    route(router, "/analytics/platform", Operation.PLATFORM_ANALYTICS);
    route(router, "/analytics/errors", Operation.ERROR_LOGS);
    route(router, "/analytics/reports/:reportType", Operation.REPORT);
    route(router, "/templates", Operation.TEMPLATES);
    route(router, "/templates/:templateId/assets", Operation.TEMPLATE_ASSETS);
    route(router, "/search", Operation.SEARCH);
    route(router, "/search/suggestions", Operation.SUGGESTIONS);
    StreamLimits limits = (StreamLimits) vertx.sharedData().<String, StreamLimits>getLocalMap(LIMITS_MAP)
      .computeIfAbsent("streams", k -> new StreamLimits(settings.streaming().maxStreams(),
        settings.streaming().maxStreamsPerClient()));
    StreamResponder streams = new StreamResponder(vertx, client, settings, limits);
    router.get(API + "/videos/stream").handler(streams.handler(Operation.VIDEO_STREAM));
    router.get(API + "/users/stream").handler(streams.handler(Operation.USER_STREAM));
    router.get(API + "/templates/stream").handler(streams.handler(Operation.TEMPLATE_STREAM));
    router.get(API + "/search/stream").handler(streams.handler(Operation.SEARCH_STREAM));
    router.get(API + "/analytics/performance/stream").handler(streams.handler(Operation.PERFORMANCE_STREAM));
    router.errorHandler(405, ctx -> Problems.send(ctx, Problem.of(405, "method-not-allowed", "Method not allowed",
      ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(404, ctx -> Problems.send(ctx,
      Problem.notFound("No resource at " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(400, ctx -> Problems.send(ctx, Problem.of(400, "bad-request", "Bad request",
      "The request could not be read")));
    router.errorHandler(500, this::internalError);

    HttpServerOptions options = new HttpServerOptions()
      .setHost(settings.http().host())
      .setPort(settings.http().port())
      .setIdleTimeout(settings.http().idleTimeoutSeconds())
      .setTcpNoDelay(true);
    return vertx.createHttpServer(options)
      .requestHandler(router)
      .listen()
      .onSuccess(s -> {
        server = s;
        LOG.info("gateway.listening host={} port={}", settings.http().host(), s.actualPort());
      });
  }

  private void route(Router router, String path, Operation operation) {
    router.get(API + path).handler(forward(operation));
  }

  private Handler<RoutingContext> forward(Operation operation) {
    return ctx -> {
      JsonObject params = params(ctx);
      client.request(operation, params)
        .onSuccess(reply -> ok(ctx, reply))
        .onFailure(err -> Problems.send(ctx, err));
    };
  }

  /** The request's query and path parameters, as a loader reads them (a repeated one as an array). */
  static JsonObject params(RoutingContext ctx) {
    JsonObject params = new JsonObject();
    for (String name : ctx.queryParams().names()) {
      List<String> values = ctx.queryParam(name);
      params.put(name, values.size() == 1 ? values.get(0) : new JsonArray(List.copyOf(values)));
    }
    for (Map.Entry<String, String> path : ctx.pathParams().entrySet()) {
      params.put(path.getKey(), path.getValue());
    }
    return params;
  }

  private void ok(RoutingContext ctx, LoaderReply reply) {
    var response = ctx.response().putHeader("Content-Type", "application/json");
    String link = link(ctx, reply);
    if (link != null) {
      response.putHeader("Link", link);
    }
    response.end(reply.body());
  }

  /** RFC 8288 links to the next and previous pages: this request with its {@code cursor} replaced. */
  private static String link(RoutingContext ctx, LoaderReply reply) {
    if (reply.nextCursor() == null && reply.prevCursor() == null) {
      return null;
    }
    StringBuilder link = new StringBuilder();
    if (reply.nextCursor() != null) {
      link.append('<').append(withCursor(ctx, reply.nextCursor())).append(">; rel=\"next\"");
    }
    if (reply.prevCursor() != null) {
      if (link.length() > 0) {
        link.append(", ");
      }
      link.append('<').append(withCursor(ctx, reply.prevCursor())).append(">; rel=\"prev\"");
    }
    return link.toString();
  }

  private static String withCursor(RoutingContext ctx, String cursor) {
    QueryStringEncoder encoder = new QueryStringEncoder(ctx.request().path());
    for (String name : ctx.queryParams().names()) {
      if (!"cursor".equals(name)) {
        for (String value : ctx.queryParam(name)) {
          encoder.addParam(name, value);
        }
      }
    }
    encoder.addParam("cursor", cursor);
    return encoder.toString();
  }

  private void internalError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof IllegalArgumentException) {
      // a query string that cannot be decoded (bad percent-encoding) is the client's fault
      Problems.send(ctx, Problem.of(400, "bad-request", "Bad request", "The query string could not be decoded"));
      return;
    }
    LOG.error("gateway.failed path={}", ctx.request().path(), failure);
    Problems.send(ctx, Problem.internal());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
