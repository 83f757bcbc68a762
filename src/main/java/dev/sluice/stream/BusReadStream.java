package dev.sluice.stream;

import dev.sluice.api.Addresses;
import dev.sluice.api.Failures;
import dev.sluice.api.Operation;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.node.Membership;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.UUID;

/**
 * The consumer's end of a bus stream: a {@link ReadStream} of batches that grants the producer
 * credit as its own reader takes batches, so at most {@code window} batches are ever on the way or
 * waiting here. Piped into an HTTP response, a slow client slows the database cursor; {@link
 * #cancel()} stops the producer at once. A gap in the sequence, an {@code error} message, or a
 * producer silent past the idle timeout while credit is out fails the stream. Open one with {@code
 * SluiceClient.stream}.
 */
public final class BusReadStream implements ReadStream<StreamBatch> {

  /**
   * What the stream's {@code end} said: how many items in all and where to resume after the last.
   */
  public record End(long count, String position) {}

  static final long OPEN_TIMEOUT_MS = 30_000;

  /**
   * How a stream is read: {@code window} batches granted at once (the most that can be in flight or
   * waiting here), more granted once the reader has taken {@code 1 - threshold} of the window, the
   * producer failed after {@code idleTimeoutMs} of silence while credit is out, the loader's
   * acceptance awaited at least {@code openTimeoutMs} (it may retry its opening until its
   * deadline), and the HTTP request it serves named by {@code requestId} (or null) in the loader's
   * log lines.
   */
  public record Options(
      int window, double threshold, long idleTimeoutMs, long openTimeoutMs, String requestId) {

    /**
     * A window, threshold and idle timeout; the acceptance awaited 30 s at least; no request id.
     */
    public static Options of(int window, double threshold, long idleTimeoutMs) {
      return new Options(window, threshold, idleTimeoutMs, OPEN_TIMEOUT_MS, null);
    }

    /**
     * These options, waiting at least {@code openTimeoutMs} for the loader to accept the stream.
     */
    public Options withOpenTimeoutMs(long openTimeoutMs) {
      return new Options(window, threshold, idleTimeoutMs, openTimeoutMs, requestId);
    }

    /** These options, naming the HTTP request the stream serves ({@code X-Request-Id}), or none. */
    public Options withRequestId(String requestId) {
      return new Options(window, threshold, idleTimeoutMs, openTimeoutMs, requestId);
    }
  }

  private final Vertx vertx;
  private final String dataAddress;
  private final int window;
  private final int grantStep;
  private final long idleTimeoutMs;
  private final ArrayDeque<StreamBatch> queue = new ArrayDeque<>();
  private MessageConsumer<Buffer> consumer;
  private long timer = -1;
  private Runnable unwatch = () -> {};

  private long expectedSeq;
  private long outstanding;
  private long demand = Long.MAX_VALUE;
  private long lastMessage = System.currentTimeMillis();

  /**
   * When the reader last took a batch (or the end arrived): bounds how long an ended stream waits
   * for its reader.
   */
  private long lastTaken = System.currentTimeMillis();

  private End end;
  private boolean done;

  /**
   * Every batch was handed on and the end reached; the end handler is called once, whenever it is
   * set.
   */
  private boolean finished;

  private boolean endCalled;
  private Handler<StreamBatch> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  /** A failure that came while no exception handler was set: the next one set gets it. */
  private Throwable undelivered;

  private BusReadStream(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.dataAddress = StreamProtocol.ADDRESS_PREFIX + UUID.randomUUID();
    this.window = Math.max(1, options.window());
    // grant in steps once (1 - threshold) of the window is free, so a busy stream sends few credit
    // messages
    this.grantStep = Math.max(1, (int) Math.round(this.window * (1.0 - options.threshold())));
    this.idleTimeoutMs = options.idleTimeoutMs();
  }

  /**
   * Opens a stream of {@code operation} with {@code params}: completes once the loader accepted it
   * (or fails with its problem, a 400 for bad parameters, before any data).
   */
  public static Future<BusReadStream> open(
      Vertx vertx, Operation operation, JsonObject params, Options options) {
    return open(vertx, Membership.NONE, operation, params, options);
  }

