package dev.sluice.http;

import dev.sluice.api.Bodies;
import dev.sluice.api.Operation;
import dev.sluice.api.ProblemException;
import dev.sluice.bus.LoaderReply;
import dev.sluice.bus.SluiceClient;
import dev.sluice.cache.CacheLookup;
import dev.sluice.config.SluiceConfig;
import dev.sluice.node.LoaderStats;
import dev.sluice.node.Node;
import dev.sluice.plan.Load;
import dev.sluice.plan.Planners;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.function.Function;

/**
 * Serves every non-streaming endpoint: plans the request (a bad one is answered 400 here, with the
 * loaders' own words), looks its key up in the node cache and writes a hit as it is, without an
 * event-bus hop; forwards a miss to the loader. Either way the reply carries its strong ETag,
 * answers a matching {@code If-None-Match} with 304, and goes gzip'd to clients that take it (as
 * stored when its family stores compressed, else compressed now) and plain to the others.
 */
final class PageResponder {

  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  static final CharSequence GZIP = HttpHeaders.createOptimized("gzip");
  static final CharSequence IDENTITY = HttpHeaders.createOptimized("identity");
  static final CharSequence CACHE_STATUS = HttpHeaders.createOptimized("Cache-Status");
  static final CharSequence HIT = HttpHeaders.createOptimized("sluice; hit");
  static final CharSequence MISS = HttpHeaders.createOptimized("sluice; fwd=miss");
  static final CharSequence UNCACHED =
      HttpHeaders.createOptimized("sluice; fwd=uri-miss; detail=off");

  private final Node node;
  private final SluiceClient client;
  private final Planners planners;
  private final CacheLookup cache;
  private final SluiceConfig settings;
  private final boolean serverCompresses;

  /** The query parameters each route reads, by its template: what a {@code Link} carries over. */
  private final Function<String, Set<String>> queryParameters;

  PageResponder(
      Node node,
      SluiceClient client,
      Planners planners,
      CacheLookup cache,
      SluiceConfig settings,
      Function<String, Set<String>> queryParameters) {
    this.node = node;
    this.queryParameters = queryParameters;
    this.client = client;
    this.planners = planners;
    this.cache = cache;
    this.settings = settings;
    this.serverCompresses = settings.lazy().enableCompression();
  }

  Handler<RoutingContext> handler(Operation operation) {
    LoaderStats stats = node.loaderStats(operation.family());
    return ctx -> serve(ctx, operation, stats);
  }

  private void serve(RoutingContext ctx, Operation operation, LoaderStats stats) {
    JsonObject params = HttpGatewayVerticle.params(ctx);
    Load load;
    try {
      load = planners.plan(operation, params);
    } catch (ProblemException e) {
      Problems.send(ctx, e.problem());
      return;
    }
    if (!cache.enabled(operation.family())) {
      client
          .withRequestId(Edge.requestId(ctx))
          .request(operation, params)
          .onSuccess(reply -> write(ctx, reply, UNCACHED))
          .onFailure(err -> Problems.send(ctx, err));
      return;
    }
    cache
        .get(load.key())
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() instanceof LoaderReply hit) {
                stats.served(hit.items());
                write(ctx, hit, HIT);
                if (hit.prefetched()) {
                  aheadOf(load, hit, operation, params);
                }
                return;
              }
              client
                  .withRequestId(Edge.requestId(ctx))
                  .requestAfterLookup(operation, params)
                  .onSuccess(reply -> write(ctx, reply, MISS))
                  .onFailure(err -> Problems.send(ctx, err));
            });
  }

  /**
   * A prefetched page was just used: the client walks on. Unless the page after it is held already,
   * the loader is told, so it loads ahead again.
   */
  private void aheadOf(Load load, LoaderReply hit, Operation operation, JsonObject params) {
    Load next = load.next(hit);
    if (next != null && !cache.contains(next.key())) {
      client.prefetched(operation, params);
    }
  }

  private void write(RoutingContext ctx, LoaderReply reply, CharSequence cacheStatus) {
    HttpServerResponse response = ctx.response();
    boolean gzip =
        settings.lazy().enableCompression()
            && Conditional.acceptsGzip(ctx.request().getHeader(HttpHeaders.ACCEPT_ENCODING))
            && (reply.gzipped() || reply.body().length() >= settings.http().minCompressBytes());
    String tag = gzip ? Bodies.gzipTag(reply.etag()) : reply.etag();
    response
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader(CACHE_STATUS, cacheStatus); // Vary: Edge (Accept-Encoding), Negotiation (Accept)
    String link = link(ctx, reply);
    if (link != null) {
      response.putHeader("Link", link);
    }
    String matched =
        Conditional.matching(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), reply.etag(), tag);
    if (matched != null) {
      // the tag the client holds: still current, whichever representation it names
      response.putHeader(HttpHeaders.ETAG, matched).setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.ETAG, tag);
    Buffer body;
    if (gzip) {
      response.putHeader(HttpHeaders.CONTENT_ENCODING, GZIP);
      body =
          reply.gzipped()
              ? reply.body()
              : Bodies.gzip(reply.body(), settings.http().compressionLevel());
    } else {
      if (serverCompresses && ctx.request().method() != HttpMethod.HEAD) {
        // said so that the server's own compressor leaves this body alone; it drops the header
        // before sending (a
        // HEAD has no body for it to see, so the header would go out as it is)
        response.putHeader(HttpHeaders.CONTENT_ENCODING, IDENTITY);
      }
      body = reply.gzipped() ? Bodies.gunzip(reply.body()) : reply.body();
    }
    response.end(body);
  }

  /**
   * RFC 8288 links to the next and previous pages: this request with its {@code cursor} replaced.
   */
  private String link(RoutingContext ctx, LoaderReply reply) {
    if (reply.nextCursor() == null && reply.prevCursor() == null) {
      return null;
    }
    Set<String> known = queryParameters.apply(AccessLog.route(ctx));
    StringBuilder link = new StringBuilder();
    if (reply.nextCursor() != null) {
      link.append('<').append(withCursor(ctx, reply.nextCursor(), known)).append(">; rel=\"next\"");
    }
    if (reply.prevCursor() != null) {
      if (link.length() > 0) {
        link.append(", ");
      }
      link.append('<').append(withCursor(ctx, reply.prevCursor(), known)).append(">; rel=\"prev\"");
    }
    return link.toString();
  }

  /**
   * This request with {@code cursor} in place of its own, and of the rest only the parameters its
   * route reads.
   */
  private static String withCursor(RoutingContext ctx, String cursor, Set<String> known) {
    QueryStringEncoder encoder = new QueryStringEncoder(ctx.request().path());
    for (String name : ctx.queryParams().names()) {
      if (!"cursor".equals(name) && known.contains(name)) {
        for (String value : ctx.queryParam(name)) {
          encoder.addParam(name, value);
        }
      }
    }
    encoder.addParam("cursor", cursor);
    return encoder.toString();
  }
}
