package dev.sluice.cache;

import dev.sluice.config.DataTypePolicy;
import dev.sluice.config.SluiceConfig;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the cache is bounded: whether it runs at all, the node-wide byte bound and each family's
 * policy (TTL, entry count, compression). A family the configuration does not name gets {@code
 * fallback}.
 */
public record CacheOptions(
    boolean enabled,
    long maxBytes,
    Map<String, DataTypePolicy> policies,
    DataTypePolicy fallback,
    Set<String> alwaysOn) {

  /**
   * The family of virtual-scroll checkpoints: an index the loaders need, kept whether replies are
   * cached or not.
   */
  public static final String SCROLL = "scroll";

  static final int SCROLL_ENTRIES = 256;

  public CacheOptions {
    policies = Map.copyOf(new TreeMap<>(policies));
    alwaysOn = Set.copyOf(alwaysOn);
  }

  public static CacheOptions from(SluiceConfig settings) {
    Map<String, DataTypePolicy> policies = new TreeMap<>(settings.dataTypes());
    policies.put(
        SCROLL,
        new DataTypePolicy(
            0, settings.limits().scrollCheckpointTtlSeconds(), SCROLL_ENTRIES, false));
    return new CacheOptions(
        settings.lazy().enableCaching(),
        settings.cacheMaxBytes(),
        policies,
        settings.policy("default"),
        Set.of(SCROLL));
  }

  public DataTypePolicy policy(String family) {
    return policies.getOrDefault(family, fallback);
  }

  /** The sum of every named family's entry count: each family's byte share is its part of it. */
  long totalEntries() {
    long total = 0;
    for (DataTypePolicy policy : policies.values()) {
      total += Math.max(1, policy.maxEntries());
    }
    return Math.max(1, total);
  }
}
