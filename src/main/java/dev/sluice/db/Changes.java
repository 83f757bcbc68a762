package dev.sluice.db;

import dev.sluice.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes to the domain tables, as PostgreSQL announces them: every committed statement that
 * changes a table notifies channel {@value #CHANNEL} with the table's {@code schema.name}
 * (migrations V4 and V6), whoever wrote it. One listening connection per node ({@code
 * Node#changes}), made on the node's own context so that it outlives whichever verticle asked
 * first, and reconnects by itself.
 *
 * <p>While it is not heard from, nobody learns of changes: it sends itself a heartbeat notification
 * every {@value #HEARTBEAT_MS} ms, and a connection whose heartbeat does not come back (closed, or
 * half open) counts as not listening and is closed, so the subscriber connects again. Once it
 * listens again, {@link #onResubscribed} listeners are told first (they must assume anything
 * changed), then {@link #listening()} is true again. Listeners run on the subscriber's own event
 * loop, not on the registering verticle's context.
 */
public final class Changes {

  private static final Logger LOG = LoggerFactory.getLogger(Changes.class);
  public static final String CHANNEL = "sluice_changes";
  static final long HEARTBEAT_MS = 1_000;

  /**
   * A heartbeat not back after this long means the connection is gone, whatever the socket says.
   */
  static final long SILENCE_MS = 10 * HEARTBEAT_MS;

  /** Payloads starting with this are heartbeats, not table names. */
  static final String HEARTBEAT = "~";

  private final PgSubscriber subscriber;
  private final String token = HEARTBEAT + UUID.randomUUID();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
  private final List<Runnable> resubscribed = new CopyOnWriteArrayList<>();
  private volatile boolean listening;
  private volatile boolean closed;

  /**
   * The connection the channel was last subscribed on: a new one is not listening until it is
   * subscribed too.
   */
  private volatile PgConnection listenedOn;

  private volatile long lastHeartbeat = System.currentTimeMillis();
  private long timer = -1;
  private Vertx vertx;

  private Changes(PgSubscriber subscriber) {
    this.subscriber = subscriber;
  }

  /**
   * Connects and listens; completes once listening. Called on a context no verticle owns (the
   * node's): undeploying the verticle that asked first must not close the connection or its timer.
   */
  public static Future<Changes> listen(Vertx vertx, DatabaseConfig database) {
    Promise<Changes> ready = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            v -> {
              PgSubscriber subscriber =
                  PgSubscriber.subscriber(vertx, Database.connectOptions(database.listening(), 0))
                      .reconnectPolicy(retries -> 500L);
              Changes changes = new Changes(subscriber);
              changes.vertx = vertx;
              boolean[] first = {true};
              subscriber
                  .channel(CHANNEL)
                  .handler(changes::fire)
                  .subscribeHandler(
                      s -> {
                        if (changes.closed) {
                          // a reconnect that was already on its way when the last holder let go:
                          // nobody listens any more
                          PgConnection late = subscriber.actualConnection();
                          if (late != null) {
                            late.close();
                          }
                          return;
                        }
                        changes.lastHeartbeat = System.currentTimeMillis();
                        if (first[0]) {
                          first[0] = false;
                        } else {
                          LOG.info("changes.resubscribed channel={}", CHANNEL);
                          changes.resubscribed.forEach(Runnable::run);
                        }
                        changes.listenedOn = subscriber.actualConnection();
                        changes.listening = true;
                      });
              subscriber
                  .connect()
                  .onSuccess(
                      done -> {
                        changes.listenedOn = subscriber.actualConnection();
                        changes.listening = true;
                        changes.timer = vertx.setPeriodic(HEARTBEAT_MS, id -> changes.beat());
                        ready.complete(changes);
                      })
                  .onFailure(
                      err -> {
                        subscriber.close();
                        ready.fail(err);
                      });
            });
    return ready.future();
  }

  /** Sends the next heartbeat, after checking that the last ones came back. */
  private void beat() {
    PgConnection connection = subscriber.actualConnection();
    boolean silent = System.currentTimeMillis() - lastHeartbeat > SILENCE_MS;
    if (listening && connection == listenedOn && silent) {
      listening = false;
      LOG.warn(
          "changes.lost channel={} cause=no heartbeat for {} ms: caches stop answering until it is back",
          CHANNEL,
          SILENCE_MS);
      connection.close(); // a half-open connection: close it, so the subscriber connects again
      return;
    }
    if (connection != null && connection == listenedOn) {
      connection.query("NOTIFY " + CHANNEL + ", '" + token + "'").execute();
    }
  }

  /**
   * Calls {@code listener} with the table's name after each committed write to it; returns what
   * unregisters it.
   */
  public Runnable onChange(Consumer<String> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Calls {@code listener} each time listening resumes after a lost connection (changes may have
   * been missed).
   */
  public Runnable onResubscribed(Runnable listener) {
    resubscribed.add(listener);
    return () -> resubscribed.remove(listener);
  }

  /** Whether changes are being heard right now. */
  public boolean listening() {
    PgConnection connection = subscriber.actualConnection();
    return listening && connection != null && connection == listenedOn;
  }

  private void fire(String payload) {
    if (payload.startsWith(HEARTBEAT)) {
      if (payload.equals(token)) {
        lastHeartbeat = System.currentTimeMillis();
      }
      return;
    }
    for (Consumer<String> listener : listeners) {
      try {
        listener.accept(payload);
      } catch (RuntimeException e) {
        LOG.error("changes.listener-failed table={}", payload, e);
      }
    }
  }

  /** Stops listening and closes the connection. */
  public Future<Void> close() {
    closed = true;
    if (vertx != null) {
      vertx.cancelTimer(timer);
    }
    listening = false;
    return subscriber.close();
  }
}
