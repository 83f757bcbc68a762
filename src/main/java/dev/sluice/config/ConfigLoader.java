package dev.sluice.config;

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
          new EnvKey("SLUICE_DEMO", SluiceConfig.DEMO, "enabled", ConfigLoader::bool),
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

  /**
   * The configuration {@code environment} points at: the files of its {@code conf/} directory,
   * merged, then its variables; read on the calling thread, before any Vert.x is built (the
   * configuration decides how it is built).
   *
   * @throws IllegalArgumentException for a file that is not a JSON object, or a variable that is
   *     not valid
   * @throws java.io.UncheckedIOException for a file that cannot be read
   */
  public static JsonObject load(Map<String, String> environment) {
    Path dir = Path.of(environment.getOrDefault(CONF_DIR_VARIABLE, "conf"));
    JsonObject merged = new JsonObject();
    JsonObject sources = new JsonObject();
    if (Files.isDirectory(dir)) {
      try {
        for (Path file : files(dir)) {
          String text = Files.readString(file);
          if (text.isBlank()) {
            // the file a shell makes before the command that writes it runs
            // (datasets discover > conf/tables.json reads conf/ itself)
            LOG.info("config.file.empty file={} skipped", file);
            continue;
          }
          JsonObject json;
          try {
            json = new JsonObject(text);
          } catch (io.vertx.core.json.DecodeException e) {
            throw new IllegalArgumentException(file + " is not a JSON object: " + e.getMessage());
          }
          if (json.containsKey("auth")) {
            // refused, not ignored: an operator who configures it believes the data protected
            throw new IllegalArgumentException(
                file
                    + ": auth (who may read what, docs/API.md section 9) is not served by this"
                    + " version; Sluice does not start rather than serve every row to anyone");
          }
          merged.mergeIn(json, true);
          if (json.getValue(SluiceConfig.DATASETS) instanceof JsonObject datasets) {
            datasets.fieldNames().forEach(name -> sources.put(name, file.toString()));
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    } else {
      LOG.info("config.dir.missing dir={} using built-in defaults", dir.toAbsolutePath());
    }
    return withEnvironment(merged.put(SluiceConfig.DATASET_SOURCES, sources), environment);
  }

  /**
   * The configuration files: every file under {@code dir} whose name ends in {@code .json} (in any
   * case), in the order of their paths, each merged over the ones before it, section by section.
   * The file each declared dataset comes from is recorded, so that an error in a declaration names
   * it.
   */
  static List<Path> files(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              f -> f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json"))
          .sorted()
          .toList();
    }
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
