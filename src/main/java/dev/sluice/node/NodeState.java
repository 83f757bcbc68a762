package dev.sluice.node;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this node is shutting down (set once, at the start of a graceful shutdown, and read by
 * the gateway, whose new requests get 503, and by readiness, DOWN), how many requests it still has
 * to answer, when it started and which parts of Sluice run on it (what its monitor tells the
 * cluster about it). One per node ({@code Node#state}).
 */
public final class NodeState {

  /** The gateway's name among the node's running parts; a loader's is its family's. */
  public static final String GATEWAY = "gateway";

  /** The monitor's name among the node's running parts. */
  public static final String MONITOR = "monitor";

  private volatile boolean shuttingDown;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final long startedAt = System.currentTimeMillis();
  private final Map<String, Integer> running = new ConcurrentHashMap<>();

  public void shuttingDown() {
    shuttingDown = true;
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }

  /**
   * HTTP requests (pages and streams) this node's gateways have not answered yet: what a drain
   * waits for.
   */
  public AtomicInteger inFlight() {
    return inFlight;
  }

  /** When this node started (its {@code Vertx} was built), in epoch milliseconds. */
  public long startedAt() {
    return startedAt;
  }

  /**
   * A verticle of {@code part} ({@code gateway}, {@code monitor} or a loader's family) started on
   * this node.
   */
  public void partStarted(String part) {
    running.merge(part, 1, Integer::sum);
  }

  /** A verticle of {@code part} that {@link #partStarted} counted stopped. */
  public void partStopped(String part) {
    running.computeIfPresent(part, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** The parts with a verticle running on this node, in no order. */
  public Set<String> running() {
    return Set.copyOf(running.keySet());
  }
}
