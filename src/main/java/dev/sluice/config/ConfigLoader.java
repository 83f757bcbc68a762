package dev.sluice.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration once: every {@code *.json} of the {@code conf/} directory (sorted,
 * deep-merged), then the environment variables of {@link #ENVIRONMENT}, which win. The result is
 * plain JSON so that it can travel to verticles as their config; {@link
 * SluiceConfig#from(JsonObject)} types it.
 */
public final class ConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /** Where the configuration directory is, if not {@code ./conf}. */
  public static final String CONF_DIR_VARIABLE = "SLUICE_CONF_DIR";

  /** The environment variables an operator may set, and the key each overrides. */
  public static final List<EnvKey> ENVIRONMENT =
      List.of(
          new EnvKey("SLUICE_HTTP_PORT", SluiceConfig.HTTP, HttpConfig.PORT, Integer::valueOf),
          new EnvKey("SLUICE_HTTP_HOST", SluiceConfig.HTTP, HttpConfig.HOST, s -> s),
          new EnvKey("SLUICE_DATABASE_URL", SluiceConfig.DATABASE, DatabaseConfig.URL, s -> s),
          new EnvKey(
              "SLUICE_DATABASE_LISTEN_URL",
              SluiceConfig.DATABASE,
              DatabaseConfig.LISTEN_URL,
              s -> s),
          new EnvKey("SLUICE_DATA_DIR", SluiceConfig.DATABASE, DatabaseConfig.DATA_DIR, s -> s),
          new EnvKey("SLUICE_SEED_SCALE", SluiceConfig.DATABASE, DatabaseConfig.SEED_SCALE, s -> s),
          new EnvKey("SLUICE_ADMIN_TOKEN", SluiceConfig.ADMIN, "token", s -> s),
          new EnvKey("SLUICE_CURSOR_SECRET", SluiceConfig.CURSOR, "secret", s -> s),
          new EnvKey("SLUICE_CLUSTER", SluiceConfig.CLUSTER, "enabled", ConfigLoader::bool),
          new EnvKey("SLUICE_CLUSTER_NAME", SluiceConfig.CLUSTER, "name", s -> s),
          new EnvKey("SLUICE_CLUSTER_HOST", SluiceConfig.CLUSTER, "host", s -> s),
          new EnvKey("SLUICE_CLUSTER_PORT", SluiceConfig.CLUSTER, "port", Integer::valueOf),
          new EnvKey("SLUICE_CLUSTER_BUS_PORT", SluiceConfig.CLUSTER, "bus_port", Integer::valueOf),
          new EnvKey(
              "SLUICE_CLUSTER_MEMBERS",
              SluiceConfig.CLUSTER,
              "members",
              s ->
                  new io.vertx.core.json.JsonArray(
                      java.util.Arrays.stream(s.split(","))
                          .map(String::trim)
                          .filter(m -> !m.isEmpty())
                          .toList())),
          new EnvKey("SLUICE_ROLE", SluiceConfig.CLUSTER, "role", s -> s),
          new EnvKey(
              "SLUICE_HOSTS_DATABASE", SluiceConfig.CLUSTER, "hosts_database", ConfigLoader::bool));

  private static Boolean bool(String value) {
    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("not true or false");
    }
    return Boolean.parseBoolean(value);
  }

  public record EnvKey(
      String variable, String section, String key, Function<String, Object> parse) {}

  private ConfigLoader() {}

  public static Future<JsonObject> load(Vertx vertx) {
    return load(vertx, System.getenv());
  }

  public static Future<JsonObject> load(Vertx vertx, Map<String, String> environment) {
    Path dir = Path.of(environment.getOrDefault(CONF_DIR_VARIABLE, "conf"));
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(-1);
    if (Files.isDirectory(dir)) {
      options.addStore(
          new ConfigStoreOptions()
              .setType("directory")
              .setConfig(
                  new JsonObject()
                      .put("path", dir.toString())
                      .put(
                          "filesets",
                          new JsonArray().add(new JsonObject().put("pattern", "*.json")))));
    } else {
      LOG.info("config.dir.missing dir={} using built-in defaults", dir.toAbsolutePath());
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever
        .getConfig()
        .eventually(retriever::close)
        .map(
            json ->
                withEnvironment(json.put(SluiceConfig.DATASET_SOURCES, sources(dir)), environment));
  }

  /**
   * The file each declared dataset comes from (the last one, in the order files merge), so that an
   * error in a declaration names its file.
   */
  static JsonObject sources(Path dir) {
    JsonObject sources = new JsonObject();
    if (!Files.isDirectory(dir)) {
      return sources;
    }
    // as the directory store reads them: every file under it whose name ends in .json, in any case
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      for (Path file :
          files
              .filter(Files::isRegularFile)
              .filter(
                  f ->
                      f.getFileName()
                          .toString()
                          .toLowerCase(java.util.Locale.ROOT)
                          .endsWith(".json"))
              .sorted()
              .toList()) {
        try {
          JsonObject json = new JsonObject(Files.readString(file));
          if (json.getValue(SluiceConfig.DATASETS) instanceof JsonObject datasets) {
            datasets.fieldNames().forEach(name -> sources.put(name, file.toString()));
          }
        } catch (RuntimeException | java.io.IOException e) {
          // the retriever has read it already, or said why not
        }
      }
    } catch (java.io.IOException e) {
      LOG.warn("config.dir.unreadable dir={}", dir, e);
    }
    return sources;
  }

  /** Applies the environment overrides and fills in what must be decided once per process. */
  public static JsonObject withEnvironment(JsonObject json, Map<String, String> environment) {
    JsonObject result = json.copy();
    for (EnvKey env : ENVIRONMENT) {
      String value = environment.get(env.variable());
      if (value == null || value.isEmpty()) {
        continue;
      }
      Object parsed;
      try {
        parsed = env.parse().apply(value);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(env.variable() + " is not valid: " + value, e);
      }
      JsonObject section = result.getJsonObject(env.section());
      if (section == null) {
        section = new JsonObject();
        result.put(env.section(), section);
      }
      section.put(env.key(), parsed);
    }
    JsonObject cursor = result.getJsonObject(SluiceConfig.CURSOR, new JsonObject());
    String secret = cursor.getString("secret");
    boolean clustered =
        result.getJsonObject(SluiceConfig.CLUSTER, new JsonObject()).getBoolean("enabled", false);
    if (clustered && (secret == null || secret.isEmpty())) {
      throw new IllegalArgumentException(
          "A clustered node needs cursor.secret (SLUICE_CURSOR_SECRET), the same on "
              + "every node: a random key per process would make every other node's cursors invalid");
    }
    if (secret == null || secret.isEmpty()) {
      LOG.warn(
          "cursor.secret.random: no cursor secret configured (SLUICE_CURSOR_SECRET); cursors will not survive a "
              + "restart and are not valid on other nodes");
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      result.put(
          SluiceConfig.CURSOR,
          cursor.copy().put("secret", Base64.getEncoder().encodeToString(key)));
    }
    return result;
  }
}
