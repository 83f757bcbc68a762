package dev.sluice.load;

import dev.sluice.api.Operation;
import dev.sluice.cache.CacheKey;
import dev.sluice.cache.CacheLookup;
import dev.sluice.cache.CacheOptions;
import dev.sluice.db.Sql;
import dev.sluice.plan.ListQuery;
import dev.sluice.plan.Plans;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index-to-key checkpoints of virtual scroll: per listing, the key of every {@code step}-th
 * row, so a window deep in a listing is a keyset seek from the nearest checkpoint plus a skip of
 * less than a step, never an {@code OFFSET} scan from the top. A listing's checkpoints are laid by
 * one walk over its keys, which stops at the deepest index asked so far, and kept in the node cache
 * (family {@value #FAMILY}, bounded by bytes like any entry).
 *
 * <p>Walks are single-flight within a loader instance: requests that need one while it runs wait
 * for it. A listing's checkpoints are walked again in the background, while the old ones keep
 * answering (stale-while-revalidate), once they are 80 % of {@code scroll_checkpoint_ttl_seconds}
 * old, or a second after a write to the listing's table: an insert or delete before a checkpoint
 * moves the rows after it, so until the new walk lands a window may be off by as many rows as were
 * written since the last one; such a window is answered but not cached. Used from one loader's
 * event loop.
 */
final class ScrollIndex {

  private static final Logger LOG = LoggerFactory.getLogger(ScrollIndex.class);

  /** The cache family checkpoints are kept under; on whether caching is enabled or not. */
  static final String FAMILY = CacheOptions.SCROLL;

  /** A write makes checkpoints due for a new walk, but no sooner than this after the last one. */
  static final long MIN_REFRESH_MS = 1_000;

  /**
   * A checkpoint; {@code current} is false when it comes from a walk older than the last write to
   * its table (its index may be off by the rows written since).
   */
  record Checkpoint(long index, List<String> key, boolean current) {}

  /** One listing's checkpoints, walked at one moment; never changed, replaced whole. */
  static final class Checkpoints implements CacheLookup.Value {
    final long[] indexes;
    final List<List<String>> keys;

    /** The walk reached the end of the listing: no checkpoint lies beyond the last. */
    final boolean complete;

    final long walkedAt;
    final long generation;
    final long ttlMillis;
    private final int weight;

    Checkpoints(
        long[] indexes,
        List<List<String>> keys,
        boolean complete,
        long walkedAt,
        long generation,
        long ttlMillis) {
      this.indexes = indexes;
      this.keys = keys;
      this.complete = complete;
      this.walkedAt = walkedAt;
      this.generation = generation;
      this.ttlMillis = ttlMillis;
      int bytes = 64;
      for (List<String> key : keys) {
        bytes += 24; // with two values, as many as a key of the demo's orders: 56 and their chars
        for (String value : key) {
          bytes += 16 + (value == null ? 0 : value.length() * 2); // NULL in a nullable sort column
        }
      }
      this.weight = bytes;
    }

    long last() {
      return indexes.length == 0 ? 0 : indexes[indexes.length - 1];
    }

    /**
     * Whether a window at {@code start} is less than a step from a checkpoint (or past the end of
     * the listing).
     */
    boolean reaches(long start, int step) {
      return complete || start - last() < step;
    }

    Checkpoint floor(long index, boolean current) {
      int at = Arrays.binarySearch(indexes, index);
      int position = at >= 0 ? at : -at - 2;
      return position < 0 ? null : new Checkpoint(indexes[position], keys.get(position), current);
    }

    @Override
    public int weight() {
      return weight;
    }

    @Override
    public int items() {
      return indexes.length;
    }

    @Override
    public long validUntil() {
      return walkedAt + ttlMillis;
    }
  }

  private final Pool pool;
  private final CacheLookup cache;
  private final int step;
  private final long ttlMillis;
  private final Map<String, Future<Checkpoints>> walks = new HashMap<>();
  private long walked;

  ScrollIndex(Pool pool, CacheLookup cache, int step, long ttlMillis) {
    this.pool = pool;
    this.cache = cache;
    this.step = Math.max(1, step);
    this.ttlMillis = ttlMillis;
  }

  /** How many walks this index has run: what a test counts. */
  long walks() {
    return walked;
  }

  /**
   * The checkpoint at or before {@code start} (null: from the top), walking the keys first if none
   * is near.
   */
  Future<Checkpoint> floor(Operation op, ListQuery q, long start) {
    if (start < step) {
      return Future.succeededFuture(null);
    }
    CacheKey key = new CacheKey(FAMILY, op.qualifiedName() + "?" + q.canonical(), Set.of());
    Checkpoints held = (Checkpoints) cache.peek(key);
    if (held != null && held.reaches(start, step)) {
      long now = System.currentTimeMillis();
      boolean old = now - held.walkedAt > ttlMillis * 8 / 10;
      boolean current = generation(q) == held.generation;
      boolean written = !current && now - held.walkedAt > MIN_REFRESH_MS;
      if ((old || written) && !walks.containsKey(key.text())) {
        walk(key, q, null, held.last())
            .onFailure(
                err ->
                    LOG.warn(
                        "scroll.refresh-failed query={} cause={}", key.text(), err.getMessage()));
      }
      return Future.succeededFuture(held.floor(start, current));
    }
    Future<Checkpoints> walking = walks.get(key.text());
    if (walking != null) {
      return walking.transform(
          ar ->
              ar.succeeded() && ar.result().reaches(start, step)
                  ? Future.succeededFuture(
                      ar.result().floor(start, generation(q) == ar.result().generation))
                  : floor(op, q, start));
    }
    return walk(key, q, held, start)
        .map(checkpoints -> checkpoints.floor(start, generation(q) == checkpoints.generation));
  }

  /**
   * Walks from the last checkpoint of {@code base} (or the top) down to {@code target}; stores what
   * it laid.
   */
  private Future<Checkpoints> walk(CacheKey key, ListQuery q, Checkpoints base, long target) {
    long baseIndex = base == null ? 0 : base.last();
    List<String> baseKey =
        base == null || base.indexes.length == 0 ? null : base.keys.get(base.keys.size() - 1);
    long count = target - baseIndex + 1;
    long generation = generation(q);
    long started = System.currentTimeMillis();
    Sql sql = Plans.checkpoints(q, baseKey, count, step);
    walked++;
    Future<Checkpoints> walk =
        pool.preparedQuery(sql.text())
            .execute(sql.tuple())
            .map(
                rows -> {
                  List<Long> indexes = new ArrayList<>();
                  List<List<String>> keys = new ArrayList<>();
                  if (base != null) {
                    for (int i = 0; i < base.indexes.length; i++) {
                      indexes.add(base.indexes[i]);
                      keys.add(base.keys.get(i));
                    }
                  }
                  long lastOffset = -1;
                  for (Row row : rows) {
                    int width = q.sort().size();
                    long offset = row.getLong(width);
                    lastOffset = offset;
                    if (base != null && offset == 0) {
                      continue; // the base's own last checkpoint, where this walk started
                    }
                    indexes.add(baseIndex + offset);
                    List<String> values = new ArrayList<>(width);
                    for (int i = 0; i < width; i++) {
                      values.add(row.getString(i));
                    }
                    keys.add(java.util.Collections.unmodifiableList(values));
                  }
                  // the walk read fewer rows than it asked for: the listing ends before the target
                  boolean complete = lastOffset < ((count - 1) / step) * step;
                  long[] sorted = indexes.stream().mapToLong(Long::longValue).toArray();
                  return new Checkpoints(
                      sorted,
                      List.copyOf(keys),
                      complete,
                      base == null ? started : base.walkedAt,
                      base == null ? generation : base.generation,
                      ttlMillis);
                });
    walks.put(key.text(), walk);
    return walk.andThen(
        ar -> {
          walks.remove(key.text(), walk);
          if (ar.succeeded()) {
            cache.put(key, ar.result());
          }
        });
  }

  private long generation(ListQuery q) {
    long sum = 0;
    for (String table : q.tables()) {
      sum += cache.generation(table);
    }
    return sum;
  }
}
