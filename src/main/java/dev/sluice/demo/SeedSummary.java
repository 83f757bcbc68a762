package dev.sluice.demo;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Seeder#seed(SeedScale)} run wrote: rows per table, in the order the tables were
 * filled, and the time the whole run took.
 */
public record SeedSummary(Map<String, Long> rows, Duration took) {

  public SeedSummary {
    rows = Collections.unmodifiableMap(new LinkedHashMap<>(rows));
  }

  /** Rows written across all tables. */
  public long totalRows() {
    return rows.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Rows per second over the whole run. */
  public double rowsPerSecond() {
    long ms = Math.max(1, took.toMillis());
    return totalRows() * 1000.0 / ms;
  }
}
