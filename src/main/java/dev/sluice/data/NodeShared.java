package dev.sluice.data;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One instance of a resource per Vert.x node, shared by every verticle on it through Vert.x shared data: the first
 * verticle to {@link #acquire} it creates it, the others get the same one, and it is closed when the last releases
 * it. What holds the node cache and the node's database notifications.
 */
public final class NodeShared<T> implements Shareable {

  static final String MAP = "sluice.node";

  private Future<T> instance;
  private int users;
  private Function<T, Future<Void>> closer;

  private NodeShared() {
  }

  /**
   * The node's {@code name}, created by {@code create} if no verticle holds it now. The future completes on the
   * caller's context, whichever thread made the resource: what the caller does next (register a consumer, start a
   * server) belongs to its own deployment and event loop.
   */
  @SuppressWarnings("unchecked")
  public static <T> Future<T> acquire(Vertx vertx, String name, Supplier<Future<T>> create,
                                      Function<T, Future<Void>> close) {
    LocalMap<String, NodeShared<?>> map = vertx.sharedData().getLocalMap(MAP);
    NodeShared<T> holder = (NodeShared<T>) map.computeIfAbsent(name, n -> new NodeShared<>());
    Promise<T> onCaller = ((ContextInternal) vertx.getOrCreateContext()).promise();
    holder.take((VertxInternal) vertx, create, close).onComplete(onCaller);
    return onCaller.future();
  }

  /** Gives the node's {@code name} back; the last user closes it. */
  public static Future<Void> release(Vertx vertx, String name) {
    LocalMap<String, NodeShared<?>> map = vertx.sharedData().getLocalMap(MAP);
    NodeShared<?> holder = map.get(name);
    return holder == null ? Future.succeededFuture() : holder.give();
  }

  /** The node's {@code name} if it is held and ready, else null; never creates it. */
  @SuppressWarnings("unchecked")
  public static <T> T current(Vertx vertx, String name) {
    LocalMap<String, NodeShared<?>> map = vertx.sharedData().getLocalMap(MAP);
    NodeShared<T> holder = (NodeShared<T>) map.get(name);
    return holder == null ? null : holder.ready();
  }

  private synchronized Future<T> take(VertxInternal vertx, Supplier<Future<T>> create,
                                      Function<T, Future<Void>> close) {
    users++;
    if (instance == null || instance.failed()) {
      closer = close;
      // made on a context of its own, so that the resource belongs to no verticle (the first to ask may go first)
      ContextInternal own = vertx.createEventLoopContext();
      Promise<T> made = own.promise();
      own.runOnContext(v -> {
        try {
          create.get().onComplete(made);
        } catch (RuntimeException e) {
          made.fail(e);
        }
      });
      instance = made.future();
    }
    return instance.recover(err -> {
      synchronized (this) {
        users--;
      }
      return Future.failedFuture(err);
    });
  }

  private synchronized Future<Void> give() {
    if (users == 0) {
      return Future.succeededFuture();
    }
    users--;
    if (users > 0 || instance == null) {
      return Future.succeededFuture();
    }
    Future<T> closing = instance;
    instance = null;
    return closing.compose(closer, err -> Future.succeededFuture());
  }

  private synchronized T ready() {
    return instance != null && instance.succeeded() ? instance.result() : null;
  }
}
