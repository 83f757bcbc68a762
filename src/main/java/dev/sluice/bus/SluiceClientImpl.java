package dev.sluice.bus;

import dev.sluice.problem.Failures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

final class SluiceClientImpl implements SluiceClient {

  private final Vertx vertx;
  private final long timeoutMs;
  private final String requestId;

  SluiceClientImpl(Vertx vertx, long timeoutMs, String requestId) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.requestId = requestId;
  }

  @Override
  public SluiceClient withRequestId(String requestId) {
    return new SluiceClientImpl(vertx, timeoutMs, requestId);
  }

  @Override
  public String requestId() {
    return requestId;
  }

  @Override
  public long sendTimeoutMs() {
    return timeoutMs;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Future<LoaderReply> request(Operation operation, JsonObject params) {
    return send(operation, params, options(operation));
  }

  @Override
  public Future<LoaderReply> requestAfterLookup(Operation operation, JsonObject params) {
    return send(operation, params, options(operation).addHeader(Addresses.LOOKED_UP_HEADER, "true"));
  }

  @Override
  public void prefetched(Operation operation, JsonObject params) {
    vertx.eventBus().send(operation.address(), params, options(operation).addHeader(Addresses.PREFETCH_HEADER,
      "true"));
  }

  private DeliveryOptions options(Operation operation) {
    DeliveryOptions options = new DeliveryOptions()
      .setSendTimeout(timeoutMs)
      .addHeader(Addresses.ACTION_HEADER, operation.action());
    if (requestId != null) {
      options.addHeader(Addresses.REQUEST_ID_HEADER, requestId);
    }
    return options;
  }

  private Future<LoaderReply> send(Operation operation, JsonObject params, DeliveryOptions options) {
    return Delivery.<Buffer>request(vertx, operation.address(), params, options).transform(ar -> ar.succeeded()
      ? Future.succeededFuture(toReply(ar.result()))
      : Future.failedFuture(Failures.problemOf(ar.cause())));
  }

  /** The reply a loader sent: its body and the headers {@code LoaderVerticle} writes (docs/EVENT_BUS.md). */
  private static LoaderReply toReply(Message<Buffer> message) {
    var headers = message.headers();
    String items = headers.get(Addresses.ITEMS_HEADER);
    return new LoaderReply(message.body(), "gzip".equals(headers.get(Addresses.ENCODING_HEADER)),
      headers.get(Addresses.ETAG_HEADER), headers.get(Addresses.NEXT_CURSOR_HEADER),
      headers.get(Addresses.PREV_CURSOR_HEADER), items == null ? 0 : Integer.parseInt(items),
      "true".equals(headers.get(Addresses.HAS_MORE_HEADER)), null, Long.MAX_VALUE,
      "true".equals(headers.get(Addresses.PREFETCHED_HEADER)));
  }
}
