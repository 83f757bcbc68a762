package dev.sluice.api;

import java.util.List;

/** What total a client asks for with {@code count}. */
public enum CountMode {
  /** {@code count(*)}: exact, costs a scan of the matching rows. */
  EXACT,
  /** The planner's estimate: cheap on huge tables, approximate. */
  ESTIMATED,
  /** No total. */
  NONE;

  public static final List<String> NAMES = List.of("exact", "estimated", "none");

  /** The mode of one of {@link #NAMES}; {@link #NONE} for null (a fault already recorded). */
  public static CountMode named(String name) {
    return name == null ? NONE : valueOf(name.toUpperCase(java.util.Locale.ROOT));
  }
}
