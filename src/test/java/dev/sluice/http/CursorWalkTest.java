package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName("Walking a listing by cursor returns every matching row exactly once")
class CursorWalkTest {

  @Boot static Service service;

  @AfterAll
  static void clean() {
    service.sql("DELETE FROM videos WHERE title LIKE 'walk-test %'");
  }

  /** Follows next_cursor from the first page to the end; returns the ids in the order served. */
  static List<String> walk(String path) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = service.getJson(path + (cursor == null ? "" : "&cursor=" + cursor));
      page.getJsonArray("data").forEach(item -> ids.add(((JsonObject) item).getString("id")));
      cursor = page.getString("next_cursor");
      assertEquals(cursor != null, page.getBoolean("has_more"));
    } while (cursor != null);
    return ids;
  }

  static Set<String> expected(String where) {
    Set<String> ids = new HashSet<>();
    service
        .sql("SELECT id FROM videos WHERE " + where)
        .forEach(r -> ids.add(r.getUUID(0).toString()));
    return ids;
  }

  @Test
  @DisplayName("for each sort, a filtered walk returns exactly the matching rows, in order, once")
  void everySort() {
    Set<String> matching = expected("status = 'ready' AND category = 'music'");
    for (String sort : List.of("-created_at", "created_at", "-view_count", "title")) {
      List<String> ids = walk("/api/v1/videos?status=ready&category=music&limit=13&sort=" + sort);
      assertEquals(ids.size(), new HashSet<>(ids).size(), sort + ": no row twice");
      assertEquals(matching, new HashSet<>(ids), sort + ": every matching row");
    }
    List<String> ordered =
        service
            .sql(
                "SELECT id FROM videos WHERE status = 'ready' AND category = 'music' "
                    + "ORDER BY title, id")
            .stream()
            .map(r -> r.getUUID(0).toString())
            .toList();
    assertEquals(ordered, walk("/api/v1/videos?status=ready&category=music&limit=13&sort=title"));
  }

  @Test
  @DisplayName("walking back by prev_cursor from the last page returns the same rows in reverse")
  void backward() {
    List<String> forward = new ArrayList<>();
    List<JsonObject> pages = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page =
          service.getJson(
              "/api/v1/videos?status=failed&limit=11"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      pages.add(page);
      page.getJsonArray("data").forEach(item -> forward.add(((JsonObject) item).getString("id")));
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertTrue(pages.size() > 2, "enough pages to walk back");
    JsonObject page = pages.get(pages.size() - 1);
    List<String> collected =
        new ArrayList<>(
            page.getJsonArray("data").stream()
                .map(item -> ((JsonObject) item).getString("id"))
                .toList());
    String prev = page.getString("prev_cursor");
    while (prev != null) {
      JsonObject before = service.getJson("/api/v1/videos?status=failed&limit=11&cursor=" + prev);
      List<String> ids =
          before.getJsonArray("data").stream()
              .map(item -> ((JsonObject) item).getString("id"))
              .toList();
      collected.addAll(0, ids);
      prev = before.getString("prev_cursor");
    }
    assertEquals(forward, collected);
  }

  @Test
  @DisplayName(
      "rows inserted during the walk never make a row appear twice or one that existed go missing")
  void concurrentInserts() throws Exception {
    Set<String> before = expected("status = 'ready' AND category = 'cooking'");
    String owner = service.sql("SELECT id FROM users LIMIT 1").get(0).getUUID(0).toString();
    AtomicBoolean walking = new AtomicBoolean(true);
    AtomicInteger inserted = new AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              // a bounded number, so a walk that chases rows written at its own end always catches
              // up
              while (walking.get() && inserted.get() < 4_000) {
                // new rows at the newest end, and rows back-dated into the middle of the walk
                service.sql(
                    "INSERT INTO videos (id, user_id, title, category, status, duration_seconds, created_at) "
                        + "SELECT gen_random_uuid(), $1::uuid, 'walk-test ' || g, 'cooking', 'ready', 60, "
                        + "CASE WHEN g % 2 = 0 THEN now() ELSE now() - random() * interval '360 days' END "
                        + "FROM generate_series(1, 5) g",
                    owner);
                inserted.addAndGet(5);
              }
            });
    writer.start();
    List<String> desc;
    List<String> asc;
    try {
      desc = walk("/api/v1/videos?status=ready&category=cooking&limit=9");
      asc = walk("/api/v1/videos?status=ready&category=cooking&limit=9&sort=created_at");
    } finally {
      walking.set(false);
      writer.join();
    }
    assertTrue(inserted.get() > 0, "rows were inserted while walking");
    for (List<String> ids : List.of(desc, asc)) {
      assertEquals(ids.size(), new HashSet<>(ids).size(), "no row twice");
      assertTrue(new HashSet<>(ids).containsAll(before), "no row that existed is skipped");
    }
  }
}
