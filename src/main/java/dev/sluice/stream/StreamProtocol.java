package dev.sluice.stream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The credit-based stream protocol on the event bus (docs/EVENT_BUS.md, "Streams"). Every message body is a
 * {@code Buffer} or empty and every field is a header, so the protocol needs no codec on any node.
 *
 * <ol>
 *   <li><b>open</b>: the consumer registers a data address ({@code sluice.stream.<uuid>}) and sends a request to the
 *   loader with the operation's {@code action}, the parameters as body, and headers {@link #STREAM_ADDRESS} and
 *   {@link #CREDIT}. The loader validates, registers {@code <data address>.ctl} and replies (or fails with a
 *   problem, before any data).</li>
 *   <li><b>data</b>: the producer sends batches to the data address while it has credit; each carries
 *   {@link #SEQ}, {@link #COUNT} items (NDJSON lines) and the resume {@link #POSITION} after its last item.</li>
 *   <li><b>credit</b>: the consumer grants {@link #CREDIT} more batches on the control address as its reader
 *   drains.</li>
 *   <li><b>end</b> carries the total {@link #COUNT} and the final {@link #POSITION}; <b>error</b> a problem as
 *   body; <b>cancel</b> (consumer to producer) stops the producer at once; <b>heartbeat</b> tells a
 *   consumer that a following stream with nothing new is still alive.</li>
 * </ol>
 * Sequence numbers make a lost or reordered message a failure, never a short result. Either side gives up on a
 * peer that stays silent past its idle timeout.
 */
public final class StreamProtocol {

  /** Prefix of consumers' data addresses; the producer's control address appends {@link #CONTROL_SUFFIX}. */
  public static final String ADDRESS_PREFIX = "sluice.stream.";
  public static final String CONTROL_SUFFIX = ".ctl";

  public static final String TYPE = "type";
  public static final String DATA = "data";
  public static final String END = "end";
  public static final String ERROR = "error";
  public static final String CREDIT_GRANT = "credit";
  public static final String CANCEL = "cancel";
  /** Producer to consumer, needs no credit: "still here" while a following stream has nothing new to send. */
  public static final String HEARTBEAT = "heartbeat";

  /**
   * Either way, a request outside the sequence: "are you there?", sent when a cluster member left. A peer that is
   * there answers; one on the lost node has no consumer any more, which the event bus says at once.
   */
  public static final String PROBE = "probe";
  static final long PROBE_TIMEOUT_MS = 2_000;

  public static final String STREAM_ADDRESS = "stream-address";
  public static final String CREDIT = "credit";
  public static final String SEQ = "seq";
  public static final String COUNT = "count";
  public static final String POSITION = "position";
  /** A {@code cancel}'s header: why the consumer stopped, in words for the producer's log. */
  public static final String REASON = "reason";

  /**
   * The open request's parameter that ends a stream: a position (as {@code after}) whose item is the last one sent.
   * A stream with {@code after=a&until=b} sends the items after {@code a} up to {@code b}, included; ranges cut at
   * the same positions hold every item once.
   */
  public static final String UNTIL = "until";

  /**
   * The open request's parameter that makes a stream read the listing as an exported snapshot shows it: the
   * {@code snapshot} of a splits reply, which every range of one listing is opened with.
   */
  public static final String SNAPSHOT = "snapshot";

  /**
   * A request header on a stream operation's address (no {@link #STREAM_ADDRESS}): "where would you cut this
   * stream's listing into this many ranges of about equal size?" The body holds the stream's parameters; the reply
   * is {@code {"positions": [cut, …], "source": "statistics"|"sample"|"keys"|"none", "estimated_rows": n}}, at most
   * {@code n - 1} positions in the stream's order (docs/EVENT_BUS.md, "Parallel batches").
   */
  public static final String SPLITS = "splits";
  public static final int MAX_SPLITS = 64;

  /**
   * The open request's parameter holding a resume position that came as SSE's {@code Last-Event-ID} header rather
   * than as {@code after}: problems about it name the header.
   */
  public static final String LAST_EVENT_ID = "Last-Event-ID";

  private StreamProtocol() {
  }

  /**
   * Asks the peer at {@code address} whether it is still there; true when it is gone for sure (no consumer in the
   * cluster). A slow answer is not proof of absence: a busy peer is left to the idle timeouts.
   */
  static Future<Boolean> gone(Vertx vertx, String address) {
    return vertx.eventBus().request(address, Buffer.buffer(),
        new DeliveryOptions().setSendTimeout(PROBE_TIMEOUT_MS).addHeader(TYPE, PROBE))
      .map(reply -> false)
      .otherwise(err -> err instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS);
  }
}
