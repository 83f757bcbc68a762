package dev.sluice.bus;

import dev.sluice.api.Addresses;
import dev.sluice.node.Membership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** {@link MonitorClient}: each question an empty request to its address in one monitor family. */
final class MonitorClientImpl implements MonitorClient {

  private final Vertx vertx;
  private final Membership membership;
  private final long timeoutMs;

  /** {@link Addresses#MONITOR}, or one node's {@link Addresses#monitorOf family}. */
  private final String family;

  MonitorClientImpl(Vertx vertx, Membership membership, long timeoutMs, String family) {
    this.vertx = vertx;
    this.membership = membership;
    this.timeoutMs = timeoutMs;
    this.family = family;
  }

  @Override
  public MonitorClient ofNode(String nodeId) {
    return new MonitorClientImpl(vertx, membership, timeoutMs, Addresses.monitorOf(nodeId));
  }

  @Override
  public Future<JsonObject> statistics() {
    return ask(Addresses.statsOf(family));
  }

  @Override
  public Future<JsonObject> database() {
    return ask(Addresses.databaseOf(family));
  }

  @Override
  public Future<JsonObject> health() {
    return ask(Addresses.healthOf(family));
  }

  @Override
  public Future<JsonObject> report() {
    return ask(Addresses.reportOf(family));
  }

  @Override
  public Future<JsonObject> reportHealth() {
    return ask(Addresses.reportHealthOf(family));
  }

  private Future<JsonObject> ask(String address) {
    return Delivery.<JsonObject>request(
            vertx,
            membership,
            address,
            new JsonObject(),
            new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body);
  }
}
