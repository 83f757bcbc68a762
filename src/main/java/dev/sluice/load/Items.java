package dev.sluice.load;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.config.ItemsConfig;
import dev.sluice.config.RowEncoding;
import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.RowFormat;
import dev.sluice.db.Sql;
import dev.sluice.node.LoaderStats;
import dev.sluice.plan.Plans;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Single-item loads of one family coalesced into {@code WHERE id = ANY($1)} queries, as a
 * DataLoader does: the first load of a batch waits {@code window_ms} (or to the end of the
 * event-loop turn) for others, and while a family has {@code max_in_flight} queries running the
 * loads that arrive meanwhile wait and go together in the next one, so batches grow with the load
 * instead of queries multiplying. At most {@code max_batch} ids a query. Each query takes a place
 * within the loader's concurrency bound; the loads waiting for it take none. Used from the loader's
 * event loop only.
 */
final class Items {

  /** One family's loads waiting for a query, and how many queries are under way. */
  private static final class Queue {
    final Map<UUID, Promise<String>> pending = new LinkedHashMap<>();
    boolean scheduled;
    int inFlight;
  }

  private final Vertx vertx;
  private final Pool pool;
  private final Limiter limiter;
  private final Resilience resilience;
  private final ItemsConfig config;
  private final LoaderStats stats;
  private final RowEncoding encoding;
  private final Map<Dataset, Queue> queues = new HashMap<>();
  private long queries;

  Items(
      Vertx vertx,
      Pool pool,
      Limiter limiter,
      Resilience resilience,
      ItemsConfig config,
      LoaderStats stats,
      RowEncoding encoding) {
    this.encoding = encoding;
    this.resilience = resilience;
    this.vertx = vertx;
    this.pool = pool;
    this.limiter = limiter;
    this.config = config;
    this.stats = stats;
  }

  /** The item's JSON, or null when there is none with that id. */
  Future<String> load(Dataset dataset, UUID id) {
    return load(dataset, List.of(id)).map(found -> found.get(id));
  }

  /** The JSON of each of {@code ids} that exists, by id. */
  Future<Map<UUID, String>> load(Dataset dataset, Collection<UUID> ids) {
    if (!config.batching()) {
      return query(dataset, List.copyOf(ids));
    }
    Queue queue = queues.computeIfAbsent(dataset, d -> new Queue());
    List<Future<String>> answers = new ArrayList<>(ids.size());
    List<UUID> asked = new ArrayList<>(ids.size());
    for (UUID id : ids) {
      answers.add(queue.pending.computeIfAbsent(id, i -> Promise.promise()).future());
      asked.add(id);
    }
    if (queue.inFlight < maxInFlight() && !queue.scheduled) {
      queue.scheduled = true;
      if (config.windowMs() > 0) {
        vertx.setTimer(config.windowMs(), t -> dispatch(dataset, queue));
      } else {
        vertx.getOrCreateContext().runOnContext(v -> dispatch(dataset, queue));
      }
    }
    return Future.all(answers)
        .map(
            done -> {
              Map<UUID, String> found = new HashMap<>();
              for (int i = 0; i < asked.size(); i++) {
                String json = done.resultAt(i);
                if (json != null) {
                  found.put(asked.get(i), json);
                }
              }
              return found;
            });
  }

  /**
   * Fails every load still waiting for a query: the loader is going away, and its timers with it.
   */
  void close() {
    for (Queue queue : queues.values()) {
      queue
          .pending
          .values()
          .forEach(
              promise ->
                  promise.tryFail(
                      new ProblemException(Problem.unavailable("The loader is stopping", 1))));
      queue.pending.clear();
    }
  }

  /** How many queries have been sent. */
  long queries() {
    return queries;
  }

  private int maxInFlight() {
    return Math.max(1, config.maxInFlight());
  }

  /**
   * Sends one query for up to {@code max_batch} waiting ids; when it is answered, the next for
   * those left.
   */
  private void dispatch(Dataset dataset, Queue queue) {
    queue.scheduled = false;
    if (queue.pending.isEmpty() || queue.inFlight >= maxInFlight()) {
      return;
    }
    Map<UUID, Promise<String>> batch = new LinkedHashMap<>();
    var waiting = queue.pending.entrySet().iterator();
    while (waiting.hasNext() && batch.size() < Math.max(1, config.maxBatch())) {
      var entry = waiting.next();
      batch.put(entry.getKey(), entry.getValue());
      waiting.remove();
    }
    queue.inFlight++;
    query(dataset, List.copyOf(batch.keySet()))
        .onComplete(
            ar -> {
              queue.inFlight--;
              batch.forEach(
                  (id, promise) -> {
                    if (ar.succeeded()) {
                      promise.complete(ar.result().get(id));
                    } else {
                      promise.fail(ar.cause());
                    }
                  });
              dispatch(dataset, queue);
            });
  }

  /**
   * One coalesced query, guarded as any load is (breaker, retries), within the loader's concurrency
   * bound.
   */
  private Future<Map<UUID, String>> query(Dataset dataset, List<UUID> ids) {
    RowFormat format = dataset.rows(encoding);
    Sql sql = Plans.byIds(dataset, format, ids.toArray(new UUID[0]));
    return resilience
        .call(
            () ->
                limiter.run(
                    () -> {
                      queries++;
                      return pool.preparedQuery(sql.text()).execute(sql.tuple());
                    }))
        .map(
            rows -> {
              Map<UUID, String> found = new HashMap<>();
              for (Row row : rows) {
                found.put(UUID.fromString(row.getString(format.width())), format.text(row));
              }
              stats.read(found.size());
              return found;
            });
  }
}
