package dev.sluice.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per data family policy (videos, users, analytics, templates, search). Section {@code
 * data_types.<name>}; a key a family does not set keeps its default ({@link #DEFAULTS}, the
 * seed's), a family not named at all gets {@code page_size} 20, a 60 s TTL, {@code
 * lazy_loading.cache_size} entries and no compression.
 *
 * @param pageSize the default {@code per_page} of that family's paginated endpoints
 * @param ttlSeconds how long a cached reply of that family lives (a change to its rows drops it
 *     sooner)
 * @param maxEntries how many replies of that family the node cache keeps (0: none)
 * @param compression whether cached replies of that family are stored gzip'd (and sent so to gzip
 *     clients)
 */
public record DataTypePolicy(int pageSize, int ttlSeconds, int maxEntries, boolean compression) {

  /** The seed's policies. */
  public static final Map<String, DataTypePolicy> DEFAULTS =
      Map.of(
          "videos", new DataTypePolicy(20, 1_800, 1_000, true),
          "users", new DataTypePolicy(50, 3_600, 500, false),
          "analytics", new DataTypePolicy(50, 300, 2_000, true),
          "templates", new DataTypePolicy(20, 86_400, 200, false),
          "search", new DataTypePolicy(20, 60, 1_000, false));

  static final String PAGE_SIZE = "page_size";
  static final String TTL_SECONDS = "ttl_seconds";
  static final String MAX_ENTRIES = "max_entries";
  static final String COMPRESSION = "compression";

  /** A family's policy: the keys {@code json} sets over {@code base}. */
  public static DataTypePolicy from(JsonObject json, DataTypePolicy base) {
    return new DataTypePolicy(
        json.getInteger(PAGE_SIZE, base.pageSize()),
        json.getInteger(TTL_SECONDS, base.ttlSeconds()),
        json.getInteger(MAX_ENTRIES, base.maxEntries()),
        json.getBoolean(COMPRESSION, base.compression()));
  }

  /**
   * Every family's policy: the defaults, overridden by section {@code data_types}, and each
   * declared dataset's from its {@code cache} and {@code page.default}.
   */
  static Map<String, DataTypePolicy> all(
      JsonObject section, JsonObject datasets, int defaultMaxEntries) {
    Map<String, DataTypePolicy> policies = new TreeMap<>(DEFAULTS);
    for (String name : section.fieldNames()) {
      JsonObject json = section.getJsonObject(name);
      policies.put(
          name,
          from(
              json == null ? new JsonObject() : json,
              policies.getOrDefault(name, fallback(defaultMaxEntries))));
    }
    for (String name : datasets.fieldNames()) {
      if (!(datasets.getValue(name) instanceof JsonObject declared)) {
        continue; // the declaration's reader names the fault
      }
      JsonObject json = new JsonObject();
      if (declared.getValue("cache") instanceof JsonObject cache) {
        // only well-typed values: the declaration's reader names the others
        cache.forEach(
            e -> {
              boolean bool = e.getKey().equals(COMPRESSION);
              if (bool ? e.getValue() instanceof Boolean : e.getValue() instanceof Integer) {
                json.put(e.getKey(), e.getValue());
              }
            });
      }
      if (declared.getValue("page") instanceof JsonObject page
          && page.getValue("default") instanceof Integer size) {
        json.put(PAGE_SIZE, size);
      }
      policies.put(
          name,
          from(
              json,
              policies.getOrDefault(name, new DataTypePolicy(50, 60, defaultMaxEntries, false))));
    }
    return Map.copyOf(policies);
  }

  static DataTypePolicy fallback(int defaultMaxEntries) {
    return new DataTypePolicy(20, 60, defaultMaxEntries, false);
  }
}
