package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.api.Operation;
import dev.sluice.api.Parameter;
import dev.sluice.config.SluiceConfig;
import dev.sluice.plan.Operations;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * An operation's parameters are declared once ({@link Operations}): a parameter added to a
 * declaration, with no other line written, is validated by the planners, described in {@code
 * /openapi.json} and sent values by the fuzz tests.
 */
@EndToEnd // boots its own service: its gateways and loaders serve the changed declarations
@DisplayName("A parameter declared once is validated, documented and fuzzed")
class DeclaredOnceTest {

  static final Parameter PROBE =
      Parameter.integer("probe", 1, 5, null, Parameter.FILTER, "A test-only parameter");

  static Service service;
  static Operations declared;

  @BeforeAll
  static void start() {
    JsonObject config = Service.config(new JsonObject());
    declared =
        Operations.create(SluiceConfig.from(config))
            .with(
                Operation.VIDEOS,
                parameters -> {
                  parameters.add(PROBE);
                  return parameters;
                });
    service = Service.start(config, declared);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @Test
  @DisplayName("validated: out of its bounds it is a 400 naming it; within them the page is served")
  void validated() {
    HttpResponse<Buffer> refused = service.get("/api/v1/videos?limit=2&probe=9");
    assertEquals(400, refused.statusCode(), refused::bodyAsString);
    JsonArray errors = refused.bodyAsJsonObject().getJsonArray("errors");
    assertEquals("probe", errors.getJsonObject(0).getString("parameter"), refused::bodyAsString);
    assertTrue(
        errors.getJsonObject(0).getString("message").contains("between 1 and 5"),
        refused::bodyAsString);
    assertEquals(200, service.get("/api/v1/videos?limit=2&probe=3").statusCode());
    assertEquals(400, service.get("/api/v1/videos?limit=2&probe=x").statusCode(), "not a number");
  }

  @Test
  @DisplayName(
      "validated only where declared: the same value on an operation without it is ignored")
  void onlyWhereDeclared() {
    assertEquals(200, service.get("/api/v1/users?limit=2&probe=9").statusCode());
  }

  @Test
  @DisplayName("documented: /openapi.json lists it on its route with its bounds and strategy")
  void documented() {
    JsonObject document = service.getJson(Console.OPENAPI);
    JsonArray parameters =
        document
            .getJsonObject("paths")
            .getJsonObject("/api/v1/videos")
            .getJsonObject("get")
            .getJsonArray("parameters");
    JsonObject probe =
        parameters.stream()
            .map(JsonObject.class::cast)
            .filter(p -> "probe".equals(p.getString("name")))
            .findFirst()
            .orElse(null);
    assertNotNull(probe, parameters::encodePrettily);
    assertEquals("query", probe.getString("in"));
    assertEquals(1, probe.getJsonObject("schema").getInteger("minimum"));
    assertEquals(5, probe.getJsonObject("schema").getInteger("maximum"));
    assertEquals(Parameter.FILTER, probe.getString("x-sluice-strategy"));
    JsonArray users =
        document
            .getJsonObject("paths")
            .getJsonObject("/api/v1/users")
            .getJsonObject("get")
            .getJsonArray("parameters");
    assertNull(
        users.stream()
            .map(JsonObject.class::cast)
            .filter(p -> "probe".equals(p.getString("name")))
            .findFirst()
            .orElse(null),
        "nowhere else");
  }

  @Test
  @DisplayName("fuzzed: the fuzz tests' table of endpoints holds it")
  void fuzzed() {
    assertTrue(FuzzTest.endpoints(declared).get("/api/v1/videos").contains("probe"));
    assertTrue(
        !FuzzTest.endpoints(Operations.create(SluiceConfig.from(service.config)))
            .get("/api/v1/videos")
            .contains("probe"),
        "and not without the declaration");
  }
}