  /**
   * As {@link #open(Vertx, Operation, JsonObject, Options)}, probing the producer when {@code
   * membership} tells of a member that left.
   */
  public static Future<BusReadStream> open(
      Vertx vertx, Membership membership, Operation operation, JsonObject params, Options options) {
    BusReadStream stream = new BusReadStream(vertx, options);
    stream.consumer = vertx.eventBus().consumer(stream.dataAddress, stream::onMessage);
    DeliveryOptions request =
        OpenRequest.headers(operation, stream.dataAddress, stream.window, options.requestId())
            // the producer answers once it holds a connection and has prepared the query, which may
            // wait for the pool
            .setSendTimeout(Math.max(options.idleTimeoutMs(), options.openTimeoutMs()));
    stream.outstanding = stream.window;
    return stream
        .consumer
        .completion()
        .compose(
            v ->
                vertx
                    .eventBus()
                    .request(Addresses.streamOpenOf(operation.address()), params, request))
        .transform(
            ar -> {
              if (ar.failed()) {
                stream.release();
                return Future.failedFuture(Failures.problemOf(ar.cause()));
              }
              stream.timer =
                  vertx.setPeriodic(
                      Math.max(50, stream.idleTimeoutMs / 4), id -> stream.checkIdle());
              stream.unwatch = membership.onMemberLeft(stream::probeProducer);
              return Future.succeededFuture(stream);
            });
  }

  /** Tells the producer to stop and releases this end; no handler is called after. */
  public void cancel() {
    cancel("cancelled by its reader");
  }

  /**
   * As {@link #cancel()}, telling the producer why, in words for its log ({@link
   * StreamProtocol#REASON}).
   */
  public void cancel(String reason) {
    if (done) {
      return;
    }
    vertx
        .eventBus()
        .send(
            dataAddress + StreamProtocol.CONTROL_SUFFIX,
            Buffer.buffer(),
            StreamProtocol.Kind.CANCEL.options().addHeader(StreamProtocol.REASON, reason));
    release();
  }

  /** The data address: names the stream in logs and progress maps, on both sides. */
  public String address() {
    return dataAddress;
  }

  /** The stream's end, once it has ended well. */
  public End end() {
    return end;
  }

  @Override
  public BusReadStream handler(Handler<StreamBatch> handler) {
    this.handler = handler;
    drain();
    return this;
  }

  @Override
  public BusReadStream endHandler(Handler<Void> handler) {
    this.endHandler = handler;
    // a short stream may have been read to its end by the handler set just before this one
    callEnd();
    return this;
  }

