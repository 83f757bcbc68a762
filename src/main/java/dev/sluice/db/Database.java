package dev.sluice.db;

import dev.sluice.config.DatabaseConfig;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.Map;

/** Builds pools for the one database the process was pointed at (embedded or external). */
public final class Database {

  private Database() {}

  /**
   * The connect options of the database: the external URL when configured, else the embedded
   * server, which the launcher has started and recorded in the configuration as {@code
   * database.url} before any verticle runs.
   *
   * @param statementTimeoutMs PostgreSQL cancels a statement that runs longer (0: never)
   */
  public static PgConnectOptions connectOptions(DatabaseConfig config, long statementTimeoutMs) {
    if (config.url() == null) {
      throw new IllegalStateException(
          "database.url is not set: the launcher starts the embedded database first");
    }
    PgConnectOptions options = PgConnectOptions.fromUri(config.url());
    Map<String, String> properties = new java.util.HashMap<>(options.getProperties());
    properties.put("application_name", "sluice");
    properties.put("TimeZone", "UTC");
    if (statementTimeoutMs > 0) {
      properties.put("statement_timeout", Long.toString(statementTimeoutMs));
    }
    options.setProperties(properties);
    options.setCachePreparedStatements(true);
    options.setPreparedStatementCacheMaxSize(256);
    options.setReconnectAttempts(0);
    return options;
  }

  public static Pool pool(Vertx vertx, DatabaseConfig config, long statementTimeoutMs) {
    return pool(vertx, config, statementTimeoutMs, null);
  }

  /**
   * A pool; with a {@code shared} name, the one pool of that name on {@code vertx} (Vert.x's shared
   * pools: the first caller opens it, each caller holds a lease, the last close closes it), so that
   * any number of callers hold {@code config.poolSize()} connections between them.
   */
  public static Pool pool(
      Vertx vertx, DatabaseConfig config, long statementTimeoutMs, String shared) {
    // a loader's wait for a connection outlasts the deadline of its load (timeout + 1 s), so that a
    // stalled database
    // ends the load as the breaker's typed timeout (a 504) and never as the pool's untyped one
    int connectionTimeoutSeconds =
        statementTimeoutMs > 0 ? (int) (statementTimeoutMs / 1000) + 3 : 10;
    PoolOptions poolOptions =
        new PoolOptions()
            .setMaxSize(config.poolSize())
            .setMaxWaitQueueSize(config.maxWaitQueue())
            .setConnectionTimeout(connectionTimeoutSeconds)
            .setIdleTimeout(300);
    if (shared != null) {
      poolOptions.setShared(true).setName(shared);
    }
    return PgBuilder.pool()
        .with(poolOptions)
        .connectingTo(connectOptions(config, statementTimeoutMs))
        .using(vertx)
        .build();
  }
}
