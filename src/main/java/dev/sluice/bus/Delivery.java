package dev.sluice.bus;

import dev.sluice.api.Failures;
import dev.sluice.node.Membership;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * A request to a loader (or a monitor) that finds one which will answer, within the time it has.
 * The event bus alone loses a request in two cases, and both are answered here by sending it again,
 * with the time it has left:
 *
 * <ul>
 *   <li>the consumer that got it is stopping: it answers {@link Failures#LEAVING}, or Vert.x
 *       discards the request as the consumer unregisters (an immediate TIMEOUT "Discarded the
 *       request"); sent again up to {@value #LEAVING_TRIES} times, {@value #LEAVING_DELAY_MS} ms
 *       later and doubling;
 *   <li>it went to a cluster member that is lost: never answered, since Vert.x fails a request
 *       whose write failed only in a write promise it does not expose. Sent again at each of the
 *       waves {@link Membership} calls after a member leaves, also when it was sent after the loss
 *       but before Vert.x's routing forgot the lost node (the waves span the few hundred
 *       milliseconds that takes).
 * </ul>
 *
 * The event bus routes a new copy to a consumer still there, or fails it at once when none is
 * (503). Requests sent this way must be reads: a copy that reached a live consumer only costs a
 * second answer. The first answer wins; a copy's failure counts only when no later copy is out.
 */
public final class Delivery {

  static final int LEAVING_TRIES = 4;
  static final long LEAVING_DELAY_MS = 20;

  private Delivery() {}

  public static <T> Future<Message<T>> request(
      Vertx vertx, Membership membership, String address, Object body, DeliveryOptions options) {
    Attempt<T> attempt = new Attempt<>(vertx, address, body, options);
    Runnable unsubscribe = membership.onMemberLeft(attempt::again);
    attempt.answer.future().onComplete(ar -> unsubscribe.run());
    attempt.send();
    return attempt.answer.future();
  }

  /** One request and its copies, all on the caller's context. */
  private static final class Attempt<T> {
    final Promise<Message<T>> answer = Promise.promise();
    private final Vertx vertx;
    private final String address;
    private final Object body;
    private final DeliveryOptions options;
    private final long deadline;

    /** The number of the latest copy: only its failure counts. */
    private int copy;

    private int leavingTries;

    Attempt(Vertx vertx, String address, Object body, DeliveryOptions options) {
      this.vertx = vertx;
      this.address = address;
      this.body = body;
      this.options = options;
      this.deadline = System.currentTimeMillis() + options.getSendTimeout();
    }

    void send() {
      int mine = copy;
      long left = Math.max(1, deadline - System.currentTimeMillis());
      vertx
          .eventBus()
          .<T>request(address, body, new DeliveryOptions(options).setSendTimeout(left))
          .onComplete(
              ar -> {
                if (ar.succeeded()) {
                  answer.tryComplete(ar.result());
                } else if (mine == copy) {
                  long delay = LEAVING_DELAY_MS << leavingTries;
                  if (Failures.leaving(ar.cause())
                      && leavingTries < LEAVING_TRIES
                      && deadline - System.currentTimeMillis() > delay) {
                    leavingTries++;
                    vertx.setTimer(
                        delay,
                        t -> {
                          if (mine == copy) {
                            again();
                          }
                        });
                  } else {
                    answer.tryFail(ar.cause());
                  }
                }
              });
    }

    /** Sends a new copy, unless answered or out of time. */
    void again() {
      if (!answer.future().isComplete() && deadline - System.currentTimeMillis() > 0) {
        copy++;
        send();
      }
    }
  }
}
