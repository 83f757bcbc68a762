package dev.sluice.plan;

import dev.sluice.api.CountMode;
import dev.sluice.api.Operation;
import dev.sluice.bus.LoaderReply;
import dev.sluice.cache.CacheKey;
import dev.sluice.dataset.Column;
import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.RowFormat;
import dev.sluice.dataset.Series;
import dev.sluice.db.Sql;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * A planned load: its canonical key (everything that changes the answer, read and validated from
 * the request, and nothing else), the tables it reads, and how a loader runs it. Planning needs no
 * database, so the gateway plans too: it looks the key up in the node cache before any event-bus
 * hop. A load also knows the one after it (the next page, the next window), which prefetch loads
 * ahead.
 */
public final class Load {

  private final Operation operation;
  private final CacheKey key;
  private final Function<Reader, Future<LoaderReply>> run;
  private final Function<LoaderReply, Load> next;
  private final boolean bounded;

  private Load(
      Operation operation,
      CacheKey key,
      Function<Reader, Future<LoaderReply>> run,
      Function<LoaderReply, Load> next,
      boolean bounded) {
    this.operation = operation;
    this.key = key;
    this.run = run;
    this.next = next;
    this.bounded = bounded;
  }

  private static Load of(
      Operation op, Key key, Set<String> tables, Function<Reader, Future<LoaderReply>> run) {
    return new Load(
        op, new CacheKey(op.family(), key.toString(), tables), run, reply -> null, true);
  }

  public Operation operation() {
    return operation;
  }

  public CacheKey key() {
    return key;
  }

  /** Runs the load with {@code reader} (the loader's pages). */
  public Future<LoaderReply> run(Reader pages) {
    return run.apply(pages);
  }

  /** The load that comes after {@code reply} (the next page or window), or null at the end. */
  public Load next(LoaderReply reply) {
    return next.apply(reply);
  }

  /**
   * Whether the load takes a place within the loader's concurrency bound. Item loads do not: they
   * wait for a coalesced query, which takes one (the loader's items).
   */
  public boolean bounded() {
    return bounded;
  }

  private Load then(Function<LoaderReply, Load> after) {
    return new Load(operation, key, run, after, bounded);
  }

  private Load unbounded() {
    return new Load(operation, key, run, next, false);
  }

  /**
   * This load, run only once {@code exists} (a {@code SELECT EXISTS …}) finds the thing it is
   * about, else 404.
   */
  Load requiring(Sql exists, String notFound) {
    return new Load(
        operation,
        key,
        pages -> pages.requireExists(exists, notFound).compose(v -> run.apply(pages)),
        next,
        bounded);
  }

  /** Pagination: page {@code page} of {@code perPage} rows. */
  static Load offset(Operation op, ListQuery q, int page, int perPage, CountMode count) {
    Key key =
        new Key(op.qualifiedName())
            .addAll(q.canonical())
            .add("page", page)
            .add("per_page", perPage)
            .add("count", count);
    return of(op, key, q.tables(), pages -> pages.offset(op, q, page, perPage, count))
        .then(reply -> reply.hasMore() ? offset(op, q, page + 1, perPage, count) : null);
  }

  /** Cursor: {@code limit} rows from the cursor's position (the start when null). */
  static Load keyset(Operation op, ListQuery q, String cursor, int limit, CountMode count) {
    Key key =
        new Key(op.qualifiedName())
            .addAll(q.canonical())
            .add("limit", limit)
            .add("count", count)
            .add("cursor", cursor);
    return of(op, key, q.tables(), pages -> pages.keyset(op, q, cursor, limit, count))
        .then(
            reply ->
                reply.nextCursor() != null
                    ? keyset(op, q, reply.nextCursor(), limit, count)
                    : null);
  }

  /** Virtual scroll: the rows at indexes {@code [start, end)}. */
  static Load range(Operation op, ListQuery q, long start, long end, CountMode count) {
    Key key =
        new Key(op.qualifiedName())
            .addAll(q.canonical())
            .add("start_index", start)
            .add("end_index", end)
            .add("count", count);
    long span = end - start;
    return of(op, key, q.tables(), pages -> pages.range(op, q, start, end, count))
        .then(reply -> reply.hasMore() ? range(op, q, end, end + span, count) : null);
  }

