package dev.sluice.monitor;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this node is shutting down (set once, at the start of a graceful shutdown, and read by the gateway, whose
 * new requests get 503, and by readiness, DOWN), and how many requests it still has to answer.
 */
public final class NodeState {

  static final String MAP = "sluice.node";

  private NodeState() {
  }

  public static void shuttingDown(Vertx vertx) {
    vertx.sharedData().<String, Object>getLocalMap(MAP).put("shutting-down", true);
  }

  public static boolean isShuttingDown(Vertx vertx) {
    LocalMap<String, Object> map = vertx.sharedData().getLocalMap(MAP);
    return Boolean.TRUE.equals(map.get("shutting-down"));
  }

  /** HTTP requests (pages and streams) this node's gateways have not answered yet: what a drain waits for. */
  public static AtomicInteger inFlight(Vertx vertx) {
    LocalMap<String, Object> map = vertx.sharedData().getLocalMap(MAP);
    return ((Counter) map.computeIfAbsent("in-flight", k -> new Counter())).count;
  }

  private static final class Counter implements Shareable {
    final AtomicInteger count = new AtomicInteger();
  }
}
