package dev.sluice.dataset;

import java.util.List;

/**
 * A table aggregated per time bucket on {@code timeColumn}, optionally filtered by a fixed {@code
 * condition}: the dataset description of a window.
 *
 * @param name the API's name of the series (a metric or a report type)
 */
public record Series(
    String name, String table, String timeColumn, String condition, List<Measure> measures) {

  public Series {
    measures = List.copyOf(measures);
  }

  /** The series called {@code name} among {@code all}, or null. */
  public static Series named(List<Series> all, String name) {
    for (Series series : all) {
      if (series.name().equals(name)) {
        return series;
      }
    }
    return null;
  }

  /** The names of {@code all}, in order: what a client may ask for. */
  public static List<String> names(List<Series> all) {
    return all.stream().map(Series::name).toList();
  }
}
