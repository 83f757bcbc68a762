package dev.sluice.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.api.Operation;
import dev.sluice.bus.BatchHandler;
import dev.sluice.bus.Processed;
import dev.sluice.bus.SluiceClient;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.launcher.Nodes;
import dev.sluice.load.LoaderVerticle;
import dev.sluice.node.Node;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The parallel-batches benchmark without HTTP (bench/parallel.sh runs it): every video, processed
 * by one handler through the typed client, once as one stream ({@code processBatches} with one
 * range: no cut, one stream, the same code path) and once as 2 and as 4 concurrent ranges, round
 * after round, the order of the runs turned each round. The videos loader runs in this JVM,
 * deployed as {@code verticles.json} deploys it, on a database the caller started.
 *
 * <p>The handler decodes every row: Jackson's streaming parser reads each NDJSON line whole (every
 * string decoded, every number parsed) and sums {@code view_count}. Two ways to run it, both
 * measured: {@code loop}, on the caller's event loop (the ranges take turns on one thread), and
 * {@code workers}, each batch handed to the worker pool with {@code executeBlocking(…, false)}
 * (batches of different ranges decode at once). A run counts only when it saw every row and the sum
 * PostgreSQL gives.
 *
 * <p>Prints one line a run: {@code parallel handler=… ranges=n round=r seconds=s rows=…
 * rows_per_s=… jvm_cpu_s=… busy_cores=… cut=… per_range=[…]} ({@code jvm_cpu_s}: this JVM's CPU
 * time in the run; {@code busy_cores}: the cores the whole machine kept busy, on average,
 * PostgreSQL included). Arguments: database URL, rounds, loader instances, range counts (comma
 * separated, 1 for the single stream), handlers (comma separated: loop, workers).
 */
public final class ParallelBench {

