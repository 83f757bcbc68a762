package dev.sluice.api;

/**
 * A total and what kind of figure it is: {@code exact}, {@code estimated} (planner statistics) or
 * {@code lower_bound} (at least this many). {@link #NONE} when no total was asked for.
 */
public record Total(Long value, String type) {

  public static final Total NONE = new Total(null, null);

  public static Total exact(long value) {
    return new Total(value, "exact");
  }

  public static Total estimated(long value) {
    return new Total(value, "estimated");
  }

  public static Total lowerBound(long value) {
    return new Total(value, "lower_bound");
  }

  /**
   * Corrects a total with what a read has seen: rows up to {@code seen} exist, and more exist if
   * {@code more}. An estimate below what was seen becomes a lower bound; a read that reached the
   * end knows the exact total.
   */
  public Total reconcile(long seen, boolean more) {
    if (value == null) {
      return this;
    }
    if (!more && seen > 0) {
      return exact(seen);
    }
    long atLeast = more ? seen + 1 : seen;
    if (value < atLeast) {
      return lowerBound(atLeast);
    }
    return this;
  }
}
