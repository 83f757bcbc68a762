package dev.sluice.stream;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.node.Membership;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;

/**
 * The producer's end of a bus stream: a {@link WriteStream} of items (rows) that batches them into
 * NDJSON and sends a batch only while the consumer has granted credit. Without credit {@link
 * #writeQueueFull()} is true, so a pipe from a PostgreSQL {@code RowStream} pauses it and the
 * cursor stops fetching. A {@code cancel} from the consumer, or no credit for longer than the idle
 * timeout, ends the stream: {@link #stopped()} completes and writes fail. Used from one context
 * only (the loader's).
 */
public final class BusWriteStream<T> implements WriteStream<T> {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(BusWriteStream.class);

  /** How an item becomes a line of the stream and where it stands in the keyset order. */
  public interface ItemEncoder<T> {
    /** Appends the item's JSON (one line, no newline) to {@code out}. */
    void write(T item, Buffer out);

    /**
     * The item's keyset values; asked only of the last item before a position is needed (a batch's
     * end).
     */
    List<String> key(T item);
  }

  /**
   * How a stream is written: {@code batchItems} items per batch, the stream given up after {@code
   * idleTimeoutMs} without credit while batches wait, each item written by {@code encoder}, and the
   * keyset values of an item made an opaque resume position by {@code positions}. The credit is the
   * consumer's ({@link OpenRequest#credit()}).
   */
  public record Options<T>(
      int batchItems,
      long idleTimeoutMs,
      ItemEncoder<T> encoder,
      Function<List<String>, String> positions) {}

  private final Vertx vertx;
  private final String dataAddress;
  private final int batchItems;
  private final long idleTimeoutMs;
  private final ItemEncoder<T> encoder;
  private final Function<List<String>, String> positions;
  private final ArrayDeque<StreamBatch> queue = new ArrayDeque<>();
  private final Promise<Void> stopped = Promise.promise();
  private MessageConsumer<Buffer> control;
  private long timer = -1;

  private int sizeHint = 4096;
  private Buffer current = Buffer.buffer(sizeHint);
  private int currentCount;
  private List<String> lastKey;

  /**
   * The last item written, whose key is read only when a position is asked for (a batch's end, a
   * checkpoint).
   */
  private T lastItem;

  private String lastPosition;

  /** Batches the consumer may hold unacknowledged: the credit granted when it opened the stream. */
  private final long window;

  /** Written on the stream's context, read by metrics scrapes. */
  private volatile long credit;

  private long seq;
  private long items;
  private long bytes;
  private long lastProgress = System.currentTimeMillis();
  private long lastSent = System.currentTimeMillis();
  private Promise<Void> ending;
  private boolean closed;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;
  private Handler<Long> batchHandler;
  private Handler<StreamBatch> sentHandler;
  private Runnable unwatch = () -> {};

  private BusWriteStream(Vertx vertx, OpenRequest request, Options<T> options) {
    this.encoder = options.encoder();
    this.vertx = vertx;
    this.dataAddress = request.dataAddress();
    this.credit = request.credit();
    this.window = request.credit();
    this.batchItems = Math.max(1, options.batchItems());
    this.idleTimeoutMs = options.idleTimeoutMs();
    this.positions = options.positions();
  }

  /**
   * The producer's end of the stream {@code request} opens, with the credit it grants: registers
   * the stream's control address and completes once credit and cancel can arrive. The request is
   * not answered here: the producer accepts it once it is ready to send ({@link
   * OpenRequest#accept()}).
   *
   * @param membership tells of members that leave: the reader is probed then
   */
  public static <T> Future<BusWriteStream<T>> open(
      Vertx vertx, Membership membership, OpenRequest request, Options<T> options) {
    BusWriteStream<T> stream = new BusWriteStream<>(vertx, request, options);
    stream.control =
        vertx
            .eventBus()
            .consumer(stream.dataAddress + StreamProtocol.CONTROL_SUFFIX, stream::onControl);
    stream.timer =
        vertx.setPeriodic(Math.max(50, stream.idleTimeoutMs / 4), id -> stream.checkIdle());
    stream.unwatch = membership.onMemberLeft(stream::probeReader);
    return stream.control.completion().map(stream);
  }

