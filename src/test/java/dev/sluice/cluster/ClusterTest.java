package dev.sluice.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.TwoNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Two clustered nodes in one JVM, each its own Hazelcast member on 127.0.0.1: node A runs the
 * gateway (and a monitor), node B the loaders (and a monitor), both on the test database.
 */
@EndToEnd
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Clustered: a gateway node and a loader node")
class ClusterTest {

  static TwoNodes nodes;
  static Service gateway;
  static Service loaders;

  @BeforeAll
  static void start() throws Exception {
    nodes = TwoNodes.start(new JsonObject());
    gateway = nodes.gateway;
    loaders = nodes.loaders;
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "a cursor walk through the gateway on A, served by the loaders on B, returns every row once")
  void cursorWalkAcrossNodes() {
    assertTrue(
        Service.eventually(20_000, () -> gateway.get("/api/v1/users?limit=1").statusCode() == 200),
        "the loaders on B are reachable from A");
    Set<String> seen = new HashSet<>();
    int rows = 0;
    String cursor = null;
    do {
      HttpResponse<Buffer> page =
          gateway.get("/api/v1/users?limit=37" + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, page.statusCode(), page::bodyAsString);
      JsonObject body = page.bodyAsJsonObject();
      for (Object item : body.getJsonArray("data")) {
        seen.add(((JsonObject) item).getString("id"));
        rows++;
      }
      cursor = body.getString("next_cursor");
    } while (cursor != null);
    long expected = gateway.count("SELECT count(*) FROM users WHERE is_active");
    assertEquals(expected, rows, "every row");
    assertEquals(rows, seen.size(), "once");
  }

  @Test
  @Order(2)
  @DisplayName("readiness on the gateway node sees the loaders of the other node")
  void readinessAcrossNodes() {
    assertTrue(
        Service.eventually(20_000, () -> gateway.get("/health/ready").statusCode() == 200),
        () -> gateway.get("/health/ready").bodyAsString());
    JsonObject ready = gateway.getJson("/health/ready");
    List<String> down =
        ready.getJsonArray("checks").stream()
            .map(JsonObject.class::cast)
            .filter(c -> !"UP".equals(c.getString("status")))
            .map(c -> c.getString("id"))
            .toList();
    assertEquals(List.of(), down);
  }

  @Test
  @Order(3)
  @DisplayName(
      "the typed client on A, which runs no loader, pages and streams from the loaders on B")
  void typedClientAcrossNodes() {
    dev.sluice.bus.SluiceClient client = dev.sluice.bus.SluiceClient.create(gateway.vertx, 30_000);
    JsonObject page =
        client
            .fetch(dev.sluice.api.Operation.USERS, new JsonObject().put("limit", "5"))
            .timeout(1, TimeUnit.MINUTES)
            .await();
    assertEquals(5, page.getJsonArray("data").size(), page::encode);
    io.vertx.core.Promise<Long> rows = io.vertx.core.Promise.promise();
    gateway.vertx.runOnContext(
        v ->
            client.stream(dev.sluice.api.Operation.USER_STREAM, new JsonObject(), 2, 0.5, 10_000)
                .onFailure(rows::fail)
                .onSuccess(
                    stream -> {
                      long[] count = {0};
                      // one batch at a time: the credit travels back to B for each
                      stream.pause();
                      stream.handler(
                          batch -> {
                            count[0] += batch.count();
                            gateway.vertx.setTimer(1, t -> stream.fetch(1));
                          });
                      stream.exceptionHandler(rows::tryFail);
                      stream.endHandler(e -> rows.tryComplete(count[0]));
                      stream.fetch(1);
                    }));
    assertEquals(
        gateway.count("SELECT count(*) FROM users WHERE is_active"),
        rows.future().timeout(1, TimeUnit.MINUTES).await(),
        "every user, streamed from B to a reader on A that takes one batch at a time");
  }
}
