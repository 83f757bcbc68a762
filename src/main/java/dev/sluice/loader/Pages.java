package dev.sluice.loader;

import dev.sluice.bus.LoaderReply;
import dev.sluice.bus.Operation;
import dev.sluice.bus.Problem;
import dev.sluice.bus.ProblemException;
import dev.sluice.data.Sql;
import dev.sluice.strategy.CountMode;
import dev.sluice.strategy.CursorCodec;
import dev.sluice.strategy.Envelope;
import dev.sluice.strategy.ListQuery;
import dev.sluice.strategy.Plans;
import dev.sluice.strategy.TimeWindow;
import dev.sluice.strategy.Total;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs the strategies against PostgreSQL and writes their envelopes: offset pages, keyset pages with signed
 * cursors, time windows, index ranges (virtual scroll) and single replies. One instance per loader verticle.
 */
final class Pages {

  private final Pool pool;
  private final CursorCodec cursors;
  private final CheckpointIndex checkpoints;

  Pages(Pool pool, CursorCodec cursors, CheckpointIndex checkpoints) {
    this.pool = pool;
    this.cursors = cursors;
    this.checkpoints = checkpoints;
  }

  Future<RowSet<Row>> query(Sql sql) {
    return pool.preparedQuery(sql.text()).execute(sql.tuple());
  }

  /** Pagination: page {@code page} of {@code perPage} rows; {@code has_more} from one extra row. */
  Future<LoaderReply> offset(Operation op, ListQuery q, int page, int perPage, CountMode count) {
    long offset = (long) (page - 1) * perPage;
    return Future.all(query(Plans.offset(q, offset, perPage)), total(q, count)).map(done -> {
      RowSet<Row> rows = done.resultAt(0);
      Total total = done.resultAt(1);
      List<String> data = new ArrayList<>(perPage);
      for (Row row : rows) {
        if (data.size() < perPage) {
          data.add(row.getString(0));
        }
      }
      boolean more = rows.size() > perPage;
      return reply(Envelope.of("pagination", op.message())
        .rows(data)
        .page(page, perPage)
        .hasMore(more)
        .total(data.isEmpty() ? total : total.reconcile(offset + data.size(), more)), null, null);
    });
  }

  /** Cursor: {@code limit} rows after (or before) the cursor's position, with the cursors to go on. */
  Future<LoaderReply> keyset(Operation op, ListQuery q, String cursor, int limit, CountMode count) {
    String binding = CursorCodec.binding(q.canonical());
    CursorCodec.Position position = cursor == null ? null
      : cursors.decode(cursor, "cursor", op.qualifiedName(), binding, 2);
    boolean backward = position != null && position.backward();
    Sql sql = Plans.keyset(q, position == null ? null : position.key(), backward, false, 0, limit);
    return Future.all(query(sql), total(q, count)).map(done -> {
      RowSet<Row> rows = done.resultAt(0);
      Total total = done.resultAt(1);
      List<String> data = new ArrayList<>(limit);
      List<List<String>> keys = new ArrayList<>(limit);
      for (Row row : rows) {
        if (data.size() < limit) {
          data.add(row.getString(0));
          keys.add(List.of(row.getString(1), row.getString(2)));
        }
      }
      boolean extra = rows.size() > limit;
      if (backward) {
        Collections.reverse(data);
        Collections.reverse(keys);
      }
      String next;
      String prev;
      if (!backward) {
        next = extra ? cursors.encode(op.qualifiedName(), binding, false, keys.get(keys.size() - 1)) : null;
        prev = position != null && !keys.isEmpty() ? cursors.encode(op.qualifiedName(), binding, true, keys.get(0))
          : null;
      } else {
        next = keys.isEmpty() ? null : cursors.encode(op.qualifiedName(), binding, false, keys.get(keys.size() - 1));
        prev = extra ? cursors.encode(op.qualifiedName(), binding, true, keys.get(0)) : null;
      }
      return reply(Envelope.of("cursor", op.message())
        .rows(data)
        .hasMore(next != null)
        .cursors(next, prev)
        .total(position == null ? total.reconcile(data.size(), extra) : total), next, prev);
    });
  }

