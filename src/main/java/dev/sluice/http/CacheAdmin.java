package dev.sluice.http;

import dev.sluice.api.Problem;
import dev.sluice.cache.CacheInvalidation;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DELETE /api/v1/cache} and {@code DELETE /api/v1/cache/{loader}}: an operator clears the
 * node cache, all of it or one loader's. Needs {@code Authorization: Bearer <admin token>}: 403
 * while no token is configured, 401 for a missing or wrong one (compared in constant time), 404 for
 * a loader that does not exist.
 */
final class CacheAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(CacheAdmin.class);

  private final CacheInvalidation cache;
  private final byte[] token;
  private final List<String> loaders;

  CacheAdmin(CacheInvalidation cache, String token, List<String> loaders) {
    this.cache = cache;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    this.loaders = loaders;
  }

  void clearAll(RoutingContext ctx) {
    if (authorized(ctx)) {
      List<String> families = cache.families();
      List<io.vertx.core.Future<Long>> clears = families.stream().map(cache::clear).toList();
      io.vertx.core.Future.all(clears)
          .onComplete(
              ar -> {
                JsonObject dropped = new JsonObject();
                long total = 0;
                for (int i = 0; i < families.size(); i++) {
                  long n = clears.get(i).result();
                  total += n;
                  if (loaders.contains(families.get(i))) {
                    dropped.put(families.get(i), n);
                  }
                }
                LOG.info("cache.cleared by=admin loader=all entries={}", total);
                reply(ctx, total, dropped);
              });
    }
  }

  void clearOne(RoutingContext ctx) {
    if (!authorized(ctx)) {
      return;
    }
    String loader = ctx.pathParam("loader");
    if (!loaders.contains(loader)) {
      Problems.send(
          ctx,
          Problem.notFound(
              "No loader '" + loader + "'; loaders are " + String.join(", ", loaders)));
      return;
    }
    cache
        .clear(loader)
        .onComplete(
            ar -> {
              LOG.info("cache.cleared by=admin loader={} entries={}", loader, ar.result());
              reply(ctx, ar.result(), new JsonObject().put(loader, ar.result()));
            });
  }

  private boolean authorized(RoutingContext ctx) {
    if (token == null) {
      Problems.send(
          ctx,
          Problem.forbidden(
              "The admin endpoints are off: no admin token is configured "
                  + "(SLUICE_ADMIN_TOKEN)"));
      return false;
    }
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    byte[] given =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(given, token)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"sluice\"");
      Problems.send(
          ctx,
          Problem.unauthorized(
              header == null
                  ? "This endpoint needs Authorization: Bearer <admin token>"
                  : "The admin token is not valid"));
      return false;
    }
    return true;
  }

  private static void reply(RoutingContext ctx, long total, JsonObject byLoader) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, PageResponder.JSON)
        .end(
            new JsonObject()
                .put("success", true)
                .put("dropped", total)
                .put("loaders", byLoader)
                .encode());
  }
}
