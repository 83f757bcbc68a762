package dev.sluice.load;

import dev.sluice.api.CountMode;
import dev.sluice.api.Envelope;
import dev.sluice.api.Operation;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.api.Total;
import dev.sluice.bus.LoaderReply;
import dev.sluice.cache.CacheKey;
import dev.sluice.cache.CacheLookup;
import dev.sluice.config.RowEncoding;
import dev.sluice.dataset.Column;
import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.RowFormat;
import dev.sluice.dataset.Series;
import dev.sluice.db.Sql;
import dev.sluice.plan.CursorCodec;
import dev.sluice.plan.ListQuery;
import dev.sluice.plan.Load;
import dev.sluice.plan.Plans;
import dev.sluice.plan.Reader;
import dev.sluice.plan.TimeWindow;
import dev.sluice.plan.WindowQuery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Runs the strategies against PostgreSQL and writes their envelopes: offset pages, keyset pages
 * with signed cursors, time windows, index ranges (virtual scroll), single items, batches and
 * single replies. What a {@link Load} runs; one instance per loader verticle.
 */
final class Pages implements Reader {

  private final Pool pool;
  private final CursorCodec cursors;
  private final ScrollIndex scroll;
  private final Items items;
  private final CacheLookup cache;
  private final RowEncoding encoding;

  Pages(
      Pool pool,
      CursorCodec cursors,
      ScrollIndex scroll,
      Items items,
      CacheLookup cache,
      RowEncoding encoding) {
    this.encoding = encoding;
    this.pool = pool;
    this.cursors = cursors;
    this.scroll = scroll;
    this.items = items;
    this.cache = cache;
  }

  Future<RowSet<Row>> query(Sql sql) {
    return pool.preparedQuery(sql.text()).execute(sql.tuple());
  }

  /** Pagination: page {@code page} of {@code perPage} rows; {@code has_more} from one extra row. */
  @Override
  public Future<LoaderReply> offset(
      Operation op, ListQuery q, int page, int perPage, CountMode count) {
    long offset = (long) (page - 1) * perPage;
    RowFormat format = q.rows(encoding);
    return Future.all(query(Plans.offset(q, format, offset, perPage)), total(q, count))
        .map(
            done -> {
              Rows data = new Rows(done.resultAt(0), perPage, false);
              Total total = done.resultAt(1);
              boolean more = data.more;
              return reply(
                  Envelope.of("pagination", op.message())
                      .rows(data.write(format), data.size())
                      .page(page, perPage)
                      .hasMore(more)
                      .total(
                          data.size() == 0 ? total : total.reconcile(offset + data.size(), more)),
                  null,
                  null,
                  data.size(),
                  more);
            });
  }

  /**
   * Cursor: {@code limit} rows after (or before) the cursor's position, with the cursors to go on.
   */
  @Override
  public Future<LoaderReply> keyset(
      Operation op, ListQuery q, String cursor, int limit, CountMode count) {
    String binding = CursorCodec.binding(q.canonical());
    CursorCodec.Position position =
        cursor == null
            ? null
            : cursors.decode(cursor, "cursor", op.qualifiedName(), binding, q.sort().size());
    boolean backward = position != null && position.backward();
    RowFormat format = q.rows(encoding);
    Sql sql =
        Plans.keyset(
            q, format, position == null ? null : position.key(), backward, false, 0, limit);
    return Future.all(query(sql), total(q, count))
        .map(
            done -> {
              Rows data = new Rows(done.resultAt(0), limit, backward);
              Total total = done.resultAt(1);
              boolean extra = data.more;
              RowFormat.Keys keys = format.keys(q.sort());
              String next;
              String prev;
              if (!backward) {
                next =
                    extra
                        ? cursors.encode(op.qualifiedName(), binding, false, data.lastKey(keys))
                        : null;
                prev =
                    position != null && data.size() > 0
                        ? cursors.encode(op.qualifiedName(), binding, true, data.firstKey(keys))
                        : null;
              } else {
                next =
                    data.size() == 0
                        ? null
                        : cursors.encode(op.qualifiedName(), binding, false, data.lastKey(keys));
                prev =
                    extra
                        ? cursors.encode(op.qualifiedName(), binding, true, data.firstKey(keys))
                        : null;
              }
              LoaderReply reply =
                  reply(
                      Envelope.of("cursor", op.message())
                          .rows(data.write(format), data.size())
                          .hasMore(next != null)
                          .cursors(next, prev)
                          .total(position == null ? total.reconcile(data.size(), extra) : total),
                      next,
                      prev,
                      data.size(),
                      next != null);
              // a cached copy must not outlive the cursor it answers, nor hand out cursors close to
              // their own expiry
              long until = System.currentTimeMillis() + cursors.lifetimeMillis() / 2;
              return reply.validUntil(
                  position == null ? until : Math.min(until, position.validUntil()));
            });
  }

