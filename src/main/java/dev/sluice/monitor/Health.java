package dev.sluice.monitor;

import dev.sluice.config.MonitorConfig;
import dev.sluice.node.MemoryLevel;
import io.vertx.core.json.JsonObject;

/**
 * The seed's health rules, as the monitor judges them: memory healthy under {@code high_percent} of
 * the limit, warning under {@code critical_percent}, else critical; a loader's cache hit rate over
 * the last minute healthy over {@code min_hit_rate}, warning over {@code critical_hit_rate}, else
 * critical, once it had {@code min_lookups} lookups (until then healthy: one bad minute at start-up
 * does not stick); a loader's failed loads over the last minute healthy at 0, warning under {@code
 * critical_errors}, else critical.
 */
public final class Health {

  /**
   * How a judged figure stands. Critical memory turns its health check DOWN; a loader's figures
   * never do.
   */
  public enum Level {
    HEALTHY,
    WARNING,
    CRITICAL;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    Level worst(Level other) {
      return compareTo(other) >= 0 ? this : other;
    }
  }

  private final MonitorConfig config;

  Health(MonitorConfig config) {
    this.config = config;
  }

  Level memory(long used, long limit) {
    double percent = used * 100.0 / limit;
    return percent < config.highPercent()
        ? Level.HEALTHY
        : percent < config.criticalPercent() ? Level.WARNING : Level.CRITICAL;
  }

  Level hitRate(long hits, long lookups) {
    if (lookups < config.minLookups()) {
      return Level.HEALTHY;
    }
    double rate = (double) hits / lookups;
    return rate > config.minHitRate()
        ? Level.HEALTHY
        : rate > config.criticalHitRate() ? Level.WARNING : Level.CRITICAL;
  }

  Level errors(long errors) {
    return errors == 0
        ? Level.HEALTHY
        : errors < config.criticalErrors() ? Level.WARNING : Level.CRITICAL;
  }

  /** The memory judgement as the health check shows it. */
  JsonObject memory(long used, long limit, MemoryLevel level) {
    return new JsonObject()
        .put("level", memory(used, limit).label())
        .put("used_mb", used / (1024 * 1024))
        .put("limit_mb", limit / (1024 * 1024))
        .put("percent", Math.round(used * 1000.0 / limit) / 10.0)
        .put("memory_level", level.label());
  }

  /** One loader's judgement over the last minute, as its health check shows it. */
  JsonObject loader(Statistics.Recent recent, boolean caching) {
    long lookups = recent.hits() + recent.misses();
    Level hitRate = caching ? hitRate(recent.hits(), lookups) : Level.HEALTHY;
    Level errors = errors(recent.errors());
    JsonObject json =
        new JsonObject()
            .put("level", hitRate.worst(errors).label())
            .put("errors", recent.errors())
            .put("errors_level", errors.label())
            .put("lookups", lookups)
            .put("hit_rate_level", hitRate.label());
    if (caching && lookups > 0) {
      json.put("hit_rate", Math.round(recent.hits() * 1000.0 / lookups) / 1000.0);
    }
    return json;
  }
}
