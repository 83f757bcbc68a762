package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.TestDatabase;
import dev.sluice.Waits;
import dev.sluice.config.SluiceConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A declared dataset's cached replies: kept for their TTL while its table has no change trigger,
 * dropped within a second of a write by another client once {@code datasets triggers} installed one
 * (insert, update, delete), and on a view through the tables it reads.
 */
@EndToEnd
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeclaredInvalidationTest {

  @Boot(config = "notes")
  static Service service;

  static JsonObject notes() {
    TestDatabase.run(
        "DROP SCHEMA IF EXISTS inv CASCADE; CREATE SCHEMA inv;"
            + " CREATE TABLE inv.notes (id int PRIMARY KEY, body text NOT NULL);"
            + " INSERT INTO inv.notes SELECT g, 'note ' || g FROM generate_series(1, 20) g;"
            + " CREATE VIEW inv.long_notes AS SELECT id, body FROM inv.notes"
            + " WHERE length(body) > 6");
    JsonObject cache = new JsonObject().put("ttl_seconds", 3600);
    return new JsonObject()
        .put(
            "datasets",
            new JsonObject()
                .put("notes", new JsonObject().put("relation", "inv.notes").put("cache", cache))
                .put(
                    "long_notes",
                    new JsonObject()
                        .put("relation", "inv.long_notes")
                        .put("key", new JsonArray(List.of("id")))
                        .put("cache", cache)));
  }

  static int count(String dataset) {
    return service
        .getJson("/api/v1/data/" + dataset + "?limit=100&count=exact")
        .getInteger("total_count");
  }

  static void write(String sql) {
    service.rows(sql);
  }

  /** Whether {@code dataset}'s count becomes {@code expected} within a second. */
  static boolean within1s(String dataset, int expected) {
    return Service.eventually(1_000, () -> count(dataset) == expected);
  }

  @Test
  @Order(1)
  @DisplayName("without a trigger a reply stays cached for its TTL, and the dataset says so")
  void ttlOnly() {
    JsonArray datasets = service.getJson("/api/v1/data").getJsonArray("datasets");
    assertEquals("ttl", datasets.getJsonObject(0).getString("invalidation"));
    assertEquals(20, count("notes"));
    assertEquals(11, count("long_notes"));
    write("INSERT INTO inv.notes VALUES (21, 'note 21')");
    try {
      Thread.sleep(1_500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertEquals(20, count("notes"), "the cached reply, until its TTL");
    assertEquals(11, count("long_notes"), "the view's too");
  }

  @Test
  @Order(2)
  @DisplayName(
      "with the triggers installed, an insert, an update and a delete are seen within a second")
  void notified() {
    Pool pool = service.db;
    List<DeclaredDataset> datasets =
        Waits.statement(Declarations.resolve(pool, SluiceConfig.from(service.config)));
    List<String> statements = Waits.statement(Triggers.sql(pool, datasets));
    assertTrue(statements.size() >= 2, statements.toString());
    for (String statement : statements) {
      write(statement);
    }
    // the TTL would keep 20 for an hour: a notification made the cache drop it
    write("INSERT INTO inv.notes VALUES (22, 'note 22')");
    assertTrue(within1s("notes", 22), "an insert by another client");
    assertTrue(within1s("long_notes", 13), "and through the view: " + count("long_notes"));
    write("UPDATE inv.notes SET body = 'x' WHERE id = 22");
    assertTrue(within1s("long_notes", 12), "an update, through the view");
    write("DELETE FROM inv.notes WHERE id IN (21, 22)");
    assertTrue(within1s("notes", 20), "a delete");
    write("TRUNCATE inv.notes");
    assertTrue(within1s("notes", 0), "a truncate");
  }
}
