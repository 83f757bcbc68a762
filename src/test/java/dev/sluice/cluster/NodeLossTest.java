package dev.sluice.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.TwoNodes;
import dev.sluice.fault.SteadyLoad;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A loader node leaves the cluster (its Vert.x closed: the node goes as a stopped process's does,
 * its consumers first, then its Hazelcast member). The gateway on A must not wait for answers that
 * will never come: requests fail fast with 503 when no loader is left, streams in flight end with
 * an error, another loader node restores service, and with two loader nodes the survivor serves
 * everything.
 */
@EndToEnd
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("Clustered: a loader node is lost")
class NodeLossTest {

  static final JsonObject UNCACHED =
      new JsonObject().put("lazy_loading", new JsonObject().put("enable_caching", false));
  static final List<String> PATHS =
      List.of(
          "/api/v1/users?limit=20",
          "/api/v1/videos?limit=10&page=2",
          "/api/v1/templates?limit=5",
          "/api/v1/users/range?start_index=10&end_index=30");

  TwoNodes nodes;
  Service third;

  @AfterEach
  void stop() {
    if (third != null) {
      third.close();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  /** When the gateway node heard of a member's loss (epoch millis), 0 before. */
  private static AtomicLong lossHeard(Service node) {
    AtomicLong heard = new AtomicLong();
    node.vertx.runOnContext(
        v ->
            node.node
                .membership()
                .onMemberLeft(() -> heard.compareAndSet(0, System.currentTimeMillis())));
    return heard;
  }

  @Test
  @DisplayName(
      "stopping the only loader node: 503s at once, no request waits for the send timeout, a following "
          + "stream ends as an error, and a new loader node restores service")
  void onlyLoaderNodeStops() throws Exception {
    nodes = TwoNodes.start(UNCACHED);
    Service gateway = nodes.gateway;
    assertTrue(
        Service.eventually(20_000, () -> gateway.get("/api/v1/users?limit=1").statusCode() == 200));
    AtomicLong heard = lossHeard(gateway);
    int port = gateway.config.getJsonObject("http").getInteger("port");
    // a stream that stays open (it follows new rows), served by B
    dev.sluice.stream.StreamClient stream =
        dev.sluice.stream.StreamClient.open(
            gateway.vertx,
            port,
            "/api/v1/analytics/performance/stream?follow=true&time_range=7d",
            null,
            null,
            null);
    assertEquals(200, stream.status());
    SteadyLoad load = new SteadyLoad(gateway.vertx, gateway.http, PATHS, 8);
    Thread.sleep(500);

    long stopped = System.currentTimeMillis();
    nodes.loaders.close();
    long closedMs = System.currentTimeMillis() - stopped;
    assertTrue(Service.eventually(10_000, () -> heard.get() > 0), "A hears of B's loss");
    long since = System.currentTimeMillis();
    Thread.sleep(1_000);
    load.close();

    // every request in flight when B went, and every one since, was answered, none with a timeout
    List<SteadyLoad.Answer> answers = load.all();
    List<SteadyLoad.Answer> waited =
        answers.stream()
            .filter(a -> a.status() == -1 || a.status() == 504 || a.millis() > closedMs + 5_000)
            .toList();
    assertEquals(
        List.of(),
        waited.stream().limit(5).toList(),
        waited.size()
            + " requests: no request waits for the send timeout ("
            + closedMs
            + " ms to close B)");
    List<SteadyLoad.Answer> after = load.since(since);
    assertFalse(after.isEmpty());
    for (SteadyLoad.Answer answer : after) {
      assertEquals(503, answer.status(), answer::body);
      assertTrue(answer.millis() < 1_000, "a 503 at once: " + answer);
    }
    assertFalse(stream.awaitEnd(10), "the stream in flight ends as an error (the body is cut)");
    stream.close();
    assertTrue(
        Service.eventually(10_000, () -> gateway.get("/health/ready").statusCode() == 503),
        "readiness DOWN without loaders");

    third = nodes.startLoaders();
    long back = System.currentTimeMillis();
    assertTrue(
        Service.eventually(30_000, () -> gateway.get("/api/v1/users?limit=1").statusCode() == 200),
        "a new loader node restores service");
    System.out.printf(
        "node-loss: B closed in %d ms, loss heard %d ms after the stop, %d requests after it all 503 "
            + "in < 1 s, service back %d ms after a new loader node started%n",
        closedMs, heard.get() - stopped, after.size(), System.currentTimeMillis() - back);
    assertTrue(Service.eventually(20_000, () -> gateway.get("/health/ready").statusCode() == 200));
  }

  @Test
  @DisplayName("with two loader nodes, losing one loses no request: the survivor answers them all")
  void survivorServes() throws Exception {
    nodes = TwoNodes.start(UNCACHED);
    third = nodes.startLoaders();
    Service gateway = nodes.gateway;
    assertTrue(
        Service.eventually(20_000, () -> gateway.get("/api/v1/users?limit=1").statusCode() == 200));
    AtomicLong heard = lossHeard(gateway);
    SteadyLoad load = new SteadyLoad(gateway.vertx, gateway.http, PATHS, 8);
    Thread.sleep(1_000);
    long stopped = System.currentTimeMillis();
    nodes.loaders.close();
    assertTrue(Service.eventually(10_000, () -> heard.get() > 0), "A hears of B's loss");
    Thread.sleep(1_500);
    load.close();
    List<SteadyLoad.Answer> answers = load.all();
    List<SteadyLoad.Answer> failed = answers.stream().filter(a -> a.status() != 200).toList();
    long slowest =
        answers.stream()
            .filter(a -> a.startedAt() <= heard.get())
            .mapToLong(SteadyLoad.Answer::millis)
            .max()
            .orElse(0);
    System.out.printf(
        "node-loss: two loader nodes, one closed: %d requests, %d failed, loss heard %d ms after the "
            + "stop, slowest request in flight at the loss %d ms%n",
        answers.size(), failed.size(), heard.get() - stopped, slowest);
    assertEquals(List.of(), failed.stream().limit(5).toList(), failed.size() + " requests lost");
    assertTrue(
        answers.stream().anyMatch(a -> a.startedAt() > heard.get()), "requests after the loss");
  }
}
