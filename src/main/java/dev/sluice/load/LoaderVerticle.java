package dev.sluice.load;

import dev.sluice.api.Addresses;
import dev.sluice.api.Failures;
import dev.sluice.api.Operation;
import dev.sluice.api.Params;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.bus.LoaderReply;
import dev.sluice.cache.Cache;
import dev.sluice.config.DatabaseConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.db.Database;
import dev.sluice.db.Faults;
import dev.sluice.node.LoaderStats;
import dev.sluice.node.Node;
import dev.sluice.plan.CursorCodec;
import dev.sluice.plan.ListQuery;
import dev.sluice.plan.Load;
import dev.sluice.plan.Operations;
import dev.sluice.plan.Planners;
import dev.sluice.stream.StreamProtocol;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every loader does: owns its pools, consumes its family's address and serves each operation
 * the {@link Planners} plan for it. A request is planned (and so validated) first, then run through
 * the {@link LoadRunner}, which answers from the node cache when it can; the reply carries the
 * encoded envelope and its ETag, cursors and encoding as headers. A failure is a problem with an
 * HTTP-like code. Each kind of message has its own address and consumer ({@link Addresses}): loads,
 * pings, prefetches, stream opens (a cursor stream, {@link Streams}) and splits. One class for
 * every family: which one it serves is given when it is made.
 */
