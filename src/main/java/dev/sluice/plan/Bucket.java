package dev.sluice.plan;

import java.time.Duration;
import java.util.List;

/** The widths a time window may be cut into. */
public enum Bucket {
  MINUTE("1m", Duration.ofMinutes(1)),
  FIVE_MINUTES("5m", Duration.ofMinutes(5)),
  HOUR("1h", Duration.ofHours(1)),
  DAY("1d", Duration.ofDays(1));

  public static final List<String> NAMES = List.of("1m", "5m", "1h", "1d");

  private final String label;
  private final Duration width;

  Bucket(String label, Duration width) {
    this.label = label;
    this.width = width;
  }

  public String label() {
    return label;
  }

  public Duration width() {
    return width;
  }

  /** As a PostgreSQL interval literal. */
  public String interval() {
    return width.toSeconds() + " seconds";
  }

  public static Bucket of(String label) {
    for (Bucket b : values()) {
      if (b.label.equals(label)) {
        return b;
      }
    }
    throw new IllegalArgumentException(label);
  }
}
