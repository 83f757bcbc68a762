package dev.sluice.bus;

import dev.sluice.api.Addresses;
import dev.sluice.node.Membership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The typed way to ask a monitor its questions over the event bus, one method per question, each at
 * an address of its own (docs/EVENT_BUS.md, "The monitor"):
 *
 * <pre>{@code
 * MonitorClient monitors = MonitorClient.create(vertx, node.membership(), 1_500);
 * monitors.database().onSuccess(ping -> LOG.info("database up: {}", ping.getBoolean("up")));
 * monitors.ofNode(nodeId).report().onSuccess(report -> …);   // that cluster member's own monitor
 * }</pre>
 *
 * The replies are the JSON documents the monitor writes (shapes beside the constants of {@link
 * Addresses}); they go to HTTP as they are. A question no monitor answers fails with the event
 * bus's own {@code ReplyException} ({@code NO_HANDLERS}, {@code TIMEOUT}), which callers judge as
 * they need. Questions are reads: each is sent again when its monitor is stopping or, with a {@link
 * Membership}, when a member leaves ({@link Delivery}).
 */
public interface MonitorClient {

  /** A client asking whichever monitor the bus picks, waiting {@code timeoutMs} for each answer. */
  static MonitorClient create(Vertx vertx, Membership membership, long timeoutMs) {
    return new MonitorClientImpl(vertx, membership, timeoutMs, Addresses.MONITOR);
  }

  /**
   * This client, asking only the monitor of the cluster node {@code nodeId} ({@link
   * Addresses#monitorOf}).
   */
  MonitorClient ofNode(String nodeId);

  /** The statistics document of {@code /api/v1/stats} ({@link Addresses#STATS_SUFFIX}). */
  Future<JsonObject> statistics();

  /**
   * A round trip to PostgreSQL on the monitor's own connection: {@code {up, latency_ms}} or {@code
   * {up: false, cause}} ({@link Addresses#DATABASE_SUFFIX}).
   */
  Future<JsonObject> database();

  /**
   * The health judgements of memory and of each loader's last minute ({@link
   * Addresses#HEALTH_SUFFIX}).
   */
  Future<JsonObject> health();

  /**
   * Who the node is, with its statistics ({@link Addresses#REPORT_SUFFIX}): asked of one node's
   * monitor ({@link #ofNode}), on a clustered node.
   */
  Future<JsonObject> report();

  /**
   * Who the node is, with its health summary ({@link Addresses#REPORT_HEALTH_SUFFIX}); as {@link
   * #report()}.
   */
  Future<JsonObject> reportHealth();
}
