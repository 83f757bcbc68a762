package dev.sluice.cache;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The node cache as those who read and fill it see it: lookup, single-flight load and the freshness
 * of what is stored. The gateway looks replies up before any event-bus hop; the loaders load
 * through it, so that concurrent misses on one key cause one load, and store what they load
 * elsewhere (items of a batch, scroll checkpoints) only if no write to its tables came meanwhile.
 * Part of {@link Cache}; results are delivered on the caller's context.
 */
public interface CacheLookup {

  /** What the cache holds: anything that knows its size. */
  interface Value {
    /** Bytes it takes, about. */
    int weight();

    /** Items (rows) it holds. */
    int items();

    /**
     * When it must be dropped whatever its family's TTL (epoch millis); {@code Long.MAX_VALUE} for
     * never.
     */
    default long validUntil() {
      return Long.MAX_VALUE;
    }

    /**
     * Appends its bytes for the cluster tier to {@code out}, which the decoder the cache was
     * acquired with reads back; false (nothing appended) for a value that stays node-local.
     */
    default boolean writePortable(Buffer out) {
      return false;
    }
  }

  /**
   * What a value read from {@code tables} now would be current with: taken before a load reads
   * them, it tells {@link #putIfFresh} whether a write came (or changes may have been missed)
   * meanwhile; {@code takenAt} is when (epoch millis), which the cluster tier keeps with the value.
   */
  record Freshness(Set<String> tables, long[] generations, long takenAt) {
    /** Equal when the same tables are at the same generations, whenever each was taken. */
    @Override
    public boolean equals(Object o) {
      return o instanceof Freshness other
          && tables.equals(other.tables)
          && Arrays.equals(generations, other.generations);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(generations);
    }
  }

  /** Whether {@code family}'s replies are cached at all. */
  boolean enabled(String family);

  /** Whether {@code family}'s entries are stored gzip'd. */
  boolean compressed(String family);

  /** The value held for {@code key}, or null; counted as a hit or a miss of its family. */
  Future<Value> get(CacheKey key);

  /**
   * The value for {@code key}: the one held, the one a load already under way will give, or a new
   * load's, which is stored unless a write to one of its tables came while it ran. Not counted as a
   * lookup. Concurrent callers share one load, and its failure.
   */
  <V extends Value> Future<V> load(CacheKey key, Supplier<Future<V>> loader);

  /** The value the node-local tier holds for {@code key}, or null; no lookup is counted. */
  Value peek(CacheKey key);

  /** Whether a value is held for {@code key}; no lookup is counted. */
  boolean contains(CacheKey key);

  /**
   * Stores a value loaded elsewhere (an index the loader keeps), unless caching is off or paused.
   */
  void put(CacheKey key, Value value);

  Freshness freshness(Set<String> tables);

  /**
   * Stores a value loaded elsewhere (one item of a batch) only if its tables are as they were
   * {@code before}.
   */
  void putIfFresh(CacheKey key, Value value, Freshness before);

  /**
   * How many writes to {@code table} have been heard: a value read at one generation is stale at a
   * later one.
   */
  long generation(String table);

  /** When a write to {@code table} was last heard (epoch millis), 0 if none was. */
  long lastWrite(String table);

  /** Counts an entry loaded ahead of any request. */
  void countPrefetch(String family);
}
