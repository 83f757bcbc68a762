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
import java.util.UUID;
import java.util.function.Function;

/**
 * What runs a planned {@link Load} against the database, one method per strategy: the loader's
 * pages implement it. Planning only chooses which of these a load calls, with what; it never
 * touches a pool.
 */
public interface Reader {

  /** Pagination: page {@code page} of {@code perPage} rows. */
  Future<LoaderReply> offset(Operation op, ListQuery q, int page, int perPage, CountMode count);

  /** Cursor: {@code limit} rows from the cursor's position (the start when null). */
  Future<LoaderReply> keyset(Operation op, ListQuery q, String cursor, int limit, CountMode count);

  /** Virtual scroll: the rows at indexes {@code [start, end)}. */
  Future<LoaderReply> range(Operation op, ListQuery q, long start, long end, CountMode count);

  /**
   * Window: {@code series} bucketed over {@code w}, narrowed by {@code scope}; 404 when {@code
   * exists} finds nothing.
   */
  Future<LoaderReply> window(
      Operation op, TimeWindow w, List<Series> series, Sql scope, Sql exists, String notFound);

  /** One list, not a page of a larger one: the rows of {@code columns} that {@code sql} selects. */
  Future<LoaderReply> list(Operation op, List<Column> columns, Function<RowFormat, Sql> sql);

  /** One item by its id, or a 404. */
  Future<LoaderReply> item(Operation op, Dataset dataset, UUID id, String notFound);

  /**
   * Items by id, in the order asked, null for an unknown one; each loaded item is cached on its own
   * under {@code itemKey}, as {@code single} would answer it.
   */
  Future<LoaderReply> batch(
      Operation op,
      Operation single,
      Dataset dataset,
      List<UUID> ids,
      Function<UUID, CacheKey> itemKey);

  /**
   * One row: the row of {@code columns} that {@code sql} selects, or a 404 with {@code notFound}.
   */
  Future<LoaderReply> row(
      Operation op, List<Column> columns, Function<RowFormat, Sql> sql, String notFound);

  /**
   * Rows by key, in the order of {@code keys}, null for a key no row has: {@code sql} selects each
   * row with its key (or its place in {@code keys}) as text after it ({@link RowFormat#width()}).
   */
  Future<LoaderReply> rows(
      Operation op, List<Column> columns, Function<RowFormat, Sql> sql, List<String> keys);

  /** Fails with 404 unless {@code sql} (a {@code SELECT EXISTS …}) says the thing exists. */
  Future<Void> requireExists(Sql sql, String notFound);
}
