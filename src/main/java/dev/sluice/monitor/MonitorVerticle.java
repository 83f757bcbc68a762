package dev.sluice.monitor;

import dev.sluice.api.Addresses;
import dev.sluice.cache.CachePressure;
import dev.sluice.cache.CacheStatistics;
import dev.sluice.config.DatabaseConfig;
import dev.sluice.config.MonitorConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.db.Database;
import dev.sluice.db.Faults;
import dev.sluice.node.Cluster;
import dev.sluice.node.MemoryLevel;
import dev.sluice.node.Node;
import dev.sluice.node.NodeState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the node: samples heap use against {@code memory_limit_mb} every {@code
 * monitor.sample_interval_ms}, and when the level changes tells the cache (shed half on high, clear
 * on critical), records it for the gateway (which refuses new streams while critical) and publishes
 * it on {@link Addresses#MEMORY_LEVEL}. Checks each loader's figures against the alert thresholds
 * and logs an alert once when it starts and once when it ends. Answers one question per address of
 * the {@link Addresses#MONITOR} family: the statistics document, the database probe and the health
 * judgements; on a clustered node the same, and who the node is ({@link NodeReport}), in {@link
 * Addresses#monitorOf its node's own family}. {@code dev.sluice.bus.MonitorClient} asks them.
 */
public class MonitorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorVerticle.class);

  /**
   * Points under a level's threshold that heap use must fall to leave it, so the level does not
   * flap.
   */
  static final int HYSTERESIS_PERCENT = 5;

  static final long PING_TIMEOUT_MS = 1_000;

  private final Node node;
  private final LongSupplier heapUsed;
  private SluiceConfig settings;

  /** The node cache's figures, for the meters, the statistics and the health judgements. */
  private CacheStatistics cache;

  /** The node cache's memory pressure, which this monitor sets. */
  private CachePressure pressure;

  private Statistics statistics;
  private Alerts alerts;
  private MemoryLevel level = MemoryLevel.NORMAL;
  private MemoryLevel lastSample = MemoryLevel.NORMAL;
  private long timer = -1;
  private Health health;
  private Pool probe;

  /** Who this node is, for the cluster; null on a node that runs alone. */
  private NodeReport report;

  private boolean counted;

  /** The monitor of {@code node}, reading the JVM's heap use. */
  public MonitorVerticle(Node node) {
    this(node, () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  /** A monitor of {@code node} that reads heap use from {@code heapUsed} (bytes). */
  public MonitorVerticle(Node node, LongSupplier heapUsed) {
    this.node = node;
    this.heapUsed = heapUsed;
  }

  @Override
  public Future<?> start() {
    settings = SluiceConfig.from(config());
    node.memoryLevel(MemoryLevel.NORMAL);
    return node.cache()
        .compose(
            c -> {
              cache = c;
              pressure = c;
              statistics = new Statistics(node, settings, cache, pressure, heapUsed);
              bindMeters();
              statistics.sample(); // the baseline that throughput is first measured from
              alerts = new Alerts(settings.monitor());
              health = new Health(settings.monitor());
              // one connection of its own for the health checks' round trip, and a short line: a
              // stalled database makes
              // the probe fail fast rather than pile up
              probe = Database.pool(vertx, new DatabaseConfig(settings.database().url(), 1, 4), 0);
              if (!settings.lazy().enableMonitoring()) {
                LOG.info(
                    "monitor.off key=lazy_loading.enable_monitoring: memory is not watched, alerts are not raised");
              }
              timer =
                  vertx.setPeriodic(
                      Math.max(10, settings.monitor().sampleIntervalMs()), id -> sample());
              Future<Void> questions = answer(Addresses.MONITOR);
              Optional<Cluster> cluster = node.cluster();
              if (cluster.isEmpty()) {
                return questions;
              }
              // clustered: also at this node's own family of addresses, so that a gateway can ask
              // every member
              return hostName()
                  .compose(
                      host -> {
                        report = new NodeReport(node, cluster.get(), host);
                        String own = Addresses.monitorOf(cluster.get().nodeId());
                        return Future.all(
                                questions,
                                answer(own),
                                consumer(
                                    Addresses.reportOf(own),
                                    message ->
                                        message.reply(
                                            report
                                                .identity()
                                                .put("stats", statistics.document(level)))),
                                consumer(
                                    Addresses.reportHealthOf(own),
                                    message ->
                                        ping()
                                            .onComplete(
                                                ar ->
                                                    message.reply(
                                                        report
                                                            .identity()
                                                            .put(
                                                                "health",
                                                                report.health(
                                                                    judgement(), ar.result()))))))
                            .mapEmpty();
                      });
            })
        .onSuccess(
            v -> {
              node.state().partStarted(NodeState.MONITOR);
              counted = true;
            })
        .recover(
            err ->
                stop()
                    .transform(
                        v -> Future.failedFuture(err))); // a failed start is not stopped by Vert.x
  }

  /** The host's name (its lookup may block), for telling the cluster who this node is. */
  private Future<String> hostName() {
    return vertx
        .executeBlocking(() -> InetAddress.getLocalHost().getHostName(), false)
        .otherwise(err -> "unknown");
  }

  @Override
  public Future<?> stop() {
    if (counted) {
      node.state().partStopped(NodeState.MONITOR);
      counted = false;
    }
    vertx.cancelTimer(timer);
    if (probe != null) {
      probe.close();
    }
    return Future.succeededFuture();
  }

  /**
   * Answers the questions every monitor answers, each at its own address of the monitor family
   * {@code family}.
   */
  private Future<Void> answer(String family) {
    return Future.all(
            consumer(
                Addresses.statsOf(family), message -> message.reply(statistics.document(level))),
            consumer(
                Addresses.databaseOf(family),
                message -> ping().onComplete(ar -> message.reply(ar.result()))),
            consumer(Addresses.healthOf(family), message -> message.reply(judgement())))
        .mapEmpty();
  }

  /**
   * A consumer of one question (its body is empty), registered once {@code completion} completes.
   */
  private Future<Void> consumer(String address, Handler<Message<Object>> handler) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, handler);
    return consumer.completion();
  }

  /**
   * The cache's and memory's meters: each family's hits, misses, evictions, invalidations, entries
   * and weight, and the node's memory level (0 normal, 1 high, 2 critical), heap use and limit.
   * Read at each scrape; only the weight walks the family's entries.
   */
  private void bindMeters() {
    MeterRegistry meters = node.meters();
    for (String family : node.families()) {
      FunctionCounter.builder("sluice.cache.hits", cache, c -> c.stats(family, false).hits())
          .tag("loader", family)
          .description("Cache lookups that found an entry")
          .register(meters);
      FunctionCounter.builder("sluice.cache.misses", cache, c -> c.stats(family, false).misses())
          .tag("loader", family)
          .description("Cache lookups that found none")
          .register(meters);
      FunctionCounter.builder(
              "sluice.cache.evictions", cache, c -> c.stats(family, false).evictions())
          .tag("loader", family)
          .description("Entries dropped for the bounds or expired")
          .register(meters);
      FunctionCounter.builder(
              "sluice.cache.invalidations", cache, c -> c.stats(family, false).invalidations())
          .tag("loader", family)
          .description("Entries dropped because their rows changed or were cleared")
          .register(meters);
      Gauge.builder("sluice.cache.entries", cache, c -> c.stats(family, false).size())
          .tag("loader", family)
          .description("Entries held")
          .register(meters);
      Gauge.builder("sluice.cache.weight", cache, c -> c.stats(family).weightBytes())
          .tag("loader", family)
          .baseUnit("bytes")
          .description("Bytes the entries take")
          .register(meters);
    }
    Gauge.builder("sluice.memory.level", this, m -> m.level.ordinal())
        .description("Memory level: 0 normal, 1 high, 2 critical")
        .register(meters);
    Gauge.builder("sluice.memory.used", heapUsed, LongSupplier::getAsLong)
        .baseUnit("bytes")
        .description("Heap in use, as the monitor measures it")
        .register(meters);
    Gauge.builder("sluice.memory.limit", settings, SluiceConfig::memoryLimitBytes)
        .baseUnit("bytes")
        .description("The memory limit heap use is measured against")
        .register(meters);
  }

  /**
   * A round trip to PostgreSQL: {@code {up, latency_ms}}, or {@code {up: false, cause}} within a
   * second.
   */
  private Future<JsonObject> ping() {
    long started = System.nanoTime();
    Promise<JsonObject> result = Promise.promise();
    long timeout =
        vertx.setTimer(
            PING_TIMEOUT_MS,
            t ->
                result.tryComplete(
                    new JsonObject()
                        .put("up", false)
                        .put("cause", "no answer in " + PING_TIMEOUT_MS + " ms")));
    probe
        .query("SELECT 1")
        .execute()
        .onComplete(
            ar -> {
              vertx.cancelTimer(timeout);
              if (ar.succeeded()) {
                result.tryComplete(
                    new JsonObject()
                        .put("up", true)
                        .put(
                            "latency_ms",
                            Math.round((System.nanoTime() - started) / 10_000.0) / 100.0));
              } else {
                result.tryComplete(
                    new JsonObject().put("up", false).put("cause", Faults.of(ar.cause()).cause()));
              }
            });
    return result.future();
  }

  /** The seed's health rules applied to the last minute ({@link Health}). */
  private JsonObject judgement() {
    JsonObject loaders = new JsonObject();
    for (Statistics.Recent recent : statistics.current()) {
      loaders.put(
          recent.family(),
          health.loader(recent, settings.lazy().enableCaching() && cache.enabled(recent.family())));
    }
    return new JsonObject()
        .put("memory", health.memory(heapUsed.getAsLong(), settings.memoryLimitBytes(), level))
        .put("loaders", loaders);
  }

  private void sample() {
    statistics.sample();
    if (!settings.lazy().enableMonitoring()) {
      return;
    }
    MonitorConfig config = settings.monitor();
    long used = heapUsed.getAsLong();
    long limit = settings.memoryLimitBytes();
    MemoryLevel sampled =
        MemoryLevel.of(used, limit, config.highPercent(), config.criticalPercent());
    // a level rises once two samples in a row agree (a heap full of garbage before a collection is
    // not pressure),
    // and falls once use is clearly under its threshold
    MemoryLevel next = level;
    MemoryLevel confirmed = sampled.compareTo(lastSample) < 0 ? sampled : lastSample;
    if (confirmed.compareTo(level) > 0) {
      next = confirmed;
    } else if (sampled.compareTo(level) < 0) {
      int threshold =
          level == MemoryLevel.CRITICAL ? config.criticalPercent() : config.highPercent();
      if (used * 100.0 / limit < threshold - HYSTERESIS_PERCENT) {
        next = sampled;
      }
    }
    lastSample = sampled;
    if (next != level) {
      change(next, used, limit);
    }
    alerts.check(statistics.current());
  }

  private void change(MemoryLevel next, long used, long limit) {
    MemoryLevel previous = level;
    level = next;
    node.memoryLevel(next);
    pressure.pressure(
        switch (next) {
          case NORMAL -> CachePressure.Pressure.NONE;
          case HIGH -> CachePressure.Pressure.HIGH;
          case CRITICAL -> CachePressure.Pressure.CRITICAL;
        });
    long usedMb = used / (1024 * 1024);
    long limitMb = limit / (1024 * 1024);
    if (next == MemoryLevel.NORMAL) {
      LOG.info(
          "memory.level from={} to={} used_mb={} limit_mb={}",
          previous.label(),
          next.label(),
          usedMb,
          limitMb);
    } else {
      LOG.warn(
          "memory.level from={} to={} used_mb={} limit_mb={}",
          previous.label(),
          next.label(),
          usedMb,
          limitMb);
    }
    vertx
        .eventBus()
        .publish(
            Addresses.MEMORY_LEVEL,
            new JsonObject()
                .put("level", next.label())
                .put("used_mb", usedMb)
                .put("limit_mb", limitMb));
  }
}