  private static final JsonFactory JSON = new JsonFactory();
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  private ParallelBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int rounds = Integer.parseInt(args[1]);
    int instances = Integer.parseInt(args[2]);
    List<Integer> ranges = new ArrayList<>();
    for (String n : args[3].split(",")) {
      ranges.add(Integer.parseInt(n.trim()));
    }
    List<String> handlers = List.of(args[4].split(","));
    JsonObject config =
        ConfigLoader.withEnvironment(
            new JsonObject()
                .put("database", new JsonObject().put("url", url))
                .put(
                    "lazy_loading",
                    new JsonObject()
                        .put("enable_caching", false)
                        .put("enable_prefetching", false)
                        .put("enable_metrics", false)),
            Map.of("SLUICE_CURSOR_SECRET", "bench"));
    Node node = Nodes.start(SluiceConfig.from(config));
    Vertx vertx = node.vertx();
    Pool db = PgBuilder.pool().connectingTo(PgConnectOptions.fromUri(url)).using(vertx).build();
    try {
      vertx
          .deployVerticle(
              () -> new LoaderVerticle(node, "videos"),
              new DeploymentOptions().setConfig(config).setInstances(instances))
          .timeout(2, TimeUnit.MINUTES)
          .await();
      SluiceClient client = SluiceClient.create(vertx, SluiceConfig.from(config));
      var expected =
          db.query("SELECT count(*), sum(view_count)::bigint FROM videos")
              .execute()
              .timeout(2, TimeUnit.MINUTES)
              .await()
              .iterator()
              .next();
      long rows = expected.getLong(0);
      long views = expected.getLong(1);
      System.err.printf(
          "parallel-bench: %d videos, sum(view_count) %d, loader instances %d, window %s%n",
          rows,
          views,
          instances,
          SluiceConfig.from(config).lazy().bufferSize()
              / SluiceConfig.from(config).lazy().batchSize());
      // warm-up: the JIT sees every path once
      for (String handler : handlers) {
        run(vertx, client, handler, 1, rows, views);
        run(vertx, client, handler, ranges.get(ranges.size() - 1), rows, views);
      }
      for (int round = 1; round <= rounds; round++) {
        for (String handler : handlers) {
          List<Integer> order = new ArrayList<>(ranges);
          java.util.Collections.rotate(order, round - 1); // no count always first, or always last
          for (int n : order) {
            long cpu0 = jvmCpuNanos();
            long[] machine0 = machineJiffies();
            long t0 = System.nanoTime();
            Processed processed = run(vertx, client, handler, n, rows, views);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double jvmCpu = (jvmCpuNanos() - cpu0) / 1e9;
            long[] machine1 = machineJiffies();
            double busyCores =
                machine0 == null || machine1 == null || machine1[1] == machine0[1]
                    ? Double.NaN
                    : (double) (machine1[0] - machine0[0]) / (machine1[1] - machine0[1]) * CPUS;
            System.out.printf(
                "parallel handler=%s ranges=%d round=%d seconds=%.3f rows=%d rows_per_s=%.0f "
                    + "jvm_cpu_s=%.2f busy_cores=%.2f cut=%s per_range=%s%n",
                handler,
                n,
                round,
                seconds,
                processed.rows(),
                processed.rows() / seconds,
                jvmCpu,
                busyCores,
                processed.cutFrom(),
                processed.rowsPerRange().toString().replace(" ", ""));
          }
        }
      }
    } finally {
      db.close().timeout(2, TimeUnit.MINUTES).await();
      node.close().timeout(2, TimeUnit.MINUTES).await();
    }
  }

  private static Processed run(
      Vertx vertx, SluiceClient client, String handler, int ranges, long rows, long views) {
    LongAdder sum = new LongAdder();
    BatchHandler work =
        switch (handler) {
          case "loop" ->
              batch -> {
                sum.add(decode(batch.lines()));
                return Future.succeededFuture();
              };
          case "workers" ->
              batch ->
                  vertx.executeBlocking(
                      () -> {
                        sum.add(decode(batch.lines()));
                        return null;
                      },
                      false);
          default -> throw new IllegalArgumentException("handler " + handler + ": loop or workers");
        };
    Processed processed =
        client
            .processBatches(Operation.VIDEO_STREAM, new JsonObject(), ranges, work)
            .timeout(10, TimeUnit.MINUTES)
            .await();
    if (processed.rows() != rows || sum.sum() != views) {
      throw new IllegalStateException(
          "handler "
              + handler
              + ", "
              + ranges
              + " ranges: "
              + processed.rows()
              + " rows, views "
              + sum.sum()
              + "; expected "
              + rows
              + " and "
              + views);
    }
    return processed;
  }

  /** CPU time of this JVM (all its threads: the loader, the handler, Vert.x, GC). */
  static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The machine's busy and total CPU time so far, in jiffies (the first line of /proc/stat), or
   * null off Linux: over a run, busy / total × cpus is how many cores were busy on average,
   * PostgreSQL's backends and other processes included.
   */
  static long[] machineJiffies() {
    try {
      String[] f =
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"))
              .get(0)
              .trim()
              .split("\\s+");
      long user = Long.parseLong(f[1]);
      long nice = Long.parseLong(f[2]);
      long system = Long.parseLong(f[3]);
      long idle = Long.parseLong(f[4]);
      long iowait = Long.parseLong(f[5]);
      long irq = Long.parseLong(f[6]);
      long softirq = Long.parseLong(f[7]);
      long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
      long busy = user + nice + system + irq + softirq + steal;
      return new long[] {busy, busy + idle + iowait};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Reads every line of a batch whole with Jackson; the sum of their {@code view_count}. */
  static long decode(Buffer lines) {
    byte[] bytes = lines.getBytes();
    long views = 0;
    int start = 0;
    try {
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] != '\n') {
          continue;
        }
        try (JsonParser parser = JSON.createParser(bytes, start, i - start)) {
          String field = null;
          JsonToken token;
          while ((token = parser.nextToken()) != null) {
            switch (token) {
              case FIELD_NAME -> field = parser.currentName();
              case VALUE_STRING -> parser.getText();
              case VALUE_NUMBER_INT -> {
                long value = parser.getLongValue();
                if ("view_count".equals(field)) {
                  views += value;
                }
              }
              case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
              default -> {}
            }
          }
        }
        start = i + 1;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return views;
  }
}
