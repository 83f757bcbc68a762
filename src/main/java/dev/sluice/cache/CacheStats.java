package dev.sluice.cache;

import io.vertx.core.json.JsonObject;

/**
 * One family's cache figures, as {@code /api/v1/stats} shows them under {@code cache_stats}.
 *
 * @param size entries held now
 * @param maxSize entries the family may hold
 * @param weightBytes bytes the entries take (their encoded replies, keys and bookkeeping)
 * @param maxWeightBytes bytes the family may hold (each entry counts for at least {@code node bound
 *     / Σ max_entries})
 * @param items items (rows) in the entries held now
 * @param hits lookups that found an entry
 * @param misses lookups that found none
 * @param evictions entries dropped to stay within bounds or because they expired
 * @param invalidations entries dropped because their rows changed or an operator cleared them
 * @param prefetched entries loaded ahead of any request
 */
public record CacheStats(
    long size,
    long maxSize,
    long weightBytes,
    long maxWeightBytes,
    long items,
    long hits,
    long misses,
    long evictions,
    long invalidations,
    long prefetched) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("size", size)
        .put("max_size", maxSize)
        .put("weight_bytes", weightBytes)
        .put("max_weight_bytes", maxWeightBytes)
        .put("evictions", evictions)
        .put("invalidations", invalidations)
        .put("prefetched", prefetched);
  }
}
