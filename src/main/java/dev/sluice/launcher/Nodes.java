package dev.sluice.launcher;

import dev.sluice.config.SluiceConfig;
import dev.sluice.monitor.Metrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.util.UUID;

/**
 * The one place a {@code Vertx} is built (the process's, and every test's that runs the service): with Micrometer
 * metrics into a Prometheus registry when {@code lazy_loading.enable_metrics} is on (the clustering issue adds its
 * cluster manager here).
 */
public final class Nodes {

  private static final java.util.Set<String> METHODS = java.util.Set.of("GET", "HEAD", "POST", "PUT", "DELETE",
    "OPTIONS", "PATCH", "TRACE", "CONNECT");

  private Nodes() {
  }

  /** A bare Vert.x for reading the configuration, which decides how the node's own is built; closed right after. */
  static Vertx forConfiguration() {
    return Vertx.builder().build();
  }

  public static Vertx vertx(SluiceConfig settings) {
    VertxOptions options = new VertxOptions();
    VertxBuilder builder = Vertx.builder();
    PrometheusMeterRegistry registry = null;
    if (settings.lazy().enableMetrics()) {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // any token is an HTTP method to Vert.x: a client inventing methods must not invent series
      registry.config().meterFilter(MeterFilter.replaceTagValues("method",
        method -> METHODS.contains(method) ? method : "OTHER"));
      options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // a name of its own: Vert.x keeps registries by name for the whole JVM, and a test JVM runs several nodes
        .setRegistryName("sluice-" + UUID.randomUUID())
        .addLabels(Label.HTTP_ROUTE)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
      builder.withMetrics(new MicrometerMetricsFactory(registry));
    }
    Vertx vertx = builder.with(options).build();
    if (registry != null) {
      Metrics.install(vertx, registry);
    }
    return vertx;
  }
}
