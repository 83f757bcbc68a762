package dev.sluice.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much demo data {@link Seeder} generates. Every scale has fixed row counts, so a scale always
 * produces the same amount of data (and, with the seeder's fixed random seed, the same data).
 */
public enum SeedScale {
  TINY(300, 2_000, 20_000, 3_000, 100, 5_000, 2_000),
  SMALL(5_000, 20_000, 200_000, 30_000, 1_000, 50_000, 20_000),
  MEDIUM(1_200_000, 1_000_000, 10_000_000, 500_000, 10_000, 500_000, 100_000),
  LARGE(12_000_000, 10_000_000, 100_000_000, 5_000_000, 100_000, 5_000_000, 1_000_000);

  /** Every template gets this many assets (positions 1..5). */
  public static final int ASSETS_PER_TEMPLATE = 5;

  private final long users;
  private final long videos;
  private final long videoEvents;
  private final long userSessions;
  private final long templates;
  private final long performanceMetrics;
  private final long errorLogs;

  SeedScale(
      long users,
      long videos,
      long videoEvents,
      long userSessions,
      long templates,
      long performanceMetrics,
      long errorLogs) {
    this.users = users;
    this.videos = videos;
    this.videoEvents = videoEvents;
    this.userSessions = userSessions;
    this.templates = templates;
    this.performanceMetrics = performanceMetrics;
    this.errorLogs = errorLogs;
  }

  /** Case-insensitive: {@code tiny}, {@code SMALL}, {@code Medium}, {@code large}. */
  public static SeedScale parse(String s) {
    if (s != null) {
      String wanted = s.trim().toUpperCase(Locale.ROOT);
      for (SeedScale scale : values()) {
        if (scale.name().equals(wanted)) {
          return scale;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown seed scale '" + s + "': expected one of " + allowed());
  }

  private static String allowed() {
    return Arrays.stream(values())
        .map(v -> v.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }

  public long users() {
    return users;
  }

  public long videos() {
    return videos;
  }

  public long videoEvents() {
    return videoEvents;
  }

  public long userSessions() {
    return userSessions;
  }

  public long templates() {
    return templates;
  }

  public long templateAssets() {
    return templates * ASSETS_PER_TEMPLATE;
  }

  public long performanceMetrics() {
    return performanceMetrics;
  }

  public long errorLogs() {
    return errorLogs;
  }

  /** Lower-case name, as written in configuration and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
