package dev.sluice.dataset;

/**
 * One figure of a time series: its name in the reply, its aggregate over one bucket's rows and the
 * JSON kind of the aggregate's value (a count or sum is a {@code bigint}).
 */
public record Measure(String name, String aggregate, Column.Kind kind) {

  /** A count or a sum of integers. */
  public Measure(String name, String aggregate) {
    this(name, aggregate, Column.Kind.BIGINT);
  }
}
