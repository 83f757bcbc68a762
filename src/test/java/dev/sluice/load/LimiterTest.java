package dev.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A loader runs a bounded number of loads; a few wait, the rest are refused at once")
class LimiterTest {

  @Test
  @DisplayName(
      "loads past the bound wait their turn; past the line they get a 503; each runs as a slot frees")
  void bounded() {
    Limiter limiter = new Limiter(2, 1, 60_000);
    List<Promise<String>> loads = new ArrayList<>();
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Promise<String> load = Promise.promise();
      loads.add(load);
      results.add(limiter.run(load::future));
    }
    assertEquals(2, limiter.running());
    assertTrue(results.get(3).failed(), "over the line");
    assertEquals(503, ((ProblemException) results.get(3).cause()).problem().status());
    assertFalse(results.get(2).isComplete(), "waiting");
    loads.get(0).complete("a");
    assertEquals("a", results.get(0).result());
    assertEquals(2, limiter.running(), "the waiting load took the free slot");
    loads.get(2).complete("c");
    assertEquals("c", results.get(2).result());
    loads.get(1).complete("b");
    assertEquals(0, limiter.running());
  }

  @Test
  @DisplayName("a load that waited longer than anyone waits for its reply is dropped unstarted")
  void staleLoadsAreDropped() throws Exception {
    Limiter limiter = new Limiter(1, 5, 50);
    Promise<String> first = Promise.promise();
    limiter.run(first::future);
    boolean[] started = {false};
    Future<String> stale =
        limiter.run(
            () -> {
              started[0] = true;
              return Future.succeededFuture("late");
            });
    Thread.sleep(100);
    first.complete("done");
    assertTrue(stale.failed());
    assertFalse(started[0], "never started");
    assertEquals(0, limiter.running());
  }
}
