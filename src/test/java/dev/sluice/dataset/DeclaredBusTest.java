package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import dev.sluice.bus.Processed;
import dev.sluice.bus.RangeBatch;
import dev.sluice.bus.SluiceClient;
import dev.sluice.config.SluiceConfig;
import dev.sluice.plan.Operations;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A verticle's view of a declared dataset: the typed client loads its pages and reads it in
 * parallel ranges ({@code processBatches}) over the event bus, as it does the demo's; each dataset
 * is a loader with its own statistics.
 */
@EndToEnd
class DeclaredBusTest {

  @Boot(config = "shop")
  static Service service;

  static JsonObject shop() {
    return Shop.config();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "order_lines|{}",
        "orders|{}",
        "shipments|{\"sort\": \"-shipped_at\"}",
        "customers|{\"country\": \"eq.DE\"}",
        "order_summaries|{}",
        "sales_region_targets|{}"
      })
  @DisplayName("processBatches reads every row once, in as many ranges as it cut")
  void processBatches(String name, String params) {
    SluiceClient client = SluiceClient.create(service.vertx, SluiceConfig.from(service.config));
    Operations.DatasetOperations ops = Operations.DatasetOperations.of(name);
    List<RangeBatch> batches = Collections.synchronizedList(new ArrayList<>());
    Processed processed =
        Waits.request(
            client.processBatches(
                ops.stream(),
                new JsonObject(params),
                4,
                batch -> {
                  batches.add(batch);
                  return Future.succeededFuture();
                }));
    List<String> lines = new ArrayList<>();
    List<RangeBatch> ordered = new ArrayList<>(batches);
    ordered.sort(RangeBatch.ORDER);
    for (RangeBatch batch : ordered) {
      for (String line : batch.lines().toString().split("\n")) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
    }
    // the same listing as one HTTP stream, in its order
    StringBuilder query = new StringBuilder();
    new JsonObject(params)
        .forEach(
            e ->
                query
                    .append(query.length() == 0 ? "?" : "&")
                    .append(e.getKey())
                    .append('=')
                    .append(DeclaredDatasetsTest.encode((String) e.getValue())));
    // the ranges' producers give their places back just after their ends reach the client: a
    // stream asked at that moment may be told to come back (429 with Retry-After), as any client is
    HttpResponse<Buffer> reply =
        service.get("/api/v1/data/" + name + "/stream" + query, "Accept", "application/x-ndjson");
    for (int tries = 0; reply.statusCode() == 429 && tries < 50; tries++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      reply =
          service.get("/api/v1/data/" + name + "/stream" + query, "Accept", "application/x-ndjson");
    }
    assertEquals(200, reply.statusCode(), reply::bodyAsString);
    String body = reply.bodyAsString();
    List<String> expected = List.of(body.split("\n"));
    assertEquals(expected.size(), processed.rows(), name + ": rows " + processed);
    assertEquals(expected, lines, name + ": the ranges in order are the stream");
    if (name.equals("order_lines")) {
      assertTrue(processed.ranges() > 1, "a table this size is cut: " + processed);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"customers", "order_lines"})
  @DisplayName(
      "a page through the typed client is the HTTP page, and the dataset's loader counts it")
  void pages(String name) {
    SluiceClient client = SluiceClient.create(service.vertx, SluiceConfig.from(service.config));
    Operations.DatasetOperations ops = Operations.DatasetOperations.of(name);
    JsonObject page = Waits.request(client.fetch(ops.list(), new JsonObject().put("limit", "7")));
    assertEquals(
        service.getJson("/api/v1/data/" + name + "?limit=7").getJsonArray("data"),
        page.getJsonArray("data"));
    JsonObject stats = service.stats(name);
    assertTrue(
        stats != null && stats.getLong("batch_operations", 0L) > 0,
        name + " in /api/v1/stats: " + stats);
  }
}
