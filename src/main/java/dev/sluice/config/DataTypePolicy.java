package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * Per data family policy (videos, users, analytics, templates, search). Section {@code data_types.<name>}.
 *
 * @param pageSize    the default {@code per_page} of that family's paginated endpoints
 * @param ttlSeconds  how long a cached page of that family lives
 * @param maxEntries  how many pages of that family the cache keeps
 * @param compression whether cached pages of that family are compressed
 */
public record DataTypePolicy(int pageSize, int ttlSeconds, int maxEntries, boolean compression) {

  public static DataTypePolicy from(JsonObject json) {
    return new DataTypePolicy(
      json.getInteger("page_size", 20),
      json.getInteger("ttl_seconds", 60),
      json.getInteger("max_entries", 1000),
      json.getBoolean("compression", false));
  }
}
