package dev.sluice.node;

import dev.sluice.cache.Cache;
import dev.sluice.config.SluiceConfig;
import dev.sluice.db.Changes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One Sluice node: its {@code Vertx} and everything its verticles share — the configuration it was
 * built with, the metrics registry, its place in the cluster, its state (started, shutting down,
 * requests in flight, parts running), the memory level the monitor sets, each family's figures, the
 * stream limits and progress, and the node cache with the database notifications behind it. Built
 * once by the launcher ({@code Nodes.start}) and handed to each verticle through its constructor;
 * closing it closes the cache, the notifications and Vert.x.
 */
public final class Node {

  private static final MeterRegistry NONE = new CompositeMeterRegistry();

  private final Vertx vertx;
  private final SluiceConfig settings;
  private final MeterRegistry meters;
  private final Cluster cluster;
  private final Membership membership;
  private final NodeState state = new NodeState();
  private final AtomicReference<MemoryLevel> memory = new AtomicReference<>(MemoryLevel.NORMAL);
  private final Map<String, LoaderStats> families = new ConcurrentHashMap<>();
  private final StreamLimits streamLimits;
  private final StreamProgress streams = new StreamProgress();
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> holding =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A context no verticle owns: what the node shares lives on it, whichever verticle asked for it
   * first.
   */
  private final Context own;

  private final Function<Buffer, Cache.Value> decoder;
  private Future<Changes> changes;
  private Future<Cache> cache;
  private boolean closed;

  private Node(
      Vertx vertx,
      SluiceConfig settings,
      MeterRegistry meters,
      HazelcastClusterManager manager,
      Function<Buffer, Cache.Value> decoder) {
    if (Vertx.currentContext() != null) {
      throw new IllegalStateException(
          "a node is built off Vert.x's threads (its own context must belong to no " + "verticle)");
    }
    this.vertx = vertx;
    this.settings = settings;
    this.meters = meters == null ? NONE : meters;
    this.cluster = manager == null ? null : new Cluster(vertx, manager);
    this.membership = manager == null ? Membership.NONE : Membership.of(vertx, manager);
    this.streamLimits =
        new StreamLimits(
            settings.streaming().maxStreams(), settings.streaming().maxStreamsPerClient());
    this.decoder = decoder;
    this.own = vertx.getOrCreateContext();
    state.startedAt();
  }

