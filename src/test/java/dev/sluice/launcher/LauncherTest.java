package dev.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import dev.sluice.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName("The service starts on its defaults and keeps its data")
class LauncherTest {

  static int freePort() {
    return dev.sluice.TestDatabase.freePort();
  }

  static Map<String, String> environment(int port) {
    Map<String, String> env = new HashMap<>();
    env.put("SLUICE_CONF_DIR", "conf");
    env.put("SLUICE_HTTP_PORT", Integer.toString(port));
    env.put("SLUICE_HTTP_HOST", "127.0.0.1");
    env.put("SLUICE_CURSOR_SECRET", "launcher-test");
    return env;
  }

  static JsonObject get(int port, String path) {
    Vertx vertx = Vertx.vertx();
    try {
      HttpResponse<Buffer> response =
          Waits.request(WebClient.create(vertx).get(port, "127.0.0.1", path).send());
      assertEquals(200, response.statusCode(), response::bodyAsString);
      return response.bodyAsJsonObject();
    } finally {
      Waits.lifecycle(vertx.close());
    }
  }

  @Test
  @DisplayName(
      "a first start on an empty directory runs an embedded PostgreSQL, seeds it, and a restart keeps it")
  void embeddedFirstStartAndRestart() throws Exception {
    int port = freePort();
    Map<String, String> env = environment(port);
    env.put(
        "SLUICE_DATA_DIR",
        Path.of("target", "launcher-pg-" + ProcessHandle.current().pid()).toString());
    env.put("SLUICE_SEED_SCALE", "tiny");

    Main.Runtime first = Main.boot(env);
    String marker = "11111111-2222-3333-4444-555555555555";
    try {
      assertTrue(first.embedded() != null, "no database configured means embedded");
      assertEquals(50, get(port, "/api/v1/videos").getInteger("count"), "seeded at first start");
      Pool pool = first.pool();
      Waits.statement(
          pool.query(
                  "INSERT INTO users (id, username, email, display_name, role, created_at) VALUES ('"
                      + marker
                      + "', 'marker', 'marker@example.com', 'Marker', 'viewer', now() + interval '1 day')")
              .execute());
      Waits.lifecycle(pool.close());
    } finally {
      first.close();
    }

    Main.Runtime second = Main.boot(env);
    try {
      JsonObject users = get(port, "/api/v1/users?limit=1");
      assertEquals(
          marker,
          users.getJsonArray("data").getJsonObject(0).getString("id"),
          "the data directory survived the restart and was not seeded again");
    } finally {
      second.close();
    }
  }

  @Test
  @DisplayName("with SLUICE_DATABASE_URL it uses that PostgreSQL and seeds nothing")
  void externalDatabase() throws Exception {
    int port = freePort();
    Map<String, String> env = environment(port);
    env.put("SLUICE_DATABASE_URL", TestDatabase.url());
    Main.Runtime runtime = Main.boot(env);
    try {
      assertEquals(null, runtime.embedded());
      assertEquals(3, get(port, "/api/v1/videos?limit=3").getInteger("count"));
    } finally {
      runtime.close();
    }
  }

  @Test
  @DisplayName("seeding refuses to wipe an external database that holds data unless forced")
  void seedRefusesExternalData() {
    Map<String, String> env = environment(0);
    env.put("SLUICE_DATABASE_URL", TestDatabase.url());
    Main.UsageException refused =
        assertThrows(Main.UsageException.class, () -> Main.seed(env, "tiny", false));
    assertTrue(refused.getMessage().contains("--force"));
    assertThrows(Main.UsageException.class, () -> Main.seed(env, "enormous", true));
  }
}
