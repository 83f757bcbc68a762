package dev.sluice.bus;

import dev.sluice.problem.Failures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

final class SluiceClientImpl implements SluiceClient {

  /** How often a request that reached stopping loaders is sent again, first after {@value #LEAVING_DELAY_MS} ms. */
  static final int LEAVING_TRIES = 4;
  static final long LEAVING_DELAY_MS = 20;

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
    return deliver(operation.address(), params, options).transform(ar -> ar.succeeded()
      ? Future.succeededFuture(toReply(ar.result()))
      : Future.failedFuture(Failures.problemOf(ar.cause())));
  }

  /**
   * A request that finds a loader which will serve it, within the time it has: sent again (with the time left)
   * when the loader that got it answers that it is stopping ({@link Failures#LEAVING}, up to {@value #LEAVING_TRIES}
   * times, a little later each time), and each time a cluster member leaves before it is answered: the member may
   * have been the loader it went to, which will never answer. The event bus routes the new copy to a loader still
   * there, or fails it at once when none is (503). Loads are reads: a copy that reached a live loader only costs a
   * second load. The first answer wins; a copy's failure counts only when no later copy is out.
   */
  private Future<Message<Buffer>> deliver(String address, JsonObject params, DeliveryOptions options) {
    Promise<Message<Buffer>> answer = Promise.promise();
    long deadline = System.currentTimeMillis() + options.getSendTimeout();
    int[] copies = {0};
    int[] leaving = {0};
    Runnable[] send = new Runnable[1];
    send[0] = () -> {
      int copy = copies[0];
      long left = Math.max(1, deadline - System.currentTimeMillis());
      vertx.eventBus().<Buffer>request(address, params, new DeliveryOptions(options).setSendTimeout(left))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            answer.tryComplete(ar.result());
          } else if (copy == copies[0]) {
            long delay = LEAVING_DELAY_MS << leaving[0];
            if (Failures.leaving(ar.cause()) && leaving[0] < LEAVING_TRIES
              && deadline - System.currentTimeMillis() > delay) {
              leaving[0]++;
              vertx.setTimer(delay, t -> {
                if (copy == copies[0] && !answer.future().isComplete()) {
                  copies[0]++;
                  send[0].run();
                }
              });
            } else {
              answer.tryFail(ar.cause());
            }
          }
        });
    };
    Membership membership = Membership.of(vertx);
    if (membership != null) {
      Runnable unsubscribe = membership.onMemberLeft(() -> {
        if (!answer.future().isComplete() && deadline - System.currentTimeMillis() > 0) {
          copies[0]++;
          send[0].run();
        }
      });
      answer.future().onComplete(ar -> unsubscribe.run());
    }
    send[0].run();
    return answer.future();
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
