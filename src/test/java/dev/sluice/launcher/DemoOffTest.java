package dev.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import dev.sluice.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code demo.enabled} false ({@code SLUICE_DEMO=false}) Sluice serves a team's own database
 * and nothing else: it migrates nothing into it, deploys no demo loader, serves no demo route, and
 * reports healthy on its declared datasets alone.
 */
@EndToEnd
class DemoOffTest {

  @Test
  @DisplayName("a database of the team's own: served as declared, nothing written to it")
  void ownDatabaseOnly(@TempDir Path conf) throws Exception {
    Vertx vertx = Vertx.vertx();
    String url = TestDatabase.url();
    String database = "own_" + ProcessHandle.current().pid();
    Pool admin = TestDatabase.pool(vertx);
    try {
      Waits.statement(admin.query("DROP DATABASE IF EXISTS " + database).execute());
      Waits.statement(admin.query("CREATE DATABASE " + database).execute());
      PgConnectOptions options = PgConnectOptions.fromUri(url).setDatabase(database);
      Pool own = PgBuilder.pool().connectingTo(options).using(vertx).build();
      Waits.statement(
          own.query(
                  "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);"
                      + " INSERT INTO users (email) SELECT 'u' || g || '@example.com'"
                      + " FROM generate_series(1, 12) g")
              .execute());
      Files.writeString(
          conf.resolve("tables.json"),
          new JsonObject()
              .put(
                  "datasets",
                  new JsonObject()
                      .put("accounts", new JsonObject().put("relation", "public.users")))
              .encode());
      int port = TestDatabase.freePort();
      Map<String, String> env = new HashMap<>();
      env.put("SLUICE_CONF_DIR", conf.toString());
      env.put("SLUICE_HTTP_PORT", Integer.toString(port));
      env.put("SLUICE_HTTP_HOST", "127.0.0.1");
      env.put("SLUICE_CURSOR_SECRET", "demo-off-test");
      // the test server's URL, naming the new database
      env.put("SLUICE_DATABASE_URL", url.replaceFirst("/[^/?]*(\\?.*)?$", "/" + database + "$1"));
      env.put("SLUICE_DEMO", "false");
      Main.Runtime runtime = Main.boot(env);
      WebClient http = WebClient.create(vertx);
      try {
        JsonObject page =
            Waits.request(http.get(port, "127.0.0.1", "/api/v1/data/accounts?limit=5").send())
                .bodyAsJsonObject();
        assertEquals(5, page.getInteger("count"), page.encode());
        assertEquals(
            404,
            Waits.request(http.get(port, "127.0.0.1", "/api/v1/videos?limit=1").send())
                .statusCode(),
            "no demo route");
        assertEquals(
            200,
            Waits.request(http.get(port, "127.0.0.1", "/health/ready").send()).statusCode(),
            "ready on its declared datasets alone");
        JsonObject loaders =
            Waits.request(http.get(port, "127.0.0.1", "/api/v1/stats").send())
                .bodyAsJsonObject()
                .getJsonObject("loaders");
        assertEquals(java.util.Set.of("accounts"), loaders.fieldNames());
      } finally {
        runtime.close();
      }
      java.util.List<String> tables = new java.util.ArrayList<>();
      for (Row row :
          Waits.statement(
              own.query(
                      "SELECT relname::text FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                          + " AND relkind = 'r'")
                  .execute())) {
        tables.add(row.getString(0));
      }
      assertEquals(java.util.List.of("users"), tables, "nothing migrated into the database");
      assertFalse(tables.contains("schema_migrations"));
      Waits.lifecycle(own.close());
    } finally {
      Waits.statement(
          admin.query("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)").execute());
      Waits.lifecycle(vertx.close());
    }
  }
}
