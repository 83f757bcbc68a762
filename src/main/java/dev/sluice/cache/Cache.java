package dev.sluice.cache;

import dev.sluice.config.SluiceConfig;
import dev.sluice.db.Changes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.function.Supplier;

/**
 * The node's cache of loaded replies, held once per node ({@code Node#cache}) and shared by every verticle on it: the gateway
 * answers hits from it without an event-bus hop, the loaders fill it. Each data family has its own policy (TTL,
 * entry count, whether entries are stored gzip'd) and its share of the node's byte bound. A write to a table drops,
 * within a second, every entry read from it ({@link Changes}); concurrent misses on one key cause one load.
 *
 * <p>The face is asynchronous so that a cluster-wide tier can stand behind the node-local one without changing
 * callers. Results are delivered on the caller's context.
 */
public interface Cache {

  /** What the cache holds: anything that knows its size. */
  interface Value {
    /** Bytes it takes, about. */
    int weight();

    /** Items (rows) it holds. */
    int items();

    /** When it must be dropped whatever its family's TTL (epoch millis); {@code Long.MAX_VALUE} for never. */
    default long validUntil() {
      return Long.MAX_VALUE;
    }

    /**
     * Appends its bytes for the cluster tier to {@code out}, which the decoder the cache was acquired with reads back;
     * false (nothing appended) for a value that stays node-local.
     */
    default boolean writePortable(io.vertx.core.buffer.Buffer out) {
      return false;
    }
  }

  /** How much memory pressure the node is under, as the monitor tells it. */
  enum Pressure { NONE, HIGH, CRITICAL }

  /** A node-local cache, not shared: for tests and tools. Listens to {@code changes} when given. */
  static Cache create(CacheOptions options, Changes changes) {
    return new LocalCache(options, changes);
  }

  /**
   * A node's cache, listening to {@code changes}: with a cluster-wide tier behind the local one when {@code shared}
   * ({@link ClusteredCache}), where {@code decoder} reads back what values wrote with {@link Value#writePortable}.
   * Made on a context no verticle owns (the node's).
   */
  static Cache create(Vertx vertx, SluiceConfig settings, Changes changes, boolean shared,
                      java.util.function.Function<io.vertx.core.buffer.Buffer, Value> decoder) {
    return shared
      ? new ClusteredCache(vertx, CacheOptions.from(settings), changes, settings.cluster().cache(), decoder)
      : create(CacheOptions.from(settings), changes);
  }

  /** Whether {@code family}'s replies are cached at all. */
  boolean enabled(String family);

  /** Whether {@code family}'s entries are stored gzip'd. */
  boolean compressed(String family);

  /** The value held for {@code key}, or null; counted as a hit or a miss of its family. */
  Future<Value> get(CacheKey key);

  /**
   * The value for {@code key}: the one held, the one a load already under way will give, or a new load's, which is
   * stored unless a write to one of its tables came while it ran. Not counted as a lookup. Concurrent callers share
   * one load, and its failure.
   */
  <V extends Value> Future<V> load(CacheKey key, Supplier<Future<V>> loader);

  /** The value the node-local tier holds for {@code key}, or null; no lookup is counted. */
  Value peek(CacheKey key);

  /** Whether a value is held for {@code key}; no lookup is counted. */
  boolean contains(CacheKey key);

  /** Stores a value loaded elsewhere (an index the loader keeps), unless caching is off or paused. */
  void put(CacheKey key, Value value);

  /**
   * What a value read from {@code tables} now would be current with: taken before a load reads them, it tells
   * {@link #putIfFresh} whether a write came (or changes may have been missed) meanwhile; {@code takenAt} is when
   * (epoch millis), which the cluster tier keeps with the value.
   */
  record Freshness(java.util.Set<String> tables, long[] generations, long takenAt) {
    /** Equal when the same tables are at the same generations, whenever each was taken. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Freshness other && tables.equals(other.tables)
        && java.util.Arrays.equals(generations, other.generations);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(generations);
    }
  }

  Freshness freshness(java.util.Set<String> tables);

  /** Stores a value loaded elsewhere (one item of a batch) only if its tables are as they were {@code before}. */
  void putIfFresh(CacheKey key, Value value, Freshness before);

  /** How many writes to {@code table} have been heard: a value read at one generation is stale at a later one. */
  long generation(String table);

  /** When a write to {@code table} was last heard (epoch millis), 0 if none was. */
  long lastWrite(String table);

  /** Drops the entries read from {@code table}; returns how many. */
  long invalidateTable(String table);

  /** Drops every entry of {@code family} this node holds; returns how many. */
  long invalidate(String family);

  /** Drops every entry this node holds; returns how many. */
  long invalidateAll();

  /**
   * An operator's clear of {@code family}: on a clustered node the cluster tier too and, once it is empty, every
   * node's local tier (told over the event bus); completes then, with how many entries this node dropped.
   */
  default Future<Long> clear(String family) {
    return Future.succeededFuture(invalidate(family));
  }

  /** Counts an entry loaded ahead of any request. */
  void countPrefetch(String family);

  /** Adapts to memory pressure: sheds about half the weight on high, clears and stops storing on critical. */
  void pressure(Pressure pressure);

  Pressure pressure();

  /** The families the cache knows, in name order. */
  List<String> families();

  /** {@code family}'s figures. */
  default CacheStats stats(String family) {
    return stats(family, true);
  }

  /**
   * {@code family}'s figures; unless {@code weighed}, without {@code items} and {@code weightBytes} (both 0), which
   * take a walk over the family's entries: what the per-scrape meters of lookups and evictions need.
   */
  CacheStats stats(String family, boolean weighed);

  /** The cluster tier's figures for {@code family} (hits, misses, writes, errors, lease waits); null when none. */
  default io.vertx.core.json.JsonObject clusterStats(String family) {
    return null;
  }

  Future<Void> close();
}
