package dev.sluice.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import dev.sluice.config.DataTypePolicy;
import dev.sluice.db.Changes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node-local tier: one Caffeine cache (W-TinyLFU) per data family, bounded by its entry count
 * and its share of the node's bytes, expiring entries after the family's TTL. Thread-safe: every
 * verticle of the node uses it from its own event loop.
 *
 * <p>Both bounds come from one weight: a family may hold {@code max_entries / Σ max_entries} of the
 * node's bytes and every entry weighs at least {@code node bytes / Σ max_entries}, so a family
 * never holds more than its {@code max_entries} entries nor more than its share of bytes.
 */
final class LocalCache implements Cache {

  private static final Logger LOG = LoggerFactory.getLogger(LocalCache.class);

  /** What an entry costs beyond its value: the key, the map's nodes, the value's object. */
  static final int ENTRY_OVERHEAD = 160;

  private final CacheOptions options;
  private final Changes changes;
  private final Map<String, Family> families = new ConcurrentHashMap<>();
  private final Map<CacheKey, Flight<?>> flights = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
  private final Map<String, Long> lastWrites = new ConcurrentHashMap<>();

  /**
   * Bumped when changes may have been missed (listening resumed): every snapshot taken before is
   * stale.
   */
  private final AtomicLong epoch = new AtomicLong();

  private final List<Runnable> subscriptions = new ArrayList<>();
  private volatile Pressure pressure = Pressure.NONE;

  LocalCache(CacheOptions options, Changes changes) {
    this.options = options;
    this.changes = changes;
    for (String name : options.policies().keySet()) {
      families.put(name, new Family(name, options.policy(name)));
    }
    if (changes != null) {
      subscriptions.add(changes.onChange(this::invalidateTable));
      subscriptions.add(
          changes.onResubscribed(
              () -> {
                epoch.incrementAndGet();
                flights.forEach(
                    (key, flight) -> {
                      flight.stale = true;
                      flights.remove(key, flight);
                    });
                long dropped = invalidateAll();
                LOG.info("cache.cleared reason=notifications-resumed entries={}", dropped);
              }));
    }
  }

  /** One load under way, and whether a write came while it ran. */
  private static final class Flight<V> {
    final Promise<V> promise = Promise.promise();
    volatile boolean stale;
  }

  private final class Family {
    final String name;
    final DataTypePolicy policy;
    final long maxWeight;
    final int minWeight;
    final com.github.benmanes.caffeine.cache.Cache<CacheKey, Value> entries;
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder invalidations = new LongAdder();
    final LongAdder prefetched = new LongAdder();
    final LongAdder cleared = new LongAdder();

    Family(String name, DataTypePolicy policy) {
      this.name = name;
      this.policy = policy;
      long total = options.totalEntries();
      int count = Math.max(1, policy.maxEntries());
      this.maxWeight = Math.max(1, options.maxBytes() * count / total);
      this.minWeight = (int) Math.min(Integer.MAX_VALUE, Math.max(1, options.maxBytes() / total));
      long ttlNanos = TimeUnit.SECONDS.toNanos(Math.max(1, policy.ttlSeconds()));
      this.entries =
          Caffeine.newBuilder()
              .executor(Runnable::run)
              .maximumWeight(maxWeight)
              .weigher((CacheKey key, Value value) -> Math.max(minWeight, bytes(key, value)))
              .expireAfter(
                  new Expiry<CacheKey, Value>() {
                    @Override
                    public long expireAfterCreate(CacheKey key, Value value, long currentTime) {
                      long untilValid =
                          value.validUntil() == Long.MAX_VALUE
                              ? Long.MAX_VALUE
                              : TimeUnit.MILLISECONDS.toNanos(
                                  Math.max(0, value.validUntil() - System.currentTimeMillis()));
                      return Math.min(ttlNanos, untilValid);
                    }

                    @Override
                    public long expireAfterUpdate(
                        CacheKey key, Value value, long currentTime, long currentDuration) {
                      return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(
                        CacheKey key, Value value, long currentTime, long currentDuration) {
                      return currentDuration;
                    }
                  })
              .recordStats()
              .build();
    }

    Policy.Eviction<CacheKey, Value> eviction() {
      return entries.policy().eviction().orElseThrow();
    }
  }

