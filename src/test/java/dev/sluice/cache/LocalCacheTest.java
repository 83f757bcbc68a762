package dev.sluice.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.DataTypePolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "The node-local tier: bounds, single-flight, invalidation and pressure, on a real Caffeine cache")
class LocalCacheTest {

  record Blob(int weight, int items, long validUntil) implements Cache.Value {
    Blob(int weight) {
      this(weight, 1, Long.MAX_VALUE);
    }
  }

  static Cache cache(long maxBytes, int entries) {
    return Cache.create(
        new CacheOptions(
            true,
            maxBytes,
            Map.of(
                "a",
                new DataTypePolicy(10, 3_600, entries, false),
                "b",
                new DataTypePolicy(10, 3_600, entries, false)),
            new DataTypePolicy(10, 60, 10, false),
            Set.of()),
        null);
  }

  static CacheKey key(String family, int i, String... tables) {
    return new CacheKey(family, "k" + i, Set.of(tables));
  }

  @Test
  @DisplayName("small entries are bound by the family's entry count")
  void entryCount() {
    Cache cache = cache(10L << 20, 100); // each entry counts for at least 10 MB / 200 = 52 kB
    for (int i = 0; i < 500; i++) {
      cache.put(key("a", i), new Blob(100));
    }
    CacheStats stats = cache.stats("a");
    assertTrue(stats.size() <= 100, "size " + stats.size());
    assertTrue(stats.evictions() >= 400, "evictions " + stats.evictions());
  }

  @Test
  @DisplayName("large entries are bound by the family's share of bytes")
  void bytes() {
    Cache cache = cache(1L << 20, 100); // family a may hold half of 1 MB
    for (int i = 0; i < 200; i++) {
      cache.put(key("a", i), new Blob(20_000));
    }
    CacheStats stats = cache.stats("a");
    assertEquals(1L << 19, stats.maxWeightBytes());
    assertTrue(stats.weightBytes() <= stats.maxWeightBytes(), stats.toString());
    assertTrue(stats.size() <= 26, stats.toString());
    assertEquals(0, cache.stats("b").size(), "the other family's share is its own");
  }

  @Test
  @DisplayName("concurrent loads of one key share one load and its failure")
  void singleFlight() {
    Cache cache = cache(1L << 20, 100);
    AtomicInteger loads = new AtomicInteger();
    Promise<Blob> slow = Promise.promise();
    Future<Blob> first =
        cache.load(
            key("a", 1),
            () -> {
              loads.incrementAndGet();
              return slow.future();
            });
    Future<Blob> second =
        cache.load(
            key("a", 1),
            () -> {
              loads.incrementAndGet();
              return Future.succeededFuture(new Blob(1));
            });
    Blob blob = new Blob(10);
    slow.complete(blob);
    assertSame(blob, first.result());
    assertSame(blob, second.result());
    assertEquals(1, loads.get());
    assertSame(blob, cache.peek(key("a", 1)), "and the result is kept");

    Promise<Blob> failing = Promise.promise();
    Future<Blob> a = cache.load(key("a", 2), failing::future);
    Future<Blob> b = cache.load(key("a", 2), () -> Future.succeededFuture(new Blob(1)));
    failing.fail("database down");
    assertTrue(a.failed() && b.failed(), "both see the failure");
    assertNull(cache.peek(key("a", 2)), "a failure is not kept");
  }