  /**
   * Window: {@code series} bucketed over {@code window}, narrowed by {@code scope} (described in
   * the key by {@code scopeKey}), 404 with {@code notFound} when {@code exists} finds nothing.
   */
  static Load window(
      Operation op,
      TimeWindow window,
      List<Series> series,
      Key scopeKey,
      Sql scope,
      Sql exists,
      String existsTable,
      String notFound) {
    Set<String> tables = new java.util.LinkedHashSet<>(WindowQuery.tables(series));
    if (existsTable != null) {
      tables.add(existsTable);
    }
    Key key =
        new Key(op.qualifiedName())
            .addAll(scopeKey.toString())
            .add("start", window.startText())
            .add("end", window.endText())
            .add("bucket", window.bucket().label())
            .add("series", series.stream().map(Series::name).toList())
            // the measures each reports: a declared window's are the client's choice
            .add(
                "measures",
                series.stream()
                    .flatMap(s -> s.measures().stream())
                    .map(dev.sluice.dataset.Measure::name)
                    .toList());
    return of(op, key, tables, pages -> pages.window(op, window, series, scope, exists, notFound));
  }

  /**
   * A reply that is one list, not a page of a larger one (suggestions), described in the key by
   * {@code key}: the rows of {@code columns} that {@code sql} selects as its {@link RowFormat}
   * says.
   */
  static Load list(
      Operation op,
      Key key,
      Set<String> tables,
      List<Column> columns,
      Function<RowFormat, Sql> sql) {
    return of(op, key, tables, pages -> pages.list(op, columns, sql));
  }

  /** One row that {@code sql} selects, described in the key by {@code key}, or a 404. */
  static Load row(
      Operation op,
      Key key,
      Set<String> tables,
      List<Column> columns,
      Function<RowFormat, Sql> sql,
      String notFound) {
    return of(op, key, tables, pages -> pages.row(op, columns, sql, notFound));
  }

  /** Rows by key, in the order of {@code keys} (null for a missing one). */
  static Load rows(
      Operation op,
      Key key,
      Set<String> tables,
      List<Column> columns,
      Function<RowFormat, Sql> sql,
      List<String> keys) {
    return of(op, key, tables, pages -> pages.rows(op, columns, sql, keys));
  }

  /**
   * This load, with a failure that {@code refusal} recognises (a value PostgreSQL could not read as
   * its column's type) turned into what it returns: a 400 instead of a 500.
   */
  Load refusing(Function<Throwable, Throwable> refusal) {
    return new Load(
        operation,
        key,
        pages -> run.apply(pages).recover(e -> Future.failedFuture(refusal.apply(e))),
        next == null
            ? null
            : reply -> {
              Load after = next.apply(reply);
              return after == null ? null : after.refusing(refusal);
            },
        bounded);
  }

  /** One item by its id, or a 404. Batches are made of these, each cached on its own. */
  static Load item(Operation op, Dataset dataset, UUID id, String notFound) {
    return of(
            op,
            itemKey(op, id),
            Set.of(dataset.table()),
            pages -> pages.item(op, dataset, id, notFound))
        .unbounded();
  }

  /**
   * Items by id, in the order asked, null for an unknown id; {@code single} is the operation of one
   * item.
   */
  static Load batch(Operation op, Operation single, Dataset dataset, List<UUID> ids) {
    Key key = new Key(op.qualifiedName()).add("ids", ids);
    Set<String> tables = Set.of(dataset.table());
    return of(
            op,
            key,
            tables,
            pages ->
                pages.batch(
                    op,
                    single,
                    dataset,
                    ids,
                    id -> new CacheKey(single.family(), itemKey(single, id).toString(), tables)))
        .unbounded();
  }

  static Key itemKey(Operation op, UUID id) {
    return new Key(op.qualifiedName()).add("id", id);
  }
}
