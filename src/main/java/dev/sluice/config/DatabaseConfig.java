package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * The database Sluice talks to. Section {@code database}.
 *
 * @param url an external PostgreSQL ({@code postgresql://user:pass@host:port/db}); null means
 *     embedded
 * @param dataDir where the embedded PostgreSQL keeps its data across restarts
 * @param embeddedPort the embedded server's port; 0 picks a free one
 * @param seedScale demo data seeded into an empty embedded database at first start ({@code none}
 *     skips)
 * @param poolSize connections in the pool of each verticle instance
 * @param maxWaitQueue requests that may wait for a connection before the pool refuses at once
 * @param listenUrl where to listen for the change notifications when {@code url} cannot: a read
 *     replica (a hot standby refuses {@code LISTEN}) names its primary here; null means {@code url}
 */
public record DatabaseConfig(
    String url,
    String dataDir,
    int embeddedPort,
    String seedScale,
    int poolSize,
    int maxWaitQueue,
    String listenUrl) {

  /** The same database for another pool: its URL, its size and wait queue. */
  public DatabaseConfig(String url, int poolSize, int maxWaitQueue) {
    this(url, null, 0, null, poolSize, maxWaitQueue, null);
  }

  /** Where the change notifications are heard: {@code listen_url}, else the database itself. */
  public DatabaseConfig listening() {
    return listenUrl == null ? this : new DatabaseConfig(listenUrl, 1, 0);
  }

  static final String URL = "url";
  static final String DATA_DIR = "data_dir";
  static final String EMBEDDED_PORT = "embedded_port";
  static final String SEED_SCALE = "seed_scale";
  static final String POOL_SIZE = "pool_size";
  static final String MAX_WAIT_QUEUE = "max_wait_queue";
  static final String LISTEN_URL = "listen_url";

  public static DatabaseConfig from(JsonObject json) {
    String url = json.getString(URL);
    return new DatabaseConfig(
        url == null || url.isBlank() ? null : url,
        json.getString(DATA_DIR, "./data"),
        json.getInteger(EMBEDDED_PORT, 0),
        json.getString(SEED_SCALE, "small"),
        json.getInteger(POOL_SIZE, 8),
        json.getInteger(MAX_WAIT_QUEUE, 256),
        blankToNull(json.getString(LISTEN_URL)));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  public boolean embedded() {
    return url == null;
  }
}
