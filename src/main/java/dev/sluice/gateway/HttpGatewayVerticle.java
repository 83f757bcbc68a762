package dev.sluice.gateway;

import dev.sluice.bus.Addresses;
import dev.sluice.bus.Operation;
import dev.sluice.bus.SluiceClient;
import dev.sluice.cache.Cache;
import dev.sluice.config.SluiceConfig;
import dev.sluice.loader.Planners;
import dev.sluice.problem.Failures;
import dev.sluice.problem.Problem;
import dev.sluice.monitor.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The HTTP face of Sluice: maps each endpoint of docs/API.md to a loader operation. Pages are answered from the node
 * cache when it holds them and forwarded over the event bus otherwise ({@link PageResponder}); streams are piped
 * from the loaders ({@link StreamResponder}); the statistics come from the monitor and the cache admin endpoints clear
 * the node cache. Every error leaves as problem+json ({@link Problems}).
 */
public class HttpGatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpGatewayVerticle.class);
  static final String API = "/api/v1";
  static final String LIMITS_MAP = "sluice.gateway";
  static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

  private SluiceClient client;
  private HttpServer server;
  private Future<Cache> cache;

  @Override
  public Future<?> start() {
    SluiceConfig settings = SluiceConfig.from(config());
    // the bus waits a little longer than the database may run, so a slow load surfaces as the loader's 504
    client = SluiceClient.create(vertx, settings.lazy().timeoutSeconds() * 1000L + 2_000);
    cache = Cache.acquire(vertx, settings);
    return cache.compose(cache -> {
      Router router = router(settings, cache);
      HttpServerOptions options = new HttpServerOptions()
        .setHost(settings.http().host())
        .setPort(settings.http().port())
        .setIdleTimeout(settings.http().idleTimeoutSeconds())
        .setTcpNoDelay(true);
      if (settings.lazy().enableCompression()) {
        // streams are compressed as they are written (flushed per batch); pages set their encoding themselves
        options.setCompressionSupported(true)
          .setCompressionContentSizeThreshold(settings.http().minCompressBytes())
          .addCompressor(StandardCompressionOptions.gzip(settings.http().compressionLevel(), 15, 8));
      }
      return vertx.createHttpServer(options).requestHandler(router).listen();
    }).onSuccess(s -> {
      server = s;
      LOG.info("gateway.listening host={} port={}", settings.http().host(), s.actualPort());
    }).recover(err -> stop().transform(v -> Future.failedFuture(err))); // a failed start is not stopped by Vert.x
  }

  private Router router(SluiceConfig settings, Cache cache) {
    Router router = Router.router(vertx);
    PageResponder pages = new PageResponder(vertx, client, Planners.create(settings), cache, settings);
    router.get(API + "/users/:userId/videos").handler(pages.handler(Operation.USER_VIDEOS));
    router.get(API + "/videos").handler(pages.handler(Operation.VIDEOS));
    router.get(API + "/videos/popular").handler(pages.handler(Operation.POPULAR_VIDEOS));
    router.getWithRegex(API + "/videos/(?<videoId>" + UUID + ")").handler(pages.handler(Operation.VIDEO));
    router.get(API + "/videos/:videoId/analytics").handler(pages.handler(Operation.VIDEO_ANALYTICS));
    router.get(API + "/users").handler(pages.handler(Operation.USERS));
    router.get(API + "/users/range").handler(pages.handler(Operation.USER_RANGE));
    router.get(API + "/users/analytics").handler(pages.handler(Operation.USER_ANALYTICS));
    router.getWithRegex(API + "/users/(?<userId>" + UUID + ")").handler(pages.handler(Operation.USER));
    router.get(API + "/users/:userId/sessions").handler(pages.handler(Operation.USER_SESSIONS));
    router.get(API + "/analytics/platform").handler(pages.handler(Operation.PLATFORM_ANALYTICS));
    router.get(API + "/analytics/errors").handler(pages.handler(Operation.ERROR_LOGS));
    router.get(API + "/analytics/reports/:reportType").handler(pages.handler(Operation.REPORT));
    router.get(API + "/templates").handler(pages.handler(Operation.TEMPLATES));
    router.getWithRegex(API + "/templates/(?<templateId>" + UUID + ")").handler(pages.handler(Operation.TEMPLATE));
    router.get(API + "/templates/:templateId/assets").handler(pages.handler(Operation.TEMPLATE_ASSETS));
    router.get(API + "/search").handler(pages.handler(Operation.SEARCH));
    router.get(API + "/search/suggestions").handler(pages.handler(Operation.SUGGESTIONS));

    StreamLimits limits = (StreamLimits) vertx.sharedData().<String, StreamLimits>getLocalMap(LIMITS_MAP)
      .computeIfAbsent("streams", k -> new StreamLimits(settings.streaming().maxStreams(),
        settings.streaming().maxStreamsPerClient()));
    StreamResponder streams = new StreamResponder(vertx, client, settings, limits);
    router.get(API + "/videos/stream").handler(streams.handler(Operation.VIDEO_STREAM));
    router.get(API + "/users/stream").handler(streams.handler(Operation.USER_STREAM));
    router.get(API + "/templates/stream").handler(streams.handler(Operation.TEMPLATE_STREAM));
    router.get(API + "/search/stream").handler(streams.handler(Operation.SEARCH_STREAM));
    router.get(API + "/analytics/performance/stream").handler(streams.handler(Operation.PERFORMANCE_STREAM));

    router.get(API + "/stats").handler(this::stats);
    new HealthRoutes(vertx).mount(router);
    MeterRegistry meters = Metrics.registry(vertx);
    if (meters instanceof PrometheusMeterRegistry prometheus) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
    List<String> loaders = Arrays.stream(Operation.values()).map(Operation::family).distinct().toList();
    CacheAdmin admin = new CacheAdmin(cache, settings.adminToken(), loaders);
    router.delete(API + "/cache").handler(admin::clearAll);
    router.delete(API + "/cache/:loader").handler(admin::clearOne);
    if (settings.http().benchmarkReplyBytes() > 0) {
      router.get("/bench/fixed").handler(fixedReply(settings.http().benchmarkReplyBytes()));
    }

    router.errorHandler(405, ctx -> Problems.send(ctx, Problem.methodNotAllowed(
      ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(404, ctx -> Problems.send(ctx,
      Problem.notFound("No resource at " + ctx.request().method() + " " + ctx.request().path())));
    router.errorHandler(400, ctx -> Problems.send(ctx, Problem.badRequest("The request could not be read")));
    router.errorHandler(500, this::internalError);
    return router;
  }

  /**
   * The cache benchmark's ceiling: {@code ?bytes=n} bytes (at most {@code max}, all of it by default) from memory,
   * written as a cached page is, with nothing looked up or planned.
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
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, PageResponder.JSON).end(n == max ? fixed : fixed.slice(0, n));
    };
  }

  /** The monitor's statistics document. */
  private void stats(RoutingContext ctx) {
    vertx.eventBus().<JsonObject>request(Addresses.MONITOR, new JsonObject(),
        new DeliveryOptions().setSendTimeout(5_000).addHeader(Addresses.ACTION_HEADER, "stats"))
      .onSuccess(reply -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, PageResponder.JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(reply.body().encode()))
      .onFailure(err -> Problems.send(ctx, Failures.problemOf(err)));
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

  private void internalError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof IllegalArgumentException) {
      // a query string that cannot be decoded (bad percent-encoding) is the client's fault
      Problems.send(ctx, Problem.badRequest("The query string could not be decoded"));
      return;
    }
    LOG.error("gateway.failed path={}", ctx.request().path(), failure);
    Problems.send(ctx, Problem.internal());
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> cache != null && cache.succeeded() ? Cache.release(vertx)
      : Future.succeededFuture());
  }
}
