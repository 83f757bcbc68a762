package dev.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.LogCapture;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@DisplayName("The service's logging configuration (logback.xml) as it ships")
class LoggingTest {

  @Test
  @DisplayName(
      "Micrometer's warning that a gauge was registered again is dropped, and only that one")
  void gaugeReRegistration() {
    String name = "io.micrometer.core.instrument.MeterRegistry";
    try (LogCapture log = LogCapture.of(name)) {
      Logger registry = LoggerFactory.getLogger(name);
      registry.warn(
          "This Gauge has been already registered (MeterId{name='vertx.net.client.active.connections', "
              + "tags=[]}), the registration will be ignored. Note that subsequent logs will be logged at debug level.");
      registry.warn("Some other warning of the registry");
      assertEquals(
          List.of("Some other warning of the registry"),
          log.lines().stream().map(LogCapture.Line::message).toList());
    }
  }

  @Test
  @DisplayName("the access log has a logger of its own, at INFO")
  void accessLog() {
    assertEquals(true, LoggerFactory.getLogger("sluice.access").isInfoEnabled());
  }
}
