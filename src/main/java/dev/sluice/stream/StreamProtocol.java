package dev.sluice.stream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * The credit-based stream protocol on the event bus (docs/EVENT_BUS.md, "Streams"). Every message
 * body is a {@code Buffer} or empty and every field is a header, so the protocol needs no codec on
 * any node.
 *
 * <ol>
 *   <li><b>open</b>: the consumer registers a data address ({@code sluice.stream.<uuid>}) and sends
 *       an {@link OpenRequest} to the loader family's stream-open address ({@code
 *       Addresses#streamOpenOf}) with the operation's {@code action}, the parameters as body, and
 *       headers {@link #STREAM_ADDRESS} and {@link #CREDIT}. The loader validates, registers {@code
 *       <data address>.ctl} and accepts it (or refuses it with a problem, before any data).
 *   <li><b>data</b>: the producer sends batches to the data address while it has credit; each
 *       carries {@link #SEQ}, {@link #COUNT} items (NDJSON lines) and the resume {@link #POSITION}
 *       after its last item.
 *   <li><b>credit</b>: the consumer grants {@link #CREDIT} more batches on the control address as
 *       its reader drains.
 *   <li><b>end</b> carries the total {@link #COUNT} and the final {@link #POSITION}; <b>error</b> a
 *       problem as body; <b>cancel</b> (consumer to producer) stops the producer at once;
 *       <b>heartbeat</b> tells a consumer that a following stream with nothing new is still alive.
 * </ol>
 *
 * Sequence numbers make a lost or reordered message a failure, never a short result. Either side
 * gives up on a peer that stays silent past its idle timeout. The ends take their settings as
 * records: {@link BusReadStream.Options} and {@link BusWriteStream.Options}.
 */
public final class StreamProtocol {

  /**
   * Prefix of consumers' data addresses; the producer's control address appends {@link
   * #CONTROL_SUFFIX}.
   */
  public static final String ADDRESS_PREFIX = "sluice.stream.";

  public static final String CONTROL_SUFFIX = ".ctl";

  /** The header naming a stream message's {@link Kind}. */
  public static final String TYPE = "type";

  /**
   * The kinds of message on a stream's data address (producer to consumer) and control address
   * (consumer to producer), named by the {@link #TYPE} header. A stream's messages share its two
   * addresses rather than taking one per kind because their order is the protocol: {@link #SEQ}
   * counts them on one address, where the event bus keeps a sender's order, and a probe must reach
   * the very consumer the stream's messages reach.
   */
  public enum Kind {
    /**
     * Producer to consumer, one batch of credit: {@link #SEQ}, {@link #COUNT} NDJSON lines, {@link
     * #POSITION}.
     */
    DATA("data"),
    /**
     * Producer to consumer, the last: {@link #SEQ}, {@link #COUNT} (every item), {@link #POSITION};
     * empty body.
     */
    END("end"),
    /** Producer to consumer, the last: {@link #SEQ}, a problem as body. */
    ERROR("error"),
    /**
     * Producer to consumer, needs no credit: "still here" while a following stream has nothing new
     * to send.
     */
    HEARTBEAT("heartbeat"),
    /** Consumer to producer: the header {@link #CREDIT} grants that many more batches. */
    CREDIT("credit"),
    /** Consumer to producer: stop now; {@link #REASON} says why. */
    CANCEL("cancel"),
    /**
     * Either way, a request outside the sequence: "are you there?", sent when a cluster member
     * left. A peer that is there answers; one on the lost node has no consumer any more, which the
     * event bus says at once.
     */
    PROBE("probe");

    private final String wire;

    Kind(String wire) {
      this.wire = wire;
    }

    /** Its name on the wire, the {@link #TYPE} header's value. */
    public String wire() {
      return wire;
    }

    /** The kind {@code message} is, or null when its {@link #TYPE} names none. */
    public static Kind of(Message<?> message) {
      String type = message.headers().get(TYPE);
      for (Kind kind : values()) {
        if (kind.wire.equals(type)) {
          return kind;
        }
      }
      return null;
    }

    /** Delivery options naming this kind, for the headers the message adds. */
    DeliveryOptions options() {
      return new DeliveryOptions().addHeader(TYPE, wire);
    }
  }

  static final long PROBE_TIMEOUT_MS = 2_000;

  /** An open request's header: the consumer's data address ({@link OpenRequest}). */
  public static final String STREAM_ADDRESS = "stream-address";

  /**
   * Batches granted: on an open request the first window ({@link OpenRequest}), on a {@link
   * Kind#CREDIT} message the batches granted since.
   */
  public static final String CREDIT = "credit";

  public static final String SEQ = "seq";
  public static final String COUNT = "count";
  public static final String POSITION = "position";

  /** A {@code cancel}'s header: why the consumer stopped, in words for the producer's log. */
  public static final String REASON = "reason";

  /**
   * The open request's parameter that ends a stream: a position (as {@code after}) whose item is
   * the last one sent. A stream with {@code after=a&until=b} sends the items after {@code a} up to
   * {@code b}, included; ranges cut at the same positions hold every item once.
   */
  public static final String UNTIL = "until";

  /**
   * The open request's parameter that makes a stream read the listing as an exported snapshot shows
   * it: the {@code snapshot} of a splits reply, which every range of one listing is opened with.
   */
  public static final String SNAPSHOT = "snapshot";

  /**
   * The request header of a stream operation's splits address ({@code Addresses#splitsOf}): "where
   * would you cut this stream's listing into this many ranges of about equal size?" The body holds
   * the stream's parameters; the reply is {@code {"positions": [cut, …], "source":
   * "statistics"|"sample"|"keys"|"none", "estimated_rows": n}}, at most {@code n - 1} positions in
   * the stream's order (docs/EVENT_BUS.md, "Parallel batches").
   */
  public static final String SPLITS = "splits";

  public static final int MAX_SPLITS = 64;

  /**
   * The open request's parameter holding a resume position that came as SSE's {@code Last-Event-ID}
   * header rather than as {@code after}: problems about it name the header.
   */
  public static final String LAST_EVENT_ID = "Last-Event-ID";

  private StreamProtocol() {}

  /**
   * Asks the peer at {@code address} whether it is still there; true when it is gone for sure (no
   * consumer in the cluster). A slow answer is not proof of absence: a busy peer is left to the
   * idle timeouts.
   */
  static Future<Boolean> gone(Vertx vertx, String address) {
    return vertx
        .eventBus()
        .request(address, Buffer.buffer(), Kind.PROBE.options().setSendTimeout(PROBE_TIMEOUT_MS))
        .map(reply -> false)
        .otherwise(
            err ->
                err instanceof ReplyException reply
                    && reply.failureType() == ReplyFailure.NO_HANDLERS);
  }
}
