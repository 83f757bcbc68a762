package dev.sluice.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops one expected warning, and only that one (logback.xml installs it): Micrometer 1.14+ warns
 * once per registry when a gauge is registered again, and Vert.x's metrics register theirs again
 * each time a pool or client opens a connection, by design (one value per meter id,
 * vertx-micrometer's LongGauges); micrometer-metrics/micrometer#6931,
 * vert-x3/vertx-micrometer-metrics#259. Every other warning of the registry still shows.
 */
public final class GaugeReRegistrationFilter extends TurboFilter {

  private static final String REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return format != null
            && REGISTRY.equals(logger.getName())
            && format.startsWith("This Gauge has been already " + "registered")
        ? FilterReply.DENY
        : FilterReply.NEUTRAL;
  }
}
