package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The declared datasets' loaders share one pool for pages and one for streams on a node, each of
 * {@code database.pool_size} connections, whatever the number of datasets: discovering a schema of
 * fifty tables must not open a hundred pools against PostgreSQL's {@code max_connections}. Every
 * dataset of the shop is read at once, pages and streams, and PostgreSQL's own list of backends
 * says how many connections read the shop's relations.
 */
@EndToEnd
@DisplayName("Declared datasets share a node's pools, however many there are")
class DeclaredPoolsTest {

  static final int POOL_SIZE = 2;

  @Boot(config = "pools")
  static Service service;

  static JsonObject pools() {
    return Shop.config().put("database", new JsonObject().put("pool_size", POOL_SIZE));
  }

  @Test
  @DisplayName("every dataset read at once, pages and streams: at most two pools' connections")
  void sharedPools() {
    OffsetDateTime started = service.rows("SELECT now()").get(0).getOffsetDateTime(0);
    List<String> names = new ArrayList<>();
    service
        .getJson("/api/v1/data")
        .getJsonArray("datasets")
        .forEach(d -> names.add(((JsonObject) d).getString("name")));
    assertTrue(names.size() > 2 * POOL_SIZE, "more datasets than two pools hold: " + names);
    for (int round = 0; round < 3; round++) {
      List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
      for (String name : names) {
        all.add(service.http.get("/api/v1/data/" + name).send());
        all.add(
            service
                .http
                .get("/api/v1/data/" + name + "/stream")
                .putHeader("Accept", "application/x-ndjson")
                .send());
      }
      Waits.request(Future.join(all));
      for (int i = 0; i < all.size(); i++) {
        int status = all.get(i).result().statusCode();
        // a stream the shared stream pool cannot take now is refused at once (429), never queued
        assertTrue(
            status == 200 || (i % 2 == 1 && status == 429),
            names.get(i / 2) + (i % 2 == 0 ? " page: " : " stream: ") + status);
      }
    }
    long reading =
        service
            .rows(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'sluice'"
                    + " AND backend_start >= $1 AND pid <> pg_backend_pid()"
                    + " AND (query LIKE '%shop.%' OR query LIKE '%\"Sales Ω\".%')",
                started)
            .get(0)
            .getLong(0);
    assertTrue(
        reading <= 2L * POOL_SIZE,
        reading + " connections read the shop's " + names.size() + " datasets");
    assertTrue(reading > 0, "the shop's datasets were read through the service's pools");
    assertEquals(200, service.get("/api/v1/data/orders?limit=1").statusCode());
  }
}
