package dev.sluice;

import dev.sluice.launcher.Deployer;
import dev.sluice.node.Node;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The whole service as a user meets it: every verticle of verticles.json deployed on the test
 * database, a real HTTP client on the gateway's port, and a pool to read expectations from
 * PostgreSQL. One per test class.
 */
public final class Service implements AutoCloseable {

  public final Vertx vertx;

  /** The node the service runs on: its cache, figures, state and stream progress. */
  public final Node node;

  public final JsonObject config;
  public final WebClient http;
  public final Pool db;

  /** The deployment id of each verticle deployed, by its name in verticles.json. */
  public final java.util.Map<String, String> deployments;

  private Service(Node node, JsonObject config, java.util.Map<String, String> deployments) {
    this.node = node;
    this.vertx = node.vertx();
    this.config = config;
    this.deployments = deployments;
    // enough connections that "concurrent" requests in a test really are
    this.http =
        WebClient.create(
            vertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port()),
            new PoolOptions().setHttp1MaxSize(256));
    this.db = TestDatabase.pool(vertx);
  }

  public static Service start() {
    return start(TestDatabase.config());
  }

  public static Service start(JsonObject config) {
    return start(config, Set.of());
  }

  /**
   * The service without the verticles of verticles.json named in {@code without} (a test deploys
   * its own).
   */
  public static Service start(JsonObject config, Set<String> without) {
    return start(config, without, null);
  }

  /**
   * The service whose gateways and loaders serve {@code operations}, declared otherwise than the
   * code does.
   */
  public static Service start(JsonObject config, dev.sluice.plan.Operations operations) {
    return start(config, Set.of(), operations);
  }

  private static Service start(
      JsonObject config, Set<String> without, dev.sluice.plan.Operations operations) {
    Node node = dev.sluice.launcher.Nodes.start(dev.sluice.config.SluiceConfig.from(config));
    try {
      JsonObject plan = Deployer.readPlan();
      JsonArray kept = new JsonArray();
      plan.getJsonArray("verticles")
          .forEach(
              v -> {
                if (!without.contains(((JsonObject) v).getString("name"))) {
                  kept.add(v);
                }
              });
      java.util.Map<String, String> byName =
          Waits.lifecycle(
              Deployer.deployNamed(node, plan.put("verticles", kept), config, operations));
      return new Service(node, config, byName);
    } catch (Exception e) {
      Waits.lifecycle(node.close());
      throw new IllegalStateException("the service did not start", e);
    }
  }

  /** The rows of a query on the test database, with {@code args} bound as $1, $2… */
  public List<io.vertx.sqlclient.Row> rows(String sql, Object... args) {
    List<io.vertx.sqlclient.Row> rows = new java.util.ArrayList<>();
    Waits.statement(db.preparedQuery(sql).execute(io.vertx.sqlclient.Tuple.from(args)))
        .forEach(rows::add);
    return rows;
  }

  /** The port the gateway listens on, on 127.0.0.1. */
  public int port() {
    return config.getJsonObject("http").getInteger("port");
  }

  /** The test configuration with {@code overrides} merged in, section by section. */
  public static JsonObject config(JsonObject overrides) {
    return TestDatabase.config().mergeIn(overrides, true);
  }

  /** GETs a path with request headers (name, value, name, value, …). */
  public HttpResponse<Buffer> get(String pathAndQuery, String... headers) {
    var request = http.get(pathAndQuery);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return Waits.request(request.send());
  }

  /** The statistics document's figures for one loader. */
  public JsonObject stats(String loader) {
    return getJson("/api/v1/stats").getJsonObject("loaders").getJsonObject(loader);
  }

  /** Forgets PostgreSQL's statement statistics, so that {@link #calls} counts from now. */
  public void resetStatements() {
    sql("SELECT pg_stat_statements_reset()");
  }

  /**
   * How many times statements whose text contains every one of {@code fragments} ran since the last
   * reset.
   */
  public long calls(String... fragments) {
    StringBuilder where =
        new StringBuilder(
            "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE "
                + "query NOT LIKE '%pg_stat_statements%'");
    Object[] args = new Object[fragments.length];
    for (int i = 0; i < fragments.length; i++) {
      where.append(" AND strpos(query, $").append(i + 1).append(") > 0");
      args[i] = fragments[i];
    }
    return count(where.toString(), args);
  }

  /** GETs a path (with its query string) and waits for the whole response. */
  public HttpResponse<Buffer> get(String pathAndQuery) {
    return Waits.request(http.get(pathAndQuery).send());
  }

  /** Waits until {@code condition} holds, at most {@code millis}; false when it never did. */
  public static boolean eventually(long millis, java.util.function.BooleanSupplier condition) {
    long until = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < until) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  public JsonObject getJson(String pathAndQuery) {
    HttpResponse<Buffer> response = get(pathAndQuery);
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "GET "
              + pathAndQuery
              + " gave "
              + response.statusCode()
              + ": "
              + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  public List<Row> sql(String sql, Object... args) {
    List<Row> rows = new ArrayList<>();
    Waits.statement(db.preparedQuery(sql).execute(Tuple.from(args))).forEach(rows::add);
    return rows;
  }

  public long count(String sql, Object... args) {
    return sql(sql, args).get(0).getLong(0);
  }

  private boolean closed;

  /** Closes the node; once (a test that stops a node to see what the others do closes it early). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    http.close();
    Waits.lifecycle(db.close());
    Waits.lifecycle(node.close());
  }
}