  /**
   * Completes when the consumer cancelled or stopped granting credit: the producer must stop at
   * once.
   */
  public Future<Void> stopped() {
    return stopped.future();
  }

  /** Items written so far. */
  public long items() {
    return items;
  }

  /**
   * The keyset values of the last item written (read from it when asked), or null before the first.
   */
  public List<String> lastKey() {
    if (lastKey == null && lastItem != null) {
      lastKey = encoder.key(lastItem);
    }
    return lastKey;
  }

  /** Batches sent and not yet acknowledged by the consumer (0 up to the credit window). */
  public long inFlight() {
    return Math.max(0, window - credit);
  }

  /** Called with each batch as it is sent to the consumer. */
  public BusWriteStream<T> sentHandler(Handler<StreamBatch> handler) {
    this.sentHandler = handler;
    return this;
  }

  /** Bytes of NDJSON written so far. */
  public long bytes() {
    return bytes;
  }

  /**
   * Where the stream starts: after the item with these keyset values (a resumed stream), so that
   * its position before its first item, and its end when nothing follows, is where it resumed and
   * not null.
   */
  public void startAfter(List<String> key) {
    if (items == 0) {
      lastItem = null;
      lastKey = key;
      lastPosition = null;
    }
  }

  /**
   * The position after the last item written (or where the stream started), or null before the
   * first.
   */
  public String position() {
    if (lastPosition == null && lastKey() != null) {
      lastPosition = positions.apply(lastKey);
    }
    return lastPosition;
  }

