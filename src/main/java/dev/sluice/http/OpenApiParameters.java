package dev.sluice.http;

import static dev.sluice.http.OpenApiSchemas.enumOf;
import static dev.sluice.http.OpenApiSchemas.type;

import dev.sluice.api.Parameter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The parameters of the OpenAPI document ({@link OpenApi}): each operation's as {@code
 * plan.Operations} declares it (the declaration the planners read requests with, bounds from the
 * configuration in effect), and the few of the operational routes.
 */
final class OpenApiParameters {

  private OpenApiParameters() {}

  static JsonObject query(String name, JsonObject schema, String description) {
    return new JsonObject()
        .put("name", name)
        .put("in", "query")
        .put("description", description)
        .put("schema", schema);
  }

  static JsonObject required(JsonObject parameter) {
    return parameter.put("required", true);
  }

  static JsonObject path(String name, JsonObject schema, String description) {
    return new JsonObject()
        .put("name", name)
        .put("in", "path")
        .put("required", true)
        .put("description", description)
        .put("schema", schema);
  }

  static JsonObject uuidPath(String name, String what) {
    return path(name, type("string").put("format", "uuid"), "The " + what + "'s id (a UUID)");
  }

  static JsonObject integer(long min, long max, Long defaultValue) {
    JsonObject schema = type("integer").put("minimum", min).put("maximum", max);
    return defaultValue == null ? schema : schema.put("default", defaultValue);
  }

  static JsonObject text(int min, int max) {
    return type("string").put("minLength", min).put("maxLength", max);
  }

  // ---- declared parameters

  /**
   * A declared parameter ({@code plan.Operations}) as OpenAPI describes it: where it travels, its
   * schema (kind, bounds, values, default) and, as {@code x-sluice-strategy}, the part of the
   * contract it belongs to.
   */
  static JsonObject of(Parameter parameter) {
    JsonObject schema =
        switch (parameter.kind()) {
          case INTEGER ->
              integer(
                  parameter.min(),
                  parameter.max(),
                  parameter.defaultValue() == null
                      ? null
                      : ((Number) parameter.defaultValue()).longValue());
          case TEXT, WORDS -> text((int) parameter.min(), (int) parameter.max());
          case UUID -> type("string").put("format", "uuid");
          case UUIDS ->
              type("array")
                  .put("minItems", parameter.min())
                  .put("maxItems", parameter.max())
                  .put("items", type("string").put("format", "uuid"));
          case ONE_OF -> enumOf(parameter.values());
          case SOME_OF ->
              type("array").put("items", enumOf(parameter.values())).put("uniqueItems", true);
          case BOOLEAN -> type("boolean");
          case TIME -> type("string");
          // op.value, any number of times: an array of strings, exploded as name=…&name=…
          case FILTER ->
              type("array")
                  .put(
                      "items",
                      type("string")
                          .put(
                              "pattern",
                              "^(not\\.)?(" + String.join("|", parameter.values()) + ")\\..*$"));
        };
    Object defaultValue = parameter.defaultValue();
    if (defaultValue != null && parameter.kind() != Parameter.Kind.INTEGER) {
      schema.put(
          "default",
          defaultValue instanceof List<?> list ? new JsonArray(List.copyOf(list)) : defaultValue);
    }
    JsonObject json =
        new JsonObject()
            .put("name", parameter.name())
            .put("in", parameter.in().name().toLowerCase(Locale.ROOT))
            .put("description", parameter.description());
    if (parameter.required() || parameter.in() == Parameter.In.PATH) {
      json.put("required", true);
    }
    json.put("schema", schema);
    if (parameter.kind() == Parameter.Kind.FILTER) {
      json.put("x-sluice-operators", new JsonArray(parameter.values()));
    }
    if (parameter.kind() == Parameter.Kind.UUIDS || parameter.kind() == Parameter.Kind.SOME_OF) {
      json.put("style", "form").put("explode", false); // a comma-separated list in one value
    }
    return json.put("x-sluice-strategy", parameter.strategy());
  }
}