  /**
   * The node of {@code vertx}, built with {@code settings}; {@code meters} is the registry Vert.x
   * was built with (null without metrics), {@code manager} its cluster manager (null when it runs
   * alone), {@code decoder} what reads a cached value back from the cluster tier.
   */
  public static Node create(
      Vertx vertx,
      SluiceConfig settings,
      MeterRegistry meters,
      HazelcastClusterManager manager,
      Function<Buffer, Cache.Value> decoder) {
    return new Node(vertx, settings, meters, manager, decoder);
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The configuration the node was built with. */
  public SluiceConfig settings() {
    return settings;
  }

  /**
   * The node's Micrometer registry, or one that keeps nothing when Vert.x was built without
   * metrics.
   */
  public MeterRegistry meters() {
    return meters;
  }

  /** Whether this node exports metrics at all. */
  public boolean metricsEnabled() {
    return meters != NONE;
  }

  /** The cluster this node belongs to; empty when it runs alone. */
  public Optional<Cluster> cluster() {
    return Optional.ofNullable(cluster);
  }

  /** Who leaves the cluster; one that never tells of anyone on a node that runs alone. */
  public Membership membership() {
    return membership;
  }

  public NodeState state() {
    return state;
  }

  /** The node's memory level as the monitor last set it; normal when no monitor runs. */
  public MemoryLevel memoryLevel() {
    return memory.get();
  }

  /** Sets the node's memory level: the monitor's to do. */
  public void memoryLevel(MemoryLevel level) {
    memory.set(level);
  }

  private volatile List<String> served = dev.sluice.api.Operation.families();

  /**
   * The data families the node's loaders serve, in order: the demo's, then each declared dataset
   * (set once the declarations are checked, before anything is deployed).
   */
  public List<String> families() {
    return served;
  }

  /** Sets the families served: the deployer's to do, once the declarations are checked. */
  public void families(List<String> families) {
    served = List.copyOf(families);
  }

  /** The node's figures of {@code family}. */
  public LoaderStats loaderStats(String family) {
    return families.computeIfAbsent(family, f -> new LoaderStats(meters, f));
  }

  /** Every family counted on this node so far. */
  public Map<String, LoaderStats> loaderStats() {
    return Map.copyOf(families);
  }

  /**
   * The streams holding a cursor of the shared stream pool called {@code pool} ({@code
   * Database.pool}): one count for every loader that streams through it.
   */
  public java.util.concurrent.atomic.AtomicInteger streamsHolding(String pool) {
    return holding.computeIfAbsent(pool, p -> new java.util.concurrent.atomic.AtomicInteger());
  }

  /** How many streams the node's gateways hold open, in all and per client. */
  public StreamLimits streamLimits() {
    return streamLimits;
  }

  /**
   * The streams open on this node, with the rows each has fetched (a producer) or delivered (a
   * consumer).
   */
  public StreamProgress streams() {
    return streams;
  }

  /**
   * The node's database notifications, connected and listening: made by the first caller, on the
   * node's own context; the future completes on the caller's.
   */
  public synchronized Future<Changes> changes() {
    if (changes == null || changes.failed()) {
      changes = onOwnContext(() -> Changes.listen(vertx, settings.database()));
    }
    return onCaller(changes);
  }

  /**
   * The node cache, made by the first caller (on a clustered node, unless {@code
   * cluster.cache.shared} is off, with a cluster-wide tier behind the local one); the future
   * completes on the caller's context.
   */
  public synchronized Future<Cache> cache() {
    if (cache == null || cache.failed()) {
      boolean shared = cluster != null && settings.cluster().cache().shared();
      Future<Changes> heard = changes();
      cache =
          heard.compose(
              c ->
                  onOwnContext(
                      () ->
                          Future.succeededFuture(
                              Cache.create(vertx, settings, c, shared, decoder))));
    }
    return onCaller(cache);
  }

  /** The node cache if it is made, else null; never makes it. */
  public synchronized Cache cacheIfReady() {
    return cache != null && cache.succeeded() ? cache.result() : null;
  }

  /**
   * Undeploys every verticle (each stops as it would alone), then closes the cache, the
   * notifications and Vert.x. Runs once.
   */
  public Future<Void> close() {
    Future<Cache> made;
    Future<Changes> heard;
    synchronized (this) {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      made = cache;
      heard = changes;
    }
    List<Future<?>> undeployed = new ArrayList<>();
    for (String id : vertx.deploymentIDs()) {
      undeployed.add(vertx.undeploy(id).otherwiseEmpty());
    }
    return Future.join(undeployed)
        .<Void>mapEmpty()
        .eventually(
            () ->
                made == null
                    ? Future.succeededFuture()
                    : made.compose(Cache::close, err -> Future.succeededFuture()))
        .eventually(
            () ->
                heard == null
                    ? Future.succeededFuture()
                    : heard.compose(Changes::close, err -> Future.succeededFuture()))
        .eventually(vertx::close);
  }

  private <T> Future<T> onOwnContext(java.util.function.Supplier<Future<T>> make) {
    Promise<T> made = Promise.promise();
    own.runOnContext(
        v -> {
          try {
            make.get().onComplete(made);
          } catch (RuntimeException e) {
            made.fail(e);
          }
        });
    return made.future();
  }

  /** {@code future}, completed on the caller's context when there is one. */
  private static <T> Future<T> onCaller(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(
        ar -> {
          if (Vertx.currentContext() == caller) {
            promise.handle(ar);
          } else {
            caller.runOnContext(v -> promise.handle(ar));
          }
        });
    return promise.future();
  }
}
