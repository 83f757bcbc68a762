package dev.sluice.plan;

import dev.sluice.dataset.SortKey;
import dev.sluice.db.Sql;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The SQL that finds where to cut a listing into ranges of about equal size, so that the ranges can
 * be read at once (each a keyset range of a stream): never {@code OFFSET}, which reads every row it
 * skips. Three sources, cheapest first: PostgreSQL's statistics of the sort column ({@code
 * pg_stats}: the histogram and the most common values, fractions of the table) when the listing is
 * a whole table; the keys of a sample of the table's pages ({@code TABLESAMPLE SYSTEM}), filtered
 * as the listing is; the keys of every row, for a listing small enough. Every query selects key
 * values as text, in the listing's order, as cursors hold them.
 */
public final class Splits {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  private Splits() {}

  /**
   * The table a listing reads by itself ({@code FROM table alias}), or null for a listing over a
   * relation computed per request (a search's ranked union), which neither statistics nor a sample
   * describe, and which every range would compute whole.
   */
  public static String table(ListQuery q) {
    if (q.tables().size() != 1) {
      return null;
    }
    String table = q.tables().iterator().next();
    String alias = alias(q.sort().column());
    return alias != null && q.from().text().equals(table + " " + alias) ? table : null;
  }

  /**
   * The sort column's own name when the sort is a plain column of the listing's table, else null.
   */
  public static String sortColumn(ListQuery q) {
    String column = q.sort().column();
    int dot = column.indexOf('.');
    String name = dot < 0 ? null : column.substring(dot + 1);
    return table(q) != null && name != null && NAME.matcher(name).matches() ? name : null;
  }

  // a table as a listing's tables name it, schema.name with no part quoted (table() returns one
  // only when the FROM clause, which quotes what needs it, writes it alike, so no part holds a dot)
  private static String schemaOf(String table) {
    int dot = table.indexOf('.');
    return dot < 0 ? "public" : table.substring(0, dot);
  }

  private static String nameOf(String table) {
    return table.substring(table.indexOf('.') + 1);
  }

  private static String alias(String column) {
    int dot = column.indexOf('.');
    return dot > 0 && NAME.matcher(column.substring(0, dot)).matches()
        ? column.substring(0, dot)
        : null;
  }

  /**
   * The sort column's distribution as {@code ANALYZE} last saw it: each histogram bound and each
   * most common value as text, ascending, with the fraction of the table's rows at or below it (a
   * bucket's rows counted at its upper bound, a common value's at itself). No rows when the column
   * has no statistics.
   */
  public static Sql distribution(ListQuery q) {
    String type = q.sort().sqlType();
    Sql sql =
        Sql.of(
                "WITH st AS (SELECT histogram_bounds::text::"
                    + type
                    + "[] AS h, most_common_vals::text::"
                    + type
                    + "[] AS m, most_common_freqs AS f, null_frac AS n FROM pg_stats WHERE schemaname = ")
            .param(schemaOf(table(q)))
            .append(" AND NOT inherited AND tablename = ")
            .param(nameOf(table(q)))
            .append(" AND attname = ")
            .param(sortColumn(q));
    return sql.append(
        "), pts AS ("
            + "SELECT b.v, CASE WHEN b.o = 1 THEN 0 ELSE (1 - st.n - coalesce((SELECT sum(x) FROM unnest(st.f) x), 0)) "
            + "/ (cardinality(st.h) - 1) END AS w "
            + "FROM st CROSS JOIN LATERAL unnest(st.h) WITH ORDINALITY b(v, o) WHERE cardinality(st.h) > 1 "
            + "UNION ALL SELECT c.v, c.w FROM st CROSS JOIN LATERAL unnest(st.m, st.f) c(v, w)) "
            + "SELECT v::text, (sum(w) OVER (ORDER BY v) / nullif(sum(w) OVER (), 0))::float8 FROM pts ORDER BY v");
  }

  /**
   * For each sort value (text), in the order given, the key of the first row of the listing at or
   * past it in the listing's order: an index seek each, so that a cut found from statistics is a
   * real row's key.
   */
  public static Sql keysAt(ListQuery q, List<String> values) {
    SortKey sort = q.sort();
    String op = sort.descending() ? " <= " : " >= ";
    Sql sql =
        Sql.of("SELECT k.* FROM unnest(")
            .param(values.toArray(new String[0]))
            .append(
                "::text[]) WITH ORDINALITY b(v, o) CROSS JOIN LATERAL (SELECT "
                    + sort.textSelect()
                    + " FROM ")
            .append(q.from())
            .append(" WHERE ");
    if (!q.where().isEmpty()) {
      sql.append(q.where()).append(" AND ");
    }
    return sql.append(sort.column() + op + "b.v::" + sort.sqlType())
        .append(q.orderBy(false))
        .append(" LIMIT 1) k ORDER BY b.o");
  }

  /**
   * The keys of the listing's rows on a sample of {@code percent} % of its table's pages, in the
   * listing's order.
   */
  public static Sql sample(ListQuery q, double percent) {
    SortKey sort = q.sort();
    return Sql.of(
            "SELECT "
                + sort.textSelect()
                + " FROM "
                + table(q)
                + " "
                + alias(sort.column())
                + " TABLESAMPLE SYSTEM (")
        .param(percent)
        .append("::float8::real)")
        .append(q.whereClause())
        .append(q.orderBy(false));
  }

  /** The keys of the listing's first {@code limit} rows, in its order. */
  public static Sql keys(ListQuery q, long limit) {
    SortKey sort = q.sort();
    return Sql.of("SELECT " + sort.textSelect() + " FROM ")
        .append(q.from())
        .append(q.whereClause())
        .append(q.orderBy(false))
        .append(" LIMIT ")
        .param(limit);
  }

  /**
   * The cuts of {@code keys} (sorted in the listing's order) into {@code parts} ranges of about
   * equal size: the last key of each range but the last. Fewer when there are fewer keys than
   * parts.
   */
  public static List<List<String>> cuts(List<List<String>> keys, int parts) {
    List<List<String>> cuts = new java.util.ArrayList<>();
    for (int j = 1; j < parts; j++) {
      int at = (int) ((long) j * keys.size() / parts) - 1;
      if (at >= 0 && (cuts.isEmpty() || !cuts.get(cuts.size() - 1).equals(keys.get(at)))) {
        cuts.add(keys.get(at));
      }
    }
    return cuts;
  }

  /**
   * The sort values at which to cut a listing into {@code parts} ranges, from its column's
   * distribution ({@link #distribution}: values ascending, each with the fraction of rows at or
   * below it), in the listing's order.
   */
  public static List<String> values(
      List<String> values, List<Double> fractions, boolean descending, int parts) {
    List<String> cut = new java.util.ArrayList<>();
    for (int j = 1; j < parts; j++) {
      double wanted = descending ? 1.0 - (double) j / parts : (double) j / parts;
      for (int i = 0; i < values.size(); i++) {
        Double fraction = fractions.get(i);
        if (fraction != null && fraction >= wanted) {
          if (cut.isEmpty() || !cut.get(cut.size() - 1).equals(values.get(i))) {
            cut.add(values.get(i));
          }
          break;
        }
      }
    }
    return cut;
  }
}
