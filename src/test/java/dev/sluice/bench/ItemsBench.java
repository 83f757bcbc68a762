package dev.sluice.bench;

import dev.sluice.api.Operation;
import dev.sluice.bus.SluiceClient;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.launcher.Nodes;
import dev.sluice.load.LoaderVerticle;
import dev.sluice.node.Node;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single-item benchmark without HTTP (bench/cache.sh runs it): {@code concurrency} callers in
 * one JVM, each loading one video by a random id through the typed client and then the next, for
 * {@code seconds}, against a videos loader with batching on, then one with batching off, round
 * after round. Prints one line a run: loads per second and the {@code = ANY} queries PostgreSQL ran
 * for them.
 *
 * <p>Arguments: database URL, ids file (one UUID a line), seconds, concurrency, rounds.
 */
public final class ItemsBench {

  static final java.util.concurrent.atomic.AtomicBoolean FIRST_FAILURE =
      new java.util.concurrent.atomic.AtomicBoolean();

  private ItemsBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    List<UUID> ids =
        Files.readAllLines(Path.of(args[1])).stream()
            .filter(l -> !l.isBlank())
            .map(UUID::fromString)
            .toList();
    int seconds = Integer.parseInt(args[2]);
    int concurrency = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    Node node =
        Nodes.start(
            SluiceConfig.from(
                ConfigLoader.withEnvironment(
                    new JsonObject()
                        .put("database", new JsonObject().put("url", url))
                        .put(
                            "lazy_loading",
                            new JsonObject()
                                .put("enable_caching", false)
                                .put("enable_metrics", false)),
                    Map.of("SLUICE_CURSOR_SECRET", "bench"))));
    Vertx vertx = node.vertx();
    Pool db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
    try {
      for (int round = 1; round <= rounds; round++) {
        for (boolean batching : new boolean[] {true, false}) {
          JsonObject config =
              ConfigLoader.withEnvironment(
                  new JsonObject()
                      .put("database", new JsonObject().put("url", url))
                      .put("lazy_loading", new JsonObject().put("enable_caching", false))
                      .put("items", new JsonObject().put("batching", batching)),
                  Map.of("SLUICE_CURSOR_SECRET", "bench"));
          String deployment =
              vertx
                  .deployVerticle(
                      new LoaderVerticle(node, "videos"), new DeploymentOptions().setConfig(config))
                  .timeout(2, TimeUnit.MINUTES)
                  .await();
          run(vertx, ids, 3, concurrency); // warm-up
          db.query("SELECT pg_stat_statements_reset()")
              .execute()
              .timeout(2, TimeUnit.MINUTES)
              .await();
          long loads = run(vertx, ids, seconds, concurrency);
          long queries =
              db.query(
                      "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                          + "WHERE query LIKE '%FROM public.videos d%' AND query LIKE '%= ANY(%'")
                  .execute()
                  .timeout(2, TimeUnit.MINUTES)
                  .await()
                  .iterator()
                  .next()
                  .getLong(0);
          System.out.printf(
              "bus-items-%s-%d %.2f loads/s %d loads %d queries%n",
              batching ? "batched" : "unbatched", round, loads / (double) seconds, loads, queries);
          vertx.undeploy(deployment).timeout(2, TimeUnit.MINUTES).await();
        }
      }
    } finally {
      db.close().timeout(2, TimeUnit.MINUTES).await();
      node.close().timeout(2, TimeUnit.MINUTES).await();
    }
  }

  /**
   * {@code concurrency} callers loading random items one after the other for {@code seconds}; loads
   * done.
   */
  private static long run(Vertx vertx, List<UUID> ids, int seconds, int concurrency) {
    SluiceClient client = SluiceClient.create(vertx, 30_000);
    AtomicLong done = new AtomicLong();
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    Promise<Void> finished = Promise.promise();
    AtomicLong running = new AtomicLong(concurrency);
    vertx.runOnContext(
        v -> {
          for (int i = 0; i < concurrency; i++) {
            next(client, ids, until, done, running, finished);
          }
        });
    finished.future().timeout(2, TimeUnit.MINUTES).await();
    return done.get();
  }

  private static void next(
      SluiceClient client,
      List<UUID> ids,
      long until,
      AtomicLong done,
      AtomicLong running,
      Promise<Void> finished) {
    if (System.nanoTime() >= until) {
      if (running.decrementAndGet() == 0) {
        finished.complete();
      }
      return;
    }
    UUID id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    Future<JsonObject> item = client.item(Operation.VIDEO, id);
    item.onComplete(
        ar -> {
          if (ar.succeeded()) {
            done.incrementAndGet();
          } else if (FIRST_FAILURE.compareAndSet(false, true)) {
            System.err.println(
                "items-bench: a load failed (only the first is shown): " + ar.cause());
          }
          next(client, ids, until, done, running, finished);
        });
  }
}
