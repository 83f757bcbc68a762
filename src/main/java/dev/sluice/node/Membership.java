package dev.sluice.node;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who has left the cluster, for the parts that must act when a node is lost: a request sent to a
 * loader on a node that died is never answered (Vert.x fails a message it could not write only in
 * the sender's write promise, which {@code request} does not expose), so senders re-send in-flight
 * reads when a member leaves, and stream ends probe their peer. Hazelcast tells of a member's loss
 * once it missed {@code hazelcast.max.no.heartbeat.seconds} of heartbeats (5 s in {@code
 * conf/cluster.xml}) or left on its own. Vert.x's routing forgets the lost node's consumers a
 * little later (up to about half a second was seen under load), so listeners are called in waves
 * ({@link #WAVES_MS} after the event), each on the context it registered from: a request sent to
 * the lost node in that gap is sent again by the next wave.
 *
 * <p>One per node ({@code Node#membership}); {@link #NONE} on a node that runs alone, where nobody
 * ever leaves.
 */
public final class Membership {

  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  /**
   * When after Hazelcast's event the listeners run (ms): Vert.x cleans the lost node's
   * subscriptions meanwhile.
   */
  static final long[] WAVES_MS = {300, 1_000, 2_500};

  /**
   * The membership of a node that runs alone: nobody leaves, so no listener is ever kept or called.
   */
  public static final Membership NONE = new Membership(null);

  private final Vertx vertx;
  private final Map<Object, Listener> listeners = new ConcurrentHashMap<>();

  private record Listener(Context context, Runnable action) {}

  private Membership(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * The membership of {@code vertx}, clustered with {@code manager}: made once, by whoever builds
   * the node.
   */
  public static Membership of(Vertx vertx, HazelcastClusterManager manager) {
    Membership membership = new Membership(vertx);
    manager
        .getHazelcastInstance()
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {
                // nothing to do: a joining node's consumers reach the routing by themselves
              }

              @Override
              public void memberRemoved(MembershipEvent event) {
                membership.left(event.getMember().getAddress().toString());
              }
            });
    return membership;
  }

  /**
   * Runs {@code action} on the caller's context at each wave after a member leaves, until the
   * returned handle is run. The action must be cheap and idempotent: a request in flight re-sends
   * itself, a stream probes its peer.
   */
  public Runnable onMemberLeft(Runnable action) {
    if (vertx == null) {
      return () -> {};
    }
    Object handle = new Object();
    listeners.put(handle, new Listener(vertx.getOrCreateContext(), action));
    return () -> listeners.remove(handle);
  }

  private void left(String member) {
    LOG.warn("cluster.member_left member={} listeners={}", member, listeners.size());
    for (long wave : WAVES_MS) {
      vertx.setTimer(
          wave,
          t ->
              listeners
                  .values()
                  .forEach(
                      listener -> listener.context().runOnContext(v -> listener.action().run())));
    }
  }
}