  /**
   * Window: one row per bucket of {@code w} over {@code series}, narrowed by {@code scope}. {@code
   * notFound}, when given, is the 404 detail for a window whose {@code exists} finds nothing (its
   * SQL then yields no rows).
   */
  @Override
  public Future<LoaderReply> window(
      Operation op, TimeWindow w, List<Series> series, Sql scope, Sql exists, String notFound) {
    RowFormat format = RowFormat.of(WindowQuery.columns(w, series), encoding);
    return query(WindowQuery.sql(w, series, scope, exists, format))
        .map(
            rows -> {
              if (rows.size() == 0 && notFound != null) {
                throw new ProblemException(Problem.notFound(notFound));
              }
              Rows data = new Rows(rows, rows.size(), false);
              return reply(
                  Envelope.of("window", op.message())
                      .rows(data.write(format), data.size())
                      .hasMore(false)
                      .window(w.toJson(), w.next()),
                  null,
                  null,
                  data.size(),
                  false);
            });
  }

  /** A range's rows and its total, reconciled with what the read saw. */
  private record Ranged(Rows rows, Total total) {}

  /**
   * Virtual scroll: the rows at indexes {@code [start, end)}, by a keyset seek from the nearest
   * remembered checkpoint plus a skip of less than a checkpoint step ({@link ScrollIndex}).
   */
  @Override
  public Future<LoaderReply> range(
      Operation op, ListQuery q, long start, long end, CountMode count) {
    int span = (int) (end - start);
    RowFormat format = q.rows(encoding);
    boolean[] current = {true};
    return scroll
        .floor(op, q, start)
        .compose(
            from -> {
              current[0] = from == null || from.current();
              List<String> fromKey = from == null ? null : from.key();
              long fromIndex = from == null ? 0 : from.index();
              Sql sql = Plans.keyset(q, format, fromKey, false, true, start - fromIndex, span);
              return Future.all(query(sql), total(q, count))
                  .compose(
                      done -> {
                        Rows data = new Rows(done.resultAt(0), span, false);
                        Total total = done.resultAt(1);
                        if (data.size() > 0
                            || total == Total.NONE
                            || "exact".equals(total.type())) {
                          return Future.succeededFuture(
                              new Ranged(data, total.reconcile(start + data.size(), data.more)));
                        }
                        if (start == 0) {
                          return Future.succeededFuture(
                              new Ranged(
                                  data, Total.exact(0))); // nothing at all: not an estimate of it
                        }
                        // at or past the end: the listing ends within a step of the checkpoint, so
                        // its rows from there are few to
                        // count, and the total is exact, as it is for a range just before the end;
                        // from a checkpoint walked before a
                        // write it may be off by the rows written since, so it is then an estimate
                        boolean exact = current[0];
                        return query(Plans.countFrom(q, format, fromKey, start - fromIndex))
                            .map(
                                rows -> {
                                  long counted = fromIndex + rows.iterator().next().getLong(0);
                                  return new Ranged(
                                      data,
                                      exact ? Total.exact(counted) : Total.estimated(counted));
                                });
                      });
            })
        .map(
            ranged -> {
              Rows data = ranged.rows();
              boolean more = data.more;
              Total reconciled = ranged.total();
              JsonObject range =
                  new JsonObject()
                      .put("start_index", start)
                      .put("end_index", start + data.size())
                      .put("total", reconciled.value())
                      .put("total_count_type", reconciled.type());
              LoaderReply reply =
                  reply(
                      Envelope.of("virtual_scroll", op.message())
                          .rows(data.write(format), data.size())
                          .hasMore(more)
                          .total(reconciled)
                          .range(range),
                      null,
                      null,
                      data.size(),
                      more);
              // from checkpoints walked before a write: right for now, but not worth keeping once
              // they are walked again
              return current[0] ? reply : reply.validUntil(System.currentTimeMillis());
            });
  }

  /**
   * A reply that is one list, not a page of a larger one (suggestions): the rows of {@code sql}'s
   * query.
   */
  @Override
  public Future<LoaderReply> list(
      Operation op, List<Column> columns, Function<RowFormat, Sql> sql) {
    RowFormat format = RowFormat.of(columns, encoding);
    return query(sql.apply(format))
        .map(
            rows -> {
              Rows data = new Rows(rows, rows.size(), false);
              return reply(
                  Envelope.of("single", op.message())
                      .rows(data.write(format), data.size())
                      .hasMore(false),
                  null,
                  null,
                  data.size(),
                  false);
            });
  }

  /**
   * One item, loaded together with the other items asked for at about the same time; a 404 when
   * unknown.
   */
  @Override
  public Future<LoaderReply> item(Operation op, Dataset dataset, UUID id, String notFound) {
    return items
        .load(dataset, id)
        .map(
            json -> {
              if (json == null) {
                throw new ProblemException(Problem.notFound(notFound));
              }
              return singleReply(op, json);
            });
  }

