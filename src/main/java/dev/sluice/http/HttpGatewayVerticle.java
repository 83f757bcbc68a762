package dev.sluice.http;

import dev.sluice.api.Addresses;
import dev.sluice.api.Failures;
import dev.sluice.api.Problem;
import dev.sluice.bus.MonitorClient;
import dev.sluice.bus.SluiceClient;
import dev.sluice.cache.Cache;
import dev.sluice.config.SluiceConfig;
import dev.sluice.node.Membership;
import dev.sluice.node.Node;
import dev.sluice.node.NodeState;
import dev.sluice.plan.Operations;
import dev.sluice.plan.Planners;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of Sluice: maps each endpoint of docs/API.md to a loader operation. Pages are
 * answered from the node cache when it holds them and forwarded over the event bus otherwise
 * ({@link PageResponder}); streams are piped from the loaders ({@link StreamResponder}); the
 * statistics come from the monitor and the cache admin endpoints clear the node cache. Every error
 * leaves as problem+json ({@link Problems}).
 */
public final class HttpGatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpGatewayVerticle.class);
  static final String API = Operations.API;
  static final String UUID =
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  private SluiceClient client;

  /** Whichever monitor the bus picks, for the statistics of a node that runs alone. */
  private MonitorClient monitor;

  private HttpServer server;
  private StreamResponder streams;

  /** Every member's view, on a clustered node; null on one that runs alone. */
  private ClusterViews views;

  private final Node node;
  private final Operations declared;

  /** The routes this instance serves, as /openapi.json names them; empty until it started. */
  private volatile List<OpenApi.Served> served = List.of();

  /** A gateway of {@code node}. */
  public HttpGatewayVerticle(Node node) {
    this(node, null);
  }

  /**
   * A gateway of {@code node} serving the operations {@code declared} (null: as {@link
   * Operations#create} declares them for the configuration it is deployed with).
   */
  public HttpGatewayVerticle(Node node, Operations declared) {
    this.node = node;
    this.declared = declared;
  }

  /**
   * The routes this instance serves, as /openapi.json names them ({@code [{"path":
   * "/api/v1/videos/{videoId}", "methods": ["GET", "HEAD"]}, …]}); empty until it started.
   */
  public JsonArray served() {
    return OpenApi.Served.toJson(served);
  }

  @Override
  public Future<?> start() {
    SluiceConfig settings = SluiceConfig.from(config());
    // the bus waits a little longer than the database may run, so a slow load surfaces as the
    // loader's 504
    client =
        SluiceClient.create(
            vertx, settings.lazy().timeoutSeconds() * 1000L + 2_000, node.membership());
    monitor = MonitorClient.create(vertx, Membership.NONE, 5_000);
    return node.cache()
        .compose(
            cache -> {
              Router router = router(settings, cache);
              // a graceful shutdown: open streams end as failures do, with their resume cursor, so
              // clients go elsewhere
              vertx.eventBus().localConsumer(Addresses.SHUTDOWN, message -> streams.shutDown());
              HttpServerOptions options =
                  new HttpServerOptions()
                      .setHost(settings.http().host())
                      .setPort(settings.http().port())
                      .setIdleTimeout(settings.http().idleTimeoutSeconds())
                      .setMaxInitialLineLength(settings.http().maxRequestLineBytes())
                      .setMaxHeaderSize(settings.http().maxHeaderBytes())
                      .setTcpNoDelay(true);
              if (settings.lazy().enableCompression()) {
                // streams are compressed as they are written (flushed per batch); pages set their
                // encoding themselves
                options
                    .setCompressionSupported(true)
                    .setCompressionContentSizeThreshold(settings.http().minCompressBytes())
                    .addCompressor(
                        StandardCompressionOptions.gzip(settings.http().compressionLevel(), 15, 8));
              }
              // a request line in a version Vert.x does not read has no version: refused before the
              // router sees it. Vert.x
              // hands such a request to the request handler only when the server has a WebSocket
              // handler (else it answers an
              // empty 501 itself); Sluice speaks no WebSocket, so its handler refuses every
              // handshake
              return vertx
                  .createHttpServer(options)
                  .webSocketHandshakeHandler(Edge::refuseWebSocket)
                  .requestHandler(
                      request -> {
                        if (request.version() == null) {
                          Edge.unsupportedVersion(request);
                        } else {
                          router.handle(request);
                        }
                      })
                  .invalidRequestHandler(Edge::invalidRequest)
                  .listen();
            })
        .onSuccess(
            s -> {
              server = s;
              node.state().partStarted(NodeState.GATEWAY);
              LOG.info("gateway.listening host={} port={}", settings.http().host(), s.actualPort());
            })
        .recover(
            err ->
                stop()
                    .transform(
                        v -> Future.failedFuture(err))); // a failed start is not stopped by Vert.x
  }

  private Router router(SluiceConfig settings, Cache cache) {
    Router router = Router.router(vertx);
    Allowed allowed = new Allowed();
    router
        .route()
        .handler(new Edge(node.state(), settings.http(), settings.lazy().enableCompression()));
    if (!settings.http().corsOrigins().isEmpty()) {
      router
          .route()
          .handler(
              CorsHandler.create()
                  .addOrigins(settings.http().corsOrigins())
                  .allowCredentials(settings.http().corsCredentials())
                  .allowedMethods(
                      java.util.Set.of(
                          HttpMethod.GET, HttpMethod.HEAD, HttpMethod.DELETE, HttpMethod.OPTIONS))
                  .allowedHeaders(
                      java.util.Set.of(
                          "Authorization",
                          "If-None-Match",
                          dev.sluice.stream.StreamProtocol.LAST_EVENT_ID,
                          Edge.REQUEST_ID))
                  .exposedHeaders(
                      java.util.Set.of(
                          "ETag", "Link", "Retry-After", "Cache-Status", Edge.REQUEST_ID)));
    }
    // a page that no part answered in time is a 504 (the bus send timeout normally answers first);
    // streams are exempt
    Handler<RoutingContext> pageTimeout =
        TimeoutHandler.create(settings.http().requestTimeoutSeconds() * 1000L, Failures.TIMEOUT);
    Operations operations = declared != null ? declared : Operations.create(settings);
    Planners planners = Planners.create(operations);
    OpenApiPaths descriptions = new OpenApiPaths(operations);
    PageResponder pages =
        new PageResponder(node, client, planners, cache, settings, descriptions::queryParameters);
    streams = new StreamResponder(node, client, settings, planners);
    Routes routes = new Routes(router, allowed, pageTimeout);
    // every operation at the route it is declared with
    for (Operations.Spec spec : operations.all()) {
      if (spec.operation().streaming()) {
        routes.stream(spec.path(), streams.handler(spec.operation()));
      } else {
        routes.get(spec.path(), pages.handler(spec.operation()));
      }
    }

    routes.get(Operations.DATA, new DataCatalog(operations)::list);
    views = node.cluster().map(cluster -> new ClusterViews(vertx, cluster)).orElse(null);
    routes.get(API + "/stats", this::stats);
    new HealthRoutes(node, views).mount(routes);
    MeterRegistry meters = node.meters();
    if (meters instanceof PrometheusMeterRegistry prometheus) {
      routes.getOther("/metrics", PrometheusScrapingHandler.create(prometheus));
    }
    CacheAdmin admin = new CacheAdmin(cache, settings.adminToken(), operations.families());
    routes.delete(API + "/cache", admin::clearAll);
    routes.delete(API + "/cache/{loader}", admin::clearOne);
    if (settings.http().benchmarkReplyBytes() > 0) {
      routes.get("/bench/fixed", fixedReply(settings.http().benchmarkReplyBytes()));
    }
    // last of the served routes: /openapi.json describes every route registered before it, and
    // itself
    served = Console.mount(router, allowed, settings, descriptions);
    router
        .options()
        .handler(
            ctx -> {
              String allow = allowed.allow(ctx.request().path());
              if (allow == null) {
                ctx.next(); // no such resource: the 404 below
                return;
              }
              AccessLog.unmatched(ctx);
              ctx.response().setStatusCode(204).putHeader(HttpHeaders.ALLOW, allow).end();
            });

    Handler<RoutingContext> notFound =
        ctx ->
            Problems.send(
                ctx,
                Problem.notFound(
                    "No resource at "
                        + ctx.request().method()
                        + " "
                        + Edge.displayPath(ctx.request().path())));
    router.errorHandler(
        405,
        ctx -> {
          String allow = allowed.allow(ctx.request().path());
          if (allow == null || List.of(allow.split(", ")).contains(ctx.request().method().name())) {
            // only the OPTIONS route, which takes every path, matched; or a route of this method
            // that found nothing
            // (a console file that does not exist)
            notFound.handle(ctx);
            return;
          }
          ctx.response().putHeader(HttpHeaders.ALLOW, allow);
          Problems.send(
              ctx,
              Problem.methodNotAllowed(
                  ctx.request().method()
                      + " is not allowed on "
                      + Edge.displayPath(ctx.request().path())));
        });
    router.errorHandler(404, notFound);
    router.errorHandler(
        400, ctx -> Problems.send(ctx, Problem.badRequest("The request could not be read")));
    router.errorHandler(
        Failures.TIMEOUT,
        ctx ->
            Problems.send(
                ctx,
                Problem.timeout(
                    "No answer within " + settings.http().requestTimeoutSeconds() + " s")));
    router.errorHandler(500, this::internalError);
    return router;
  }

  /**
   * Registers routes by their path templates, as docs/API.md and /openapi.json write them ({@code
   * /api/v1/videos/{videoId}/analytics}): the template is the route's name, so the access log and
   * the HTTP metrics' {@code route} label spell it alike, and the methods its path allows are
   * recorded for {@code Allow}. An id parameter ({@link #IDS}) matches a UUID only: a path segment
   * that is not one names no resource, a 404 as an unknown id is; any other parameter takes one
   * segment and is validated by its planner (a 400 naming it).
   */
  static final class Routes {
    /** The path parameters that are ids (UUIDs). */
    static final Set<String> IDS = Set.of("userId", "videoId", "templateId");

    private static final Pattern PARAMETER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    private final Router router;
    private final Allowed allowed;
    private final Handler<RoutingContext> pageTimeout;

    Routes(Router router, Allowed allowed, Handler<RoutingContext> pageTimeout) {
      this.router = router;
      this.allowed = allowed;
      this.pageTimeout = pageTimeout;
    }

    /**
     * A JSON resource: GET and HEAD (RFC 9110: HEAD is GET without the body), within the request
     * timeout, a 406 for an {@code Accept} that refuses JSON.
     */
    void get(String template, Handler<RoutingContext> handler) {
      route(template, HttpMethod.GET, HttpMethod.HEAD)
          .handler(pageTimeout)
          .handler(Negotiation.only(Negotiation.JSON, handler));
    }

    /** A resource that is not JSON ({@code /metrics}): its handler negotiates for itself. */
    void getOther(String template, Handler<RoutingContext> handler) {
      route(template, HttpMethod.GET, HttpMethod.HEAD).handler(pageTimeout).handler(handler);
    }

    /**
     * A stream: GET and HEAD, with no request timeout (a stream lasts as long as its reader reads).
     */
    void stream(String template, Handler<RoutingContext> handler) {
      route(template, HttpMethod.GET, HttpMethod.HEAD).handler(handler);
    }

    /** An admin action answered in JSON. */
    void delete(String template, Handler<RoutingContext> handler) {
      route(template, HttpMethod.DELETE).handler(Negotiation.only(Negotiation.JSON, handler));
    }

    private Route route(String template, HttpMethod... methods) {
      StringBuilder regex = new StringBuilder();
      Matcher parameter = PARAMETER.matcher(template);
      int at = 0;
      while (parameter.find()) {
        String name = parameter.group(1);
        regex
            .append(Pattern.quote(template.substring(at, parameter.start())))
            .append("(?<")
            .append(name)
            .append('>')
            .append(IDS.contains(name) ? UUID : "[^/]+")
            .append(')');
        at = parameter.end();
      }
      regex.append(Pattern.quote(template.substring(at)));
      allowed.regex(regex.toString(), methods);
      Route route = at == 0 ? router.route(template) : router.routeWithRegex(regex.toString());
      for (HttpMethod method : methods) {
        route.method(method);
      }
      return route.setName(template);
    }
  }

  /**
   * The cache benchmark's ceiling: {@code ?bytes=n} bytes (at most {@code max}, all of it by
   * default) from memory, written as a cached page is, with nothing looked up or planned.
   */
  private static Handler<RoutingContext> fixedReply(int max) {
    byte[] bytes = new byte[max];
    java.util.Arrays.fill(bytes, (byte) 'x');
    Buffer fixed = Buffer.buffer(bytes);
    return ctx -> {
      String asked = ctx.request().getParam("bytes");
      int n = max;
      try {
        n = asked == null ? max : Math.max(0, Math.min(max, Integer.parseInt(asked)));
      } catch (NumberFormatException e) {
        // the whole buffer
      }
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, PageResponder.JSON)
          .end(n == max ? fixed : fixed.slice(0, n));
    };
  }

  /**
   * The monitor's statistics document; on a clustered node this node's, with every member's under
   * {@code cluster} ({@link ClusterViews#stats}).
   */
  private void stats(RoutingContext ctx) {
    Future<JsonObject> document = views != null ? views.stats() : monitor.statistics();
    document
        .onSuccess(
            body ->
                ctx.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, PageResponder.JSON)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(body.encode()))
        .onFailure(err -> Problems.send(ctx, Failures.problemOf(err)));
  }

  /**
   * The request's query and path parameters, as a loader reads them (a repeated one as an array).
   */
  static JsonObject params(RoutingContext ctx) {
    JsonObject params = new JsonObject();
    for (String name : ctx.queryParams().names()) {
      List<String> values = ctx.queryParam(name);
      params.put(name, values.size() == 1 ? values.get(0) : new JsonArray(List.copyOf(values)));
    }
    for (Map.Entry<String, String> path : ctx.pathParams().entrySet()) {
      if (!path.getKey().matches("param[0-9]+")) { // a regex route's groups by position
        params.put(path.getKey(), path.getValue());
      }
    }
    if (ctx.pathParams().containsKey("key")) {
      // a declared dataset's row key, as sent: its values are split at each ',' before they are
      // percent-decoded (a ',' inside a value comes as %2C)
      String raw = ctx.request().path();
      params.put("key", raw.substring(raw.lastIndexOf('/') + 1));
    }
    return params;
  }

  private void internalError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof IllegalArgumentException) {
      // a query string that cannot be decoded (bad percent-encoding) is the client's fault
      Problems.send(ctx, Problem.badRequest("The query string could not be decoded"));
      return;
    }
    LOG.error(
        "gateway.failed path={} request_id={}", ctx.request().path(), Edge.requestId(ctx), failure);
    Problems.send(ctx, Problem.internal());
  }

  @Override
  public Future<?> stop() {
    if (server != null) {
      node.state().partStopped(NodeState.GATEWAY);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
