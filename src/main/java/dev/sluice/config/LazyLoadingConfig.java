package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * How loaders load: the seed's lazy-loading configuration. Section {@code lazy_loading}.
 * docs/CONFIGURATION.md says what each field does and which issue puts it to work. {@code
 * memoryLimitMb} null means the JVM's max heap ({@link SluiceConfig#memoryLimitBytes()}). {@code
 * rowEncoding} says who writes the rows' JSON of every reply and stream ({@link RowEncoding}), an
 * addition to the seed's section.
 */
public record LazyLoadingConfig(
    String strategy,
    int batchSize,
    int maxConcurrentBatches,
    int bufferSize,
    boolean enableCaching,
    int cacheSize,
    boolean enableCompression,
    boolean enablePrefetching,
    int prefetchDistance,
    Integer memoryLimitMb,
    int timeoutSeconds,
    int retryAttempts,
    double retryDelaySeconds,
    boolean enableBackpressure,
    double backpressureThreshold,
    boolean enableMonitoring,
    boolean enableMetrics,
    RowEncoding rowEncoding) {

  /** A stream's credit window, in batches: {@code buffer_size / batch_size}, at least 2. */
  public int creditWindow() {
    return Math.max(2, bufferSize / Math.max(1, batchSize));
  }

  public static LazyLoadingConfig from(JsonObject json) {
    return new LazyLoadingConfig(
        json.getString("strategy", "cursor"),
        json.getInteger("batch_size", 1000),
        json.getInteger("max_concurrent_batches", 8),
        json.getInteger("buffer_size", 10_000),
        json.getBoolean("enable_caching", true),
        json.getInteger("cache_size", 1000),
        json.getBoolean("enable_compression", true),
        json.getBoolean("enable_prefetching", true),
        json.getInteger("prefetch_distance", 2),
        json.getInteger("memory_limit_mb"),
        json.getInteger("timeout_seconds", 30),
        json.getInteger("retry_attempts", 3),
        json.getDouble("retry_delay_seconds", 0.1),
        json.getBoolean("enable_backpressure", true),
        json.getDouble("backpressure_threshold", 0.8),
        json.getBoolean("enable_monitoring", true),
        json.getBoolean("enable_metrics", true),
        RowEncoding.of(json.getString("row_encoding", "jvm"), "lazy_loading.row_encoding"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("strategy", strategy)
        .put("batch_size", batchSize)
        .put("max_concurrent_batches", maxConcurrentBatches)
        .put("buffer_size", bufferSize)
        .put("enable_caching", enableCaching)
        .put("cache_size", cacheSize)
        .put("enable_compression", enableCompression)
        .put("enable_prefetching", enablePrefetching)
        .put("prefetch_distance", prefetchDistance)
        .put("memory_limit_mb", memoryLimitMb)
        .put("timeout_seconds", timeoutSeconds)
        .put("retry_attempts", retryAttempts)
        .put("retry_delay_seconds", retryDelaySeconds)
        .put("enable_backpressure", enableBackpressure)
        .put("backpressure_threshold", backpressureThreshold)
        .put("enable_monitoring", enableMonitoring)
        .put("enable_metrics", enableMetrics)
        .put("row_encoding", rowEncoding.name().toLowerCase(java.util.Locale.ROOT));
  }
}
