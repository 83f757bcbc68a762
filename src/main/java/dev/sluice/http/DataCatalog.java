package dev.sluice.http;

import dev.sluice.dataset.DeclaredDataset;
import dev.sluice.dataset.Measure;
import dev.sluice.dataset.Relation;
import dev.sluice.dataset.SortKey;
import dev.sluice.plan.Operations;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/data}: every declared dataset as a client needs to know it (docs/API.md 8.2):
 * its relation, columns with their types, key, sorts, filters with their operators (and an enum's
 * values), time column, measures, the strategies it offers and how its cache learns of writes.
 * Built once at start: declarations do not change while the node runs.
 */
final class DataCatalog {

  private final String body;

  DataCatalog(Operations operations) {
    JsonArray datasets = new JsonArray();
    operations.datasets().forEach(d -> datasets.add(describe(d)));
    body = new JsonObject().put("datasets", datasets).encode();
  }

  static JsonObject describe(DeclaredDataset d) {
    JsonArray columns = new JsonArray();
    for (Relation.Attribute column : d.columns()) {
      JsonObject json =
          new JsonObject()
              .put("name", column.name())
              .put("type", column.type())
              .put("nullable", !column.notNull());
      if (column.isEnum()) {
        json.put("values", new JsonArray(column.enumLabels()));
      }
      columns.add(json);
    }
    JsonObject filters = new JsonObject();
    d.operators().keySet().stream()
        .sorted(
            java.util.Comparator.comparingInt(
                name -> d.columns().stream().map(Relation.Attribute::name).toList().indexOf(name)))
        .forEach(
            name ->
                filters.put(name, new JsonArray(java.util.List.copyOf(d.operators().get(name)))));
    JsonObject measures = new JsonObject();
    for (Measure measure : d.measures()) {
      measures.put(measure.name(), measure.aggregate());
    }
    return new JsonObject()
        .put("name", d.name())
        .put("relation", d.relation().qualified())
        .put("kind", d.relation().kind().label())
        .put("columns", columns)
        .put("key", new JsonArray(d.key()))
        .put("sorts", new JsonArray(d.dataset().sorts().stream().map(SortKey::name).toList()))
        .put("filters", filters)
        .put("time", d.time())
        .put("measures", measures)
        .put("strategies", new JsonArray(d.strategies()))
        .put("invalidation", d.invalidation())
        .put("path", Operations.DATA + "/" + d.name());
  }

  void list(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, PageResponder.JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(body);
  }
}
