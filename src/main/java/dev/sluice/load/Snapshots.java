package dev.sluice.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots exported for the ranges of one listing read as several streams ({@code
 * SluiceClient.processBatches}), so that every range reads the listing as it was at one moment and
 * a row moved between ranges meanwhile is still read exactly once. A snapshot lives as long as the
 * transaction that exported it: it is held open until as many streams as it was exported for have
 * imported it here, or {@code holdMs} at most (a range opened on another node never says it did).
 * Used from the loader's context only.
 */
final class Snapshots {

  private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);

  /**
   * What {@code pg_export_snapshot()} returns: hexadecimal virtual transaction id, a dash, a
   * sequence number.
   */
  private record Held(SqlConnection connection, Transaction transaction, long timer, int[] uses) {}

  private final Vertx vertx;
  private final Pool pool;
  private final long holdMs;
  private final Map<String, Held> held = new HashMap<>();

  Snapshots(Vertx vertx, Pool pool, long holdMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.holdMs = holdMs;
  }

  /**
   * Exports a snapshot for {@code uses} streams to import, held until they have (or {@code
   * holdMs}).
   */
  Future<String> export(int uses) {
    return pool.getConnection()
        .compose(
            connection ->
                connection
                    .begin()
                    .compose(
                        tx ->
                            connection
                                .query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                                .execute()
                                .compose(
                                    v -> connection.query("SELECT pg_export_snapshot()").execute())
                                .map(
                                    rows -> {
                                      String id = rows.iterator().next().getString(0);
                                      long timer = vertx.setTimer(holdMs, t -> release(id));
                                      held.put(
                                          id, new Held(connection, tx, timer, new int[] {uses}));
                                      return id;
                                    }))
                    .onFailure(err -> connection.close()));
  }

  /** A stream has imported {@code id}: the last one lets the exporting transaction end. */
  void imported(String id) {
    Held snapshot = held.get(id);
    if (snapshot != null && --snapshot.uses()[0] <= 0) {
      release(id);
    }
  }

  /** Ends every exporting transaction (the loader is stopping). */
  void close() {
    for (String id : Map.copyOf(held).keySet()) {
      release(id);
    }
  }

  private void release(String id) {
    Held snapshot = held.remove(id);
    if (snapshot == null) {
      return;
    }
    vertx.cancelTimer(snapshot.timer());
    snapshot
        .transaction()
        .commit()
        .onFailure(err -> LOG.warn("snapshot.release-failed id={} cause={}", id, err.getMessage()))
        .eventually(() -> snapshot.connection().close());
  }
}
