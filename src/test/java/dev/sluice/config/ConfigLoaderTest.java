package dev.sluice.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Configuration: defaults in the records, files, then environment variables")
class ConfigLoaderTest {

  @Test
  @DisplayName("with nothing configured every value has its documented default")
  void defaults() {
    SluiceConfig config =
        SluiceConfig.from(ConfigLoader.withEnvironment(new JsonObject(), Map.of()));
    assertEquals(8080, config.http().port());
    assertEquals("0.0.0.0", config.http().host());
    assertTrue(config.database().embedded());
    assertEquals("./data", config.database().dataDir());
    assertEquals("small", config.database().seedScale());
    assertEquals(100, config.limits().maxPageSize());
    assertEquals(1000, config.limits().maxLimit());
    assertEquals(31, config.limits().maxWindowDays());
    assertEquals(86_400, config.cursor().ttlSeconds());
    assertNotNull(config.cursor().secret(), "a random secret when none is configured");
    assertNull(config.adminToken());
    assertEquals(30, config.lazy().timeoutSeconds());
  }

  @Test
  @DisplayName("the operator's environment variables override the files")
  void environmentWins() {
    JsonObject files =
        new JsonObject()
            .put("http", new JsonObject().put("port", 9000).put("idle_timeout_seconds", 5));
    SluiceConfig config =
        SluiceConfig.from(
            ConfigLoader.withEnvironment(
                files,
                Map.of(
                    "SLUICE_HTTP_PORT", "9100",
                    "SLUICE_HTTP_HOST", "127.0.0.1",
                    "SLUICE_DATABASE_URL", "postgresql://u:p@db:5432/sluice",
                    "SLUICE_DATA_DIR", "/var/lib/sluice",
                    "SLUICE_SEED_SCALE", "none",
                    "SLUICE_ADMIN_TOKEN", "t0ken",
                    "SLUICE_CURSOR_SECRET", "s3cret")));
    assertEquals(9100, config.http().port());
    assertEquals(
        5,
        config.http().idleTimeoutSeconds(),
        "keys the environment does not name stay as the files say");
    assertEquals("127.0.0.1", config.http().host());
    assertEquals("postgresql://u:p@db:5432/sluice", config.database().url());
    assertEquals("/var/lib/sluice", config.database().dataDir());
    assertEquals("none", config.database().seedScale());
    assertEquals("t0ken", config.adminToken());
    assertEquals("s3cret", config.cursor().secret());
  }