  /** What an entry takes in memory, about: its value, its key, the map's bookkeeping. */
  private static int bytes(CacheKey key, Value value) {
    return value.weight() + key.text().length() * 2 + ENTRY_OVERHEAD;
  }

  private Family family(String name) {
    return families.computeIfAbsent(name, n -> new Family(n, options.fallback()));
  }

  /**
   * Whether the family's entries may be read and stored now: on, memory not critical, changes being
   * heard. The always-on families (virtual-scroll checkpoints: an index, not answers) depend on
   * neither.
   */
  boolean active(String family) {
    if (!enabled(family)) {
      return false;
    }
    if (options.alwaysOn().contains(family)) {
      return true;
    }
    return pressure != Pressure.CRITICAL && (changes == null || changes.listening());
  }

  @Override
  public boolean enabled(String family) {
    return (options.enabled() || options.alwaysOn().contains(family))
        && family(family).policy.maxEntries() > 0;
  }

  @Override
  public boolean compressed(String family) {
    return family(family).policy.compression();
  }

  @Override
  public Future<Value> get(CacheKey key) {
    if (!active(key.family())) {
      return Future.succeededFuture();
    }
    Family family = family(key.family());
    Value value = family.entries.getIfPresent(key);
    if (value != null && value.validUntil() <= System.currentTimeMillis()) {
      family.entries.invalidate(key);
      value = null;
    }
    (value == null ? family.misses : family.hits).increment();
    return Future.succeededFuture(value);
  }

  /**
   * Counts a lookup the node-local tier could not answer and the cluster tier did ({@code hit}) or
   * did not.
   */
  void counted(String family, boolean hit) {
    (hit ? family(family).hits : family(family).misses).increment();
  }

  @Override
  public Value peek(CacheKey key) {
    if (!active(key.family())) {
      return null;
    }
    Value value = family(key.family()).entries.getIfPresent(key);
    return value != null && value.validUntil() > System.currentTimeMillis() ? value : null;
  }

