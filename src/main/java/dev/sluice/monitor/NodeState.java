package dev.sluice.monitor;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this node is shutting down (set once, at the start of a graceful shutdown, and read by the gateway, whose
 * new requests get 503, and by readiness, DOWN), how many requests it still has to answer, when it started and which
 * parts of Sluice run on it (what its monitor tells the cluster about it).
 */
public final class NodeState {

  static final String MAP = "sluice.node";
  /** The gateway's name among the node's running parts; a loader's is its family's. */
  public static final String GATEWAY = "gateway";
  /** The monitor's name among the node's running parts. */
  public static final String MONITOR = "monitor";

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

  /**
   * When this node started, in epoch milliseconds: fixed by the first call (the launcher makes it right after it
   * builds the node's {@code Vertx}).
   */
  public static long startedAt(Vertx vertx) {
    LocalMap<String, Object> map = vertx.sharedData().getLocalMap(MAP);
    return (Long) map.computeIfAbsent("started-at", k -> System.currentTimeMillis());
  }

  /** A verticle of {@code part} ({@code gateway}, {@code monitor} or a loader's family) started on this node. */
  public static void partStarted(Vertx vertx, String part) {
    parts(vertx).merge(part, 1, Integer::sum);
  }

  /** A verticle of {@code part} that {@link #partStarted} counted stopped. */
  public static void partStopped(Vertx vertx, String part) {
    parts(vertx).computeIfPresent(part, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** The parts with a verticle running on this node, in no order. */
  public static Set<String> running(Vertx vertx) {
    return Set.copyOf(parts(vertx).keySet());
  }

  private static Map<String, Integer> parts(Vertx vertx) {
    LocalMap<String, Object> map = vertx.sharedData().getLocalMap(MAP);
    return ((Parts) map.computeIfAbsent("parts", k -> new Parts())).running;
  }

  private static final class Counter implements Shareable {
    final AtomicInteger count = new AtomicInteger();
  }

  private static final class Parts implements Shareable {
    final Map<String, Integer> running = new ConcurrentHashMap<>();
  }
}
