package dev.sluice;

import dev.sluice.launcher.Deployer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole service as a user meets it: every verticle of verticles.json deployed on the test database, a real HTTP
 * client on the gateway's port, and a pool to read expectations from PostgreSQL. One per test class.
 */
public final class Service implements AutoCloseable {

  public final Vertx vertx;
  public final JsonObject config;
  public final WebClient http;
  public final Pool db;

  private Service(Vertx vertx, JsonObject config) {
    this.vertx = vertx;
    this.config = config;
    this.http = WebClient.create(vertx, new WebClientOptions()
      .setDefaultHost("127.0.0.1")
      .setDefaultPort(config.getJsonObject("http").getInteger("port")));
    this.db = TestDatabase.pool(vertx);
  }

  public static Service start() {
    return start(TestDatabase.config());
  }

  public static Service start(JsonObject config) {
    Vertx vertx = Vertx.vertx();
    try {
      Deployer.deploy(vertx, Deployer.readPlan(), config).await();
    } catch (Exception e) {
      vertx.close().await();
      throw new IllegalStateException("the service did not start", e);
    }
    return new Service(vertx, config);
  }

  /** GETs a path (with its query string) and waits for the whole response. */
  public HttpResponse<Buffer> get(String pathAndQuery) {
    return http.get(pathAndQuery).send().await();
  }

  public JsonObject getJson(String pathAndQuery) {
    HttpResponse<Buffer> response = get(pathAndQuery);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + pathAndQuery + " gave " + response.statusCode() + ": "
        + response.bodyAsString());
    }
    return response.bodyAsJsonObject();
  }

  public List<Row> sql(String sql, Object... args) {
    List<Row> rows = new ArrayList<>();
    db.preparedQuery(sql).execute(Tuple.from(args)).await().forEach(rows::add);
    return rows;
  }

  public long count(String sql, Object... args) {
    return sql(sql, args).get(0).getLong(0);
  }

  @Override
  public void close() {
    http.close();
    db.close().await();
    vertx.close().await();
  }
}
