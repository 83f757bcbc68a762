package dev.sluice.cache;

import dev.sluice.config.ClusterConfig;
import dev.sluice.db.Changes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clustered node's cache: the node-local tier ({@link LocalCache}) in front, and behind it one
 * cluster-wide map per family (a Vert.x {@link AsyncMap} on Hazelcast, {@code
 * sluice.cache.<family>}) holding the replies every node loaded, so a page loaded through node A is
 * a hit on node B.
 *
 * <ul>
 *   <li><b>Reads</b>: a local miss asks the map, bounded by {@code cluster.cache.timeout_ms}; a
 *       value found is kept locally too. A map that is slow or failing is a miss, never an error.
 *   <li><b>Writes</b>: set-style ({@code put} with a TTL: Hazelcast's {@code setAsync}, no old
 *       value back), not awaited, only when no write to the value's tables came while it loaded,
 *       and taken back if one came while the put was on its way.
 *   <li><b>Single flight across nodes</b>: a miss on every tier claims a short lease on its key
 *       ({@code putIfAbsent} with {@code cluster.cache.lease_ms}) at the same time as it asks the
 *       map; the node that gets it loads, the others watch the map for at most {@code
 *       cluster.cache.lease_wait_ms} and then load themselves, so a miss never waits long on
 *       another node.
 *   <li><b>Invalidation</b>: every node hears PostgreSQL's notifications itself and drops its local
 *       entries; it also clears the cluster maps of the families it has seen read the written table
 *       (each node clears what it may have published). {@code DELETE /api/v1/cache} clears the maps
 *       and tells every node's local tier over the event bus ({@value #CLEARED}). When
 *       notifications may have been missed (listening resumed), the maps are cleared too.
 * </ul>
 */
