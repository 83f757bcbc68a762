package dev.sluice.node;

import java.util.Locale;

/**
 * How much of its memory limit the node's heap uses: {@code normal}, {@code high} (from 80 %:
 * caches shed half their weight, prefetch stops) or {@code critical} (from 95 %: caches clear, new
 * streams are refused with 503). The monitor decides it ({@code Node#memoryLevel}); anyone on the
 * node reads it there.
 */
public enum MemoryLevel {
  NORMAL,
  HIGH,
  CRITICAL;

  /** The level of {@code used} bytes against {@code limit}, with thresholds in percent. */
  public static MemoryLevel of(long used, long limit, int highPercent, int criticalPercent) {
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
