package dev.sluice.loader;

import dev.sluice.bus.Addresses;
import dev.sluice.bus.Failures;
import dev.sluice.bus.LoaderReply;
import dev.sluice.bus.Operation;
import dev.sluice.bus.Problem;
import dev.sluice.bus.ProblemException;
import dev.sluice.bus.stream.StreamProtocol;
import dev.sluice.config.DatabaseConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.data.Database;
import dev.sluice.strategy.CursorCodec;
import dev.sluice.strategy.ListQuery;
import dev.sluice.strategy.Params;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every loader does: owns a pool, consumes its family's address, reads the {@code action} header, runs the
 * operation under the concurrency bound and replies with the encoded envelope, or fails with a problem and an
 * HTTP-like code. Subclasses only say which operations they serve and how ({@link #operations}).
 */
public abstract class LoaderVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(LoaderVerticle.class);

  /** Serves one operation: reads its parameters, loads, replies. */
  @FunctionalInterface
  protected interface Handler {
    Future<LoaderReply> handle(Params params);
  }

  /** Plans a stream: reads its parameters (recording faults in them) and says what it lists. */
  @FunctionalInterface
  protected interface StreamPlanner {
    ListQuery plan(Params params);
  }

  protected SluiceConfig settings;
  protected Pool pool;
  protected Pages pages;
  private Pool streamPool;
  private Streams streams;
  private Limiter limiter;
  private final Map<String, Handler> handlers = new HashMap<>();
  private final Map<String, StreamPlanner> streamPlanners = new HashMap<>();
  private final Map<String, Notifications> followers = new HashMap<>();

  /** The event-bus address of this loader's family ({@link Addresses}). */
  protected abstract String address();

  /**
   * Registers the operations this loader serves with {@link #serve} and {@link #serveStream}; returns what must
   * be ready before the loader takes requests.
   */
  protected abstract Future<Void> operations();

  protected final void serve(Operation operation, Handler handler) {
    if (!operation.address().equals(address())) {
      throw new IllegalArgumentException(operation + " is not served at " + address());
    }
    handlers.put(operation.action(), handler);
  }

  /** Registers a stream operation: every row of the planned listing, in order, resumable with {@code after}. */
  protected final void serveStream(Operation operation, StreamPlanner planner) {
    if (!operation.address().equals(address())) {
      throw new IllegalArgumentException(operation + " is not served at " + address());
    }
    streamPlanners.put(operation.action(), planner);
  }

  /**
   * Registers a stream that a client may also {@code follow}: once the listing is sent, the stream stays open and
   * sends the rows that come after, each time PostgreSQL notifies {@code channel}. Completes once listening.
   */
  protected final Future<Void> serveFollowableStream(Operation operation, StreamPlanner planner, String channel) {
    serveStream(operation, planner);
    return Notifications.listen(vertx, Database.connectOptions(settings.database(), 0), channel)
      .onSuccess(n -> followers.put(operation.action(), n))
      .mapEmpty();
  }

  @Override
  public Future<?> start() {
    settings = SluiceConfig.from(config());
    long timeoutMs = settings.lazy().timeoutSeconds() * 1000L;
    pool = Database.pool(vertx, settings.database(), timeoutMs);
    CursorCodec cursors = new CursorCodec(settings.cursor().secret(), Duration.ofSeconds(settings.cursor().ttlSeconds()),
      Clock.systemUTC());
    CheckpointIndex checkpoints = new CheckpointIndex(settings.limits().scrollCheckpointStep(),
      settings.limits().scrollCheckpointTtlSeconds() * 1000L, 256);
    pages = new Pages(pool, cursors, checkpoints);
    // streams hold a connection for as long as they run: a pool of their own, whose short wait queue makes overload
    // a fast 503 rather than a queue in memory
    streamPool = Database.pool(vertx, new DatabaseConfig(settings.database().url(), null, 0, null,
      settings.database().poolSize(), settings.database().poolSize()), timeoutMs);
    streams = new Streams(vertx, streamPool, cursors, settings);
    if (!settings.lazy().enableBackpressure()) {
      LOG.warn("config.ignored key=lazy_loading.enable_backpressure value=false: streams are always flow-controlled");
    }
    int concurrency = settings.lazy().maxConcurrentBatches();
    // a request waits for its reply timeoutMs + 2 s (the gateway's send timeout): past that, a queued load is dropped
    limiter = new Limiter(concurrency, concurrency * 16, timeoutMs + 2_000);
    Future<Void> ready = operations();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(address(), this::dispatch);
    return Future.join(ready, consumer.completion());
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    followers.values().forEach(n -> closing.add(n.close()));
    if (pool != null) {
      closing.add(pool.close());
    }
    if (streamPool != null) {
      closing.add(streamPool.close());
    }
    return Future.join(closing);
  }

  /** The data family this loader serves, as named in {@code data_types} of the configuration. */
  protected abstract String family();

  protected final int page(Params params) {
    return params.integer("page", 1, 10_000_000, 1);
  }

  protected final int perPage(Params params) {
    int max = settings.limits().maxPageSize();
    return params.integer("per_page", 1, max, Math.min(settings.policy(family()).pageSize(), max));
  }

  protected final int limit(Params params) {
    return params.integer("limit", 1, settings.limits().maxLimit(), settings.limits().defaultLimit());
  }

  protected final String cursor(Params params) {
    return params.string("cursor", 1, 4096, false);
  }

  private void dispatch(Message<JsonObject> message) {
    String action = message.headers().get(Addresses.ACTION_HEADER);
    if (message.headers().contains(StreamProtocol.STREAM_ADDRESS)) {
      openStream(action, message);
      return;
    }
    Handler handler = action == null ? null : handlers.get(action);
    if (handler == null) {
      fail(message, Problem.of(Failures.NOT_FOUND, "unknown-action", "Unknown action",
        "No action '" + action + "' at " + address()));
      return;
    }
    long started = System.nanoTime();
    limiter.run(() -> handler.handle(new Params(message.body())))
      .onSuccess(reply -> {
        DeliveryOptions options = new DeliveryOptions();
        if (reply.nextCursor() != null) {
          options.addHeader(Addresses.NEXT_CURSOR_HEADER, reply.nextCursor());
        }
        if (reply.prevCursor() != null) {
          options.addHeader(Addresses.PREV_CURSOR_HEADER, reply.prevCursor());
        }
        message.reply(reply.body(), options);
        LOG.debug("load.done address={} action={} ms={}", address(), action, (System.nanoTime() - started) / 1e6);
      })
      .onFailure(err -> fail(message, problemOf(action, err)));
  }

  private void openStream(String action, Message<JsonObject> message) {
    StreamPlanner planner = action == null ? null : streamPlanners.get(action);
    Operation operation = planner == null ? null : Operation.stream(address(), action);
    if (operation == null) {
      fail(message, Problem.of(Failures.NOT_FOUND, "unknown-action", "Unknown action",
        "No stream '" + action + "' at " + address()));
      return;
    }
    try {
      Params params = new Params(message.body());
      String after = params.string("after", 1, 4096, false);
      Notifications follow = followers.get(action);
      boolean following = follow != null && Boolean.TRUE.equals(params.bool("follow", false));
      ListQuery query = planner.plan(params);
      params.validate();
      streams.run(operation, query, streams.resumeFrom(operation, query, after), message, following ? follow : null);
    } catch (ProblemException e) {
      fail(message, e.problem());
    } catch (RuntimeException e) {
      fail(message, problemOf(action, e));
    }
  }

  private Problem problemOf(String action, Throwable err) {
    Problem problem = problemOf(err, settings.lazy().timeoutSeconds());
    if (problem.status() >= 500 && problem.status() < 503) {
      LOG.error("load.failed address={} action={}", address(), action, err);
    } else if (problem.status() >= 503) {
      LOG.warn("load.{} address={} action={} cause={}", problem.type(), address(), action, err.getMessage());
    }
    return problem;
  }

  /**
   * What a failed load means to its client, for pages and streams alike: the problem it carries, a 504 when
   * PostgreSQL cancelled the statement at its timeout, a 503 when the database cannot be reached or the pool is
   * full, else a 500 with no detail.
   */
  static Problem problemOf(Throwable err, int timeoutSeconds) {
    if (err instanceof ProblemException p) {
      return p.problem();
    }
    if (err instanceof PgException pg) {
      String state = pg.getSqlState();
      if ("57014".equals(state)) {
        return Problem.timeout("The load ran past its timeout of " + timeoutSeconds + " s");
      }
      if (state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P"))) {
        return Problem.unavailable("The database is unavailable", 5);
      }
    }
    String message = err.getMessage();
    if (err instanceof io.vertx.core.VertxException && message != null
      && (message.contains("Connection") || message.contains("connection") || message.contains("wait queue")
      || message.contains("Timeout"))) {
      return Problem.unavailable("The database is unavailable or busy", 5);
    }
    return Problem.internal();
  }

  private static void fail(Message<?> message, Problem problem) {
    message.fail(problem.status(), problem.toJson().encode());
  }
}
