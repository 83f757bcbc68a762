package dev.sluice.monitor;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * Whether this node is shutting down: set once, at the start of a graceful shutdown, and read by the gateway
 * (new requests get 503) and by readiness (DOWN).
 */
public final class NodeState {

  static final String MAP = "sluice.node";

  private NodeState() {
  }

  public static void shuttingDown(Vertx vertx) {
    vertx.sharedData().<String, Boolean>getLocalMap(MAP).put("shutting-down", true);
  }

  public static boolean isShuttingDown(Vertx vertx) {
    LocalMap<String, Boolean> map = vertx.sharedData().getLocalMap(MAP);
    return Boolean.TRUE.equals(map.get("shutting-down"));
  }
}
