package dev.sluice.load;

import dev.sluice.api.Operation;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.RowFormat;
import dev.sluice.db.Faults;
import dev.sluice.db.Sql;
import dev.sluice.node.LoaderStats;
import dev.sluice.node.Node;
import dev.sluice.plan.CursorCodec;
import dev.sluice.plan.ListQuery;
import dev.sluice.plan.Planners;
import dev.sluice.plan.Plans;
import dev.sluice.stream.BusWriteStream;
import dev.sluice.stream.OpenRequest;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs streams for a loader: a PostgreSQL cursor ({@code RowStream}, inside a transaction, as it
 * must be) piped into a {@link BusWriteStream} that sends only while the consumer grants credit.
 * When the consumer cancels or stalls past the idle timeout, the row stream and its prepared
 * statement are closed and the connection returned at once. Cursors use a pool of their own, so
 * long streams never starve page requests; a following stream's short reads of new rows go through
 * the page pool, so they never wait behind the cursors.
 */
final class Streams {

  private static final Logger LOG = LoggerFactory.getLogger(Streams.class);

  private final Vertx vertx;
  private final Node node;
  private final Pool pool;

  /** Where a following stream reads its new rows: short keyset reads, like pages. */
  private final Pool followPool;

  private final CursorCodec cursors;
  private final SluiceConfig settings;
  private final LoaderStats stats;
  private final Resilience resilience;
  private final Snapshots snapshots;
  private final Map<String, Double> averageRowBytes = new HashMap<>();

  /** Streams that may hold a cursor at once: one connection of the stream pool each. */
  private final int capacity;

  /**
   * Streams holding (or opening) a cursor of the stream pool now: this loader's, or every loader's
   * sharing the pool.
   */
  private final java.util.concurrent.atomic.AtomicInteger holding;

  /** Whether the stream pool is shared by every declared dataset's loader on the node. */
  private final boolean shared;

  /**
   * What wakes a following stream: something new was written; registering returns what unregisters.
   */
  @FunctionalInterface
  interface Wakeups {
    Runnable register(Runnable listener);
  }

  Streams(
      Node node,
      Pool pool,
      Pool followPool,
      CursorCodec cursors,
      SluiceConfig settings,
      LoaderStats stats,
      Resilience resilience,
      Snapshots snapshots,
      java.util.concurrent.atomic.AtomicInteger holding,
      boolean shared) {
    this.holding = holding;
    this.shared = shared;
    this.snapshots = snapshots;
    this.resilience = resilience;
    this.node = node;
    this.vertx = node.vertx();
    this.pool = pool;
    this.followPool = followPool;
    this.cursors = cursors;
    this.settings = settings;
    this.stats = stats;
    this.capacity = Math.max(1, settings.database().poolSize());
  }

  /**
   * Accepts the open request, then streams every row of {@code q} after {@code from} (up to the row
   * at {@code until}, included, when it is given) to the consumer. With {@code follow}, the stream
   * then stays open and sends the rows that come after, whenever {@code follow} fires (never with
   * {@code until}).
   */
  void run(
      Operation op, Planners.StreamRequest request, Message<JsonObject> message, Wakeups follow) {
    ListQuery q = request.query();
    List<String> from = request.after();
    OpenRequest open = OpenRequest.of(message);
    String binding = CursorCodec.binding(q.canonical());
    Function<List<String>, String> positions =
        key -> cursors.encode(op.qualifiedName(), binding, false, key);
    int batch = batchItems(op);
    RowFormat rows = q.rows(settings.lazy().rowEncoding());
    BusWriteStream.ItemEncoder<Row> encoder = encoder(rows, rows.keys(q.sort()));
    if (q.probe() != null) {
      // values only PostgreSQL can read: one it refuses is the open request's 400, before any byte
      Sql probe = q.probe().sql();
      pool.preparedQuery(probe.text())
          .execute(probe.tuple())
          .onSuccess(v -> open(op, request, follow, open, positions, batch, rows, encoder))
          .onFailure(
              err -> {
                Throwable refused = q.probe().refusal().apply(err);
                open.refuse(
                    refused instanceof ProblemException p
                        ? p.problem()
                        : resilience.problemOf(refused));
              });
      return;
    }
    open(op, request, follow, open, positions, batch, rows, encoder);
  }

