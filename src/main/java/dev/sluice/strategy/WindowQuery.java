package dev.sluice.strategy;

import dev.sluice.data.Sql;

import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of a bucketed time window: one row per bucket of {@code [start, end)} (buckets start at {@code start}),
 * each a JSON object {@code {"bucket_start": …, <measure>: <value>, …}}, empty buckets included with zeros.
 * Each {@link Series} aggregates one table over the window in a single pass.
 *
 * <p>Parameters: {@code $1} start, {@code $2} end, {@code $3} bucket width; a series' condition and the
 * {@code exists} condition may use {@code $4} and on, bound to {@code extra}.
 */
public final class WindowQuery {

  /** A measure: its name in the reply and its aggregate over the series' rows in one bucket. */
  public record Measure(String name, String aggregate) {
  }

  /** A table aggregated per bucket on {@code timeColumn}, optionally filtered by {@code condition}. */
  public record Series(String table, String timeColumn, String condition, List<Measure> measures) {
  }

  private WindowQuery() {
  }

  public static Sql sql(TimeWindow window, List<Series> series, String exists, Object... extra) {
    StringBuilder select = new StringBuilder(
      "SELECT json_build_object('bucket_start', to_char(b.t AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
    StringBuilder joins = new StringBuilder();
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      String alias = "s" + i;
      joins.append(" LEFT JOIN (SELECT date_bin($3::text::interval, ").append(s.timeColumn())
        .append(", $1::text::timestamptz) AS t");
      for (int m = 0; m < s.measures().size(); m++) {
        Measure measure = s.measures().get(m);
        joins.append(", ").append(measure.aggregate()).append(" AS m").append(m);
        select.append(", '").append(measure.name()).append("', coalesce(").append(alias).append(".m").append(m)
          .append(", 0)");
      }
      joins.append(" FROM ").append(s.table()).append(" WHERE ").append(s.timeColumn())
        .append(" >= $1::text::timestamptz AND ").append(s.timeColumn()).append(" < $2::text::timestamptz");
      if (s.condition() != null) {
        joins.append(" AND ").append(s.condition());
      }
      joins.append(" GROUP BY 1) ").append(alias).append(" ON ").append(alias).append(".t = b.t");
    }
    select.append(")::text FROM generate_series($1::text::timestamptz, $2::text::timestamptz - interval '1 microsecond', "
      + "$3::text::interval) AS b(t)").append(joins);
    if (exists != null) {
      select.append(" WHERE EXISTS (").append(exists).append(")");
    }
    select.append(" ORDER BY b.t");
    List<Object> values = new ArrayList<>(List.of(window.startText(), window.endText(), window.bucket().interval()));
    values.addAll(List.of(extra));
    return Sql.raw(select.toString(), values.toArray());
  }
}
