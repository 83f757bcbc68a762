package dev.sluice.monitor;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

import java.util.Locale;

/**
 * How much of its memory limit the node's heap uses: {@code normal}, {@code high} (from 80 %: caches shed half their
 * weight, prefetch stops) or {@code critical} (from 95 %: caches clear, new streams are refused with 503). The
 * monitor decides it; anyone on the node reads it with {@link #current}.
 */
public enum MemoryLevel {
  NORMAL, HIGH, CRITICAL;

  static final String MAP = "sluice.monitor";
  static final String KEY = "memory.level";

  /** The node's level as the monitor last set it; normal when no monitor runs. */
  public static MemoryLevel current(Vertx vertx) {
    LocalMap<String, String> map = vertx.sharedData().getLocalMap(MAP);
    String level = map.get(KEY);
    return level == null ? NORMAL : valueOf(level);
  }

  static void set(Vertx vertx, MemoryLevel level) {
    LocalMap<String, String> map = vertx.sharedData().getLocalMap(MAP);
    map.put(KEY, level.name());
  }

  /** The level of {@code used} bytes against {@code limit}, with thresholds in percent. */
  static MemoryLevel of(long used, long limit, int highPercent, int criticalPercent) {
    double percent = limit <= 0 ? 0 : used * 100.0 / limit;
    if (percent >= criticalPercent) {
      return CRITICAL;
    }
    return percent >= highPercent ? HIGH : NORMAL;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