  @Override
  public Future<Void> write(T item) {
    if (closed || ending != null) {
      return Future.failedFuture(stoppedFailure());
    }
    int before = current.length();
    try {
      encoder.write(item, current);
      current.appendByte((byte) '\n');
      bytes += current.length() - before;
      currentCount++;
      items++;
      lastItem = item;
      lastKey = null;
      lastPosition = null;
      if (currentCount >= batchItems) {
        seal();
        flush();
      }
    } catch (RuntimeException e) {
      // an item that cannot be written ends the stream with a 500, and the failed write stops the
      // pipe feeding it
      // (which would otherwise wait for ever on a row stream the exception left half-emitted)
      LOG.error("stream.unwritable item={} cause={}", items, e.toString(), e);
      fail(Problem.internal());
      return Future.failedFuture(e);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    if (closed) {
      return Future.failedFuture(stoppedFailure());
    }
    if (ending == null) {
      ending = Promise.promise();
      if (currentCount > 0) {
        seal();
      }
      flush();
    }
    return ending.future();
  }

  /**
   * Sends the items written since the last full batch as a batch of their own (as credit allows):
   * for a stream that waits for new rows, so that what it has is not held back until a batch fills.
   */
  public void flushPartial() {
    if (!closed && ending == null && currentCount > 0) {
      seal();
      flush();
    }
  }

  /**
   * Sends the problem as the stream's last message, whatever the credit, and releases the stream.
   */
  public void fail(Problem problem) {
    if (closed) {
      return;
    }
    send(
        StreamProtocol.Kind.ERROR, Buffer.buffer(problem.toJson().encode()), new DeliveryOptions());
    close(new ProblemException(problem));
  }

  /**
   * Called with the items written so far each time a batch is complete (progress, for operators).
   */
  public BusWriteStream<T> batchHandler(Handler<Long> handler) {
    this.batchHandler = handler;
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return !queue.isEmpty();
  }

  @Override
  public WriteStream<T> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  @Override
  public WriteStream<T> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public WriteStream<T> setWriteQueueMaxSize(int maxSize) {
    return this; // the window is the consumer's credit
  }

  private void seal() {
    queue.add(new StreamBatch(current, currentCount, position()));
    // sized for a batch like the last one, so that filling it does not copy it over and over as it
    // grows
    sizeHint = Math.max(4096, current.length() + current.length() / 8);
    current = Buffer.buffer(sizeHint);
    currentCount = 0;
    if (batchHandler != null) {
      batchHandler.handle(items);
    }
  }

  private void flush() {
    while (credit > 0 && !queue.isEmpty() && !closed) {
      StreamBatch batch = queue.poll();
      credit--;
      send(
          StreamProtocol.Kind.DATA,
          batch.lines(),
          new DeliveryOptions()
              .addHeader(StreamProtocol.COUNT, Integer.toString(batch.count()))
              .addHeader(StreamProtocol.POSITION, batch.position()));
      if (sentHandler != null) {
        sentHandler.handle(batch);
      }
    }
    if (closed) {
      return;
    }
    if (queue.isEmpty() && ending != null) {
      DeliveryOptions options =
          new DeliveryOptions().addHeader(StreamProtocol.COUNT, Long.toString(items));
      if (position() != null) {
        options.addHeader(StreamProtocol.POSITION, position());
      }
      send(StreamProtocol.Kind.END, Buffer.buffer(), options);
      Promise<Void> done = ending;
      close(null);
      done.tryComplete();
      return;
    }
    if (queue.isEmpty() && drainHandler != null) {
      Handler<Void> handler = drainHandler;
      drainHandler = null;
      handler.handle(null);
    }
  }

  private void send(StreamProtocol.Kind kind, Buffer body, DeliveryOptions options) {
    options
        .addHeader(StreamProtocol.TYPE, kind.wire())
        .addHeader(StreamProtocol.SEQ, Long.toString(seq++));
    lastSent = System.currentTimeMillis();
    vertx.eventBus().send(dataAddress, body, options);
  }

  private void onControl(Message<Buffer> message) {
    StreamProtocol.Kind kind = StreamProtocol.Kind.of(message);
    if (kind == StreamProtocol.Kind.CREDIT) {
      lastProgress = System.currentTimeMillis();
      credit += Long.parseLong(message.headers().get(StreamProtocol.CREDIT));
      flush();
    } else if (kind == StreamProtocol.Kind.CANCEL) {
      String reason = message.headers().get(StreamProtocol.REASON);
      close(
          new ProblemException(
              reason == null
                  ? Problem.cancelled()
                  : Problem.cancelled("The consumer cancelled the stream: " + reason)));
    } else if (kind == StreamProtocol.Kind.PROBE) {
      message.reply(Buffer.buffer());
    }
  }

  /** A member left: if it was the reader's node, stop now rather than after the idle timeout. */
  private void probeReader() {
    if (!closed) {
      StreamProtocol.gone(vertx, dataAddress)
          .onSuccess(
              gone -> {
                if (gone && !closed) {
                  close(
                      new ProblemException(
                          Problem.unavailable("The stream's reader left the cluster", 1)));
                }
              });
    }
  }

  private void checkIdle() {
    if (!closed && ending == null && System.currentTimeMillis() - lastSent > idleTimeoutMs / 3) {
      // a stream that has had nothing to send for a while (a follower waiting for new rows) says it
      // is alive
      send(StreamProtocol.Kind.HEARTBEAT, Buffer.buffer(), new DeliveryOptions());
    }
    if (!closed
        && !queue.isEmpty()
        && credit == 0
        && System.currentTimeMillis() - lastProgress > idleTimeoutMs) {
      // the consumer stopped reading (or is gone): give up and release what the stream holds
      fail(
          Problem.readerStalled(
              "The stream's reader granted no credit for " + idleTimeoutMs + " ms"));
    }
  }

  private void close(Throwable failure) {
    if (closed) {
      return;
    }
    closed = true;
    queue.clear();
    vertx.cancelTimer(timer);
    unwatch.run();
    control.unregister();
    if (failure != null) {
      stopped.tryFail(failure);
      if (ending != null) {
        ending.tryFail(failure);
      }
      if (exceptionHandler != null) {
        exceptionHandler.handle(failure);
      }
    } else {
      stopped.tryComplete();
    }
  }

  private Throwable stoppedFailure() {
    return stopped.future().failed()
        ? stopped.future().cause()
        : new IllegalStateException("stream closed");
  }
}
