package dev.sluice.cache;

import dev.sluice.config.SluiceConfig;
import dev.sluice.db.Changes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/**
 * The node's cache of loaded replies, held once per node ({@code Node#cache}) and shared by every
 * verticle on it: the gateway answers hits from it without an event-bus hop, the loaders fill it.
 * Each data family has its own policy (TTL, entry count, whether entries are stored gzip'd) and its
 * share of the node's byte bound. A write to a table drops, within a second, every entry read from
 * it ({@link Changes}); concurrent misses on one key cause one load.
 *
 * <p>The whole is the sum of the faces its callers use, each typed by the one it needs: {@link
 * CacheLookup} (lookup, single-flight load, freshness: the gateway's page responder, the loaders),
 * {@link CacheInvalidation} (the cache admin endpoints), {@link CachePressure} (the monitor; the
 * loaders' prefetch reads it) and {@link CacheStatistics} (the monitor). Only the node, which makes
 * and closes it, and the verticles that hand its faces out hold the whole.
 *
 * <p>The faces are asynchronous where a cluster-wide tier can stand behind the node-local one
 * without changing callers. Results are delivered on the caller's context.
 */
public interface Cache extends CacheLookup, CacheInvalidation, CachePressure, CacheStatistics {

  /** A node-local cache, not shared: for tests and tools. Listens to {@code changes} when given. */
  static Cache create(CacheOptions options, Changes changes) {
    return new LocalCache(options, changes);
  }

  /**
   * A node's cache, listening to {@code changes}: with a cluster-wide tier behind the local one
   * when {@code shared} ({@link ClusteredCache}), where {@code decoder} reads back what values
   * wrote with {@link Value#writePortable}. Made on a context no verticle owns (the node's).
   */
  static Cache create(
      Vertx vertx,
      SluiceConfig settings,
      Changes changes,
      boolean shared,
      Function<Buffer, Value> decoder) {
    return shared
        ? new ClusteredCache(
            vertx, CacheOptions.from(settings), changes, settings.cluster().cache(), decoder)
        : create(CacheOptions.from(settings), changes);
  }

  Future<Void> close();
}
