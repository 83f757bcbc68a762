package dev.sluice.data;

import dev.sluice.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The writes to the domain tables, as PostgreSQL announces them: every committed statement that changes a table
 * notifies channel {@value #CHANNEL} with the table's name (migration V4), whoever wrote it. One listening
 * connection per node (shared through {@link NodeShared}) that reconnects on its own; while it is down nobody
 * hears of changes, so listeners are told when it is back ({@link #onResubscribed}) and must assume anything
 * changed. Listeners run on an event-loop thread of the subscriber, not on the registering verticle's context.
 */
public final class Changes {

  private static final Logger LOG = LoggerFactory.getLogger(Changes.class);
  public static final String CHANNEL = "sluice_changes";
  static final String NAME = "changes";
  static final long CHECK_MS = 250;

  private final Vertx vertx;
  private final PgSubscriber subscriber;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> resubscribed = new CopyOnWriteArrayList<>();
  private final long timer;
  private volatile boolean listening;

  private Changes(Vertx vertx, PgSubscriber subscriber) {
    this.vertx = vertx;
    this.subscriber = subscriber;
    // the subscriber reconnects by itself without saying it lost its connection: look every CHECK_MS
    this.timer = vertx.setPeriodic(CHECK_MS, id -> {
      if (listening && subscriber.actualConnection() == null) {
        listening = false;
        LOG.warn("changes.disconnected channel={}: caches stop trusting their entries until it is back", CHANNEL);
      }
    });
  }

  /** The node's changes, connected and listening; give it back with {@link #release}. */
  public static Future<Changes> acquire(Vertx vertx, DatabaseConfig database) {
    return NodeShared.acquire(vertx, NAME, () -> listen(vertx, database), Changes::close);
  }

  public static Future<Void> release(Vertx vertx) {
    return NodeShared.release(vertx, NAME);
  }

  private static Future<Changes> listen(Vertx vertx, DatabaseConfig database) {
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, Database.connectOptions(database, 0))
      .reconnectPolicy(retries -> 500L);
    Changes changes = new Changes(vertx, subscriber);
    boolean[] first = {true};
    subscriber.channel(CHANNEL)
      .handler(changes::fire)
      .subscribeHandler(v -> {
        changes.listening = true;
        if (first[0]) {
          first[0] = false;
        } else {
          LOG.info("changes.resubscribed channel={}", CHANNEL);
          changes.resubscribed.forEach(Runnable::run);
        }
      });
    return subscriber.connect()
      .map(v -> {
        changes.listening = true;
        return changes;
      })
      .onFailure(err -> changes.close());
  }

  /** Calls {@code listener} with the table's name after each committed write to it; returns what unregisters it. */
  public Runnable onChange(Consumer<String> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Calls {@code listener} each time listening resumes after a lost connection (changes may have been missed). */
  public Runnable onResubscribed(Runnable listener) {
    resubscribed.add(listener);
    return () -> resubscribed.remove(listener);
  }

  /** Whether changes are being heard right now. */
  public boolean listening() {
    return listening && subscriber.actualConnection() != null;
  }

  private void fire(String table) {
    for (Consumer<String> listener : listeners) {
      try {
        listener.accept(table);
      } catch (RuntimeException e) {
        LOG.error("changes.listener-failed table={}", table, e);
      }
    }
  }

  private Future<Void> close() {
    vertx.cancelTimer(timer);
    listening = false;
    return subscriber.close();
  }
}
