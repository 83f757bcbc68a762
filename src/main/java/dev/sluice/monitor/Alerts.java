package dev.sluice.monitor;

import dev.sluice.config.MonitorConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's alerts, over the last minute of each loader's figures: loads slower than {@code
 * slow_batch_ms} on average, a cache hit rate under {@code min_hit_rate} once there were {@code
 * min_lookups} lookups, more than {@code max_errors} failed loads. Each is logged once when it
 * starts and once when it ends, never again while it holds.
 */
final class Alerts {

  private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

  private final MonitorConfig config;
  private final Set<String> raised = new HashSet<>();

  Alerts(MonitorConfig config) {
    this.config = config;
  }

  void check(List<Statistics.Recent> families) {
    for (Statistics.Recent f : families) {
      toggle(
          f.family(),
          "slow-loads",
          f.loads() > 0 && f.averageLoadMs() > config.slowBatchMs(),
          String.format(
              "average load took %.0f ms over %d loads (threshold %d ms)",
              f.averageLoadMs(), f.loads(), config.slowBatchMs()));
      long lookups = f.hits() + f.misses();
      double hitRate = lookups == 0 ? 1 : (double) f.hits() / lookups;
      toggle(
          f.family(),
          "low-hit-rate",
          lookups >= config.minLookups() && hitRate < config.minHitRate(),
          String.format(
              "cache hit rate %.2f over %d lookups (threshold %.2f)",
              hitRate, lookups, config.minHitRate()));
      toggle(
          f.family(),
          "errors",
          f.errors() > config.maxErrors(),
          String.format(
              "%d failed loads in the last minute (threshold %d)", f.errors(), config.maxErrors()));
    }
  }

  /**
   * Whether an alert is raised now, as {@code family/kind}: for tests and the health checks to
   * come.
   */
  boolean raised(String family, String kind) {
    return raised.contains(family + "/" + kind);
  }

  private void toggle(String family, String kind, boolean holds, String detail) {
    String key = family + "/" + kind;
    if (holds && raised.add(key)) {
      LOG.warn("alert.raised loader={} alert={} detail=\"{}\"", family, kind, detail);
    } else if (!holds && raised.remove(key)) {
      LOG.info("alert.cleared loader={} alert={}", family, kind);
    }
  }
}