final class ClusteredCache implements Cache {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredCache.class);

  /**
   * Published to every node when an operator has cleared a family's cluster map: the body names the
   * family.
   */
  static final String CLEARED = "sluice.cache.cleared";

  static final String MAP_PREFIX = "sluice.cache.";
  static final String LEASES = "sluice.cache.leases";

  /**
   * How close to a write this node heard a value found in the map may have been loaded and still
   * not be taken: the map is cleared when the write is heard, but a node may look before the clear
   * lands, and clocks differ a little between machines. Such a value is a miss.
   */
  static final long WRITE_MARGIN_MS = 1_000;

  /**
   * First pause between two looks at the map while another node holds the lease; doubled each time.
   */
  static final long WATCH_FIRST_MS = 5;

  private final Vertx vertx;
  private final LocalCache local;
  private final CacheOptions options;
  private final ClusterConfig.Cache settings;
  private final Function<Buffer, Value> decoder;
  private final String node = UUID.randomUUID().toString();
  private final Map<String, Future<AsyncMap<String, Buffer>>> maps = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> tablesRead = new ConcurrentHashMap<>();
  private final Map<String, Tier> tiers = new ConcurrentHashMap<>();
  private final List<Runnable> subscriptions;
  private final Future<MessageConsumer<String>> cleared;
  private Future<AsyncMap<String, String>> leases;

  /** The cluster tier's own figures for one family. */
  private static final class Tier {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder waited = new LongAdder();

    JsonObject toJson() {
      return new JsonObject()
          .put("hits", hits.sum())
          .put("misses", misses.sum())
          .put("writes", writes.sum())
          .put("errors", errors.sum())
          .put("lease_waits", waited.sum());
    }
  }

  ClusteredCache(
      Vertx vertx,
      CacheOptions options,
      Changes changes,
      ClusterConfig.Cache settings,
      Function<Buffer, Value> decoder) {
    this.vertx = vertx;
    this.options = options;
    this.local = new LocalCache(options, changes);
    this.settings = settings;
    this.decoder = decoder;
    this.subscriptions =
        changes == null
            ? List.of()
            : List.of(
                changes.onChange(this::clearReading),
                changes.onResubscribed(() -> clearShared(null)));
    // made on the node's own context, which no verticle owns: the consumer lives as long as the
    // cache
    MessageConsumer<String> consumer =
        vertx
            .eventBus()
            .consumer(
                CLEARED,
                message -> {
                  String family = message.body();
                  LOG.info(
                      "cache.cleared by=cluster loader={} entries={}",
                      family,
                      local.invalidate(family));
                });
    this.cleared = consumer.completion().map(consumer);
  }

  /**
   * Whether {@code key}'s values go to the cluster tier: cached replies, not node indexes such as
   * checkpoints.
   */
  private boolean shared(CacheKey key) {
    return !options.alwaysOn().contains(key.family()) && local.active(key.family());
  }

  private Future<AsyncMap<String, Buffer>> map(String family) {
    return maps.computeIfAbsent(
        family,
        f ->
            vertx
                .sharedData()
                .<String, Buffer>getAsyncMap(MAP_PREFIX + f)
                .onFailure(err -> maps.remove(f)));
  }

  private Tier tier(String family) {
    return tiers.computeIfAbsent(family, f -> new Tier());
  }

  private void noteTables(CacheKey key) {
    tablesRead
        .computeIfAbsent(key.family(), f -> ConcurrentHashMap.newKeySet())
        .addAll(key.tables());
  }

  // --- reads

  @Override
  public Future<Value> get(CacheKey key) {
    if (!shared(key)) {
      return local.get(key);
    }
    Value near = local.peek(key);
    if (near != null) {
      local.counted(key.family(), true);
      return Future.succeededFuture(near);
    }
    Freshness before = local.freshness(key.tables());
    return remote(key)
        .map(
            value -> {
              local.counted(key.family(), value != null);
              if (value != null) {
                local.putIfFresh(key, value, before);
              }
              return value;
            });
  }

  /**
   * The value the cluster map holds for {@code key}, or null: also when the map is slow or failing.
   */
  private Future<Value> remote(CacheKey key) {
    noteTables(key);
    Tier tier = tier(key.family());
    Promise<Value> result = Promise.promise();
    map(key.family())
        .compose(map -> map.get(key.text()))
        .timeout(settings.timeoutMs(), TimeUnit.MILLISECONDS)
        .onComplete(
            ar -> {
              Value value = null;
              if (ar.failed()) {
                tier.errors.increment();
                LOG.debug("cache.cluster_failed op=get key={}", key, ar.cause());
              } else if (ar.result() != null && ar.result().length() > Long.BYTES) {
                Buffer stored = ar.result();
                try {
                  value = decoder.apply(stored.slice(Long.BYTES, stored.length()));
                } catch (RuntimeException e) {
                  tier.errors.increment();
                  LOG.warn("cache.cluster_undecodable key={}", key, e);
                }
                if (value != null
                    && (value.validUntil() <= System.currentTimeMillis()
                        || stored.getLong(0) <= lastWrite(key.tables()) + WRITE_MARGIN_MS)) {
                  value = null;
                }
              }
              (value == null ? tier.misses : tier.hits).increment();
              result.complete(value);
            });
    return LocalCache.onCallerContext(result.future());
  }

  // --- loads

  @Override
  public <V extends Value> Future<V> load(CacheKey key, Supplier<Future<V>> loader) {
    if (!shared(key)) {
      return local.load(key, loader);
    }
    // the local tier keeps single flight on this node and stores what comes back, from the map or
    // the loader
    return local.load(key, () -> loadShared(key, loader));
  }

  @SuppressWarnings("unchecked")
  private <V extends Value> Future<V> loadShared(CacheKey key, Supplier<Future<V>> loader) {
    Freshness before = local.freshness(key.tables());
    Future<Value> held = remote(key);
    Future<Boolean> claimed = claim(key);
    return held.compose(
        value -> {
          if (value != null) {
            claimed.onSuccess(
                mine -> {
                  if (mine) {
                    release(key);
                  }
                });
            return Future.succeededFuture((V) value);
          }
          return claimed.compose(
              mine -> {
                if (mine) {
                  // the first look may predate another node's whole load (its put lands, then its
                  // lease goes): look again
                  return remote(key)
                      .compose(
                          other -> {
                            if (other != null) {
                              release(key);
                              return Future.succeededFuture((V) other);
                            }
                            return loadAndShare(key, loader, before, true);
                          });
                }
                tier(key.family()).waited.increment();
                return watch(
                        key, System.currentTimeMillis() + settings.leaseWaitMs(), WATCH_FIRST_MS)
                    .compose(
                        other ->
                            other != null
                                ? Future.succeededFuture((V) other)
                                : loadAndShare(key, loader, before, false));
              });
        });
  }

  /** When this node last heard a write to one of {@code tables} (epoch millis); 0 if never. */
  private long lastWrite(Set<String> tables) {
    long last = 0;
    for (String table : tables) {
      last = Math.max(last, local.lastWrite(table));
    }
    return last;
  }

  /**
   * Claims the lease on loading {@code key}: true when this node should load it (also when the map
   * fails).
   */
  private Future<Boolean> claim(CacheKey key) {
    if (leases == null) {
      leases = vertx.sharedData().<String, String>getAsyncMap(LEASES);
    }
    Promise<Boolean> result = Promise.promise();
    leases
        .compose(map -> map.putIfAbsent(leaseKey(key), node, settings.leaseMs()))
        .timeout(settings.timeoutMs(), TimeUnit.MILLISECONDS)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                tier(key.family()).errors.increment();
              }
              result.complete(ar.failed() || ar.result() == null || node.equals(ar.result()));
            });
    return LocalCache.onCallerContext(result.future());
  }

  private void release(CacheKey key) {
    if (leases != null) {
      leases.compose(map -> map.removeIfPresent(leaseKey(key), node));
    }
  }

  private static String leaseKey(CacheKey key) {
    return key.family() + ":" + key.text();
  }

  /**
   * Looks at the map until another node's load of {@code key} lands there or {@code until}; null if
   * it did not.
   */
  private Future<Value> watch(CacheKey key, long until, long pause) {
    long left = until - System.currentTimeMillis();
    if (left <= 0) {
      return Future.succeededFuture();
    }
    Promise<Value> later = Promise.promise();
    vertx.setTimer(
        Math.min(pause, left),
        t ->
            remote(key)
                .onComplete(
                    ar -> {
                      if (ar.succeeded() && ar.result() != null) {
                        later.complete(ar.result());
                      } else {
                        watch(key, until, pause * 2).onComplete(later);
                      }
                    }));
    return LocalCache.onCallerContext(later.future());
  }

  /**
   * Loads {@code key} and shares what comes back. The lease, if {@code leased}, is released once
   * the value is in the map (a node claiming it next finds the value there), or at once when the
   * load fails.
   */
  private <V extends Value> Future<V> loadAndShare(
      CacheKey key, Supplier<Future<V>> loader, Freshness before, boolean leased) {
    Future<V> loaded;
    try {
      loaded = loader.get();
    } catch (RuntimeException e) {
      loaded = Future.failedFuture(e);
    }
    return loaded.onComplete(
        ar -> {
          Future<Void> shared =
              ar.succeeded() ? share(key, ar.result(), before) : Future.succeededFuture();
          if (leased) {
            shared.onComplete(done -> release(key));
          }
        });
  }

  /**
   * Puts {@code value} in the cluster map if its tables are as they were; completes (never fails)
   * when the put has landed or was skipped. Callers replying to a request do not wait for it.
   */
  private Future<Void> share(CacheKey key, Value value, Freshness before) {
    if (value == null || !shared(key) || !before.equals(local.freshness(before.tables()))) {
      return Future.succeededFuture();
    }
    long ttl = TimeUnit.SECONDS.toMillis(Math.max(1, options.policy(key.family()).ttlSeconds()));
    if (value.validUntil() != Long.MAX_VALUE) {
      ttl = Math.min(ttl, value.validUntil() - System.currentTimeMillis());
    }
    // stamped with when its load began (a node that heard a write after that does not take it),
    // then the value
    Buffer portable = Buffer.buffer(Long.BYTES + value.weight()).appendLong(before.takenAt());
    if (ttl <= 0 || !value.writePortable(portable)) {
      return Future.succeededFuture();
    }
    noteTables(key);
    Tier tier = tier(key.family());
    long expiresIn = ttl;
    return map(key.family())
        .compose(
            map ->
                map.put(key.text(), portable, expiresIn)
                    .<Void>compose(
                        v -> {
                          tier.writes.increment();
                          // a write heard while the put was on its way: the value may be stale,
                          // take it back
                          return before.equals(local.freshness(before.tables()))
                              ? Future.succeededFuture()
                              : map.remove(key.text()).mapEmpty();
                        }))
        .onFailure(
            err -> {
              tier.errors.increment();
              LOG.debug("cache.cluster_failed op=put key={}", key, err);
            })
        .otherwiseEmpty();
  }

  @Override
  public void put(CacheKey key, Value value) {
    local.put(key, value);
    share(key, value, local.freshness(key.tables()));
  }

  @Override
  public void putIfFresh(CacheKey key, Value value, Freshness before) {
    local.putIfFresh(key, value, before);
    share(key, value, before);
  }

  // --- invalidation

  /** A write to {@code table}: clears the cluster maps of the families seen reading it. */
  private void clearReading(String table) {
    tablesRead.forEach(
        (family, tables) -> {
          if (tables.contains(table)) {
            clearShared(family);
          }
        });
  }

  /**
   * Clears {@code family}'s cluster map, or every family's when null; completes when they are
   * empty.
   */
  private Future<Void> clearShared(String family) {
    List<Future<Void>> clears = new java.util.ArrayList<>();
    for (String name : family == null ? local.families() : List.of(family)) {
      if (!options.alwaysOn().contains(name)) {
        clears.add(
            map(name)
                .compose(AsyncMap::clear)
                .onFailure(
                    err -> {
                      tier(name).errors.increment();
                      LOG.warn("cache.cluster_failed op=clear loader={}", name, err);
                    }));
      }
    }
    return Future.join(clears).mapEmpty();
  }

  @Override
  public long invalidate(String family) {
    return local.invalidate(family);
  }

  @Override
  public long invalidateAll() {
    return local.invalidateAll();
  }

  /**
   * This node's entries first, then the cluster map; once that is empty (or failed to clear), every
   * node is told to drop its local entries, so none takes the old value from the map again after
   * hearing.
   */
  @Override
  public Future<Long> clear(String family) {
    long dropped = local.invalidate(family);
    return clearShared(family)
        .otherwiseEmpty()
        .map(
            v -> {
              vertx.eventBus().publish(CLEARED, family);
              return dropped;
            });
  }

  @Override
  public long invalidateTable(String table) {
    long dropped = local.invalidateTable(table);
    clearReading(table);
    return dropped;
  }

  // --- the rest is the local tier's

  @Override
  public boolean enabled(String family) {
    return local.enabled(family);
  }

  @Override
  public boolean compressed(String family) {
    return local.compressed(family);
  }

  @Override
  public Value peek(CacheKey key) {
    return local.peek(key);
  }

  @Override
  public boolean contains(CacheKey key) {
    return local.contains(key);
  }

  @Override
  public Freshness freshness(Set<String> tables) {
    return local.freshness(tables);
  }

  @Override
  public long generation(String table) {
    return local.generation(table);
  }

  @Override
  public long lastWrite(String table) {
    return local.lastWrite(table);
  }

  @Override
  public void countPrefetch(String family) {
    local.countPrefetch(family);
  }

  @Override
  public void pressure(Pressure pressure) {
    local.pressure(pressure);
  }

  @Override
  public Pressure pressure() {
    return local.pressure();
  }

  @Override
  public List<String> families() {
    return local.families();
  }

  @Override
  public CacheStats stats(String family, boolean weighed) {
    return local.stats(family, weighed);
  }

  @Override
  public JsonObject clusterStats(String family) {
    return tier(family).toJson();
  }

  @Override
  public Future<Void> close() {
    subscriptions.forEach(Runnable::run);
    return cleared.compose(MessageConsumer::unregister).eventually(local::close);
  }
}
