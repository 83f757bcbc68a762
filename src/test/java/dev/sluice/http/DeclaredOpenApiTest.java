package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.dataset.Shop;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * /openapi.json with the shop's declared datasets: still a valid OpenAPI 3.1 document, with each
 * dataset's routes, its filters (and their operators) as parameters, and row schemas that the
 * replies of every declared route hold to.
 */
@EndToEnd
class DeclaredOpenApiTest {

  @Boot(config = "shop")
  static Service service;

  static JsonObject shop() {
    return Shop.config();
  }

  @Test
  @org.junit.jupiter.api.DisplayName(
      "a valid document, each dataset's filters as parameters, every declared route's reply holding to it")
  void describesEveryDeclaredRoute() {
    JsonObject document = service.getJson(Console.OPENAPI);
    OutputUnit result = OpenApiContracts.validate(service.vertx, document);
    assertTrue(result.getValid(), () -> "not valid: " + result.getErrors());
    ResponseValidator validator =
        ResponseValidator.create(service.vertx, OpenApiContracts.contract(service.vertx, document));
    JsonObject paths = document.getJsonObject("paths");
    JsonArray datasets = service.getJson("/api/v1/data").getJsonArray("datasets");
    List<String> checked = new ArrayList<>();
    for (int i = 0; i < datasets.size(); i++) {
      JsonObject d = datasets.getJsonObject(i);
      String path = d.getString("path");
      JsonObject list = paths.getJsonObject(path).getJsonObject("get");
      // every filter is a parameter, with the operators the catalog allows
      d.getJsonObject("filters")
          .forEach(
              filter -> {
                JsonObject parameter = parameter(list, filter.getKey());
                assertNotNull(parameter, path + " describes the filter " + filter.getKey());
                assertEquals(filter.getValue(), parameter.getJsonArray("x-sluice-operators"));
              });
      boolean keyed = !d.getJsonArray("key").isEmpty();
      List<String> uris = new ArrayList<>(List.of(path + (keyed ? "?limit=3" : "?per_page=3")));
      if (keyed) {
        uris.add(path + "/range?start_index=0&end_index=3");
        JsonObject first =
            service
                .getJson(path + "?limit=1&select=" + String.join(",", keys(d)))
                .getJsonArray("data")
                .getJsonObject(0);
        List<String> parts = new ArrayList<>();
        for (String k : keys(d)) {
          parts.add(
              URLEncoder.encode(
                      service
                          .rows(
                              "SELECT ($1::text::json ->> $2::text)::" + type(d, k) + "::text",
                              first.encode(),
                              k)
                          .get(0)
                          .getString(0),
                      StandardCharsets.UTF_8)
                  .replace("+", "%20"));
        }
        uris.add(path + "/items/" + String.join(",", parts));
      }
      if (d.getString("time") != null) {
        uris.add(path + "/window?start=2024-01-01T00:00:00Z&end=2024-01-03T00:00:00Z&bucket=1d");
      }
      for (String uri : uris) {
        HttpResponse<Buffer> reply = service.get(uri);
        assertEquals(200, reply.statusCode(), uri + ": " + reply.bodyAsString());
        String template = uri.split("\\?")[0].replaceFirst("/items/[^/]+$", "/items/{key}");
        String id = paths.getJsonObject(template).getJsonObject("get").getString("operationId");
        ValidatableResponse response =
            ValidatableResponse.create(200, Map.of(), reply.body(), MediaType.APPLICATION_JSON);
        try {
          validator.validate(response, id).timeout(1, TimeUnit.MINUTES).await();
        } catch (RuntimeException e) {
          throw new AssertionError(
              uri
                  + " does not hold to "
                  + id
                  + ": "
                  + e.getMessage()
                  + "\n"
                  + reply.bodyAsString()
                  + "\n"
                  + paths.getJsonObject(template).getJsonObject("get").encode(),
              e);
        }
        checked.add(uri);
      }
    }
    assertTrue(checked.size() > 25, checked.toString());
  }

  static JsonObject parameter(JsonObject operation, String name) {
    for (Object p : operation.getJsonArray("parameters", new JsonArray())) {
      if (((JsonObject) p).getString("name").equals(name)) {
        return (JsonObject) p;
      }
    }
    return null;
  }

  static List<String> keys(JsonObject d) {
    List<String> keys = new ArrayList<>();
    d.getJsonArray("key").forEach(k -> keys.add((String) k));
    return keys;
  }

  static String type(JsonObject d, String column) {
    for (Object c : d.getJsonArray("columns")) {
      if (((JsonObject) c).getString("name").equals(column)) {
        return ((JsonObject) c).getString("type");
      }
    }
    throw new AssertionError("no column " + column);
  }
}
