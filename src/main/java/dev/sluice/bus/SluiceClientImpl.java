package dev.sluice.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

final class SluiceClientImpl implements SluiceClient {

  private final Vertx vertx;
  private final long timeoutMs;

  SluiceClientImpl(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Future<LoaderReply> request(Operation operation, JsonObject params) {
    DeliveryOptions options = new DeliveryOptions()
      .setSendTimeout(timeoutMs)
      .addHeader(Addresses.ACTION_HEADER, operation.action());
    return vertx.eventBus().<Buffer>request(operation.address(), params, options)
      .transform(ar -> ar.succeeded()
        ? Future.succeededFuture(toReply(ar.result()))
        : Future.failedFuture(toProblem(ar.cause())));
  }

  private static LoaderReply toReply(Message<Buffer> message) {
    return new LoaderReply(message.body(), message.headers().get(Addresses.NEXT_CURSOR_HEADER),
      message.headers().get(Addresses.PREV_CURSOR_HEADER));
  }

  /** The one place where event-bus failures become problems. */
  static ProblemException toProblem(Throwable failure) {
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case RECIPIENT_FAILURE -> new ProblemException(Problem.fromJson(reply.failureCode(), reply.getMessage()));
        case NO_HANDLERS -> new ProblemException(Problem.unavailable("No loader is serving this data right now", 5));
        case TIMEOUT -> new ProblemException(Problem.timeout("The load did not finish in time"));
        case ERROR -> new ProblemException(Problem.unavailable("The loader could not be reached", 5));
      };
    }
    return failure instanceof ProblemException p ? p : new ProblemException(Problem.internal());
  }
}