  private void open(
      Operation op,
      Planners.StreamRequest request,
      Wakeups follow,
      OpenRequest open,
      Function<List<String>, String> positions,
      int batch,
      RowFormat rows,
      BusWriteStream.ItemEncoder<Row> encoder) {
    ListQuery q = request.query();
    List<String> from = request.after();
    String address = open.dataAddress();
    BusWriteStream.open(
            vertx,
            node.membership(),
            open,
            new BusWriteStream.Options<>(
                batch, settings.streaming().idleTimeoutSeconds() * 1000L, encoder, positions))
        .onFailure(err -> open.refuse(Problem.internal()))
        .onSuccess(
            out -> {
              out.startAfter(from);
              Run run = new Run(op, out, open);
              pump(
                      Plans.stream(q, rows, from, request.until()),
                      request.snapshot(),
                      batch,
                      out,
                      address,
                      follow == null,
                      run::accept)
                  .compose(
                      v ->
                          follow == null
                              ? Future.succeededFuture()
                              : new Follower(q, rows, from, batch, out, follow).done())
                  .onComplete(run::end);
            });
  }

  /**
   * How a row of the stream's query becomes its line, and where its key values are ({@link
   * RowFormat}).
   */
  private static BusWriteStream.ItemEncoder<Row> encoder(RowFormat rows, RowFormat.Keys keys) {
    return new BusWriteStream.ItemEncoder<>() {
      @Override
      public void write(Row row, io.vertx.core.buffer.Buffer out) {
        rows.write(row, out);
      }

      @Override
      public List<String> key(Row row) {
        return keys.of(row);
      }
    };
  }

  /**
   * One stream on the producer's side, from its open request to its end: accepted once it holds its
   * connection and transaction (so a full pool is a 503 answer to the open request, never a 200
   * with an empty body), and ended in one place however it ends. The open request's answer is the
   * stream package's ({@link OpenRequest}); the loader's figures are kept here.
   */
  private final class Run {
    private final Operation op;
    private final BusWriteStream<Row> out;
    private final OpenRequest open;
    private final String requestId;
    private final long started = System.nanoTime();
    private final java.util.function.LongSupplier inFlight;

    Run(Operation op, BusWriteStream<Row> out, OpenRequest open) {
      this.op = op;
      this.out = out;
      this.open = open;
      this.requestId = open.requestId();
      this.inFlight = out::inFlight;
      out.sentHandler(batch -> stats.streamSent(batch.count(), batch.lines().length()));
    }

    void accept() {
      stats.streamOpened(inFlight);
      open.accept();
    }

    void end(AsyncResult<?> ar) {
      node.streams().fetched().remove(open.dataAddress());
      if (open.accepted()) {
        stats.streamClosed(inFlight);
      }
      stats.served(out.items());
      stats.read(out.items());
      if (out.items() > 0) {
        averageRowBytes.merge(
            op.qualifiedName(),
            (double) out.bytes() / out.items(),
            (old, now) -> old * 0.7 + now * 0.3);
      }
      String name = op.qualifiedName();
      if (ar.succeeded()) {
        LOG.info(
            "stream.done op={} rows={} ms={} request_id={}",
            name,
            out.items(),
            (System.nanoTime() - started) / 1_000_000,
            requestId);
      } else if (out.stopped().failed()) {
        LOG.info(
            "stream.stopped op={} rows={} reason={} request_id={}",
            name,
            out.items(),
            out.stopped().cause().getMessage(),
            requestId);
      } else {
        Problem problem = resilience.problemOf(ar.cause());
        out.fail(problem);
        if (open.accepted()) {
          LOG.warn(
              "stream.failed op={} rows={} status={} cause={} request_id={}",
              name,
              out.items(),
              problem.status(),
              Faults.of(ar.cause()).cause(),
              requestId);
        } else {
          open.refuse(problem);
          if (problem.status() < 500) {
            // the requester's to report (the access log has it; a parallel range asks again): not
            // an event here
            LOG.debug(
                "stream.refused op={} status={} detail=\"{}\" request_id={}",
                name,
                problem.status(),
                problem.detail(),
                requestId);
          } else {
            LOG.warn(
                "stream.refused op={} status={} cause={} request_id={}",
                name,
                problem.status(),
                Faults.of(ar.cause()).cause(),
                requestId);
          }
        }
      }
    }
  }

