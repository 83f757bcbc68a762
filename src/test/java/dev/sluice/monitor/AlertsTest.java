package dev.sluice.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.config.MonitorConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName(
    "The seed's alerts are logged once when they start and once when they end, not at every check")
class AlertsTest {

  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(Alerts.class);
  final Alerts alerts = new Alerts(MonitorConfig.from(new JsonObject()));

  @BeforeEach
  void listen() {
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(log);
  }

  static Statistics.Recent videos(
      long loads, double averageMs, long hits, long misses, long errors) {
    return new Statistics.Recent("videos", loads, averageMs, hits, misses, errors);
  }

  long lines(String text) {
    return log.list.stream().filter(e -> e.getFormattedMessage().contains(text)).count();
  }

  @Test
  @DisplayName(
      "slow loads, a low hit rate and errors are each raised once while they hold, and cleared once")
  void onceEach() {
    for (int check = 0; check < 5; check++) {
      alerts.check(List.of(videos(20, 1_500, 10, 90, 11)));
    }
    assertTrue(alerts.raised("videos", "slow-loads"));
    assertTrue(alerts.raised("videos", "low-hit-rate"));
    assertTrue(alerts.raised("videos", "errors"));
    assertEquals(1, lines("alert=slow-loads"));
    assertEquals(1, lines("alert=low-hit-rate"));
    assertEquals(1, lines("alert=errors"));
    for (int check = 0; check < 5; check++) {
      alerts.check(List.of(videos(20, 30, 95, 5, 0)));
    }
    assertFalse(alerts.raised("videos", "slow-loads"));
    assertEquals(2, lines("alert=slow-loads"), "raised, then cleared");
    assertEquals(1, lines("alert.cleared loader=videos alert=errors"));
  }

  @Test
  @DisplayName("a hit rate means nothing before enough lookups")
  void fewLookups() {
    alerts.check(List.of(videos(5, 10, 1, 20, 0)));
    assertFalse(alerts.raised("videos", "low-hit-rate"));
    alerts.check(List.of(videos(5, 10, 10, 10, 10)));
    assertFalse(alerts.raised("videos", "errors"), "10 errors is not more than 10");
  }
}
