package dev.sluice.cache;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The node cache's figures, as the monitor reads them for {@code /api/v1/stats}, the health
 * judgements and the meters. Part of {@link Cache}.
 */
public interface CacheStatistics {

  /** The families the cache knows, in name order. */
  List<String> families();

  /** Whether {@code family}'s replies are cached at all (a hit rate means nothing otherwise). */
  boolean enabled(String family);

  /** {@code family}'s figures. */
  default CacheStats stats(String family) {
    return stats(family, true);
  }

  /**
   * {@code family}'s figures; unless {@code weighed}, without {@code items} and {@code weightBytes}
   * (both 0), which take a walk over the family's entries: what the per-scrape meters of lookups
   * and evictions need.
   */
  CacheStats stats(String family, boolean weighed);

  /**
   * The cluster tier's figures for {@code family} (hits, misses, writes, errors, lease waits); null
   * when none.
   */
  default JsonObject clusterStats(String family) {
    return null;
  }
}
