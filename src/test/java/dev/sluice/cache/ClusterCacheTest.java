package dev.sluice.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.TwoNodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cache's cluster tier: node A and node C run gateways, B and D loaders. A page loaded through
 * one gateway is a hit through the other; an operator's clear and a write to the table reach every
 * node within a second; concurrent misses on two loader nodes load once.
 */
@EndToEnd
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("Clustered: the cache's cluster tier")
class ClusterCacheTest {

  static TwoNodes nodes;
  static Service a;
  static Service c;
  static Service d;

  @BeforeAll
  static void start() throws Exception {
    nodes = TwoNodes.startWithoutPrefetch();
    a = nodes.gateway;
    c = nodes.startGateway();
    assertTrue(
        Service.eventually(
            20_000,
            () ->
                a.get("/api/v1/users?limit=1").statusCode() == 200
                    && c.get("/api/v1/users?limit=1").statusCode() == 200),
        "both gateways serve");
  }

  @AfterAll
  static void stop() {
    for (Service node : new Service[] {d, c}) {
      if (node != null) {
        node.close();
      }
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  private static String status(HttpResponse<Buffer> response) {
    return response.getHeader("Cache-Status");
  }

  private static long clusterHits(Service node, String family) {
    return node.node.cacheIfReady().clusterStats(family).getLong("hits");
  }

  @Test
  @DisplayName(
      "a page loaded through A is a hit through C, from the cluster tier, with one query in all")
  void hitOnAnotherNode() {
    String page = "/api/v1/users?limit=7&role=creator&sort=username";
    a.resetStatements();
    long before = clusterHits(c, "users");
    HttpResponse<Buffer> first = a.get(page);
    assertEquals(200, first.statusCode(), first::bodyAsString);
    assertTrue(status(first).contains("miss"), status(first));
    // the put is not awaited by the reply: give it a moment to land in the map
    assertTrue(
        Service.eventually(
            2_000,
            () -> {
              HttpResponse<Buffer> other = c.get(page);
              return status(other).contains("hit")
                  && other.bodyAsString().equals(first.bodyAsString());
            }),
        "a hit through C with the same body");
    assertEquals(before + 1, clusterHits(c, "users"), "found in the cluster tier, not loaded");
    assertEquals(1, a.calls("FROM public.users d", "LIMIT $"), "one query for both nodes");
    assertEquals(
        first.getHeader("ETag"), c.get(page).getHeader("ETag"), "and C's local tier keeps it now");
    JsonObject tier =
        c.getJson("/api/v1/stats")
            .getJsonObject("loaders")
            .getJsonObject("users")
            .getJsonObject("cache_stats")
            .getJsonObject("cluster");
    assertEquals(
        clusterHits(c, "users"),
        tier.getLong("hits"),
        "the statistics show the cluster tier: " + tier);
  }

  @Test
  @DisplayName(
      "DELETE /api/v1/cache through A empties C's local tier and the cluster tier within a second")
  void clearReachesEveryNode() throws Exception {
    String page = "/api/v1/templates?limit=3";
    a.get(page);
    assertTrue(Service.eventually(2_000, () -> status(c.get(page)).contains("hit")), "C holds it");
    HttpResponse<Buffer> cleared =
        a.http
            .delete("/api/v1/cache")
            .putHeader("Authorization", "Bearer test-admin-token")
            .send()
            .timeout(1, TimeUnit.MINUTES)
            .await();
    assertEquals(200, cleared.statusCode(), cleared::bodyAsString);
    assertTrue(
        Service.eventually(1_000, () -> c.node.cacheIfReady().stats("templates").size() == 0),
        "C's local tier emptied within a second");
    assertTrue(status(c.get(page)).contains("miss"), "and the cluster tier holds it no more");
  }

  @Test
  @DisplayName(
      "a write to the table reaches both gateways' tiers and the cluster tier within a second")
  void writeReachesEveryNode() {
    String page = "/api/v1/videos?limit=2&sort=title";
    HttpResponse<Buffer> first = a.get(page);
    assertTrue(Service.eventually(2_000, () -> status(c.get(page)).contains("hit")), "C holds it");
    String id = first.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("id");
    String title =
        first.bodyAsJsonObject().getJsonArray("data").getJsonObject(0).getString("title");
    a.sql("UPDATE videos SET title = title || ' (edited)' WHERE id = $1::uuid", id);
    try {
      long at = System.currentTimeMillis();
      for (Service node : List.of(a, c)) {
        assertTrue(
            Service.eventually(
                1_000 - (System.currentTimeMillis() - at),
                () ->
                    node.get(page)
                        .bodyAsJsonObject()
                        .getJsonArray("data")
                        .getJsonObject(0)
                        .getString("title")
                        .endsWith("(edited)")),
            "fresh within a second on every gateway");
      }
    } finally {
      a.sql("UPDATE videos SET title = $2 WHERE id = $1::uuid", id, title);
    }
  }

  @Test
  @DisplayName(
      "concurrent misses on two loader nodes load once: the other node waits for the lease holder's value")
  void singleFlightAcrossNodes() {
    if (d == null) {
      d = nodes.startLoaders();
    }
    // both loader nodes serve (round robin): warm each one's pools with pages of their own
    Service b = nodes.loaders;
    assertTrue(
        Service.eventually(
            20_000,
            () -> {
              a.get(
                  "/api/v1/templates?limit=1&page="
                      + System.nanoTime() % 1_000
                      + "&category=music");
              return loads(b) > 0 && loads(d) > 0;
            }),
        "both loader nodes take requests");
    long servedB = served(b);
    long servedD = served(d);
    a.resetStatements();
    String page = "/api/v1/templates?limit=4&sort=name&category=business";
    List<io.vertx.core.Future<HttpResponse<Buffer>>> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Service via = i % 2 == 0 ? a : c;
      replies.add(via.http.get(page).send());
    }
    List<HttpResponse<Buffer>> answers =
        replies.stream().map(f -> f.timeout(1, TimeUnit.MINUTES).await()).toList();
    answers.forEach(r -> assertEquals(200, r.statusCode(), r::bodyAsString));
    answers.forEach(r -> assertEquals(answers.get(0).bodyAsString(), r.bodyAsString()));
    assertEquals(
        1,
        a.calls("FROM public.templates", "LIMIT $"),
        "one load for eight concurrent requests on two gateways " + "and two loader nodes");
    assertTrue(
        served(b) > servedB && served(d) > servedD,
        "both loader nodes answered some of the eight: without "
            + "the lease each would have loaded");
  }

  /** Loads a loader node has run for templates. */
  private static long loads(Service node) {
    return node.node.loaderStats("templates").loads();
  }

  /** Items a loader node has handed on for templates, from the database or its cache. */
  private static long served(Service node) {
    return node.node.loaderStats("templates").servedItems();
  }
}
