package dev.sluice.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real process ({@code java … dev.sluice.launcher.Main}, embedded PostgreSQL and all) stopped
 * with SIGTERM under load and with streams open.
 */
@EndToEnd
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@DisplayName("Graceful shutdown of the real process on SIGTERM")
class ShutdownTest {

  static final int DRAIN_SECONDS = 5;

  /**
   * pg_control's DBState for a cluster shut down cleanly (DB_SHUTDOWNED): the next start needs no
   * recovery.
   */
  static final int DB_SHUTDOWNED = 1;

  static final int DB_IN_PRODUCTION = 6;
  Process process;
  Vertx vertx;

  @AfterEach
  void cleanUp() throws Exception {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName(
      "SIGTERM under load with SSE streams open: exit 0 within the drain time, streams end with an error "
          + "event and a cursor, pages get 200 or 503, and PostgreSQL was shut down cleanly")
  void sigterm() throws Exception {
    Path dir = Path.of("target", "shutdown-" + ProcessHandle.current().pid());
    Path data = dir.resolve("data");
    Path conf = dir.resolve("conf");
    Files.createDirectories(conf);
    Files.copy(
        Path.of("conf", "sluice.json"),
        conf.resolve("sluice.json"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(
        conf.resolve("zz-test.json"),
        new JsonObject()
            .put("http", new JsonObject().put("drain_seconds", DRAIN_SECONDS))
            .put("lazy_loading", new JsonObject().put("enable_caching", false))
            .encode());
    int port = dev.sluice.TestDatabase.freePort();
    Path log = dir.resolve("sluice.log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sluice.launcher.Main",
                "run")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder
        .environment()
        .putAll(
            Map.of(
                "SLUICE_CONF_DIR",
                conf.toString(),
                "SLUICE_DATA_DIR",
                data.toString(),
                "SLUICE_SEED_SCALE",
                "tiny",
                "SLUICE_HTTP_PORT",
                Integer.toString(port),
                "SLUICE_HTTP_HOST",
                "127.0.0.1",
                "SLUICE_CURSOR_SECRET",
                "shutdown-test-secret"));
    process = builder.start();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String base = "http://127.0.0.1:" + port;
    long until = System.currentTimeMillis() + 180_000;
    while (!ready(client, base)) {
      assertTrue(process.isAlive(), () -> "the service died while starting: " + tail(log));
      assertTrue(System.currentTimeMillis() < until, "not ready in time");
      Thread.sleep(200);
    }

    // three SSE streams that stay open (follow=true), read as they come
    List<CompletableFuture<List<String>>> streams = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(
                      base + "/api/v1/analytics/performance/stream?follow=true&time_range=7d"))
              .header("Accept", "text/event-stream")
              .build();
      streams.add(
          client
              .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
              .thenApply(
                  response -> {
                    assertEquals(200, response.statusCode());
                    try (Stream<String> lines = response.body()) {
                      return lines.collect(Collectors.toList());
                    } catch (RuntimeException e) {
                      return List.of("(cut: " + e + ")");
                    }
                  }));
    }
    vertx = Vertx.vertx();
    WebClient http =
        WebClient.create(
            vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    SteadyLoad load = new SteadyLoad(vertx, http, FaultTest.PATHS, 6);
    Thread.sleep(1_500);

    assertEquals(DB_IN_PRODUCTION, clusterState(data), "a running cluster reads as in production");
    long signalled = System.currentTimeMillis();
    process.destroy(); // SIGTERM
    assertTrue(process.waitFor(DRAIN_SECONDS + 20, TimeUnit.SECONDS), "exited");
    long exitMs = System.currentTimeMillis() - signalled;
    load.close();

    assertEquals(0, process.exitValue(), () -> "exit code; log: " + tail(log));
    assertTrue(
        exitMs < (DRAIN_SECONDS + 10) * 1000L,
        "exited within the drain time and the stops: " + exitMs);
    for (CompletableFuture<List<String>> stream : streams) {
      List<String> lines = stream.get(30, TimeUnit.SECONDS);
      int error = lines.indexOf("event: error");
      assertTrue(
          error >= 0,
          () -> "an error event: " + lines.subList(Math.max(0, lines.size() - 5), lines.size()));
      JsonObject problem = new JsonObject(lines.get(error + 1).substring("data: ".length()));
      assertEquals(503, problem.getInteger("status"));
      assertNotNull(problem.getString("cursor"), problem::encode);
    }
    List<SteadyLoad.Answer> answers = load.all().stream().filter(a -> a.status() > 0).toList();
    assertFalse(answers.isEmpty());
    // a request asked before the signal is drained: it gets an answer, never a cut connection
    // (after the signal a
    // client may also find the port closed, once the node is gone)
    List<SteadyLoad.Answer> before =
        load.all().stream().filter(a -> a.startedAt() < signalled).toList();
    assertTrue(
        before.stream().allMatch(a -> a.status() == 200 || a.status() == 503),
        () ->
            "asked before SIGTERM: "
                + before.stream()
                    .filter(a -> a.status() != 200 && a.status() != 503)
                    .limit(3)
                    .toList());
    assertTrue(
        answers.stream().allMatch(a -> a.status() == 200 || a.status() == 503),
        () ->
            "pages: "
                + answers.stream()
                    .filter(a -> a.status() != 200 && a.status() != 503)
                    .limit(3)
                    .toList());
    assertTrue(load.all().stream().noneMatch(a -> a.millis() >= SteadyLoad.HANG_MS), "none hung");
    assertEquals(
        DB_SHUTDOWNED, clusterState(data), "pg_control says the cluster was shut down cleanly");
    String output = Files.readString(log);
    assertTrue(output.contains("sluice.shutting-down"), output);
    System.out.println(
        "fault.figures test=sigterm exit_ms="
            + exitMs
            + " pages="
            + answers.size()
            + " statuses="
            + answers.stream()
                .collect(
                    Collectors.groupingBy(
                        SteadyLoad.Answer::status, java.util.TreeMap::new, Collectors.counting())));
  }

  private static boolean ready(HttpClient client, String base) {
    try {
      return client
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/health/ready"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The {@code state} field of {@code global/pg_control}: after two 8- and two 4-byte fields,
   * little-endian.
   */
  private static int clusterState(Path data) throws IOException {
    byte[] control = Files.readAllBytes(data.resolve("global").resolve("pg_control"));
    return ByteBuffer.wrap(control, 16, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return e.toString();
    }
  }
}
