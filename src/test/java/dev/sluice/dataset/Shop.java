package dev.sluice.dataset;

import dev.sluice.AppSchema;
import dev.sluice.TestDatabase;
import dev.sluice.Waits;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;

/**
 * The shop's datasets as the tests of declared datasets serve them: the app schema installed, its
 * relations declared as {@code datasets discover} declares them (both schemas), plus datasets of
 * our own over the same relations that sort on nullable columns with duplicates, which no index
 * offers.
 */
public final class Shop {

  static final List<String> SCHEMAS = List.of("shop", "Sales Ω");

  private Shop() {}

  /** Installs the schema (once per JVM) and returns what discovery declares for it. */
  public static JsonObject discovered() {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = TestDatabase.pool(vertx);
      AppSchema.install(pool);
      List<Relation> relations = Waits.statement(PgCatalog.inSchemas(pool, SCHEMAS));
      return Discovery.declare(relations, SCHEMAS.get(0));
    } finally {
      Waits.lifecycle(vertx.close());
    }
  }

  /** Datasets of our own: orders by when they shipped, customers by their call-list order. */
  public static JsonObject ours() {
    return new JsonObject()
        .put(
            "shipments",
            new JsonObject()
                .put("relation", "shop.orders")
                .put(
                    "sorts",
                    new JsonArray(List.of("shipped_at", "-shipped_at", "-status,shipped_at")))
                .put("filters", "*")
                .put("time", "placed_at")
                .put(
                    "measures",
                    new JsonObject()
                        .put("orders", "count(*)")
                        .put("revenue", "sum(total)")
                        .put("shipped", "count(shipped_at)")))
        .put(
            "callers",
            new JsonObject()
                .put("relation", "shop.customers")
                .put(
                    "sorts",
                    new JsonArray(
                        List.of("order", "-order", "-Display Name", "Display Name,-order")))
                .put("filters", "*"))
        .put(
            "discounts",
            new JsonObject()
                .put("relation", "shop.order_lines")
                .put("sorts", new JsonArray(List.of("discount", "-discount,sku")))
                .put("page", new JsonObject().put("default", 40).put("max", 500)));
  }

  /** The service configuration that serves both. */
  public static JsonObject config() {
    return new JsonObject().put("datasets", discovered().mergeIn(ours()));
  }
}
