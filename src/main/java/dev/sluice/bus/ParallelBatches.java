package dev.sluice.bus;

import dev.sluice.api.Addresses;
import dev.sluice.api.Failures;
import dev.sluice.api.Operation;
import dev.sluice.api.ProblemException;
import dev.sluice.stream.BusReadStream;
import dev.sluice.stream.StreamBatch;
import dev.sluice.stream.StreamProtocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One listing processed as concurrent keyset ranges ({@link SluiceClient#processBatches}): asks the
 * loader where to cut it (at {@link Addresses#splitsOf its splits address}), opens one stream per
 * range ({@code after} the cut before it, {@code until} the cut after it), and hands each range's
 * batches to the handler one at a time, the next only once the handler's future for the previous
 * one completed. Done when every range has ended and every batch was handled; the first failure (of
 * a range, of the handler, of the cut) fails it and cancels every range still open. Everything runs
 * on one context: the caller's, or one of its own for a caller outside Vert.x.
 */
final class ParallelBatches {

  /** How long a range refused for want of a place waits before it asks again. */
  static final long RETRY_MS = 100;

  private final Vertx vertx;
  private final Context context;
  private final Operation operation;
  private final JsonObject params;
  private final int parts;
  private final BatchHandler handler;
  private final SluiceClientImpl client;
  private final Promise<Processed> done = Promise.promise();
  private final List<Range> ranges = new ArrayList<>();
  private String cutFrom;

  ParallelBatches(
      SluiceClientImpl client,
      Operation operation,
      JsonObject params,
      int parts,
      BatchHandler handler) {
    this.client = client;
    this.vertx = client.vertx();
    this.context = vertx.getOrCreateContext();
    this.operation = operation;
    this.params = params == null ? new JsonObject() : params;
    this.parts = parts;
    this.handler = handler;
  }

  Future<Processed> run() {
    onContext(() -> cuts().onSuccess(this::open).onFailure(this::fail));
    return done.future();
  }

  /**
   * The cut positions, asked of the loader even for one range: it checks the parameters as it would
   * for any number of ranges (a resume position or {@code follow} is a 400), and answers one range
   * at once.
   */
  private Future<JsonObject> cuts() {
    DeliveryOptions options =
        new DeliveryOptions()
            .setSendTimeout(client.sendTimeoutMs())
            .addHeader(Addresses.ACTION_HEADER, operation.action())
            .addHeader(StreamProtocol.SPLITS, Integer.toString(parts));
    if (client.requestId() != null) {
      options.addHeader(Addresses.REQUEST_ID_HEADER, client.requestId());
    }
    return Delivery.<JsonObject>request(
            vertx, client.membership(), Addresses.splitsOf(operation.address()), params, options)
        .transform(
            ar ->
                ar.succeeded()
                    ? Future.succeededFuture(ar.result().body())
                    : Future.failedFuture(Failures.problemOf(ar.cause())));
  }

  private void open(JsonObject reply) {
    JsonArray cuts = reply.getJsonArray("positions");
    cutFrom = reply.getString("source");
    int count = cuts.size() + 1;
    for (int i = 0; i < count; i++) {
      JsonObject rangeParams = params.copy();
      if (i > 0) {
        rangeParams.put("after", cuts.getString(i - 1));
      }
      if (i < count - 1) {
        rangeParams.put(StreamProtocol.UNTIL, cuts.getString(i));
      }
      if (reply.getString(StreamProtocol.SNAPSHOT) != null) {
        // every range reads the listing as it was when it was cut
        rangeParams.put(StreamProtocol.SNAPSHOT, reply.getString(StreamProtocol.SNAPSHOT));
      }
      Range range = new Range(i, count);
      ranges.add(range);
      openRange(range, rangeParams, System.currentTimeMillis() + client.sendTimeoutMs());
    }
  }

  /**
   * Opens a range's stream. A loader sends as many streams at once as it has stream connections and
   * refuses the next with 429: a range refused so waits for a place (one frees as another range or
   * stream ends) and asks again, until {@code deadline}; the snapshot it reads is held for as long.
   */
  private void openRange(Range range, JsonObject rangeParams, long deadline) {
    BusReadStream.open(vertx, client.membership(), operation, rangeParams, client.rangeOptions())
        .onSuccess(range::read)
        .onFailure(
            err -> {
              boolean full =
                  err instanceof ProblemException p
                      && p.problem().status() == Failures.TOO_MANY_REQUESTS;
              if (full
                  && !done.future().isComplete()
                  && System.currentTimeMillis() + RETRY_MS < deadline) {
                vertx.setTimer(
                    RETRY_MS, t -> onContext(() -> openRange(range, rangeParams, deadline)));
              } else {
                fail(err);
              }
            });
  }

  private void fail(Throwable cause) {
    if (done.tryFail(cause)) {
      ranges.forEach(Range::cancel);
    }
  }

  private void rangeDone() {
    for (Range range : ranges) {
      if (!range.finished()) {
        return;
      }
    }
    List<Long> rows = ranges.stream().map(r -> r.rows).toList();
    done.tryComplete(new Processed(rows.stream().mapToLong(Long::longValue).sum(), rows, cutFrom));
  }

  /**
   * Runs {@code action} on this processing's context (a handler's future may complete on another
   * thread).
   */
  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  /**
   * One range: its stream once open, the items handed over, and whether a batch is with the
   * handler.
   */
  private final class Range {
    private final int index;
    private final int count;
    private BusReadStream stream;
    private long rows;
    private long seq;
    private boolean handling;
    private boolean ended;

    Range(int index, int count) {
      this.index = index;
      this.count = count;
    }

    void read(BusReadStream opened) {
      stream = opened;
      if (done.future().isComplete()) {
        opened.cancel(); // another range failed while this one was opening
        return;
      }
      opened.pause();
      opened.exceptionHandler(ParallelBatches.this::fail);
      opened.endHandler(
          v -> {
            ended = true;
            BusReadStream.End end = opened.end();
            if (end != null && end.count() != rows) {
              fail(
                  new IllegalStateException(
                      "range "
                          + index
                          + " ended at "
                          + end.count()
                          + " items, "
                          + rows
                          + " were handed over"));
              return;
            }
            if (!handling) {
              rangeDone();
            }
          });
      opened.handler(this::handle);
      opened.fetch(1);
    }

    private void handle(StreamBatch batch) {
      rows += batch.count();
      handling = true;
      Future<?> handled;
      try {
        handled = handler.handle(new RangeBatch(index, count, seq++, batch));
      } catch (RuntimeException e) {
        handled = Future.failedFuture(e);
      }
      (handled == null ? Future.succeededFuture() : handled)
          .onComplete(
              ar ->
                  onContext(
                      () -> {
                        handling = false;
                        if (ar.failed()) {
                          fail(ar.cause());
                        } else if (!done.future().isComplete()) {
                          if (ended) {
                            rangeDone();
                          } else {
                            stream.fetch(1);
                          }
                        }
                      }));
    }

    boolean finished() {
      return ended && !handling;
    }

    void cancel() {
      if (stream != null && !ended) {
        stream.cancel();
      }
    }
  }
}
