package dev.sluice.monitor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * The node's Micrometer registry: the one Vert.x was built with (its HTTP server, event-bus, pool and JVM meters are
 * in it), and where Sluice registers its own. Names follow Prometheus conventions once exported: a counter
 * {@code sluice.load.errors} is {@code sluice_load_errors_total}, a timer {@code sluice.load} is
 * {@code sluice_load_seconds}; labels are bounded (loader, operation, cause, state), never ids or paths.
 */
public final class Metrics {

  static final String MAP = "sluice.metrics";
  private static final MeterRegistry NONE = new CompositeMeterRegistry();

  private record Holder(MeterRegistry registry) implements Shareable {
  }

  private Metrics() {
  }

  /** Records {@code registry} as the node's; done once, by whoever builds the {@code Vertx}. */
  public static void install(Vertx vertx, MeterRegistry registry) {
    vertx.sharedData().<String, Holder>getLocalMap(MAP).put("registry", new Holder(registry));
  }

  /** The node's registry, or one that keeps nothing when Vert.x was built without metrics. */
  public static MeterRegistry registry(Vertx vertx) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(MAP);
    Holder holder = map.get("registry");
    return holder == null ? NONE : holder.registry();
  }

  /** Whether this node exports metrics at all. */
  public static boolean enabled(Vertx vertx) {
    return registry(vertx) != NONE;
  }
}
