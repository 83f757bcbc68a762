package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/** Where the gateway listens and how long an idle connection may stay. Section {@code http}. */
public record HttpConfig(String host, int port, int idleTimeoutSeconds) {

  static final String HOST = "host";
  static final String PORT = "port";
  static final String IDLE_TIMEOUT_SECONDS = "idle_timeout_seconds";

  public static HttpConfig from(JsonObject json) {
    return new HttpConfig(
      json.getString(HOST, "0.0.0.0"),
      json.getInteger(PORT, 8080),
      json.getInteger(IDLE_TIMEOUT_SECONDS, 60));
  }
}