  private Future<Void> pump(
      Sql sql,
      String snapshot,
      int fetchSize,
      BusWriteStream<Row> out,
      String address,
      boolean end,
      Runnable accept) {
    // a stream holds a connection for as long as it reads its cursor: one the pool cannot give now
    // is refused at once
    // (429, a matter of capacity, not a fault: the breaker never hears of it), never queued for the
    // pool
    if (holding.incrementAndGet() > capacity) {
      holding.decrementAndGet();
      return Future.failedFuture(
          new ProblemException(
              Problem.tooManyStreams(
                  (shared
                          ? "The declared datasets are sending as many streams as their shared pool"
                              + " has connections for ("
                          : "The "
                              + stats.family()
                              + " loader is sending as many streams as it has connections for (")
                      + capacity
                      + "); try again shortly")));
    }
    Future<Void> opened;
    try {
      opened = opened(sql, snapshot, fetchSize, out, address, end, accept);
    } catch (RuntimeException e) {
      opened = Future.failedFuture(e);
    }
    return opened.andThen(ar -> holding.decrementAndGet());
  }

  private Future<Void> opened(
      Sql sql,
      String snapshot,
      int fetchSize,
      BusWriteStream<Row> out,
      String address,
      boolean end,
      Runnable accept) {
    // only the opening is tried again (through the breaker): once a row is sent, a failure ends the
    // stream
    List<Future<Cursor>> tries = new java.util.ArrayList<>();
    return resilience
        .call(
            () -> {
              Future<Cursor> opening = Cursor.open(pool, sql, snapshot);
              tries.add(opening);
              return opening;
            })
        .onFailure(
            err -> {
              // the call gave up (its deadline) while a try still ran: a cursor that opens after
              // that is nobody's
              tries.forEach(opening -> opening.onSuccess(cursor -> cursor.close(false)));
            })
        .compose(
            cursor -> {
              if (snapshot != null) {
                snapshots.imported(snapshot);
              }
              accept.run();
              return pipe(cursor.statement(), sql, fetchSize, out, address, end)
                  .transform(
                      ar ->
                          cursor
                              .close(ar.succeeded())
                              .transform(
                                  v ->
                                      ar.succeeded()
                                          ? Future.<Void>succeededFuture()
                                          : Future.<Void>failedFuture(ar.cause())));
            });
  }

