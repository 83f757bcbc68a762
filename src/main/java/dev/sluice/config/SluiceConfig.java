package dev.sluice.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The whole configuration, read once from {@code conf/} (see {@link ConfigLoader}) and handed to
 * every verticle as its JSON config; each part takes the section it needs through {@link
 * #from(JsonObject)}.
 */
public record SluiceConfig(
    HttpConfig http,
    DatabaseConfig database,
    LazyLoadingConfig lazy,
    LimitsConfig limits,
    StreamingConfig streaming,
    CursorConfig cursor,
    String adminToken,
    Map<String, DataTypePolicy> dataTypes,
    Integer cacheMaxMb,
    MonitorConfig monitor,
    ItemsConfig items,
    ResilienceConfig resilience,
    ClusterConfig cluster,
    JsonObject datasets,
    Map<String, String> datasetSources,
    boolean demo) {

  public static final String HTTP = "http";
  public static final String DATABASE = "database";
  public static final String LAZY_LOADING = "lazy_loading";
  public static final String LIMITS = "limits";
  public static final String STREAMING = "streaming";
  public static final String CURSOR = "cursor";
  public static final String ADMIN = "admin";
  public static final String DATA_TYPES = "data_types";
  public static final String CACHE = "cache";
  public static final String MONITOR = "monitor";
  public static final String ITEMS = "items";
  public static final String RESILIENCE = "resilience";
  public static final String CLUSTER = "cluster";

  /**
   * The demo: its schema migrated into the database (and seeded when embedded), its families'
   * loaders and routes (section 4 of docs/API.md). {@code demo.enabled} false serves declared
   * datasets alone and writes nothing to the database.
   */
  public static final String DEMO = "demo";

  /** The declared datasets (docs/API.md 8.1), read by {@code dev.sluice.dataset.Declaration}. */
  public static final String DATASETS = "datasets";

  /**
   * Where {@link ConfigLoader} notes the file each declared dataset came from (not a section an
   * operator writes).
   */
  public static final String DATASET_SOURCES = "_dataset_sources";

  public static SluiceConfig from(JsonObject json) {
    LazyLoadingConfig lazy = LazyLoadingConfig.from(section(json, LAZY_LOADING));
    String token = section(json, ADMIN).getString("token");
    return new SluiceConfig(
        HttpConfig.from(section(json, HTTP)),
        DatabaseConfig.from(section(json, DATABASE)),
        lazy,
        LimitsConfig.from(section(json, LIMITS)),
        StreamingConfig.from(section(json, STREAMING)),
        CursorConfig.from(section(json, CURSOR)),
        token == null || token.isEmpty() ? null : token,
        DataTypePolicy.all(section(json, DATA_TYPES), section(json, DATASETS), lazy.cacheSize()),
        section(json, CACHE).getInteger("max_mb"),
        MonitorConfig.from(section(json, MONITOR)),
        ItemsConfig.from(section(json, ITEMS)),
        ResilienceConfig.from(section(json, RESILIENCE)),
        ClusterConfig.from(section(json, CLUSTER)),
        section(json, DATASETS).copy(),
        sources(section(json, DATASET_SOURCES)),
        section(json, DEMO).getBoolean("enabled", true));
  }

  /** The policy of one data family; a family the configuration does not name gets the fallback. */
  public DataTypePolicy policy(String family) {
    return dataTypes.getOrDefault(family, DataTypePolicy.fallback(lazy.cacheSize()));
  }

  /**
   * How long an HTTP stream may write nothing before it writes a keep-alive: {@code
   * streaming.keepalive_seconds}, and at most half of {@code http.idle_timeout_seconds} (when there
   * is one), so the server's own idle timeout never cuts a stream whose client reads.
   */
  public long keepaliveMillis() {
    long configured = streaming.keepaliveSeconds() * 1000L;
    return http.idleTimeoutSeconds() > 0
        ? Math.min(configured, http.idleTimeoutSeconds() * 500L)
        : configured;
  }

  /**
   * The memory the monitor measures heap use against: {@code memory_limit_mb}, else the JVM's max
   * heap.
   */
  public long memoryLimitBytes() {
    Integer mb = lazy.memoryLimitMb();
    return mb != null && mb > 0 ? mb * 1024L * 1024L : Runtime.getRuntime().maxMemory();
  }

  /** The node cache's byte bound: {@code cache.max_mb}, else a quarter of the memory limit. */
  public long cacheMaxBytes() {
    return cacheMaxMb != null && cacheMaxMb > 0
        ? cacheMaxMb * 1024L * 1024L
        : memoryLimitBytes() / 4;
  }

  private static Map<String, String> sources(JsonObject json) {
    Map<String, String> sources = new java.util.HashMap<>();
    json.forEach(e -> sources.put(e.getKey(), String.valueOf(e.getValue())));
    return Map.copyOf(sources);
  }

  /**
   * The largest page (or {@code limit}) a family's listings give: a declared dataset's {@code
   * page.max}, else {@code limits.max_limit}.
   */
  public int maxLimit(String family) {
    Object page = datasets.getValue(family) instanceof JsonObject d ? d.getValue("page") : null;
    Integer max = page instanceof JsonObject p && p.getValue("max") instanceof Integer m ? m : null;
    return max != null ? max : limits.maxLimit();
  }

  static JsonObject section(JsonObject json, String name) {
    JsonObject section = json.getJsonObject(name);
    return section == null ? new JsonObject() : section;
  }
}
