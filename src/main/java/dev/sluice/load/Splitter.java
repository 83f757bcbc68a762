package dev.sluice.load;

import dev.sluice.api.Operation;
import dev.sluice.db.Sql;
import dev.sluice.plan.CursorCodec;
import dev.sluice.plan.ListQuery;
import dev.sluice.plan.Plans;
import dev.sluice.plan.Splits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers where to cut a stream's listing into ranges of about equal size ({@link Splits}), as
 * signed positions of the stream itself: a client reads range {@code i} with {@code after} = cut
 * {@code i-1} and {@code until} = cut {@code i}. Any cuts partition the listing exactly (a stream
 * excludes its {@code after} and includes its {@code until}); statistics or a sample only decide
 * how even the ranges are. The queries are short: they run on the loader's page pool, through its
 * breaker and retries.
 */
final class Splitter {

  /**
   * Keys a sample aims at; a listing estimated at no more than this is cut on its own keys,
   * exactly.
   */
  static final int SAMPLE_ROWS = 10_000;

  /** A listing estimated small whose keys turn out more than this is sampled after all. */
  static final int MAX_KEYS = 4 * SAMPLE_ROWS;

  /** What the cuts were found from: named in the reply and the log. */
  static final String STATISTICS = "statistics";

  static final String SAMPLE = "sample";
  static final String KEYS = "keys";
  static final String NONE = "none";

  private final Pool pool;
  private final Resilience resilience;

  /**
   * The loader's bound on queries at once: a splits request's queries take their places as a page's
   * do.
   */
  private final Limiter limiter;

  private final CursorCodec cursors;

  Splitter(Pool pool, Resilience resilience, Limiter limiter, CursorCodec cursors) {
    this.limiter = limiter;
    this.pool = pool;
    this.resilience = resilience;
    this.cursors = cursors;
  }

  /**
   * Up to {@code parts - 1} cut positions of {@code q}, in the listing's order: {@code {positions,
   * source, estimated_rows}}.
   */
  Future<JsonObject> split(Operation op, ListQuery q, int parts) {
    if (parts <= 1 || Splits.table(q) == null) {
      // a relation computed per request (search) would be computed whole by every range: one range
      // reads it best
      return Future.succeededFuture(reply(op, q, List.of(), NONE, -1));
    }
    return query(Plans.estimatedCount(q))
        .compose(
            rows -> {
              Object plan = rows.get(0).getValue(0);
              JsonArray array = plan instanceof JsonArray a ? a : new JsonArray(plan.toString());
              long estimate =
                  array.getJsonObject(0).getJsonObject("Plan").getNumber("Plan Rows").longValue();
              if (q.where().isEmpty() && Splits.sortColumn(q) != null) {
                // the whole table: its statistics describe the listing itself
                return fromStatistics(q, parts)
                    .compose(
                        cuts ->
                            cuts.isEmpty()
                                ? fromRows(q, parts, estimate)
                                : Future.succeededFuture(new Found(cuts, STATISTICS, estimate)));
              }
              return fromRows(q, parts, estimate);
            })
        .map(
            found ->
                reply(
                    op,
                    q,
                    found.cuts(),
                    found.cuts().isEmpty() ? NONE : found.source(),
                    found.estimate()));
  }

  private record Found(List<List<String>> cuts, String source, long estimate) {}

  /**
   * The histogram and common values of the sort column, then one index seek per cut for a real
   * row's key.
   */
  private Future<List<List<String>>> fromStatistics(ListQuery q, int parts) {
    return query(Splits.distribution(q))
        .compose(
            rows -> {
              List<String> values = new ArrayList<>();
              List<Double> fractions = new ArrayList<>();
              for (Row row : rows) {
                values.add(row.getString(0));
                fractions.add(row.getDouble(1));
              }
              List<String> at = Splits.values(values, fractions, q.sort().descending(), parts);
              if (at.isEmpty()) {
                return Future.succeededFuture(List.of());
              }
              return query(Splits.keysAt(q, at)).map(Splitter::distinctKeys);
            });
  }

  /**
   * A filtered listing (or a table without statistics): its own keys when it is small, else a
   * sample's.
   */
  private Future<Found> fromRows(ListQuery q, int parts, long estimate) {
    return estimate <= SAMPLE_ROWS ? fromKeys(q, parts, estimate) : fromSample(q, parts, estimate);
  }

  private Future<Found> fromSample(ListQuery q, int parts, long estimate) {
    double percent = Math.min(100.0, Math.max(0.001, 100.0 * SAMPLE_ROWS / Math.max(1, estimate)));
    return query(Splits.sample(q, percent))
        .map(rows -> new Found(Splits.cuts(keys(rows), parts), SAMPLE, estimate));
  }

  private Future<Found> fromKeys(ListQuery q, int parts, long estimate) {
    return query(Splits.keys(q, MAX_KEYS + 1L))
        .compose(
            rows -> {
              List<List<String>> keys = keys(rows);
              if (keys.size() > MAX_KEYS) {
                return fromSample(
                    q, parts, MAX_KEYS); // the estimate was far too low: at least this many rows
              }
              return Future.succeededFuture(new Found(Splits.cuts(keys, parts), KEYS, estimate));
            });
  }

  private JsonObject reply(
      Operation op, ListQuery q, List<List<String>> cuts, String source, long estimate) {
    String binding = CursorCodec.binding(q.canonical());
    JsonArray positions = new JsonArray();
    cuts.forEach(key -> positions.add(cursors.encode(op.qualifiedName(), binding, false, key)));
    return new JsonObject()
        .put("positions", positions)
        .put("source", source)
        .put("estimated_rows", estimate);
  }

  private static List<List<String>> keys(List<Row> rows) {
    List<List<String>> keys = new ArrayList<>(rows.size());
    for (Row row : rows) {
      List<String> key = new ArrayList<>(row.size());
      for (int i = 0; i < row.size(); i++) {
        key.add(row.getString(i));
      }
      if (!key.contains(null)) { // a cut is any row's key: one without NULLs will do
        keys.add(List.copyOf(key));
      }
    }
    return keys;
  }

  /**
   * The keys in order, without one that repeats the one before (two cut values may lead to the same
   * row).
   */
  private static List<List<String>> distinctKeys(List<Row> rows) {
    List<List<String>> keys = new ArrayList<>();
    for (List<String> key : keys(rows)) {
      if (keys.isEmpty() || !keys.get(keys.size() - 1).equals(key)) {
        keys.add(key);
      }
    }
    return keys;
  }

  private Future<List<Row>> query(Sql sql) {
    return resilience.call(
        () ->
            limiter
                .run(() -> pool.preparedQuery(sql.text()).execute(sql.tuple()))
                .map(
                    rows -> {
                      List<Row> list = new ArrayList<>(rows.size());
                      rows.forEach(list::add);
                      return list;
                    }));
  }
}
