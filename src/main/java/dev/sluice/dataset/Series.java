package dev.sluice.dataset;

import java.util.List;

/**
 * A relation aggregated per time bucket on {@code timeColumn}, optionally filtered by a fixed
 * {@code condition}: what a window reads.
 *
 * @param name the API's name of the series (a metric, a report type, a dataset)
 * @param table the relation as a FROM clause names it
 * @param tables the tables whose writes change it (as change notifications name them)
 */
public record Series(
    String name,
    String table,
    String timeColumn,
    String condition,
    List<Measure> measures,
    List<String> tables) {

  public Series {
    measures = List.copyOf(measures);
    tables = List.copyOf(tables);
  }

  /**
   * The series {@code name} of {@code measures} (a declared dataset's) over {@code dataset}'s rows
   * that meet {@code condition} (null: all), bucketed on its time column.
   */
  public static Series over(
      String name, DeclaredDataset dataset, String condition, List<Measure> measures) {
    Relation.Attribute time = dataset.relation().column(dataset.time());
    String expression = DeclaredDataset.expression(dataset.time());
    String timeColumn =
        time.baseName().equals("timestamptz") ? expression : "(" + expression + ")::timestamptz";
    return new Series(name, dataset.from(), timeColumn, condition, measures, dataset.tables());
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
