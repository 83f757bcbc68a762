package dev.sluice.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName(
    "While the cache cannot hear of writes it answers nothing from memory, and it misses none of them")
class CacheOutageTest {

  @Boot static Service service;

  static final String LISTENER =
      "FROM pg_stat_activity WHERE datname = 'sluice' AND application_name = 'sluice' "
          + "AND (query LIKE 'LISTEN%' OR query LIKE 'NOTIFY sluice_changes%')";

  /**
   * Ends the service's listening connection from PostgreSQL's side, as a restart or a network fault
   * would.
   */
  static long killListener() {
    return service.count("SELECT count(pg_terminate_backend(pid)) " + LISTENER);
  }

  @Test
  @DisplayName(
      "a write made while the listening connection is down is never answered with the old row")
  void writeDuringOutage() {
    UUID id = service.sql("SELECT id FROM templates ORDER BY id DESC LIMIT 1").get(0).getUUID(0);
    String name = service.sql("SELECT name FROM templates WHERE id = $1", id).get(0).getString(0);
    String path = "/api/v1/templates/" + id;
    service.get(path);
    assertEquals("sluice; hit", service.get(path).getHeader("Cache-Status"));
    try {
      assertEquals(1, killListener(), "the one listening connection of this node");
      // the backend ends a moment after it is told to; the write must come after, or its notice
      // could still go out
      assertTrue(
          Service.eventually(2_000, () -> service.count("SELECT count(*) " + LISTENER) == 0));
      // and the node learns of it when its client reads the closed socket, a moment later still: a
      // write before that is in the window the heartbeat bounds (Changes.SILENCE_MS), not this
      // test's
      assertTrue(
          Service.eventually(
              2_000,
              () -> !service.node.changes().timeout(10, TimeUnit.SECONDS).await().listening()),
          "the node noticed that it no longer listens");
      service.sql("UPDATE templates SET name = 'Renamed while nobody listened' WHERE id = $1", id);
      long until = System.currentTimeMillis() + 3_000;
      boolean hitAgain = false;
      while (System.currentTimeMillis() < until) {
        var response = service.get(path);
        assertTrue(
            response.bodyAsString().contains("Renamed while nobody listened"),
            "never the old name: "
                + response.getHeader("Cache-Status")
                + " at "
                + java.time.LocalTime.now());
        hitAgain |= "sluice; hit".equals(response.getHeader("Cache-Status"));
      }
      assertTrue(hitAgain, "once listening again, the cache answers again");
      assertTrue(Service.eventually(3_000, () -> killListener() == 1), "it reconnected");
      assertFalse(service.get(path).bodyAsString().contains(name + "\""));
    } finally {
      service.sql("UPDATE templates SET name = $2 WHERE id = $1", id, name);
    }
  }
}
