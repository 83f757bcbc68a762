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

  public static CountMode read(Params params, CountMode defaultMode) {
    String value = params.oneOf("count", NAMES, null);
    return value == null ? defaultMode : valueOf(value.toUpperCase(java.util.Locale.ROOT));
  }
}