  /**
   * Items by id, in the order asked, {@code null} for an unknown one. Items the cache holds are
   * taken from it; the others are loaded together and each cached on its own, as {@code single}
   * would answer it.
   */
  @Override
  public Future<LoaderReply> batch(
      Operation op,
      Operation single,
      Dataset dataset,
      List<UUID> ids,
      Function<UUID, CacheKey> itemKey) {
    Map<UUID, String> found = new HashMap<>();
    Set<UUID> missing = new LinkedHashSet<>();
    for (UUID id : ids) {
      CacheLookup.Value held = cache == null ? null : cache.peek(itemKey.apply(id));
      if (held instanceof LoaderReply reply && reply.item() != null) {
        found.put(id, reply.item());
      } else {
        missing.add(id);
      }
    }
    // taken before the query: an item is kept only if no write to its table came while it was read
    CacheLookup.Freshness before = cache == null ? null : cache.freshness(Set.of(dataset.table()));
    Future<Map<UUID, String>> loaded =
        missing.isEmpty() ? Future.succeededFuture(Map.of()) : items.load(dataset, missing);
    return loaded.map(
        rows -> {
          rows.forEach(
              (id, json) -> {
                found.put(id, json);
                if (cache != null) {
                  cache.putIfFresh(
                      itemKey.apply(id), singleReply(single, json).encoded(false, 0), before);
                }
              });
          return batchReply(op, ids, found);
        });
  }

  @Override
  public Future<LoaderReply> row(
      Operation op, List<Column> columns, Function<RowFormat, Sql> sql, String notFound) {
    RowFormat format = RowFormat.of(columns, encoding);
    return query(sql.apply(format))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new ProblemException(Problem.notFound(notFound));
              }
              return singleReply(op, format.text(rows.iterator().next()));
            });
  }

  @Override
  public Future<LoaderReply> rows(
      Operation op, List<Column> columns, Function<RowFormat, Sql> sql, List<String> keys) {
    RowFormat format = RowFormat.of(columns, encoding);
    return query(sql.apply(format))
        .map(
            rows -> {
              Map<String, String> found = new HashMap<>();
              for (Row row : rows) {
                found.put(row.getString(format.width()), format.text(row));
              }
              return batchReply(op, keys, found);
            });
  }

  /**
   * A batch's reply: the items {@code found} in the order of {@code asked}, null for a missing one.
   */
  private static <K> LoaderReply batchReply(Operation op, List<K> asked, Map<K, String> found) {
    List<String> data = new ArrayList<>(asked.size());
    for (K key : asked) {
      data.add(found.getOrDefault(key, "null"));
    }
    return reply(
        Envelope.of("batch", op.message()).rows(data).hasMore(false),
        null,
        null,
        data.size(),
        false);
  }

  /** The reply to a single-item request: the envelope with the one item, which batches reuse. */
  static LoaderReply singleReply(Operation op, String json) {
    return reply(
            Envelope.of("single", op.message()).rows(List.of(json)).hasMore(false),
            null,
            null,
            1,
            false)
        .withItem(json);
  }

  /** Fails with 404 unless {@code sql} (a {@code SELECT EXISTS …}) says the thing exists. */
  @Override
  public Future<Void> requireExists(Sql sql, String notFound) {
    return query(sql)
        .compose(
            rows ->
                rows.iterator().next().getBoolean(0)
                    ? Future.succeededFuture()
                    : Future.failedFuture(new ProblemException(Problem.notFound(notFound))));
  }

  /**
   * The first {@code limit} rows a query read (an extra one past them says there are more), in the
   * order they are shown: reversed for a backward page.
   */
  private static final class Rows {
    private final List<Row> shown;
    final boolean more;

    Rows(RowSet<Row> read, int limit, boolean reversed) {
      shown = new ArrayList<>(Math.min(read.size(), limit));
      for (Row row : read) {
        if (shown.size() < limit) {
          shown.add(row);
        }
      }
      more = read.size() > limit;
      if (reversed) {
        Collections.reverse(shown);
      }
    }

    int size() {
      return shown.size();
    }

    /** The rows' JSON texts, separated by commas: the envelope's {@code data}. */
    Buffer write(RowFormat format) {
      Buffer out = Buffer.buffer(shown.size() * 320);
      for (int i = 0; i < shown.size(); i++) {
        if (i > 0) {
          out.appendByte((byte) ',');
        }
        format.write(shown.get(i), out);
      }
      return out;
    }

    /** The key values of the first row shown. */
    List<String> firstKey(RowFormat.Keys keys) {
      return keys.of(shown.get(0));
    }

    List<String> lastKey(RowFormat.Keys keys) {
      return keys.of(shown.get(shown.size() - 1));
    }
  }

  private Future<Total> total(ListQuery q, CountMode count) {
    return switch (count) {
      case NONE -> Future.succeededFuture(Total.NONE);
      case EXACT ->
          query(Plans.exactCount(q)).map(rows -> Total.exact(rows.iterator().next().getLong(0)));
      case ESTIMATED ->
          query(Plans.estimatedCount(q))
              .map(
                  rows -> {
                    Object plan = rows.iterator().next().getValue(0);
                    JsonArray array =
                        plan instanceof JsonArray a ? a : new JsonArray(plan.toString());
                    Number estimate =
                        array.getJsonObject(0).getJsonObject("Plan").getNumber("Plan Rows");
                    return Total.estimated(estimate.longValue());
                  });
    };
  }

  private static LoaderReply reply(
      Envelope envelope, String next, String prev, int count, boolean more) {
    return LoaderReply.of(envelope.toBuffer(), next, prev, count, more);
  }
}