  @Test
  @DisplayName(
      "a write to a table drops what was read from it, and a load under way when it came is not kept")
  void invalidation() {
    Cache cache = cache(1L << 20, 100);
    cache.put(key("a", 1, "videos"), new Blob(10));
    cache.put(key("a", 2, "users"), new Blob(10));
    cache.put(key("b", 3, "videos", "video_events"), new Blob(10));
    Promise<Blob> running = Promise.promise();
    Future<Blob> load = cache.load(key("a", 4, "videos"), running::future);
    assertEquals(2, cache.invalidateTable("videos"));
    assertNull(cache.peek(key("a", 1)));
    assertNull(cache.peek(key("b", 3)));
    assertTrue(cache.contains(key("a", 2)));
    AtomicInteger fresh = new AtomicInteger();
    cache.load(
        key("a", 4, "videos"),
        () -> {
          fresh.incrementAndGet();
          return Promise.<Blob>promise().future();
        });
    assertEquals(
        1, fresh.get(), "a request after the write does not join the load that started before it");
    running.complete(new Blob(10));
    assertTrue(load.succeeded(), "the old load still answers its own caller");
    assertFalse(
        cache.contains(key("a", 4)), "but its result, maybe read before the write, is not kept");
    assertEquals(2, cache.stats("a").invalidations() + cache.stats("b").invalidations());
  }

  @Test
  @DisplayName(
      "a value loaded elsewhere is kept only if no write to its table came while it was read")
  void putIfFresh() {
    Cache cache = cache(1L << 20, 100);
    Cache.Freshness before = cache.freshness(Set.of("videos"));
    cache.putIfFresh(key("a", 1, "videos"), new Blob(10), before);
    assertTrue(cache.contains(key("a", 1)));
    Cache.Freshness stale = cache.freshness(Set.of("videos"));
    cache.invalidateTable("videos");
    cache.putIfFresh(key("a", 2, "videos"), new Blob(10), stale);
    assertFalse(cache.contains(key("a", 2)), "read before the write: not kept");
    cache.putIfFresh(key("a", 3, "users"), new Blob(10), cache.freshness(Set.of("users")));
    assertTrue(cache.contains(key("a", 3)), "a write to another table does not matter");
  }

  @Test
  @DisplayName("an entry past its validUntil is gone whatever its family's TTL")
  void validUntil() {
    Cache cache = cache(1L << 20, 100);
    cache.put(key("a", 1), new Blob(10, 1, System.currentTimeMillis() - 1));
    cache.put(key("a", 2), new Blob(10, 1, System.currentTimeMillis() + 60_000));
    assertNull(cache.peek(key("a", 1)));
    assertTrue(cache.contains(key("a", 2)));
  }

  @Test
  @DisplayName(
      "high pressure sheds about half the weight; critical clears and stores nothing until it passes")
  void pressure() {
    Cache cache = cache(10L << 20, 1_000);
    for (int i = 0; i < 200; i++) {
      cache.put(key("a", i), new Blob(20_000));
    }
    long before = cache.stats("a").weightBytes();
    cache.pressure(Cache.Pressure.HIGH);
    long after = cache.stats("a").weightBytes();
    assertTrue(
        after <= before / 2 + 25_000 && after >= before / 2 - 25_000, before + " -> " + after);
    for (int i = 200; i < 400; i++) {
      cache.put(key("a", i), new Blob(20_000));
    }
    assertTrue(
        cache.stats("a").weightBytes() <= cache.stats("a").maxWeightBytes() / 2,
        "while high, a family keeps to half its bound");
    cache.pressure(Cache.Pressure.CRITICAL);
    assertEquals(0, cache.stats("a").size());
    cache.put(key("a", 1), new Blob(10));
    assertFalse(cache.contains(key("a", 1)), "nothing is stored while memory is critical");
    cache.pressure(Cache.Pressure.HIGH);
    for (int i = 0; i < 400; i++) {
      cache.put(key("a", i), new Blob(20_000));
    }
    long high = cache.stats("a").weightBytes();
    assertTrue(
        high > cache.stats("a").maxWeightBytes() / 2 - 40_000
            && high <= cache.stats("a").maxWeightBytes() / 2,
        "from critical back to high: half the bound again, not less (" + high + ")");
    cache.pressure(Cache.Pressure.NONE);
    cache.put(key("a", 1), new Blob(10));
    assertTrue(cache.contains(key("a", 1)));
    for (int i = 0; i < 200; i++) {
      cache.put(key("a", i), new Blob(20_000));
    }
    assertTrue(cache.stats("a").weightBytes() > before / 2 + 100_000, "the full bound is back");
  }
}
