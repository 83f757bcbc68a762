package dev.sluice;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.DatabaseConfig;
import dev.sluice.db.Database;
import dev.sluice.db.EmbeddedDatabase;
import dev.sluice.db.Migrations;
import dev.sluice.demo.Progress;
import dev.sluice.demo.SeedScale;
import dev.sluice.demo.Seeder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One real PostgreSQL for the whole test run: started on first use in {@code target/test-pg} (wiped
 * first), migrated, and seeded with the deterministic {@code tiny} scale. Tests read expectations
 * from it with SQL rather than hard-coding figures.
 */
public final class TestDatabase {

  private static EmbeddedDatabase database;

  private TestDatabase() {}

  public static synchronized String url() {
    if (database == null) {
      try {
        // one directory per test JVM, so two runs on one machine never share a server
        Path dir = Path.of("target", "test-pg-" + ProcessHandle.current().pid());
        deleteRecursively(dir);
        database = EmbeddedDatabase.start(dir, 0);
        Vertx vertx = Vertx.vertx();
        try {
          Pool pool =
              Database.pool(
                  vertx, DatabaseConfig.from(new JsonObject().put("url", database.url())), 0);
          Migrations.migrate(pool).timeout(2, TimeUnit.MINUTES).await();
          new Seeder(pool, Progress.none())
              .seed(SeedScale.TINY)
              .timeout(2, TimeUnit.MINUTES)
              .await();
          pool.close().timeout(2, TimeUnit.MINUTES).await();
        } finally {
          vertx.close().timeout(2, TimeUnit.MINUTES).await();
        }
        EmbeddedDatabase started = database;
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      try {
                        started.close();
                        deleteRecursively(dir);
                      } catch (Exception ignored) {
                        // the JVM is going away
                      }
                    }));
      } catch (Exception e) {
        throw new IllegalStateException("could not start the test database", e);
      }
    }
    return database.url();
  }

  /**
   * The service configuration the tests run with: the test database, a fixed cursor secret, a
   * random port.
   */
  public static JsonObject config() {
    JsonObject json =
        new JsonObject()
            .put("http", new JsonObject().put("port", freePort()).put("host", "127.0.0.1"))
            .put("database", new JsonObject().put("url", url()).put("pool_size", 4))
            .put("cursor", new JsonObject().put("secret", "test-secret-0123456789"))
            .put("admin", new JsonObject().put("token", "test-admin-token"));
    return ConfigLoader.withEnvironment(json, Map.of());
  }

  /**
   * A port free now, below Linux's ephemeral range (32768 and up): a port the kernel hands out for
   * "any port" (an outbound connection, an event bus bound to port 0 in another node) could be
   * taken again before a child process binds the one returned here, as a cluster test saw.
   */
  public static synchronized int freePort() {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      if (!PORTS_GIVEN.add(port)) {
        continue;
      }
      try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        return port;
      } catch (java.io.IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port in 20000-31999");
  }

  private static final java.util.Set<Integer> PORTS_GIVEN = new java.util.HashSet<>();

  /** A pool on the test database, for reading expectations and making changes. */
  /**
   * Runs {@code script} (statements separated by {@code ;}) on the test database, on a Vert.x of
   * its own: how a test class sets up the tables its configuration declares, before it boots.
   */
  public static void run(String script) {
    Vertx vertx = Vertx.vertx();
    try {
      dev.sluice.Waits.statement(pool(vertx).query(script).execute());
    } finally {
      dev.sluice.Waits.lifecycle(vertx.close());
    }
  }

  public static Pool pool(Vertx vertx) {
    return Database.pool(
        vertx, DatabaseConfig.from(new JsonObject().put("url", url()).put("pool_size", 2)), 0);
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (var paths = java.nio.file.Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }
}
