package dev.sluice.plan;

import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.RowFormat;
import dev.sluice.dataset.SortKey;
import dev.sluice.db.Sql;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of each strategy over a {@link ListQuery}. Every plan reads {@code limit + 1} rows so
 * that {@code has_more} comes from the same query, never a second one.
 */
public final class Plans {

  private Plans() {}

  /** Offset page: {@code OFFSET offset LIMIT limit + 1}. */
  public static Sql offset(ListQuery q, RowFormat rows, long offset, int limit) {
    return Sql.of("SELECT " + rows.selectList() + " FROM ")
        .append(q.from())
        .append(rows.lateral())
        .append(q.whereClause())
        .append(q.orderBy(false))
        .append(" LIMIT ")
        .param((long) limit + 1)
        .append(" OFFSET ")
        .param(offset);
  }

  /**
   * Keyset page after (or, backward, before) a position, each row with its key values ({@link
   * RowFormat#keys}).
   *
   * @param after the key values of the row to continue from, or null for the start
   * @param inclusive whether the row at {@code after} itself is included
   */
  public static Sql keyset(
      ListQuery q,
      RowFormat rows,
      List<String> after,
      boolean backward,
      boolean inclusive,
      long skip,
      int limit) {
    Sql sql =
        rowsWithKeys(q, rows, after, backward, inclusive).append(" LIMIT ").param((long) limit + 1);
    if (skip > 0) {
      sql.append(" OFFSET ").param(skip);
    }
    return sql;
  }

  /**
   * How many rows there are from the row at {@code from} (included; from the top when null),
   * counting at most {@code limit}: where a listing ends, read from a checkpoint within a step of
   * it.
   */
  public static Sql countFrom(ListQuery q, RowFormat rows, List<String> from, long limit) {
    return Sql.of("SELECT count(*) FROM (")
        .append(rowsWithKeys(q, rows, from, false, true))
        .append(" LIMIT ")
        .param(limit)
        .append(") AS counted");
  }

  /**
   * Every row after a position (or from the start), in order, with its key values after it: what a
   * stream reads.
   */
  public static Sql stream(ListQuery q, RowFormat rows, List<String> after) {
    return stream(q, rows, after, null);
  }

  /**
   * As {@link #stream(ListQuery, RowFormat, List)}, ending with the row at {@code until} (included)
   * when it is given: one range of a listing read as several ({@code after} excluded, {@code until}
   * included, so that ranges cut at the same positions hold every row exactly once, whether or not
   * a row sits at a cut).
   */
  public static Sql stream(ListQuery q, RowFormat rows, List<String> after, List<String> until) {
    return rowsWithKeys(q, rows, after, until, false, false);
  }

  private static Sql rowsWithKeys(
      ListQuery q, RowFormat rows, List<String> after, boolean backward, boolean inclusive) {
    return rowsWithKeys(q, rows, after, null, backward, inclusive);
  }

  private static Sql rowsWithKeys(
      ListQuery q,
      RowFormat rows,
      List<String> after,
      List<String> until,
      boolean backward,
      boolean inclusive) {
    SortKey sort = q.sort();
    Sql sql =
        Sql.of("SELECT " + rows.selectList() + rows.keys(sort).select() + " FROM ")
            .append(q.from())
            .append(rows.lateral());
    Sql where = after == null ? q.where() : and(q.where(), sort.seek(after, backward, inclusive));
    if (until != null) {
      // the seek the other way, the row at until included
      where = and(where, sort.seek(until, !backward, true));
    }
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(where);
    }
    return sql.append(q.orderBy(backward));
  }

  private static Sql and(Sql where, Sql condition) {
    return where.isEmpty() ? condition : new Sql().append(where).append(" AND ").append(condition);
  }

  /**
   * The keys of every {@code step}-th row from a position on, up to {@code count} rows: the
   * index-to-key checkpoints of the virtual-scroll strategy. Row {@code i} of the result is at
   * index {@code base + i*step}.
   */
  public static Sql checkpoints(ListQuery q, List<String> from, long count, int step) {
    SortKey sort = q.sort();
    Sql where = from == null ? q.where() : and(q.where(), sort.seek(from, false, true));
    List<String> texts = new java.util.ArrayList<>();
    List<String> order = new java.util.ArrayList<>();
    List<String> named = new java.util.ArrayList<>();
    for (int i = 0; i < sort.size(); i++) {
      SortKey.Part part = sort.parts().get(i);
      texts.add("k" + i + "::text");
      order.add("k" + i + (part.descending() ? " DESC" : " ASC"));
      named.add(part.expression() + " AS k" + i);
    }
    // the inner query reads the rows in index order and stops at count; the outer numbers them in
    // that same order (the planner sees the input is sorted already) and keeps every step-th key
    Sql sql =
        Sql.of(
                "SELECT "
                    + String.join(", ", texts)
                    + ", n FROM (SELECT *, row_number() OVER (ORDER BY "
                    + String.join(", ", order)
                    + ") - 1 AS n FROM (SELECT "
                    + String.join(", ", named)
                    + " FROM ")
            .append(q.from());
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(where);
    }
    return sql.append(q.orderBy(false))
        .append(" LIMIT ")
        .param(count)
        .append(") ordered) numbered WHERE n % ")
        .param((long) step)
        .append(" = 0");
  }

  /**
   * The rows of {@code dataset} whose id is one of {@code ids} (an array parameter), each with its
   * id as text after it, in no particular order: what a batch of single-item loads reads in one
   * query.
   */
  public static Sql byIds(Dataset dataset, RowFormat rows, UUID[] ids) {
    return Sql.of(
            "SELECT "
                + rows.selectList()
                + ", "
                + dataset.alias()
                + ".id::text FROM "
                + dataset.from()
                + rows.lateral()
                + " WHERE "
                + dataset.alias()
                + ".id = ANY(")
        .param(ids)
        .append(")");
  }

  /** {@code count(*)} of the matching rows. */
  public static Sql exactCount(ListQuery q) {
    return Sql.of("SELECT count(*) FROM ").append(q.from()).append(q.whereClause());
  }

  /** The planner's estimate of the matching rows ({@code EXPLAIN}, no scan). */
  public static Sql estimatedCount(ListQuery q) {
    return Sql.of("EXPLAIN (FORMAT JSON) SELECT 1 FROM ").append(q.from()).append(q.whereClause());
  }
}