  /**
   * Window: one row per bucket of {@code w}. {@code notFound}, when given, is the 404 detail for a query that
   * returns no bucket at all (its SQL yields no rows when the thing it is about does not exist).
   */
  Future<LoaderReply> window(Operation op, Sql sql, TimeWindow w, String notFound) {
    return query(sql).map(rows -> {
      if (rows.size() == 0 && notFound != null) {
        throw new ProblemException(Problem.notFound(notFound));
      }
      List<String> data = new ArrayList<>(rows.size());
      for (Row row : rows) {
        data.add(row.getString(0));
      }
      return reply(Envelope.of("window", op.message())
        .rows(data)
        .hasMore(false)
        .window(w.toJson(), w.next()), null, null);
    });
  }

  /**
   * Virtual scroll: the rows at indexes {@code [start, end)}. Seeks from the nearest remembered checkpoint; when
   * none is near, first walks the keys once to lay checkpoints down to {@code start}.
   */
  Future<LoaderReply> range(Operation op, ListQuery q, long start, long end, CountMode count) {
    String query = op.qualifiedName() + "?" + q.canonical();
    int span = (int) (end - start);
    Future<CheckpointIndex.Checkpoint> nearest = nearestCheckpoint(q, query, start);
    return nearest.compose(from -> {
      List<String> fromKey = from == null ? null : from.key();
      long fromIndex = from == null ? 0 : from.index();
      Sql sql = Plans.keyset(q, fromKey, false, true, start - fromIndex, span);
      return Future.all(query(sql), total(q, count));
    }).map(done -> {
      RowSet<Row> rows = done.resultAt(0);
      Total total = done.resultAt(1);
      List<String> data = new ArrayList<>(span);
      long now = System.currentTimeMillis();
      for (Row row : rows) {
        if (data.size() < span) {
          checkpoints.offer(query, start + data.size(), List.of(row.getString(1), row.getString(2)), now);
          data.add(row.getString(0));
        }
      }
      boolean more = rows.size() > span;
      Total reconciled = data.isEmpty() && start > 0 ? total : total.reconcile(start + data.size(), more);
      JsonObject range = new JsonObject()
        .put("start_index", start)
        .put("end_index", start + data.size())
        .put("total", reconciled.value())
        .put("total_count_type", reconciled.type());
      return reply(Envelope.of("virtual_scroll", op.message())
        .rows(data)
        .hasMore(more)
        .total(reconciled)
        .range(range), null, null);
    });
  }

  /** A reply that is one list, not a page of a larger one (suggestions). */
  Future<LoaderReply> single(Operation op, Sql sql) {
    return query(sql).map(rows -> {
      List<String> data = new ArrayList<>(rows.size());
      for (Row row : rows) {
        data.add(row.getString(0));
      }
      return reply(Envelope.of("single", op.message()).rows(data).hasMore(false), null, null);
    });
  }

  /** Fails with 404 unless {@code sql} (a {@code SELECT EXISTS …}) says the thing exists. */
  Future<Void> requireExists(Sql sql, String notFound) {
    return query(sql).compose(rows -> rows.iterator().next().getBoolean(0)
      ? Future.succeededFuture()
      : Future.failedFuture(new ProblemException(Problem.notFound(notFound))));
  }

  private Future<CheckpointIndex.Checkpoint> nearestCheckpoint(ListQuery q, String query, long start) {
    long now = System.currentTimeMillis();
    CheckpointIndex.Checkpoint floor = checkpoints.floor(query, start, now);
    long floorIndex = floor == null ? 0 : floor.index();
    if (start - floorIndex < checkpoints.step()) {
      return Future.succeededFuture(floor);
    }
    Sql walk = Plans.checkpoints(q, floor == null ? null : floor.key(), start - floorIndex + 1, checkpoints.step());
    return query(walk).map(rows -> {
      for (Row row : rows) {
        checkpoints.offer(query, floorIndex + row.getLong(2), List.of(row.getString(0), row.getString(1)), now);
      }
      return checkpoints.floor(query, start, now);
    });
  }

  private Future<Total> total(ListQuery q, CountMode count) {
    return switch (count) {
      case NONE -> Future.succeededFuture(Total.NONE);
      case EXACT -> query(Plans.exactCount(q)).map(rows -> Total.exact(rows.iterator().next().getLong(0)));
      case ESTIMATED -> query(Plans.estimatedCount(q)).map(rows -> {
        Object plan = rows.iterator().next().getValue(0);
        JsonArray array = plan instanceof JsonArray a ? a : new JsonArray(plan.toString());
        Number estimate = array.getJsonObject(0).getJsonObject("Plan").getNumber("Plan Rows");
        return Total.estimated(estimate.longValue());
      });
    };
  }

  private static LoaderReply reply(Envelope envelope, String next, String prev) {
    return new LoaderReply(envelope.toBuffer(), next, prev);
  }
}
