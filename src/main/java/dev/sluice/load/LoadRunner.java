package dev.sluice.load;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.bus.LoaderReply;
import dev.sluice.cache.CacheLookup;
import dev.sluice.cache.CachePressure;
import dev.sluice.config.SluiceConfig;
import dev.sluice.db.Faults;
import dev.sluice.node.LoaderStats;
import dev.sluice.plan.Load;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place every load of a loader runs through, whatever its strategy: the node cache (a hit
 * answers at once; concurrent misses on one key share one load), the concurrency bound, the
 * encoding of the reply (ETag, gzip when its family stores compressed), the statistics, and
 * prefetch of what comes after. The breaker and retries ({@link Resilience}) and the load metrics
 * wrap {@link #execute} here too. Used from the loader's event loop.
 */
final class LoadRunner {

  private static final Logger LOG = LoggerFactory.getLogger(LoadRunner.class);

  /** Prefetch waits until a load's tables have gone this long without a write. */
  static final long WRITE_QUIET_MS = 1_000;

  /** A reply and whether the cache had it. */
  record Served(LoaderReply reply, boolean fromCache) {}

  private final CacheLookup cache;

  /** Read before loading ahead: never under memory pressure. */
  private final CachePressure pressure;

  private final Pages pages;
  private final Limiter limiter;
  private final LoaderStats stats;
  private final SluiceConfig settings;
  private final Resilience resilience;

  LoadRunner(
      CacheLookup cache,
      CachePressure pressure,
      Pages pages,
      Limiter limiter,
      Resilience resilience,
      LoaderStats stats,
      SluiceConfig settings) {
    this.resilience = resilience;
    this.cache = cache;
    this.pressure = pressure;
    this.pages = pages;
    this.limiter = limiter;
    this.stats = stats;
    this.settings = settings;
  }

  /**
   * Serves a load: from the cache when it holds it (looked up here unless {@code lookedUp} says the
   * requester did already), else loaded, stored and followed by a prefetch of what comes after.
   */
  Future<Served> serve(Load load, boolean lookedUp) {
    Future<Served> served;
    if (!cache.enabled(load.key().family())) {
      served = execute(load).map(reply -> new Served(reply, false));
    } else {
      Future<CacheLookup.Value> held = lookedUp ? Future.succeededFuture() : cache.get(load.key());
      served =
          held.compose(
              value -> {
                if (value instanceof LoaderReply reply) {
                  return Future.succeededFuture(new Served(reply, true));
                }
                return cache
                    .load(load.key(), () -> execute(load))
                    .map(reply -> new Served(reply, false));
              });
    }
    return served.onSuccess(
        s -> {
          stats.served(s.reply().items());
          prefetch(load, s.reply(), settings.lazy().prefetchDistance());
        });
  }

  /** After a prefetched reply was used (the gateway says so): loads ahead of it too. */
  void prefetchAfter(Load load) {
    if (cache.peek(load.key()) instanceof LoaderReply reply) {
      prefetch(load, reply, settings.lazy().prefetchDistance());
    }
  }

  /**
   * Loads the {@code remaining} pages after {@code reply} into the cache, one after the other, each
   * only while the loader has a place to spare (never ahead of a client's request), memory is not
   * under pressure and the page's tables have not been written in the last second (a write would
   * drop what it loads).
   */
  private void prefetch(Load load, LoaderReply reply, int remaining) {
    if (remaining <= 0
        || !settings.lazy().enablePrefetching()
        || !cache.enabled(load.key().family())
        || pressure.pressure() != CachePressure.Pressure.NONE) {
      return;
    }
    Load next = load.next(reply);
    if (next == null || recentlyWritten(next)) {
      return;
    }
    if (cache.peek(next.key()) instanceof LoaderReply held) {
      prefetch(next, held, remaining - 1);
      return;
    }
    if (!limiter.hasSpare()) {
      return;
    }
    cache
        .load(
            next.key(),
            () ->
                execute(next)
                    .map(
                        loaded -> {
                          cache.countPrefetch(next.key().family());
                          return loaded.asPrefetched();
                        }))
        .onSuccess(loaded -> prefetch(next, loaded, remaining - 1))
        .onFailure(
            err -> LOG.debug("prefetch.failed key={} cause={}", next.key(), err.getMessage()));
  }

  /**
   * Whether the rows of a load are being written right now: what prefetch loads would be dropped at
   * once.
   */
  private boolean recentlyWritten(Load load) {
    long now = System.currentTimeMillis();
    for (String table : load.key().tables()) {
      if (now - cache.lastWrite(table) < WRITE_QUIET_MS) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs a load against PostgreSQL through the breaker and its retries ({@link Resilience}), each
   * try within the concurrency bound; encodes its reply and counts it.
   */
  private Future<LoaderReply> execute(Load load) {
    long started = System.nanoTime();
    // single items share coalesced queries, which Items guards itself: one breaker call per query,
    // not per item
    Future<LoaderReply> loaded =
        load.bounded()
            ? resilience.call(() -> limiter.run(() -> load.run(pages)))
            : load.run(pages);
    // stored gzip'd only to be kept: without the cache a compressed copy would only be decompressed
    // again
    String family = load.key().family();
    boolean compress =
        settings.lazy().enableCompression() && cache.enabled(family) && cache.compressed(family);
    return loaded
        .map(reply -> reply.encoded(compress, settings.http().minCompressBytes()))
        .andThen(
            ar -> {
              if (ar.succeeded()) {
                long nanos = System.nanoTime() - started;
                // item loads share coalesced queries, which count the rows they read themselves
                // (Items)
                stats.loaded(load.bounded() ? ar.result().items() : 0, nanos);
                stats.timed(load.operation().qualifiedName(), nanos);
              } else if (!(ar.cause() instanceof ProblemException p)) {
                stats.failed(Faults.of(ar.cause()).cause());
              } else if (p.problem().status() >= 500) {
                // refused rather than failed: a short circuit (circuit_open) or a full loader
                // (unavailable)
                stats.failed(
                    p.getCause() != null ? Faults.of(p.getCause()).cause() : Faults.REFUSED_CAUSE);
              }
            });
  }

  /** What a failed load means to its client. */
  Problem problemOf(Throwable failure) {
    return resilience.problemOf(failure);
  }
}
