package dev.sluice.config;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * The whole configuration, read once from {@code conf/} (see {@link ConfigLoader}) and handed to every verticle
 * as its JSON config; each part takes the section it needs through {@link #from(JsonObject)}.
 */
public record SluiceConfig(HttpConfig http, DatabaseConfig database, LazyLoadingConfig lazy, LimitsConfig limits,
                           StreamingConfig streaming, CursorConfig cursor, String adminToken,
                           Map<String, DataTypePolicy> dataTypes) {

  public static final String HTTP = "http";
  public static final String DATABASE = "database";
  public static final String LAZY_LOADING = "lazy_loading";
  public static final String LIMITS = "limits";
  public static final String STREAMING = "streaming";
  public static final String CURSOR = "cursor";
  public static final String ADMIN = "admin";
  public static final String DATA_TYPES = "data_types";

  public static SluiceConfig from(JsonObject json) {
    JsonObject types = section(json, DATA_TYPES);
    Map<String, DataTypePolicy> policies = new TreeMap<>();
    for (String name : types.fieldNames()) {
      policies.put(name, DataTypePolicy.from(types.getJsonObject(name)));
    }
    String token = section(json, ADMIN).getString("token");
    return new SluiceConfig(
      HttpConfig.from(section(json, HTTP)),
      DatabaseConfig.from(section(json, DATABASE)),
      LazyLoadingConfig.from(section(json, LAZY_LOADING)),
      LimitsConfig.from(section(json, LIMITS)),
      StreamingConfig.from(section(json, STREAMING)),
      CursorConfig.from(section(json, CURSOR)),
      token == null || token.isEmpty() ? null : token,
      Map.copyOf(policies));
  }

  /** The policy of one data family; a family the configuration does not name gets the defaults. */
  public DataTypePolicy policy(String family) {
    return dataTypes.getOrDefault(family, DataTypePolicy.from(new JsonObject()));
  }

  static JsonObject section(JsonObject json, String name) {
    JsonObject section = json.getJsonObject(name);
    return section == null ? new JsonObject() : section;
  }
}
