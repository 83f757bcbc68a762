package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * What one request may ask for. Section {@code limits}. A request over a maximum is a 400, never
 * clamped.
 *
 * @param maxPageSize largest {@code per_page} of the pagination strategy
 * @param maxLimit largest {@code limit} of the cursor strategy and span of a virtual-scroll range
 * @param defaultLimit {@code limit} when a cursor request gives none
 * @param maxWindowDays widest time window
 * @param maxBuckets most buckets one window may be cut into
 * @param scrollCheckpointStep every how many rows a virtual-scroll walk remembers its index-to-key
 *     checkpoint
 * @param scrollCheckpointTtlSeconds how long remembered checkpoints are trusted (inserts shift
 *     indexes)
 */
public record LimitsConfig(
    int maxPageSize,
    int maxLimit,
    int defaultLimit,
    int maxWindowDays,
    int maxBuckets,
    int scrollCheckpointStep,
    int scrollCheckpointTtlSeconds) {

  public static LimitsConfig from(JsonObject json) {
    return new LimitsConfig(
        json.getInteger("max_page_size", 100),
        json.getInteger("max_limit", 1000),
        json.getInteger("default_limit", 50),
        json.getInteger("max_window_days", 31),
        json.getInteger("max_buckets", 10_000),
        json.getInteger("scroll_checkpoint_step", 1000),
        json.getInteger("scroll_checkpoint_ttl_seconds", 300));
  }
}
