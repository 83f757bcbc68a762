package dev.sluice.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.sluice.EndToEnd;
import dev.sluice.LogCapture;
import dev.sluice.TestDatabase;
import dev.sluice.config.DatabaseConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName("Migrations apply once, in order, from any number of nodes at once")
class MigrationsTest {

  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    TestDatabase.url();
  }

  @AfterAll
  static void stop() {
    vertx.close().timeout(2, TimeUnit.MINUTES).await();
  }

  @Test
  @DisplayName(
      "starting again, from four nodes together, applies nothing twice and keeps one row per migration")
  void concurrentAndRepeated() {
    List<Pool> pools = new ArrayList<>();
    List<Future<Integer>> runs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Pool pool = TestDatabase.pool(vertx);
      pools.add(pool);
      runs.add(Migrations.migrate(pool));
    }
    Future.all(runs).timeout(2, TimeUnit.MINUTES).await();
    for (Future<Integer> run : runs) {
      assertEquals(0, run.result(), "the test database is migrated already: nothing left to apply");
    }
    Pool pool = pools.get(0);
    assertEquals(
        (long) Migrations.FILES.size(),
        pool.query("SELECT count(*) FROM schema_migrations")
            .execute()
            .timeout(2, TimeUnit.MINUTES)
            .await()
            .iterator()
            .next()
            .getLong(0));
    pools.forEach(p -> p.close().timeout(2, TimeUnit.MINUTES).await());
  }

  @Test
  @DisplayName("on an empty database concurrent starts apply every migration exactly once")
  void freshDatabaseConcurrently() {
    Pool admin = TestDatabase.pool(vertx);
    admin
        .query("DROP DATABASE IF EXISTS migrations_test")
        .execute()
        .timeout(2, TimeUnit.MINUTES)
        .await();
    admin.query("CREATE DATABASE migrations_test").execute().timeout(2, TimeUnit.MINUTES).await();
    admin.close().timeout(2, TimeUnit.MINUTES).await();
    String url = TestDatabase.url().replace("/sluice", "/migrations_test");
    List<Pool> pools = new ArrayList<>();
    List<Future<Integer>> runs = new ArrayList<>();
    try (LogCapture log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
      for (int i = 0; i < 3; i++) {
        Pool pool =
            Database.pool(
                vertx, DatabaseConfig.from(new io.vertx.core.json.JsonObject().put("url", url)), 0);
        pools.add(pool);
        runs.add(Migrations.migrate(pool));
      }
      Future.all(runs).timeout(2, TimeUnit.MINUTES).await();
      // V5 creates pg_trgm again (IF NOT EXISTS): PostgreSQL's notice is information, logged as
      // such
      assertEquals(
          List.of(),
          log.lines().stream().filter(line -> line.level().isGreaterOrEqual(Level.WARN)).toList(),
          "a migration logs no warning");
      assertTrue(
          log.lines().stream()
              .anyMatch(
                  line ->
                      line.level() == Level.INFO
                          && line.message().startsWith("migrations.notice")
                          && line.message().contains("pg_trgm")),
          () -> log.lines().toString());
    }
    int applied = runs.stream().mapToInt(Future::result).sum();
    assertEquals(Migrations.FILES.size(), applied, "each migration applied by exactly one node");
    assertEquals(
        0L,
        pools
            .get(0)
            .query("SELECT count(*) FROM videos")
            .execute()
            .timeout(2, TimeUnit.MINUTES)
            .await()
            .iterator()
            .next()
            .getLong(0));
    pools.forEach(p -> p.close().timeout(2, TimeUnit.MINUTES).await());
  }

  @Test
  @DisplayName(
      "a connection that would create the demo's tables outside public stops them before anything"
          + " is created, saying why")
  void outsidePublic() {
    String database = "migrate_elsewhere";
    Pool admin = TestDatabase.pool(vertx);
    try {
      admin
          .query("DROP DATABASE IF EXISTS " + database)
          .execute()
          .timeout(1, TimeUnit.MINUTES)
          .await();
      admin.query("CREATE DATABASE " + database).execute().timeout(1, TimeUnit.MINUTES).await();
    } finally {
      admin.close().timeout(1, TimeUnit.MINUTES).await();
    }
    String url = TestDatabase.url().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    Pool setup =
        Database.pool(
            vertx, DatabaseConfig.from(new io.vertx.core.json.JsonObject().put("url", url)), 0);
    setup
        .query(
            "CREATE SCHEMA elsewhere; ALTER DATABASE "
                + database
                + " SET search_path = elsewhere, public")
        .execute()
        .timeout(1, TimeUnit.MINUTES)
        .await();
    setup.close().timeout(1, TimeUnit.MINUTES).await();
    Pool pool =
        Database.pool(
            vertx, DatabaseConfig.from(new io.vertx.core.json.JsonObject().put("url", url)), 0);
    try {
      Throwable failure =
          Migrations.migrate(pool)
              .map(applied -> (Throwable) null)
              .otherwise(e -> e)
              .timeout(1, TimeUnit.MINUTES)
              .await();
      assertTrue(failure != null, "migrated into schema elsewhere");
      assertTrue(
          failure.getMessage().contains("schema elsewhere")
              && failure.getMessage().contains("public.<table>"),
          failure.getMessage());
      assertEquals(
          0L,
          pool.query(
                  "SELECT count(*) FROM pg_class WHERE relname IN ('videos', 'schema_migrations')")
              .execute()
              .timeout(1, TimeUnit.MINUTES)
              .await()
              .iterator()
              .next()
              .getLong(0),
          "nothing created");
    } finally {
      pool.close().timeout(1, TimeUnit.MINUTES).await();
    }
  }
}