  @Test
  @DisplayName("a malformed variable stops the start with its name")
  void malformedVariable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConfigLoader.withEnvironment(
                    new JsonObject(), Map.of("SLUICE_HTTP_PORT", "eighty")));
    assertTrue(e.getMessage().contains("SLUICE_HTTP_PORT"));
  }

  @Test
  @DisplayName(
      "row_encoding moved from streaming to lazy_loading: the old key is refused, naming the new one")
  void movedRowEncoding() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SluiceConfig.from(
                    new JsonObject()
                        .put("streaming", new JsonObject().put("row_encoding", "postgres"))));
    assertEquals(true, e.getMessage().contains("lazy_loading.row_encoding"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SluiceConfig.from(
                new JsonObject()
                    .put("lazy_loading", new JsonObject().put("row_encoding", "both"))));
    assertEquals(
        RowEncoding.POSTGRES,
        SluiceConfig.from(
                new JsonObject()
                    .put("lazy_loading", new JsonObject().put("row_encoding", "postgres")))
            .lazy()
            .rowEncoding());
  }

  @Test
  @DisplayName("conf/sluice.json spells out exactly the defaults of the records")
  void shippedFileMatchesDefaults() throws Exception {
    JsonObject shipped =
        new JsonObject(
            java.nio.file.Files.readString(java.nio.file.Path.of("conf", "sluice.json")));
    Map<String, String> env = Map.of("SLUICE_CURSOR_SECRET", "x");
    SluiceConfig fromFile = SluiceConfig.from(ConfigLoader.withEnvironment(shipped, env));
    SluiceConfig fromDefaults =
        SluiceConfig.from(ConfigLoader.withEnvironment(new JsonObject(), env));
    assertEquals(fromDefaults.http(), fromFile.http());
    assertEquals(fromDefaults.database(), fromFile.database());
    assertEquals(fromDefaults.lazy(), fromFile.lazy());
    assertEquals(fromDefaults.limits(), fromFile.limits());
    assertEquals(fromDefaults.streaming(), fromFile.streaming());
    assertEquals(fromDefaults.cursor(), fromFile.cursor());
    assertEquals(fromDefaults.dataTypes(), fromFile.dataTypes());
    assertEquals(fromDefaults.cacheMaxMb(), fromFile.cacheMaxMb());
    assertEquals(fromDefaults.monitor(), fromFile.monitor());
    assertEquals(fromDefaults.items(), fromFile.items());
    assertEquals(fromDefaults.resilience(), fromFile.resilience());
    assertEquals(fromDefaults.cluster(), fromFile.cluster());
  }

  @Test
  @DisplayName(
      "each data family has the seed's cache policy, and a file may change one key of one family")
  void dataTypePolicies() {
    SluiceConfig defaults =
        SluiceConfig.from(ConfigLoader.withEnvironment(new JsonObject(), Map.of()));
    assertEquals(new DataTypePolicy(20, 1_800, 1_000, true), defaults.policy("videos"));
    assertEquals(new DataTypePolicy(50, 3_600, 500, false), defaults.policy("users"));
    assertEquals(new DataTypePolicy(50, 300, 2_000, true), defaults.policy("analytics"));
    assertEquals(new DataTypePolicy(20, 86_400, 200, false), defaults.policy("templates"));
    assertEquals(60, defaults.policy("search").ttlSeconds());
    JsonObject files =
        new JsonObject()
            .put(
                "data_types",
                new JsonObject().put("users", new JsonObject().put("ttl_seconds", 5)));
    SluiceConfig changed = SluiceConfig.from(ConfigLoader.withEnvironment(files, Map.of()));
    assertEquals(new DataTypePolicy(50, 5, 500, false), changed.policy("users"));
    assertEquals(defaults.policy("videos"), changed.policy("videos"));
  }

  @Test
  @DisplayName("the memory limit defaults to the JVM's max heap and the cache to a quarter of it")
  void memoryDefaults() {
    SluiceConfig defaults =
        SluiceConfig.from(ConfigLoader.withEnvironment(new JsonObject(), Map.of()));
    assertEquals(Runtime.getRuntime().maxMemory(), defaults.memoryLimitBytes());
    assertEquals(Runtime.getRuntime().maxMemory() / 4, defaults.cacheMaxBytes());
    SluiceConfig set =
        SluiceConfig.from(
            ConfigLoader.withEnvironment(
                new JsonObject()
                    .put("lazy_loading", new JsonObject().put("memory_limit_mb", 400))
                    .put("cache", new JsonObject().put("max_mb", 64)),
                Map.of()));
    assertEquals(400L << 20, set.memoryLimitBytes());
    assertEquals(64L << 20, set.cacheMaxBytes());
  }

  @Test
  @DisplayName(
      "the files of conf/ merge in name order, section by section; an empty one is skipped, a broken one named")
  void files(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("a.json"),
        "{\"http\": {\"port\": 1, \"host\": \"h\"}, \"datasets\": {\"one\": {}}}");
    java.nio.file.Files.writeString(dir.resolve("b.json"), "{\"http\": {\"port\": 2}}");
    java.nio.file.Files.writeString(
        dir.resolve("c.json"), ""); // as `discover > conf/c.json` makes it
    java.nio.file.Files.createDirectories(dir.resolve("more"));
    java.nio.file.Files.writeString(
        dir.resolve("more/d.JSON"), "{\"datasets\": {\"two\": {\"relation\": \"t\"}}}");
    JsonObject json = ConfigLoader.load(Map.of(ConfigLoader.CONF_DIR_VARIABLE, dir.toString()));
    assertEquals(2, json.getJsonObject("http").getInteger("port"), "b.json over a.json");
    assertEquals("h", json.getJsonObject("http").getString("host"), "a.json's other keys kept");
    SluiceConfig settings = SluiceConfig.from(json);
    assertEquals(dir.resolve("a.json").toString(), settings.datasetSources().get("one"));
    assertEquals(dir.resolve("more/d.JSON").toString(), settings.datasetSources().get("two"));
    java.nio.file.Files.writeString(dir.resolve("e.json"), "{\"http\": ");
    Exception broken =
        assertThrows(
            Exception.class,
            () -> ConfigLoader.load(Map.of(ConfigLoader.CONF_DIR_VARIABLE, dir.toString())));
    assertTrue(broken.getMessage().contains("e.json"), broken.getMessage());
  }

  @Test
  @DisplayName(
      "an auth section (contract section 9, not served yet) stops the start, naming its file")
  void authRefused(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Files.writeString(
        dir.resolve("auth.json"), "{\"auth\": {\"jwt_secret\": \"s\"}}");
    Exception refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConfigLoader.load(Map.of(ConfigLoader.CONF_DIR_VARIABLE, dir.toString())));
    assertTrue(refused.getMessage().contains("auth.json"), refused.getMessage());
    assertTrue(refused.getMessage().contains("section 9"), refused.getMessage());
  }
}
