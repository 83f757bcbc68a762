package dev.sluice.bus;

import dev.sluice.bus.stream.BusReadStream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The typed way to ask the loaders for data over the event bus, from any verticle on any node. The gateway uses it;
 * so can any other verticle:
 *
 * <pre>{@code
 * SluiceClient client = SluiceClient.create(vertx, 30_000);
 * client.fetch(Operation.VIDEOS, new JsonObject().put("status", "ready").put("limit", 100))
 *   .onSuccess(page -> page.getJsonArray("data").forEach(...));
 * }</pre>
 *
 * A failed future carries a {@link ProblemException} whose problem says what went wrong (400 with the parameter,
 * 404, 503, 504).
 */
public interface SluiceClient {

  static SluiceClient create(Vertx vertx, long timeoutMs) {
    return new SluiceClientImpl(vertx, timeoutMs);
  }

  /** The reply as the loader encoded it: envelope bytes and cursors. */
  Future<LoaderReply> request(Operation operation, JsonObject params);

  /**
   * Opens a stream: completes with a {@link BusReadStream} of NDJSON batches once the loader accepted the request,
   * or fails with its problem (400 for bad parameters) before any data. Pipe it anywhere: a slow reader slows the
   * database cursor on the loader's node.
   *
   * @param window batches in flight at most (credit)
   */
  default Future<BusReadStream> stream(Operation operation, JsonObject params, int window, double threshold,
                                       long idleTimeoutMs) {
    return BusReadStream.open(vertx(), operation, params, window, threshold, idleTimeoutMs);
  }

  Vertx vertx();

  /** The problem an event-bus failure means (the one mapping of bus failures to problems). */
  static ProblemException problemOf(Throwable failure) {
    return SluiceClientImpl.toProblem(failure);
  }

  /** The reply decoded into the envelope of docs/API.md section 2. */
  default Future<JsonObject> fetch(Operation operation, JsonObject params) {
    return request(operation, params).map(LoaderReply::json);
  }
}