public final class LoaderVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(LoaderVerticle.class);

  private SluiceConfig settings;
  private Planners planners;
  private Pool pool;
  private Pool streamPool;
  private Streams streams;
  private Snapshots snapshots;
  private Splitter splitter;
  private LoadRunner runner;
  private volatile boolean stopping;
  private dev.sluice.db.Changes changes;
  private Items items;
  private Limiter limiter;
  private Resilience resilience;
  private CursorCodec cursors;

  /** Whether this instance counts among the node's running parts ({@code NodeState#running}). */
  private boolean counted;

  /**
   * What unregisters each following stream's listener still registered: done on stop at the latest.
   */
  private final java.util.Set<Runnable> unsubscribe = new java.util.LinkedHashSet<>();

  /** The pool every declared dataset's loader on a node reads pages through. */
  static final String SHARED_POOL = "sluice-data";

  /** The pool every declared dataset's loader on a node streams through. */
  static final String SHARED_STREAM_POOL = "sluice-data-streams";

  private final Node node;
  private final Operations declared;
  private final String family;
  private final String address;

  /** A loader of {@code family} ({@code videos}, …) on {@code node}. */
  public LoaderVerticle(Node node, String family) {
    this(node, family, null);
  }

  /**
   * A loader of {@code family} on {@code node} that reads requests as {@code declared} says (null:
   * as {@link Operations#create} declares them for the configuration it is deployed with).
   */
  public LoaderVerticle(Node node, String family, Operations declared) {
    this.declared = declared;
    this.node = node;
    this.family = family;
    this.address = Operation.addressOf(family);
  }

  /** The event-bus address of this loader's family ({@link Addresses}). */
  private String address() {
    return address;
  }

  @Override
  public Future<?> start() {
    settings = SluiceConfig.from(config());
    planners = Planners.create(declared != null ? declared : Operations.create(settings));
    long timeoutMs = settings.lazy().timeoutSeconds() * 1000L;
    // the declared datasets' loaders share one pool for pages and one for streams on the node, so
    // that the connections do not grow with the number of datasets; the demo's each have their own
    String shared = planners.operations().dataset(family) != null ? SHARED_POOL : null;
    pool = Database.pool(vertx, settings.database(), timeoutMs, shared);
    // streams hold a connection for as long as they run: a pool of their own, whose short wait
    // queue makes overload
    // a fast 503 rather than a queue in memory
    streamPool =
        Database.pool(
            vertx,
            new DatabaseConfig(
                settings.database().url(),
                settings.database().poolSize(),
                settings.database().poolSize()),
            timeoutMs,
            shared == null ? null : SHARED_STREAM_POOL);
    if (!settings.lazy().enableBackpressure()) {
      LOG.warn(
          "config.ignored key=lazy_loading.enable_backpressure value=false: streams are always flow-controlled");
    }
    cursors = CursorCodec.of(settings.cursor());
    LoaderStats stats = node.loaderStats(family);
    stats.operations(
        planners.operations().all().stream()
            .map(Operations.Spec::operation)
            .filter(op -> op.address().equals(address()) && !op.streaming())
            .map(Operation::qualifiedName)
            .toList());
    resilience =
        new Resilience(
            vertx,
            family,
            settings.resilience(),
            settings.lazy().retryAttempts(),
            settings.lazy().retryDelaySeconds(),
            settings.lazy().timeoutSeconds(),
            stats);
    // a snapshot for the ranges of one listing is held until they have all opened, as long as a
    // stream's open may wait
    snapshots = new Snapshots(vertx, pool, (settings.lazy().timeoutSeconds() + 2) * 1000L);
    streams =
        new Streams(
            node,
            streamPool,
            pool,
            cursors,
            settings,
            stats,
            resilience,
            snapshots,
            shared == null
                ? new java.util.concurrent.atomic.AtomicInteger()
                : node.streamsHolding(SHARED_STREAM_POOL),
            shared != null);
    int concurrency = settings.lazy().maxConcurrentBatches();
    // a load's tries end at timeoutMs + 1 s (Resilience): a load still queued by then is dropped
    // unstarted
    limiter = new Limiter(concurrency, concurrency * 32, timeoutMs + 1_000);
    splitter = new Splitter(pool, resilience, limiter, cursors);
    return Future.all(node.cache(), node.changes())
        .compose(
            ready -> {
              Cache cache = ready.resultAt(0);
              changes = ready.resultAt(1);
              ScrollIndex scroll =
                  new ScrollIndex(
                      pool,
                      cache,
                      settings.limits().scrollCheckpointStep(),
                      settings.limits().scrollCheckpointTtlSeconds() * 1000L);
              items =
                  new Items(
                      vertx,
                      pool,
                      limiter,
                      resilience,
                      settings.items(),
                      stats,
                      settings.lazy().rowEncoding());
              runner =
                  new LoadRunner(
                      cache,
                      cache,
                      new Pages(pool, cursors, scroll, items, cache, settings.lazy().rowEncoding()),
                      limiter,
                      resilience,
                      stats,
                      settings);
              // one address per kind of message (docs/EVENT_BUS.md): loads at the family's own, the
              // others beside it
              EventBus bus = vertx.eventBus();
              return Future.all(
                  List.of(
                      bus.<JsonObject>consumer(address(), this::load).completion(),
                      bus.consumer(Addresses.pingOf(address()), this::ping).completion(),
                      bus.<JsonObject>consumer(Addresses.prefetchOf(address()), this::prefetch)
                          .completion(),
                      bus.<JsonObject>consumer(
                              Addresses.streamOpenOf(address()), unlessStopping(this::openStream))
                          .completion(),
                      bus.<JsonObject>consumer(
                              Addresses.splitsOf(address()), unlessStopping(this::split))
                          .completion()));
            })
        .onSuccess(
            v -> {
              node.state().partStarted(family);
              counted = true;
            })
        // Vert.x does not stop a verticle whose start failed: give back what was taken
        .recover(err -> stop().transform(v -> Future.failedFuture(err)));
  }

  @Override
  public Future<?> stop() {
    // from here, requests (and loads cut by the pools closing) are answered "leaving": the sender
    // tries another
    stopping = true;
    if (counted) {
      node.state().partStopped(family);
      counted = false;
    }
    List.copyOf(unsubscribe).forEach(Runnable::run);
    if (items != null) {
      items.close();
    }
    if (snapshots != null) {
      snapshots.close();
    }
    if (limiter != null) {
      limiter.close();
    }
    if (resilience != null) {
      resilience.close();
    }
    List<Future<?>> closing = new ArrayList<>();
    if (pool != null) {
      closing.add(pool.close());
    }
    if (streamPool != null) {
      closing.add(streamPool.close());
    }
    return Future.join(closing);
  }

  /**
   * The health checks' question "is this loader deployed and answering?", answered with its
   * breaker's state.
   */
  private void ping(Message<Object> message) {
    message.reply(new JsonObject().put("breaker", resilience.state().name()));
  }

  /** A load: planned (a bad request is answered 400 here), then served through the node cache. */
  private void load(Message<JsonObject> message) {
    if (stopping) {
      leaving(message);
      return;
    }
    Load load = planned(message);
    if (load == null) {
      return;
    }
    String action = message.headers().get(Addresses.ACTION_HEADER);
    long started = System.nanoTime();
    runner
        .serve(load, "true".equals(message.headers().get(Addresses.LOOKED_UP_HEADER)))
        .onSuccess(
            served -> {
              message.reply(served.reply().body(), headers(served.reply(), served.fromCache()));
              LOG.debug(
                  "load.done address={} action={} cached={} ms={}",
                  address(),
                  action,
                  served.fromCache(),
                  (System.nanoTime() - started) / 1e6);
            })
        .onFailure(
            err -> {
              if (stopping) {
                leaving(message);
              } else {
                fail(message, problemOf(message, err));
              }
            });
  }

  /**
   * A prefetched reply of this load was just used (a one-way send): the pages after it are loaded
   * ahead too.
   */
  private void prefetch(Message<JsonObject> message) {
    if (stopping) {
      return;
    }
    Load load = planned(message);
    if (load != null) {
      runner.prefetchAfter(load);
    }
  }

  /**
   * The load a request asks for, or null once it is answered with why there is none (404 or 400).
   */
  private Load planned(Message<JsonObject> message) {
    Operation operation = operationOf(message);
    if (operation == null || !planners.plans(operation)) {
      fail(
          message,
          Problem.of(
              Failures.NOT_FOUND,
              "unknown-action",
              "Unknown action",
              "No action '"
                  + message.headers().get(Addresses.ACTION_HEADER)
                  + "' at "
                  + address()));
      return null;
    }
    try {
      return planners.plan(operation, message.body());
    } catch (ProblemException e) {
      fail(message, e.problem());
      return null;
    }
  }

  /** The operation a request's {@link Addresses#ACTION_HEADER} names at this family, or null. */
  private Operation operationOf(Message<?> message) {
    String action = message.headers().get(Addresses.ACTION_HEADER);
    return action == null ? null : planners.operations().find(address(), action);
  }

  /**
   * A stream request ({@code openStream}, {@code split}) with its operation, or "leaving" while
   * this stops.
   */
  private Handler<Message<JsonObject>> unlessStopping(
      BiConsumer<Operation, Message<JsonObject>> handler) {
    return message -> {
      if (stopping) {
        leaving(message);
      } else {
        handler.accept(operationOf(message), message);
      }
    };
  }

  /** Says this loader is stopping (docs/EVENT_BUS.md): the sender may find another instance. */
  private void leaving(Message<?> message) {
    message.fail(
        Failures.LEAVING, Problem.unavailable("The loader is stopping", 1).toJson().encode());
  }

  /** The reply's headers: everything the gateway needs besides the body (docs/EVENT_BUS.md). */
  static DeliveryOptions headers(LoaderReply reply, boolean fromCache) {
    DeliveryOptions options =
        new DeliveryOptions()
            .addHeader(Addresses.ETAG_HEADER, reply.etag())
            .addHeader(Addresses.ITEMS_HEADER, Integer.toString(reply.items()))
            .addHeader(Addresses.CACHE_HEADER, fromCache ? "hit" : "miss");
    if (reply.hasMore()) {
      options.addHeader(Addresses.HAS_MORE_HEADER, "true");
    }
    if (reply.gzipped()) {
      options.addHeader(Addresses.ENCODING_HEADER, "gzip");
    }
    if (reply.nextCursor() != null) {
      options.addHeader(Addresses.NEXT_CURSOR_HEADER, reply.nextCursor());
    }
    if (reply.prevCursor() != null) {
      options.addHeader(Addresses.PREV_CURSOR_HEADER, reply.prevCursor());
    }
    if (reply.prefetched()) {
      options.addHeader(Addresses.PREFETCHED_HEADER, "true");
    }
    return options;
  }

  /**
   * The stream plan of {@code operation}, or null once {@code message} is answered that there is no
   * such stream.
   */
  private Planners.StreamPlan streamPlan(Operation operation, Message<JsonObject> message) {
    Planners.StreamPlan plan = operation == null ? null : planners.streamPlan(operation);
    if (plan == null) {
      fail(
          message,
          Problem.of(
              Failures.NOT_FOUND,
              "unknown-action",
              "Unknown action",
              "No stream '"
                  + message.headers().get(Addresses.ACTION_HEADER)
                  + "' at "
                  + address()));
    }
    return plan;
  }

  private void openStream(Operation operation, Message<JsonObject> message) {
    Planners.StreamPlan plan = streamPlan(operation, message);
    if (plan == null) {
      return;
    }
    try {
      Planners.StreamRequest request = planners.streamRequest(operation, message.body(), cursors);
      streams.run(
          operation, request, message, request.following() ? wakeups(plan.followTable()) : null);
    } catch (ProblemException e) {
      fail(message, e.problem());
    } catch (RuntimeException e) {
      fail(message, problemOf(message, e));
    }
  }

  /**
   * Answers where to cut a stream's listing into about equal ranges ({@link Splitter}): the request
   * of a stream operation with the header {@link StreamProtocol#SPLITS} (how many ranges) and the
   * stream's parameters, which must not place the stream ({@code after}, {@code until}, {@code
   * follow}).
   */
  private void split(Operation operation, Message<JsonObject> message) {
    Planners.StreamPlan plan = streamPlan(operation, message);
    if (plan == null) {
      return;
    }
    try {
      Params params = planners.params(operation, message.body());
      int parts = 0;
      try {
        parts = Integer.parseInt(message.headers().get(StreamProtocol.SPLITS));
      } catch (NumberFormatException e) {
        // reported below with the other faults
      }
      if (parts < 1 || parts > StreamProtocol.MAX_SPLITS) {
        params.fail(
            StreamProtocol.SPLITS,
            "must be a whole number between 1 and " + StreamProtocol.MAX_SPLITS);
      }
      for (String placed :
          List.of(
              "after",
              StreamProtocol.UNTIL,
              StreamProtocol.SNAPSHOT,
              "follow",
              StreamProtocol.LAST_EVENT_ID)) {
        if (params.has(placed)) {
          params.fail(placed, "cannot be given when asking where to split a stream");
        }
      }
      ListQuery query = planners.planStream(operation, params);
      long started = System.nanoTime();
      int asked = parts;
      splitter
          .split(operation, query, parts)
          // ranges to read: one snapshot for all of them, so that a row moved between them
          // meanwhile is read once
          .compose(
              reply ->
                  reply.getJsonArray("positions").isEmpty()
                      ? Future.succeededFuture(reply)
                      : snapshots
                          .export(reply.getJsonArray("positions").size() + 1)
                          .map(id -> reply.put("snapshot", id)))
          .onSuccess(
              reply -> {
                LOG.info(
                    "stream.split op={} parts={} cuts={} source={} ms={} request_id={}",
                    operation.qualifiedName(),
                    asked,
                    reply.getJsonArray("positions").size(),
                    reply.getString("source"),
                    (System.nanoTime() - started) / 1_000_000,
                    message.headers().get(Addresses.REQUEST_ID_HEADER));
                message.reply(reply);
              })
          .onFailure(err -> fail(message, problemOf(message, err)));
    } catch (ProblemException e) {
      fail(message, e.problem());
    } catch (RuntimeException e) {
      fail(message, problemOf(message, e));
    }
  }

  /** Wakes a following stream on this loader's context each time {@code table} is written to. */
  private Streams.Wakeups wakeups(String table) {
    Context context = vertx.getOrCreateContext();
    return listener -> {
      Runnable unregister =
          changes.onChange(
              changed -> {
                if (changed.equals(table)) {
                  context.runOnContext(v -> listener.run());
                }
              });
      unsubscribe.add(unregister);
      return () -> {
        unsubscribe.remove(unregister);
        unregister.run();
      };
    };
  }

  private Problem problemOf(Message<?> message, Throwable err) {
    Problem problem = resilience.problemOf(err);
    String action = message.headers().get(Addresses.ACTION_HEADER);
    String requestId = message.headers().get(Addresses.REQUEST_ID_HEADER);
    if (problem.status() >= 500 && problem.status() < 503) {
      LOG.error(
          "load.failed address={} action={} request_id={}", address(), action, requestId, err);
    } else if (problem.status() >= 503) {
      LOG.warn(
          "load.{} address={} action={} cause={} request_id={}",
          problem.type(),
          address(),
          action,
          Faults.of(err).cause(),
          requestId);
    }
    return problem;
  }

  private static void fail(Message<?> message, Problem problem) {
    message.fail(problem.status(), problem.toJson().encode());
  }
}