  @Override
  public BusReadStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    // a stream that failed before any handler was set (at once, before its reader got to it) hands
    // its failure to
    // the first handler set, once
    if (handler != null && undelivered != null) {
      Throwable failure = undelivered;
      undelivered = null;
      handler.handle(failure);
    }
    return this;
  }

  @Override
  public BusReadStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public BusReadStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public BusReadStream fetch(long amount) {
    demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    drain();
    return this;
  }

  private void onMessage(Message<Buffer> message) {
    StreamProtocol.Kind kind = StreamProtocol.Kind.of(message);
    if (kind == StreamProtocol.Kind.PROBE) {
      message.reply(Buffer.buffer());
      return;
    }
    if (done) {
      return;
    }
    lastMessage = System.currentTimeMillis();
    long seq = Long.parseLong(message.headers().get(StreamProtocol.SEQ));
    if (seq != expectedSeq) {
      fail(
          new ProblemException(
              Problem.unavailable(
                  "The stream lost message " + expectedSeq + " (got " + seq + ")", 1)),
          "it lost message " + expectedSeq + " (got " + seq + ")");
      return;
    }
    expectedSeq++;
    if (kind == null) {
      unknown(message);
      return;
    }
    switch (kind) {
      case DATA -> {
        outstanding--;
        queue.add(
            new StreamBatch(
                message.body(),
                Integer.parseInt(message.headers().get(StreamProtocol.COUNT)),
                message.headers().get(StreamProtocol.POSITION)));
        drain();
      }
      case END -> {
        lastTaken = System.currentTimeMillis();
        end =
            new End(
                Long.parseLong(message.headers().get(StreamProtocol.COUNT)),
                message.headers().get(StreamProtocol.POSITION));
        drain();
      }
      case HEARTBEAT -> {
        // nothing to hand on: it only proves the producer is alive
      }
      case ERROR -> fail(new ProblemException(Problem.fromJson(message.body().toString())), null);
      default -> unknown(message); // a consumer-to-producer kind, which never comes this way
    }
  }

  private void unknown(Message<Buffer> message) {
    String type = message.headers().get(StreamProtocol.TYPE);
    fail(
        new IllegalStateException("unknown stream message " + type),
        "unknown stream message " + type);
  }

  private void drain() {
    while (!done && demand > 0 && !queue.isEmpty() && handler != null) {
      StreamBatch batch = queue.poll();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      lastTaken = System.currentTimeMillis();
      handler.handle(batch);
      grant();
    }
    if (!done && queue.isEmpty() && end != null) {
      release();
      finished = true;
      callEnd();
    }
  }

  private void callEnd() {
    if (finished && !endCalled && endHandler != null) {
      endCalled = true;
      endHandler.handle(null);
    }
  }

  private void grant() {
    long free = window - outstanding - queue.size();
    if (end == null && !done && free >= grantStep) {
      outstanding += free;
      vertx
          .eventBus()
          .send(
              dataAddress + StreamProtocol.CONTROL_SUFFIX,
              Buffer.buffer(),
              StreamProtocol.Kind.CREDIT
                  .options()
                  .addHeader(StreamProtocol.CREDIT, Long.toString(free)));
    }
  }

  /**
   * A member left: if it was the producer's node, end now with an error rather than after the idle
   * timeout.
   */
  private void probeProducer() {
    if (!done) {
      StreamProtocol.gone(vertx, dataAddress + StreamProtocol.CONTROL_SUFFIX)
          .onSuccess(
              gone -> {
                if (gone && !done) {
                  fail(
                      new ProblemException(
                          Problem.unavailable(
                              "The loader node serving this stream left the cluster", 1)),
                      null);
                }
              });
    }
  }

  private void checkIdle() {
    // a producer that has sent its end owes nothing more, whatever credit is left: a reader that
    // has not taken the
    // end yet is the one to blame, and its own idle check (the HTTP responder's) says so
    if (!done
        && end == null
        && outstanding > 0
        && System.currentTimeMillis() - lastMessage > idleTimeoutMs) {
      fail(
          new ProblemException(
              Problem.timeout("The stream's producer was silent for " + idleTimeoutMs + " ms")),
          "its producer was silent for " + idleTimeoutMs + " ms");
    } else if (!done
        && end != null
        && !queue.isEmpty()
        && System.currentTimeMillis() - lastTaken > 2 * idleTimeoutMs) {
      // the producer ended long ago and let go; this end's reader took nothing for twice the idle
      // timeout (an HTTP
      // reader that stalled is cut by its responder within one): what it holds is released
      fail(
          new ProblemException(
              Problem.timeout(
                  "The stream's reader took nothing for "
                      + 2 * idleTimeoutMs
                      + " ms after its producer had ended")),
          null);
    }
  }

  /**
   * Fails this end; with a {@code reason} the producer is told to stop (why, in its words), else it
   * has stopped.
   */
  private void fail(Throwable failure, String reason) {
    if (reason != null) {
      cancel(reason);
    } else {
      release();
    }
    if (exceptionHandler != null) {
      exceptionHandler.handle(failure);
    } else {
      undelivered = failure;
    }
  }

  private void release() {
    if (done) {
      return;
    }
    done = true;
    queue.clear();
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    unwatch.run();
    consumer.unregister();
  }
}
