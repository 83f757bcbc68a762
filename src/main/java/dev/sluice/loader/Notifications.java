package dev.sluice.loader;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Wakes following streams when PostgreSQL notifies a channel (LISTEN/NOTIFY, on a connection of its own that
 * reconnects after a failure). Listeners run on the loader's context and are told only "something new", never what:
 * each reads what is new itself.
 */
final class Notifications {

  private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);

  private final PgSubscriber subscriber;
  private final Set<Runnable> listeners = new LinkedHashSet<>();

  private Notifications(PgSubscriber subscriber) {
    this.subscriber = subscriber;
  }

  static Future<Notifications> listen(Vertx vertx, PgConnectOptions options, String channel) {
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
    Notifications notifications = new Notifications(subscriber);
    subscriber.channel(channel).handler(payload -> notifications.fire());
    subscriber.closeHandler(v -> LOG.warn("notifications.disconnected channel={}", channel));
    return subscriber.connect().map(notifications);
  }

  /** Adds a listener; returns what removes it. */
  Runnable register(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  private void fire() {
    for (Runnable listener : Set.copyOf(listeners)) {
      listener.run();
    }
  }

  Future<Void> close() {
    return subscriber.close();
  }
}
