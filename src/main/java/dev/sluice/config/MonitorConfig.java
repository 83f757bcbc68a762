package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * How the monitor watches the node. Section {@code monitor}; the memory limit itself is {@code
 * lazy_loading.memory_limit_mb}.
 *
 * @param sampleIntervalMs how often heap use is sampled and the alerts are checked
 * @param highPercent heap use (of the limit) from which the level is {@code high}: caches shed half
 * @param criticalPercent heap use from which the level is {@code critical}: caches clear, new
 *     streams get 503
 * @param slowBatchMs a loader whose average load takes longer is alerted on
 * @param minHitRate a loader whose cache hit rate is lower (once it has {@code minLookups}) is
 *     alerted on
 * @param minLookups lookups before a hit rate means anything
 * @param maxErrors a loader with more failed loads is alerted on
 * @param criticalHitRate a hit rate at or under this is critical in the health checks (over it but
 *     at or under {@code minHitRate}: warning)
 * @param criticalErrors this many failed loads of a loader in the last minute are critical in the
 *     health checks (fewer, but some: warning)
 */
public record MonitorConfig(
    int sampleIntervalMs,
    int highPercent,
    int criticalPercent,
    long slowBatchMs,
    double minHitRate,
    long minLookups,
    long maxErrors,
    double criticalHitRate,
    long criticalErrors) {

  public static MonitorConfig from(JsonObject json) {
    return new MonitorConfig(
        json.getInteger("sample_interval_ms", 1_000),
        json.getInteger("high_percent", 80),
        json.getInteger("critical_percent", 95),
        json.getLong("slow_batch_ms", 1_000L),
        json.getDouble("min_hit_rate", 0.8),
        json.getLong("min_lookups", 100L),
        json.getLong("max_errors", 10L),
        json.getDouble("critical_hit_rate", 0.6),
        json.getLong("critical_errors", 5L));
  }
}
