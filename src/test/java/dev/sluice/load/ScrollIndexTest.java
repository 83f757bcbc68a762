package dev.sluice.load;

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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName(
    "Virtual-scroll checkpoints: one walk for many requests, walked again in the background before they go stale")
class ScrollIndexTest {

  @Boot(config = "shortLivedCheckpoints")
  static Service service;

  static final String WALK = "row_number() OVER";

  /** How long checkpoints live here: short, so that the tests see them walked again. */
  static final int TTL_SECONDS = 3;

  static JsonObject shortLivedCheckpoints() {
    return new JsonObject()
        .put(
            "limits",
            new JsonObject()
                .put("scroll_checkpoint_step", 10)
                .put("scroll_checkpoint_ttl_seconds", TTL_SECONDS))
        .put("lazy_loading", new JsonObject().put("enable_prefetching", false));
  }

  @AfterAll
  static void clean() {
    service.sql("DELETE FROM users WHERE username LIKE 'scroll-test-%'");
  }

  static List<String> expected(long start, long end) {
    return service
        .sql(
            "SELECT id FROM users WHERE is_active ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2",
            end - start,
            start)
        .stream()
        .map(r -> r.getUUID(0).toString())
        .toList();
  }

  static List<String> window(HttpResponse<Buffer> response) {
    assertEquals(200, response.statusCode(), response::bodyAsString);
    List<String> ids = new ArrayList<>();
    response
        .bodyAsJsonObject()
        .getJsonArray("data")
        .forEach(i -> ids.add(((JsonObject) i).getString("id")));
    return ids;
  }

  static String path(long start, long end) {
    return "/api/v1/users/range?count=none&start_index=" + start + "&end_index=" + end;
  }

  @Test
  @DisplayName(
      "30 concurrent windows deep in a listing cause one walk of its keys, and each window is right")
  void singleFlightWalk() {
    service.resetStatements();
    List<Future<HttpResponse<Buffer>>> replies = new ArrayList<>();
    for (int end = 201; end <= 230; end++) {
      replies.add(service.http.get(path(200, end)).send());
    }
    Waits.request(Future.all(replies));
    for (int i = 0; i < replies.size(); i++) {
      assertEquals(expected(200, 201 + i), window(replies.get(i).result()));
    }
    assertEquals(1, service.calls(WALK), "one walk laid the checkpoints for all of them");
  }

  @Test
  @DisplayName(
      "after a write, a window is answered at once from the old checkpoints while they are walked again")
  void refreshAfterWrite() throws InterruptedException {
    // from checkpoints this test walks itself: those another test left are of an age it does not
    // know, and could
    // expire within the second it waits after the write (a walk then, and a window of the listing
    // as it is now)
    Thread.sleep(TTL_SECONDS * 1000L + 100);
    window(service.get(path(150, 160)));
    UUID id = UUID.randomUUID();
    service.resetStatements();
    // a new user is the newest: every index after 0 moves down by one
    service.sql(
        "INSERT INTO users (id, username, email, display_name, role) VALUES ($1, 'scroll-test-1', "
            + "'s@example.com', 'Scroll Test', 'viewer')",
        id);
    Thread.sleep(1_100);
    List<String> answered = window(service.get(path(150, 155)));
    assertEquals(
        expected(151, 156),
        answered,
        "answered from the checkpoints walked before the insert: the window is one row behind, as documented");
    assertTrue(
        Service.eventually(2_000, () -> service.calls(WALK) == 1),
        "one walk again, in the background");
    assertTrue(
        Service.eventually(
            2_000, () -> window(service.get(path(150, 156))).equals(expected(150, 156))),
        "and the windows after it see the listing as it is now");
    assertEquals(
        expected(150, 155),
        window(service.get(path(150, 155))),
        "the window answered from the old checkpoints was not kept");
    assertEquals(1, service.calls(WALK));
  }

  @Test
  @DisplayName(
      "checkpoints in use are walked again before their TTL ends, so no request waits for a walk")
  void refreshBeforeExpiry() throws InterruptedException {
    window(service.get(path(100, 101)));
    Thread.sleep(2_500); // past 80 % of the 3 s TTL
    service.resetStatements();
    window(service.get(path(100, 102)));
    assertTrue(
        Service.eventually(2_000, () -> service.calls(WALK) == 1), "refreshed in the background");
    Thread.sleep(1_000); // past the first walk's TTL: the refreshed checkpoints answer
    assertEquals(expected(100, 103), window(service.get(path(100, 103))));
    assertEquals(1, service.calls(WALK), "no request had to walk again");
  }
}
