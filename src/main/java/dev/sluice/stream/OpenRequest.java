package dev.sluice.stream;

import dev.sluice.api.Addresses;
import dev.sluice.api.Operation;
import dev.sluice.api.Problem;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * A stream's open request, the message that starts the credit protocol, and its one answer
 * (docs/EVENT_BUS.md, "Streams"). The consumer's end ({@link BusReadStream#open}) sends it to the
 * loader family's stream-open address ({@link Addresses#streamOpenOf}): {@link
 * Addresses#ACTION_HEADER} the stream operation, {@link StreamProtocol#STREAM_ADDRESS} its data
 * address, {@link StreamProtocol#CREDIT} the batches it grants at first, {@link
 * Addresses#REQUEST_ID_HEADER} when it serves a request, and the stream's parameters as body. The
 * producer reads it with {@link #of}, opens its end for it ({@link BusWriteStream#open}) and
 * answers it once: {@link #accept()} ({@code {}}) when it holds its connection and has prepared the
 * query, so that a full pool is a refusal and never an accepted stream with nothing in it, or
 * {@link #refuse} with a problem, before any data.
 */
public final class OpenRequest {

  private final Message<JsonObject> message;
  private final String dataAddress;
  private final long credit;
  private boolean answered;
  private boolean refused;

  private OpenRequest(Message<JsonObject> message, String dataAddress, long credit) {
    this.message = message;
    this.dataAddress = dataAddress;
    this.credit = credit;
  }

  /**
   * The open request {@code message} is, as the producer received it.
   *
   * @throws IllegalArgumentException when it lacks the data address or the credit
   */
  public static OpenRequest of(Message<JsonObject> message) {
    String address = message.headers().get(StreamProtocol.STREAM_ADDRESS);
    String credit = message.headers().get(StreamProtocol.CREDIT);
    if (address == null || credit == null) {
      throw new IllegalArgumentException(
          "an open request without "
              + StreamProtocol.STREAM_ADDRESS
              + " or "
              + StreamProtocol.CREDIT);
    }
    return new OpenRequest(message, address, Long.parseLong(credit));
  }

  /** The headers the consumer's end sends an open request of {@code operation} with. */
  static DeliveryOptions headers(
      Operation operation, String dataAddress, long credit, String requestId) {
    DeliveryOptions options =
        new DeliveryOptions()
            .addHeader(Addresses.ACTION_HEADER, operation.action())
            .addHeader(StreamProtocol.STREAM_ADDRESS, dataAddress)
            .addHeader(StreamProtocol.CREDIT, Long.toString(credit));
    if (requestId != null) {
      options.addHeader(Addresses.REQUEST_ID_HEADER, requestId);
    }
    return options;
  }

  /** The consumer's data address: names the stream in logs and progress maps, on both sides. */
  public String dataAddress() {
    return dataAddress;
  }

  /**
   * Batches the consumer granted when it opened the stream: the producer's first credit, and its
   * window.
   */
  public long credit() {
    return credit;
  }

  /** The id of the HTTP request the stream serves, or null. */
  public String requestId() {
    return message.headers().get(Addresses.REQUEST_ID_HEADER);
  }

  /** The stream's parameters. */
  public JsonObject params() {
    return message.body();
  }

  /** Whether the stream was accepted. */
  public boolean accepted() {
    return answered && !refused;
  }

  /**
   * Tells the consumer its stream is open: the data follows. Answers once; later answers are
   * ignored.
   */
  public void accept() {
    if (!answered) {
      answered = true;
      message.reply(new JsonObject());
    }
  }

  /**
   * Tells the consumer its stream will not open, and why. Answers once; later answers are ignored.
   */
  public void refuse(Problem problem) {
    if (!answered) {
      answered = true;
      refused = true;
      message.fail(problem.status(), problem.toJson().encode());
    }
  }
}
