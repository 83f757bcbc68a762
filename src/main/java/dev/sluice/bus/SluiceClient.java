package dev.sluice.bus;

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

  /** The reply decoded into the envelope of docs/API.md section 2. */
  default Future<JsonObject> fetch(Operation operation, JsonObject params) {
    return request(operation, params).map(LoaderReply::json);
  }
}
