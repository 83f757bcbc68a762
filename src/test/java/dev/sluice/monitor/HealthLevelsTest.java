package dev.sluice.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.config.MonitorConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The levels the monitor judges each figure by, with the seed's thresholds; /health itself is
 * HealthTest's.
 */
@DisplayName("Health levels: the seed's thresholds for memory, hit rate and errors")
class HealthLevelsTest {

  @Test
  @DisplayName("memory healthy under 80 %, warning under 95 %, else critical")
  void memoryThresholds() {
    Health health = new Health(MonitorConfig.from(new JsonObject()));
    assertEquals(Health.Level.HEALTHY, health.memory(79, 100));
    assertEquals(Health.Level.WARNING, health.memory(80, 100));
    assertEquals(Health.Level.WARNING, health.memory(949, 1000));
    assertEquals(Health.Level.CRITICAL, health.memory(95, 100));
  }

  @Test
  @DisplayName(
      "hit rate healthy over 0.8, warning over 0.6, else critical, once there are enough lookups")
  void hitRateThresholds() {
    Health health = new Health(MonitorConfig.from(new JsonObject()));
    assertEquals(Health.Level.HEALTHY, health.hitRate(0, 99), "too few lookups to judge");
    assertEquals(Health.Level.CRITICAL, health.hitRate(0, 100));
    assertEquals(Health.Level.HEALTHY, health.hitRate(81, 100));
    assertEquals(Health.Level.WARNING, health.hitRate(80, 100));
    assertEquals(Health.Level.WARNING, health.hitRate(61, 100));
    assertEquals(Health.Level.CRITICAL, health.hitRate(60, 100));
  }

  @Test
  @DisplayName("errors in the last minute: healthy at 0, warning under 5, else critical")
  void errorThresholds() {
    Health health = new Health(MonitorConfig.from(new JsonObject()));
    assertEquals(Health.Level.HEALTHY, health.errors(0));
    assertEquals(Health.Level.WARNING, health.errors(1));
    assertEquals(Health.Level.WARNING, health.errors(4));
    assertEquals(Health.Level.CRITICAL, health.errors(5));
  }
}
