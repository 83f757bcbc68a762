package dev.sluice.monitor;

import dev.sluice.cache.CachePressure;
import dev.sluice.cache.CacheStatistics;
import dev.sluice.cache.CacheStats;
import dev.sluice.config.SluiceConfig;
import dev.sluice.node.LoaderStats;
import dev.sluice.node.MemoryLevel;
import dev.sluice.node.Node;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The statistics document of {@code /api/v1/stats}: each loader's figures as the loaders and the
 * gateway counted them ({@link LoaderStats}) and as the cache holds them ({@link CacheStats}), and
 * the node's memory. Keeps a minute of samples, so that throughput and the alerts speak of the last
 * moments, not of all time.
 */
final class Statistics {

  static final long THROUGHPUT_WINDOW_MS = 10_000;
  static final long ALERT_WINDOW_MS = 60_000;
  private static final double MB = 1024.0 * 1024.0;

  /** One family's counters at one moment. */
  record Snapshot(long served, long loads, long loadNanos, long errors, long hits, long misses) {}

  /** One family's figures over the alert window, for the alerts. */
  record Recent(
      String family, long loads, double averageLoadMs, long hits, long misses, long errors) {}

  private record Sample(long at, Map<String, Snapshot> families) {}

  private final Node node;
  private final SluiceConfig settings;
  private final CacheStatistics cache;
  private final CachePressure pressure;
  private final LongSupplier heapUsed;
  private final Deque<Sample> samples = new ArrayDeque<>();

  Statistics(
      Node node,
      SluiceConfig settings,
      CacheStatistics cache,
      CachePressure pressure,
      LongSupplier heapUsed) {
    this.node = node;
    this.settings = settings;
    this.cache = cache;
    this.pressure = pressure;
    this.heapUsed = heapUsed;
  }

  /** Records the counters now; forgets samples older than the alert window. */
  void sample() {
    Sample sample = snapshot();
    samples.addLast(sample);
    while (samples.size() > 2 && sample.at() - samples.peekFirst().at() > ALERT_WINDOW_MS) {
      samples.removeFirst();
    }
  }

  private Sample snapshot() {
    Map<String, Snapshot> families = new LinkedHashMap<>();
    for (String family : node.families()) {
      LoaderStats stats = node.loaderStats(family);
      CacheStats cached = cache.stats(family);
      families.put(
          family,
          new Snapshot(
              stats.servedItems(),
              stats.loads(),
              stats.loadNanos(),
              stats.errors(),
              cached.hits(),
              cached.misses()));
    }
    return new Sample(System.currentTimeMillis(), families);
  }

  /** Each family's figures between the oldest sample of the alert window and the newest. */
  List<Recent> current() {
    if (samples.isEmpty()) {
      return List.of();
    }
    Sample first = samples.peekFirst();
    Sample last = samples.peekLast();
    return node.families().stream()
        .map(
            family -> {
              Snapshot a = first.families().get(family);
              Snapshot b = last.families().get(family);
              long loads = b.loads() - a.loads();
              double average = loads == 0 ? 0 : (b.loadNanos() - a.loadNanos()) / 1e6 / loads;
              return new Recent(
                  family,
                  loads,
                  average,
                  b.hits() - a.hits(),
                  b.misses() - a.misses(),
                  b.errors() - a.errors());
            })
        .toList();
  }

  JsonObject document(MemoryLevel level) {
    Sample now = snapshot(); // not kept: asking for the document often must not grow the samples
    JsonObject loaders = new JsonObject();
    for (String family : node.families()) {
      loaders.put(family, family(family, now));
    }
    long used = heapUsed.getAsLong();
    long limit = settings.memoryLimitBytes();
    JsonObject config =
        settings
            .lazy()
            .toJson()
            .put("memory_limit_mb", Math.round(limit / MB))
            .put("cache_max_mb", Math.round(settings.cacheMaxBytes() / MB));
    CacheStats scroll = cache.stats(dev.sluice.cache.CacheOptions.SCROLL);
    return new JsonObject()
        .put("config", config)
        .put("loaders", loaders)
        .put(
            "memory",
            new JsonObject()
                .put("used_mb", round(used / MB))
                .put("limit_mb", round(limit / MB))
                .put("high_mb", round(limit * settings.monitor().highPercent() / 100.0 / MB))
                .put(
                    "critical_mb", round(limit * settings.monitor().criticalPercent() / 100.0 / MB))
                .put("level", level.label()))
        .put(
            "cache",
            new JsonObject()
                .put("pressure", pressure.pressure().name().toLowerCase(java.util.Locale.ROOT))
                .put("max_weight_bytes", settings.cacheMaxBytes())
                .put("scroll_checkpoints", scroll.toJson()));
  }

  private JsonObject family(String family, Sample now) {
    LoaderStats stats = node.loaderStats(family);
    CacheStats cached = cache.stats(family);
    long last = stats.lastLoadedAt();
    return new JsonObject()
        .put("total_items", stats.servedItems())
        .put("loaded_items", stats.loadedItems())
        .put("cached_items", cached.items())
        .put("batch_operations", stats.loads())
        .put("cache_hits", cached.hits())
        .put("cache_misses", cached.misses())
        .put("errors", stats.errors())
        .put("retries", stats.retries())
        .put("average_batch_time_ms", round(stats.averageLoadMillis()))
        .put("memory_usage_mb", round(cached.weightBytes() / MB))
        .put("throughput_items_per_second", round(throughput(family, now)))
        .put("last_loaded_at", last == 0 ? null : Instant.ofEpochMilli(last).toString())
        .put("cache_stats", withCluster(cached.toJson(), cache.clusterStats(family)));
  }

  /** The cluster tier's figures under {@code cluster}, on a clustered node whose cache has one. */
  private static JsonObject withCluster(JsonObject stats, JsonObject cluster) {
    return cluster == null ? stats : stats.put("cluster", cluster);
  }

  /**
   * Items served per second from the oldest sample of the last {@value #THROUGHPUT_WINDOW_MS} ms to
   * now.
   */
  private double throughput(String family, Sample last) {
    Sample from = null;
    for (Sample sample : samples) {
      if (last.at() - sample.at() <= THROUGHPUT_WINDOW_MS) {
        from = sample;
        break;
      }
    }
    if (from == null || from == last || last.at() == from.at()) {
      return 0;
    }
    long items = last.families().get(family).served() - from.families().get(family).served();
    return items * 1000.0 / (last.at() - from.at());
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