  /**
   * A cursor's connection, transaction and prepared statement, held for as long as its stream runs.
   * PostgreSQL plans a protocol-level cursor for its whole result: for "every video, newest first"
   * that is a sort of the table before the first row. A stream wants the first rows now, at the
   * reader's pace: with sorts discouraged for this transaction it walks the index that already
   * holds the order (and still sorts where none does, as for search ranks).
   */
  private record Cursor(
      SqlConnection connection, Transaction transaction, PreparedStatement statement) {

    /**
     * Opens the cursor in a transaction of its own; with {@code snapshot} (checked by {@code
     * Planners#snapshotId}), one that reads the listing as that exported snapshot shows it (an
     * unknown or released one is a 400 naming {@code snapshot}).
     */
    static Future<Cursor> open(Pool pool, Sql sql, String snapshot) {
      return pool.getConnection()
          .compose(
              conn ->
                  conn.begin()
                      .compose(
                          tx ->
                              (snapshot == null
                                      ? Future.succeededFuture()
                                      : conn.query(
                                              "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                                          .execute()
                                          .compose(
                                              v ->
                                                  conn.query(
                                                          "SET TRANSACTION SNAPSHOT '"
                                                              + snapshot
                                                              + "'")
                                                      .execute())
                                          .recover(
                                              err ->
                                                  Future.failedFuture(
                                                      unknownSnapshot(err)
                                                          ? new ProblemException(
                                                              Problem.invalidParameters(
                                                                  List.of(
                                                                      new Problem.ParameterError(
                                                                          "snapshot",
                                                                          "is not, or no longer, an exported snapshot"))))
                                                          : err)))
                                  .compose(v -> conn.query("SET LOCAL enable_sort = off").execute())
                                  .compose(v -> conn.prepare(sql.text()))
                                  .map(statement -> new Cursor(conn, tx, statement)))
                      .onFailure(err -> conn.close()));
    }

    /**
     * PostgreSQL's refusal of a snapshot id: malformed (22023) or not exported, or no longer
     * (42704).
     */
    private static boolean unknownSnapshot(Throwable err) {
      return err instanceof io.vertx.pgclient.PgException pg
          && ("22023".equals(pg.getSqlState()) || "42704".equals(pg.getSqlState()));
    }

    /**
     * Closes the statement, ends the transaction (committed when the stream succeeded) and returns
     * the connection.
     */
    Future<Void> close(boolean succeeded) {
      return statement
          .close()
          .eventually(() -> succeeded ? transaction.commit() : transaction.rollback())
          .eventually(connection::close);
    }
  }

  private Future<Void> pipe(
      PreparedStatement statement,
      Sql sql,
      int fetchSize,
      BusWriteStream<Row> out,
      String address,
      boolean end) {
    java.util.Map<String, Long> progress = node.streams().fetched();
    RowStream<Row> rows = statement.createStream(fetchSize, sql.tuple());
    Promise<Void> done = Promise.promise();
    // a cancel or a stalled reader: stop fetching now (a failed pipe would resume the cursor and
    // drain it)
    out.stopped().onFailure(err -> rows.close().onComplete(v -> done.tryFail(err)));
    rows.exceptionHandler(done::tryFail);
    out.batchHandler(fetched -> progress.put(address, fetched));
    rows.pipe()
        .endOnFailure(false)
        .endOnSuccess(end)
        .to(out)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rows.close();
                done.tryFail(ar.cause());
              } else {
                done.tryComplete();
              }
            });
    return done.future();
  }

  /**
   * Follows a stream on: each time its wakeups fire (a write to the table), reads the rows after
   * the last one sent (a keyset page at a time, waiting for credit between pages) until the
   * consumer cancels or stops reading.
   */
  private final class Follower {
    private final ListQuery q;
    private final RowFormat rows;
    private final List<String> from;
    private final int batch;
    private final BusWriteStream<Row> out;
    private final Promise<Void> done = Promise.promise();

    /** A read is running. */
    private boolean reading;

    /**
     * Something was written while reading or while the consumer was full: read once more
     * afterwards.
     */
    private boolean again;

    Follower(
        ListQuery q,
        RowFormat rows,
        List<String> from,
        int batch,
        BusWriteStream<Row> out,
        Wakeups wakeups) {
      this.q = q;
      this.rows = rows;
      this.from = from;
      this.batch = batch;
      this.out = out;
      Runnable unregister = wakeups.register(this::poll);
      out.stopped()
          .onComplete(
              ar -> {
                unregister.run();
                if (ar.failed()) {
                  done.tryFail(ar.cause());
                } else {
                  done.tryComplete();
                }
              });
      out.drainHandler(
          v -> {
            if (again) {
              poll();
            }
          });
      poll(); // what was written between the cursor's snapshot and listening
    }

    Future<Void> done() {
      return done.future();
    }

    private void poll() {
      if (out.stopped().isComplete()) {
        return;
      }
      if (reading || out.writeQueueFull()) {
        again = true;
        return;
      }
      reading = true;
      again = false;
      List<String> after = out.lastKey() != null ? out.lastKey() : from;
      Sql sql = Plans.stream(q, rows, after).append(" LIMIT ").param((long) batch + 1);
      followPool
          .preparedQuery(sql.text())
          .execute(sql.tuple())
          .onComplete(
              ar -> {
                reading = false;
                if (ar.failed()) {
                  done.tryFail(ar.cause());
                  return;
                }
                int written = 0;
                for (Row row : ar.result()) {
                  if (written++ < batch) {
                    out.write(row);
                  }
                }
                out.flushPartial();
                if (ar.result().size() > batch || again) {
                  poll(); // a full write queue makes it wait for the drain handler set at the start
                }
              });
    }
  }

  /**
   * Rows per batch (and per fetch): {@code batch_size}, fewer when this operation's rows have been
   * large.
   */
  int batchItems(Operation op) {
    int max = Math.max(1, settings.lazy().batchSize());
    Double average = averageRowBytes.get(op.qualifiedName());
    if (average == null || average <= 0) {
      return max;
    }
    return (int) Math.max(16, Math.min(max, settings.streaming().targetBatchBytes() / average));
  }
}
