package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * How cursors are signed. Section {@code cursor}.
 *
 * @param secret the HMAC key; nodes of a cluster share it; null means a random key per start
 * @param ttlSeconds how long a cursor stays valid
 */
public record CursorConfig(String secret, long ttlSeconds) {

  public static CursorConfig from(JsonObject json) {
    String secret = json.getString("secret");
    return new CursorConfig(
        secret == null || secret.isEmpty() ? null : secret, json.getLong("ttl_seconds", 86_400L));
  }
}
