package dev.sluice.plan;

import dev.sluice.dataset.Column;
import dev.sluice.dataset.Measure;
import dev.sluice.dataset.RowFormat;
import dev.sluice.dataset.Series;
import dev.sluice.db.Sql;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The SQL of a bucketed time window: one row per bucket of {@code [start, end)} (buckets start at
 * {@code start}), each a JSON object {@code {"bucket_start":…,<measure>:<value>,…}} of the typed
 * {@link #columns} (written as {@link RowFormat} says), empty buckets included, each measure as its
 * value over no rows. Each {@link Series} aggregates one table over the window in a single pass. A
 * bucket's start is written as the window's is ({@link java.time.Instant#toString()}): buckets are
 * whole seconds wide, so each has the start's fraction of a second, and shows it.
 */
public final class WindowQuery {

  private WindowQuery() {}

  /**
   * A bucket's fields: its start, written as the window's start is, then each series' measures, an
   * empty bucket's as each gives over no rows. They read the relations of {@link #sql}: the bucket
   * {@code b} and each series' aggregates {@code s<i>}.
   */
  public static List<Column> columns(TimeWindow window, List<Series> series) {
    List<Column> columns = new ArrayList<>();
    columns.add(
        new Column(
            "bucket_start",
            "to_char(b.t AT TIME ZONE 'UTC', '" + label(window) + "')",
            Column.Kind.TEXT));
    for (int i = 0; i < series.size(); i++) {
      for (int m = 0; m < series.get(i).measures().size(); m++) {
        Measure measure = series.get(i).measures().get(m);
        String value = "s" + i + ".m" + m;
        // an empty bucket (no row joined) holds what the measure gives over no rows (a count 0, a
        // sum null); a bucket with rows holds what it gives over them, null included
        columns.add(
            new Column(
                measure.name(),
                measure.empty() == null
                    ? value
                    : "CASE WHEN s"
                        + i
                        + ".t IS NULL THEN "
                        + literal(measure)
                        + " ELSE "
                        + value
                        + " END",
                measure.kind()));
      }
    }
    return columns;
  }

  /**
   * The window over {@code series}, each narrowed by {@code scope} (a condition on the series'
   * rows, such as one video's id), and yielding no bucket at all unless {@code exists} finds the
   * thing it is about.
   */
  public static Sql sql(
      TimeWindow window, List<Series> series, Sql scope, Sql exists, RowFormat rows) {
    Sql sql = new Sql();
    String start = sql.bind(window.startText()) + "::text::timestamptz";
    String end = sql.bind(window.endText()) + "::text::timestamptz";
    String width = sql.bind(window.bucket().interval()) + "::text::interval";
    sql.append(
        "SELECT "
            + rows.selectList()
            + " FROM generate_series("
            + start
            + ", "
            + end
            + " - interval '1 microsecond', "
            + width
            + ") AS b(t)");
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String alias = "s" + i;
      StringBuilder join =
          new StringBuilder(
              " LEFT JOIN (SELECT date_bin("
                  + width
                  + ", "
                  + s.timeColumn()
                  + ", "
                  + start
                  + ") AS t");
      for (int m = 0; m < s.measures().size(); m++) {
        join.append(", ")
            .append(enclosed(s.measures().get(m).aggregate()))
            .append(" AS m")
            .append(m);
      }
      join.append(" FROM ")
          .append(s.table())
          .append(" WHERE ")
          .append(s.timeColumn())
          .append(" >= ")
          .append(start)
          .append(" AND ")
          .append(s.timeColumn())
          .append(" < ")
          .append(end);
      if (s.condition() != null) {
        join.append(" AND ").append(s.condition());
      }
      sql.append(join.toString());
      if (scope != null) {
        sql.append(" AND ").append(scope);
      }
      sql.append(" GROUP BY 1) " + alias + " ON " + alias + ".t = b.t");
    }
    sql.append(rows.lateral());
    if (exists != null) {
      sql.append(" WHERE EXISTS (").append(exists).append(")");
    }
    return sql.append(" ORDER BY b.t");
  }

  /**
   * An aggregate as one term of a select list: in parentheses, and with a line break before the
   * closing one, so that a declared measure ending in a {@code --} comment comments out nothing
   * else.
   */
  public static String enclosed(String aggregate) {
    return "(" + aggregate + "\n)";
  }

  /** A measure's value over no rows as an SQL literal of its type ({@code '0'::bigint}). */
  private static String literal(Measure measure) {
    return "'" + measure.empty().replace("'", "''") + "'::" + measure.type();
  }

  /**
   * The {@code to_char} pattern of the window's bucket starts: seconds, milliseconds or
   * microseconds, as needed.
   */
  private static String label(TimeWindow window) {
    int nanos = window.start().getNano();
    String fraction = nanos == 0 ? "" : nanos % 1_000_000 == 0 ? ".MS" : ".US";
    return "YYYY-MM-DD\"T\"HH24:MI:SS" + fraction + "\"Z\"";
  }

  /** The tables a window over {@code series} reads. */
  public static Set<String> tables(List<Series> series) {
    Set<String> tables = new LinkedHashSet<>();
    series.forEach(s -> tables.addAll(s.tables()));
    return tables;
  }
}