  @Override
  public boolean contains(CacheKey key) {
    return peek(key) != null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V extends Value> Future<V> load(CacheKey key, Supplier<Future<V>> loader) {
    if (!enabled(key.family())) {
      return start(loader);
    }
    Family family = family(key.family());
    if (active(key.family())) {
      Value held = family.entries.getIfPresent(key);
      if (held != null && held.validUntil() > System.currentTimeMillis()) {
        return Future.succeededFuture((V) held);
      }
    }
    // single-flight even while nothing may be stored (memory critical, changes not heard): one load
    // per key
    Flight<V> mine = new Flight<>();
    Flight<V> flight = (Flight<V>) flights.putIfAbsent(key, mine);
    if (flight != null) {
      return onCallerContext(flight.promise.future());
    }
    Freshness before = freshness(key.tables());
    start(loader)
        .onComplete(
            ar -> {
              flights.remove(key, mine);
              if (ar.succeeded() && ar.result() != null && !mine.stale) {
                putIfFresh(key, ar.result(), before);
              }
              mine.promise.handle(ar);
            });
    return onCallerContext(mine.promise.future());
  }

  @Override
  public void put(CacheKey key, Value value) {
    if (active(key.family())) {
      family(key.family()).entries.put(key, value);
    }
  }

  @Override
  public Freshness freshness(java.util.Set<String> tables) {
    long[] values = new long[tables.size() + 1];
    values[0] = epoch.get();
    int i = 1;
    for (String table : tables.stream().sorted().toList()) {
      values[i++] = generation(table);
    }
    return new Freshness(tables, values, System.currentTimeMillis());
  }

  @Override
  public void putIfFresh(CacheKey key, Value value, Freshness before) {
    if (!active(key.family()) || !before.equals(freshness(before.tables()))) {
      return;
    }
    Family family = family(key.family());
    family.entries.put(key, value);
    // a write heard between the check and the put bumped a generation before dropping entries: look
    // again
    if (!before.equals(freshness(before.tables()))) {
      family.entries.asMap().remove(key, value);
    }
  }

  private static <V> Future<V> start(Supplier<Future<V>> loader) {
    try {
      return loader.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** A future completed on the caller's context, whichever thread completes {@code future}. */
  static <V> Future<V> onCallerContext(Future<V> future) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return future;
    }
    Promise<V> promise = Promise.promise();
    future.onComplete(
        ar -> {
          if (Vertx.currentContext() == context) {
            promise.handle(ar);
          } else {
            context.runOnContext(v -> promise.handle(ar));
          }
        });
    return promise.future();
  }

  @Override
  public long generation(String table) {
    AtomicLong generation = generations.get(table);
    return generation == null ? 0 : generation.get();
  }

  @Override
  public long lastWrite(String table) {
    return lastWrites.getOrDefault(table, 0L);
  }

  @Override
  public long invalidateTable(String table) {
    generations.computeIfAbsent(table, t -> new AtomicLong()).incrementAndGet();
    lastWrites.put(table, System.currentTimeMillis());
    flights.forEach(
        (key, flight) -> {
          if (key.tables().contains(table)) {
            // later requests must not join a load that may have read the rows before this write
            flight.stale = true;
            flights.remove(key, flight);
          }
        });
    long dropped = 0;
    for (Family family : families.values()) {
      long before = family.entries.estimatedSize();
      if (before == 0) {
        continue;
      }
      long[] count = {0};
      family
          .entries
          .asMap()
          .keySet()
          .removeIf(
              key -> {
                boolean stale = key.tables().contains(table);
                if (stale) {
                  count[0]++;
                }
                return stale;
              });
      family.invalidations.add(count[0]);
      dropped += count[0];
    }
    if (dropped > 0) {
      LOG.debug("cache.invalidated table={} entries={}", table, dropped);
    }
    return dropped;
  }

  @Override
  public long invalidate(String name) {
    Family family = families.get(name);
    if (family == null) {
      return 0;
    }
    long dropped = family.entries.asMap().size();
    family.entries.invalidateAll();
    family.invalidations.add(dropped);
    return dropped;
  }

  @Override
  public long invalidateAll() {
    long dropped = 0;
    for (String name : families.keySet()) {
      dropped += invalidate(name);
    }
    return dropped;
  }

  @Override
  public void countPrefetch(String family) {
    family(family).prefetched.increment();
  }

  @Override
  public synchronized void pressure(Pressure next) {
    if (next == pressure) {
      return;
    }
    Pressure previous = pressure;
    pressure = next;
    for (Family family : families.values()) {
      Policy.Eviction<CacheKey, Value> eviction = family.eviction();
      switch (next) {
        case NONE -> eviction.setMaximum(family.maxWeight);
        case HIGH -> {
          // Caffeine evicts down to the new bound in its own order: the least valuable entries go
          // first; then the
          // family keeps to half its bound while memory stays high
          long weight = eviction.weightedSize().orElse(0);
          if (previous == Pressure.NONE) {
            eviction.setMaximum(Math.max(1, weight / 2));
            family.entries.cleanUp();
          }
          eviction.setMaximum(Math.max(1, family.maxWeight / 2));
          family.entries.cleanUp();
        }
        case CRITICAL -> {
          if (!options.alwaysOn().contains(family.name)) {
            long dropped = family.entries.asMap().size();
            family.entries.invalidateAll();
            family.cleared.add(dropped);
          }
        }
      }
    }
    LOG.info("cache.pressure from={} to={}", previous, next);
  }

  @Override
  public Pressure pressure() {
    return pressure;
  }

  @Override
  public List<String> families() {
    return families.keySet().stream().sorted().toList();
  }

  @Override
  public CacheStats stats(String name, boolean weighed) {
    Family family = family(name);
    family.entries.cleanUp();
    long items = 0;
    long bytes = 0;
    if (weighed) {
      for (Map.Entry<CacheKey, Value> entry : family.entries.asMap().entrySet()) {
        items += entry.getValue().items();
        bytes += bytes(entry.getKey(), entry.getValue());
      }
    }
    return new CacheStats(
        family.entries.estimatedSize(),
        Math.max(0, family.policy.maxEntries()),
        bytes,
        family.maxWeight,
        items,
        family.hits.sum(),
        family.misses.sum(),
        family.entries.stats().evictionCount() + family.cleared.sum(),
        family.invalidations.sum(),
        family.prefetched.sum());
  }

  @Override
  public Future<Void> close() {
    subscriptions.forEach(Runnable::run);
    for (Family family : families.values()) {
      family.entries.invalidateAll();
    }
    return Future.succeededFuture();
  }
}
