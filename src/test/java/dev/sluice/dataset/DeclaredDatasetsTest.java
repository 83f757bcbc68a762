package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every relation of the shop's schema, declared as discovery declares it (plus datasets of our own
 * that sort on nullable columns), served with every strategy, and each answer compared with what
 * PostgreSQL itself returns for the same query: rows, order and bytes.
 */
@EndToEnd
class DeclaredDatasetsTest {

  @Boot(config = "shop")
  static Service service;

  /** The same datasets with every row written by PostgreSQL ({@code row_encoding: postgres}). */
  @Boot(config = "shopWrittenByPostgres")
  static Service written;

  static JsonObject shop() {
    return Shop.config();
  }

  static JsonObject shopWrittenByPostgres() {
    return Shop.config().put("lazy_loading", new JsonObject().put("row_encoding", "postgres"));
  }

  static JsonArray catalog;

  @BeforeAll
  static void readCatalog() {
    catalog = service.getJson("/api/v1/data").getJsonArray("datasets");
  }

  static JsonObject dataset(String name) {
    for (int i = 0; i < catalog.size(); i++) {
      if (catalog.getJsonObject(i).getString("name").equals(name)) {
        return catalog.getJsonObject(i);
      }
    }
    throw new AssertionError("no dataset " + name + " in " + catalog.encode());
  }

  @Test
  @DisplayName("GET /data lists every relation of both schemas, each with its kind and strategies")
  void everyRelationDeclared() {
    List<String> relations = new ArrayList<>();
    for (int i = 0; i < catalog.size(); i++) {
      relations.add(catalog.getJsonObject(i).getString("relation"));
    }
    for (String relation : dev.sluice.AppSchema.RELATIONS) {
      assertTrue(relations.contains(relation), relation + " is served: " + relations);
    }
    JsonObject orders = dataset("orders");
    assertEquals("partitioned table", orders.getString("kind"));
    assertEquals(new JsonArray(List.of("order_id", "placed_at")), orders.getJsonArray("key"));
    assertEquals("placed_at", orders.getString("time"));
    JsonObject status = orders.getJsonArray("columns").getJsonObject(2);
    assertEquals(
        new JsonArray(List.of("pending", "paid", "shipped", "delivered", "cancelled")),
        status.getJsonArray("values"));
    assertEquals(new JsonArray(), dataset("order_summaries").getJsonArray("key"));
    assertEquals("ttl", dataset("daily_sales").getString("invalidation"));
    assertEquals(
        new JsonArray(List.of("pagination", "streaming", "window")),
        dataset("audit_events").getJsonArray("strategies"),
        "no key: pages and streams; an indexed timestamp: windows");
  }

  /** Every (dataset, sort) with a key. */
  static Stream<Arguments> keyedSorts() {
    List<Arguments> all = new ArrayList<>();
    JsonArray datasets = service.getJson("/api/v1/data").getJsonArray("datasets");
    for (int i = 0; i < datasets.size(); i++) {
      JsonObject d = datasets.getJsonObject(i);
      if (d.getJsonArray("key").isEmpty()) {
        continue;
      }
      for (Object sort : d.getJsonArray("sorts")) {
        all.add(Arguments.of(d.getString("name"), sort));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} sorted by {1}")
  @MethodSource("keyedSorts")
  @DisplayName("a cursor walk forward and back returns every row once, in SQL's order")
  void cursorWalk(String name, String sort) {
    JsonObject d = dataset(name);
    List<JsonObject> expected = sql(d, sort);
    int limit = Math.min(Math.max(7, expected.size() / 9), 500);
    String base = "/api/v1/data/" + name + "?sort=" + encode(sort) + "&limit=" + limit;
    List<JsonObject> forward = new ArrayList<>();
    JsonObject page = service.getJson(base);
    assertNull(page.getValue("prev_cursor"), "no page before the first");
    JsonObject last = page;
    while (true) {
      page.getJsonArray("data").forEach(row -> forward.add((JsonObject) row));
      String next = page.getString("next_cursor");
      if (next == null) {
        last = page;
        break;
      }
      page = service.getJson(base + "&cursor=" + encode(next));
    }
    sameRows(expected, forward, name + " forward by " + sort);
    // back from the last page to the first
    List<List<JsonObject>> pages = new ArrayList<>();
    page = last;
    while (true) {
      List<JsonObject> rows = new ArrayList<>();
      page.getJsonArray("data").forEach(row -> rows.add((JsonObject) row));
      pages.add(rows);
      String prev = page.getString("prev_cursor");
      if (prev == null) {
        break;
      }
      page = service.getJson(base + "&cursor=" + encode(prev));
    }
    Collections.reverse(pages);
    List<JsonObject> backward = new ArrayList<>();
    pages.forEach(backward::addAll);
    sameRows(expected, backward, name + " backward by " + sort);
  }

  @ParameterizedTest(name = "{0} sorted by {1}")
  @MethodSource("keyedSorts")
  @DisplayName("ranges (start, middle, end), a page and the stream, in every sort, are SQL's rows")
  void everySort(String name, String sort) {
    JsonObject d = dataset(name);
    List<String> text = sqlText(d, sort);
    List<JsonObject> expected = text.stream().map(JsonObject::new).toList();
    String sorted = "sort=" + encode(sort);
    int n = expected.size();
    for (int start : new int[] {0, n / 2, Math.max(0, n - 10)}) {
      int end = Math.min(start + 25, n);
      JsonObject range =
          service.getJson(
              "/api/v1/data/"
                  + name
                  + "/range?"
                  + sorted
                  + "&start_index="
                  + start
                  + "&end_index="
                  + (start + 25));
      sameRows(expected.subList(start, end), rows(range), name + " range at " + start);
    }
    JsonObject page =
        service.getJson("/api/v1/data/" + name + "?" + sorted + "&page=2&per_page=13");
    sameRows(expected.subList(Math.min(13, n), Math.min(26, n)), rows(page), name + " page 2");
    String body =
        service
            .get("/api/v1/data/" + name + "/stream?" + sorted, "Accept", "application/x-ndjson")
            .bodyAsString();
    assertEquals(text, body.isEmpty() ? List.of() : List.of(body.split("\n")), name + " stream");
  }

  static Stream<String> keylessDatasets() {
    List<String> all = new ArrayList<>();
    JsonArray datasets = service.getJson("/api/v1/data").getJsonArray("datasets");
    for (int i = 0; i < datasets.size(); i++) {
      if (datasets.getJsonObject(i).getJsonArray("key").isEmpty()) {
        all.add(datasets.getJsonObject(i).getString("name"));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keylessDatasets")
  @DisplayName("a dataset without a key is paged, in the order of all its columns")
  void keylessPages(String name) {
    JsonObject d = dataset(name);
    List<JsonObject> expected = sql(d, null);
    List<JsonObject> paged = new ArrayList<>();
    for (int p = 1; ; p++) {
      JsonObject page = service.getJson("/api/v1/data/" + name + "?per_page=97&page=" + p);
      page.getJsonArray("data").forEach(row -> paged.add((JsonObject) row));
      if (!page.getBoolean("has_more")) {
        break;
      }
    }
    sameRows(expected, paged, name + " by pages");
  }

  static Stream<String> keyedDatasets() {
    return keyedSorts().map(a -> (String) a.get()[0]).distinct();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyedDatasets")
  @DisplayName(
      "a row by its key (composite keys percent-encoded and joined by commas) is SQL's row")
  void items(String name) {
    JsonObject d = dataset(name);
    List<JsonObject> rows = sql(d, null);
    JsonArray key = d.getJsonArray("key");
    String keyText =
        String.join(", ", key.stream().map(k -> quote((String) k) + "::text").toList());
    List<Row> keys =
        service.rows(
            "SELECT "
                + keyText
                + " FROM "
                + d.getString("relation")
                + " ORDER BY "
                + String.join(", ", key.stream().map(k -> quote((String) k)).toList()));
    for (int at : new int[] {0, keys.size() / 2, keys.size() - 1}) {
      Row row = keys.get(at);
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < row.size(); i++) {
        parts.add(URLEncoder.encode(row.getString(i), StandardCharsets.UTF_8).replace("+", "%20"));
      }
      JsonObject reply =
          service.getJson("/api/v1/data/" + name + "/items/" + String.join(",", parts));
      JsonObject item = reply.getJsonArray("data").getJsonObject(0);
      assertTrue(rows.contains(item), name + " row " + parts + " is one of SQL's: " + item);
      for (int i = 0; i < row.size(); i++) {
        assertEquals(row.getString(i), text(d, key.getString(i), item), "key " + key.getString(i));
      }
    }
    int status =
        service
            .get("/api/v1/data/" + name + "/items/" + "x" + ",x".repeat(key.size() - 1))
            .statusCode();
    assertTrue(status == 404 || status == 400, "an unknown or unreadable key: " + status);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allDatasets")
  @DisplayName("an NDJSON stream's lines are byte for byte PostgreSQL's row_to_json of SQL's rows")
  void streamBytes(String name) {
    JsonObject d = dataset(name);
    List<String> expected = sqlText(d, null);
    HttpResponse<Buffer> response =
        service.get("/api/v1/data/" + name + "/stream", "Accept", "application/x-ndjson");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    String body = response.bodyAsString();
    List<String> lines = body.isEmpty() ? List.of() : List.of(body.split("\n"));
    assertEquals(expected.size(), lines.size(), name + ": one line a row");
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(expected.get(i), lines.get(i), name + " row " + i);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allDatasets")
  @DisplayName(
      "a CSV stream is a header of the columns and a record a row, each field as the JSON writes it")
  void csvStream(String name) {
    JsonObject d = dataset(name);
    HttpResponse<Buffer> response =
        service.get("/api/v1/data/" + name + "/stream", "Accept", "text/csv");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith("text/csv"));
    List<List<String>> records = Csv.parse(response.bodyAsString());
    List<String> columns = new ArrayList<>();
    d.getJsonArray("columns").forEach(c -> columns.add(((JsonObject) c).getString("name")));
    assertEquals(columns, records.get(0), "the header");
    List<String> json = new ArrayList<>();
    d.getJsonArray("columns")
        .forEach(
            c -> {
              JsonObject column = (JsonObject) c;
              if (List.of("json", "jsonb").contains(column.getString("type"))) {
                json.add(column.getString("name"));
              }
            });
    // a json or jsonb value as its JSON text, any other as the text of its JSON (a string
    // unquoted), NULL (and JSON's null) an empty field
    String fields =
        String.join(
            ", ",
            columns.stream()
                .map(
                    c -> {
                      String text = "translate(to_json(" + quote(c) + ")::text, E'\\n\\r', '  ')";
                      return json.contains(c)
                          ? "nullif(" + text + ", 'null')"
                          : "(" + text + "::json #>> '{}')";
                    })
                .toList());
    List<Row> rows =
        service.rows(
            "SELECT "
                + fields
                + " FROM "
                + d.getString("relation")
                + " ORDER BY "
                + orderBy(d, defaultSort(d)));
    assertEquals(rows.size() + 1, records.size(), name + ": a record a row");
    for (int i = 0; i < rows.size(); i++) {
      List<String> expected = new ArrayList<>();
      for (int c = 0; c < columns.size(); c++) {
        expected.add(rows.get(i).getString(c));
      }
      assertEquals(expected, records.get(i + 1), name + " record " + i);
    }
  }

  @Test
  @DisplayName("pages, ranges (start, middle, end, deep), ids, select and counts are SQL's rows")
  void otherStrategies() {
    JsonObject d = dataset("order_lines");
    List<JsonObject> all = sql(d, null);
    // pages
    JsonObject page = service.getJson("/api/v1/data/order_lines?page=3&per_page=50&count=exact");
    sameRows(all.subList(100, 150), rows(page), "page 3 of 50");
    assertEquals(all.size(), page.getLong("total_count"));
    assertEquals("exact", page.getString("total_count_type"));
    // ranges
    for (int start : new int[] {0, 7_345, all.size() - 20, 14_003}) {
      int end = Math.min(start + 40, all.size() + 5);
      JsonObject range =
          service.getJson(
              "/api/v1/data/order_lines/range?start_index=" + start + "&end_index=" + end);
      sameRows(all.subList(start, Math.min(end, all.size())), rows(range), "range at " + start);
    }
    // ids on a one-column key, in the order asked, null for a missing one
    JsonObject customers = dataset("customers");
    List<JsonObject> people = sql(customers, null);
    JsonObject batch = service.getJson("/api/v1/data/customers?ids=5,1,999999");
    JsonArray data = batch.getJsonArray("data");
    assertEquals(people.get(4), data.getJsonObject(0));
    assertEquals(people.get(0), data.getJsonObject(1));
    assertNull(data.getValue(2));
    assertEquals(
        400, service.get("/api/v1/data/order_lines?ids=1").statusCode(), "a composite key");
    // select: only those columns, in the declaration's order
    JsonObject selected =
        service.getJson("/api/v1/data/customers?select=email,customer_id&limit=3");
    JsonObject first = selected.getJsonArray("data").getJsonObject(0);
    assertEquals(List.of("customer_id", "email"), new ArrayList<>(first.fieldNames()));
    // counts
    JsonObject estimated =
        service.getJson("/api/v1/data/order_lines?limit=1&count=estimated&discount=is.null");
    assertEquals("estimated", estimated.getString("total_count_type"));
    long nulls =
        service
            .rows("SELECT count(*) FROM shop.order_lines WHERE discount IS NULL")
            .get(0)
            .getLong(0);
    long guess = estimated.getLong("total_count");
    assertTrue(
        guess > nulls / 2 && guess < nulls * 2, "the planner's estimate " + guess + " of " + nulls);
  }

  @Test
  @DisplayName("a stream resumed after a checkpoint sends exactly the rows after it")
  void resumedStream() {
    JsonObject d = dataset("order_lines");
    List<String> all = sqlText(d, null);
    String body =
        service
            .get(
                "/api/v1/data/order_lines/stream?checkpoints=true",
                "Accept",
                "application/x-ndjson")
            .bodyAsString();
    List<JsonObject> checkpoints = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("{\"_checkpoint\"")) {
        checkpoints.add(new JsonObject(line));
      }
    }
    assertTrue(checkpoints.size() >= 3, "checkpoints: " + checkpoints.size());
    JsonObject at = checkpoints.get(2);
    int count = at.getInteger("count");
    String rest =
        service
            .get(
                "/api/v1/data/order_lines/stream?after=" + encode(at.getString("_checkpoint")),
                "Accept",
                "application/x-ndjson")
            .bodyAsString();
    List<String> lines = List.of(rest.split("\n"));
    assertEquals(all.subList(count, all.size()), lines, "the rows after checkpoint " + count);
    // SSE: every row once, and a reconnect with Last-Event-ID goes on after the id
    String sse =
        service.get("/api/v1/data/customers/stream", "Accept", "text/event-stream").bodyAsString();
    List<String> items = new ArrayList<>();
    String lastId = null;
    String idBeforeLast = null;
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: ") && !line.contains("\"count\"")) {
        items.add(line.substring(6));
      } else if (line.startsWith("id: ")) {
        idBeforeLast = lastId;
        lastId = line.substring(4);
      }
    }
    List<String> customers = sqlText(dataset("customers"), null);
    assertEquals(customers, items);
    assertTrue(idBeforeLast != null, "more than one batch");
  }

  @Test
  @DisplayName(
      "a window reports the declared measures per bucket, aligned to the epoch, empty ones too")
  void window() {
    JsonObject reply =
        service.getJson(
            "/api/v1/data/shipments/window?start=2023-12-30T05:00:00Z&end=2024-01-09T00:00:00Z"
                + "&bucket=1d&status=neq.cancelled");
    assertEquals("2023-12-30T00:00:00Z", reply.getJsonObject("window").getString("start"));
    List<Row> expected =
        service.rows(
            "SELECT to_char(g AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
                + " (SELECT json_build_array(count(*), sum(total), count(shipped_at))::text"
                + " FROM shop.orders WHERE placed_at >= g AND placed_at < g + interval '1 day'"
                + " AND status <> 'cancelled')"
                + " FROM generate_series('2023-12-30T00:00:00Z'::timestamptz,"
                + " '2024-01-08T00:00:00Z'::timestamptz, interval '1 day') g ORDER BY g");
    JsonArray data = reply.getJsonArray("data");
    assertEquals(expected.size(), data.size(), "a bucket a day: " + data.encode());
    for (int i = 0; i < expected.size(); i++) {
      JsonObject bucket = data.getJsonObject(i);
      JsonArray figures = new JsonArray(expected.get(i).getString(1));
      assertEquals(expected.get(i).getString(0), bucket.getString("bucket_start"));
      assertEquals(figures.getValue(0), bucket.getValue("orders"), "orders " + i);
      assertEquals(figures.getValue(1), bucket.getValue("revenue"), "revenue " + i);
      assertEquals(figures.getValue(2), bucket.getValue("shipped"), "shipped " + i);
    }
    assertEquals(0, data.getJsonObject(0).getInteger("orders"), "an empty bucket counts 0");
    assertNull(data.getJsonObject(0).getValue("revenue"), "and has no sum");
    JsonObject some =
        service.getJson(
            "/api/v1/data/shipments/window?start=2024-01-01T00:00:00Z&end=2024-01-03T00:00:00Z"
                + "&bucket=1d&measures=orders");
    assertEquals(
        List.of("bucket_start", "orders"),
        new ArrayList<>(some.getJsonArray("data").getJsonObject(0).fieldNames()));
  }

  @Test
  @DisplayName(
      "a value only PostgreSQL can read, and refuses, is a 400 naming its filter, in a page and a stream")
  void valuesPostgresRefuses() {
    for (String path :
        List.of(
            "/api/v1/data/products",
            "/api/v1/data/products/stream",
            "/api/v1/data/products/range?start_index=0&end_index=5&")) {
      String uri = path + (path.endsWith("&") ? "" : "?") + "lead_time=eq.soon&sku=eq.BOO-0001";
      HttpResponse<Buffer> response = service.get(uri.replace("?&", "?"));
      assertEquals(400, response.statusCode(), uri + ": " + response.bodyAsString());
      JsonObject problem = response.bodyAsJsonObject();
      assertEquals(
          "lead_time",
          problem.getJsonArray("errors").getJsonObject(0).getString("parameter"),
          problem.encode());
    }
    assertEquals(
        200,
        service
            .get("/api/v1/data/products/stream?lead_time=gt.1%20day&ip=eq.10.0.0.1")
            .statusCode());
  }

  static List<JsonObject> rows(JsonObject envelope) {
    List<JsonObject> rows = new ArrayList<>();
    envelope.getJsonArray("data").forEach(r -> rows.add((JsonObject) r));
    return rows;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allDatasets")
  @DisplayName(
      "rows written by PostgreSQL are the JVM's: the same bytes in a stream, the same page")
  void bothEncodings(String name) {
    String jvm =
        service
            .get("/api/v1/data/" + name + "/stream", "Accept", "application/x-ndjson")
            .bodyAsString();
    String database =
        written
            .get("/api/v1/data/" + name + "/stream", "Accept", "application/x-ndjson")
            .bodyAsString();
    assertEquals(jvm, database, name + "'s stream");
    String query = dataset(name).getJsonArray("key").isEmpty() ? "?per_page=50" : "?limit=50";
    assertEquals(
        service.getJson("/api/v1/data/" + name + query).getJsonArray("data"),
        written.getJson("/api/v1/data/" + name + query).getJsonArray("data"),
        name + "'s page");
  }

  static Stream<String> allDatasets() {
    List<String> all = new ArrayList<>();
    JsonArray datasets = service.getJson("/api/v1/data").getJsonArray("datasets");
    for (int i = 0; i < datasets.size(); i++) {
      all.add(datasets.getJsonObject(i).getString("name"));
    }
    return all.stream();
  }

  /** The same rows in the same order, or a short account of the first difference. */
  static void sameRows(List<JsonObject> expected, List<JsonObject> actual, String what) {
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).equals(actual.get(i))) {
        throw new AssertionError(
            what + ": row " + i + " is " + actual.get(i) + ", SQL's is " + expected.get(i));
      }
    }
    assertEquals(expected.size(), actual.size(), what + ": how many rows");
  }

  // ---- what PostgreSQL says, built here from the catalog reply, not from Sluice's SQL

  /** The dataset's rows as JSON objects, in the order of {@code sort} (null: the default). */
  static List<JsonObject> sql(JsonObject d, String sort) {
    return sqlText(d, sort).stream().map(JsonObject::new).toList();
  }

  /** Each row's row_to_json text, in the order of {@code sort}. */
  static List<String> sqlText(JsonObject d, String sort) {
    List<String> columns = new ArrayList<>();
    d.getJsonArray("columns").forEach(c -> columns.add(((JsonObject) c).getString("name")));
    String select = String.join(", ", columns.stream().map(DeclaredDatasetsTest::quote).toList());
    String order = orderBy(d, sort == null ? defaultSort(d) : sort);
    List<Row> rows =
        service.rows(
            "SELECT translate(row_to_json(x)::text, E'\\n\\r', '  ') FROM (SELECT "
                + select
                + " FROM "
                + d.getString("relation")
                + " ORDER BY "
                + order
                + ") x");
    return rows.stream().map(r -> r.getString(0)).toList();
  }

  static String defaultSort(JsonObject d) {
    JsonArray sorts = d.getJsonArray("sorts");
    return sorts.getString(0);
  }

  /**
   * The ORDER BY of a sort: its columns, then the key's (in the direction of the sort's last), or
   * for a dataset without a key every column ascending.
   */
  static String orderBy(JsonObject d, String sort) {
    List<String> key = new ArrayList<>();
    d.getJsonArray("key").forEach(k -> key.add((String) k));
    return orderBy(sort, key);
  }

  /**
   * The ORDER BY of a sort over a dataset with {@code key} (its columns go last, as the sort's
   * last).
   */
  static String orderBy(String sort, List<String> key) {
    List<String> items = new ArrayList<>();
    List<String> named = new ArrayList<>();
    boolean last = false;
    for (String part : sort.split(",")) {
      boolean desc = part.startsWith("-");
      String column = desc ? part.substring(1) : part;
      named.add(column);
      items.add(quote(column) + (desc ? " DESC" : " ASC"));
      last = desc;
    }
    for (String k : key) {
      if (!named.contains(k)) {
        items.add(quote(k) + (last ? " DESC" : " ASC"));
      }
    }
    return String.join(", ", items);
  }

  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** A column's value as PostgreSQL's text, read back through SQL from the row's JSON. */
  static String text(JsonObject d, String column, JsonObject item) {
    String type = null;
    for (Object c : d.getJsonArray("columns")) {
      if (((JsonObject) c).getString("name").equals(column)) {
        type = ((JsonObject) c).getString("type");
      }
    }
    return Waits.statement(
            service
                .db
                .preparedQuery("SELECT ($1::text::json ->> $2::text)::" + type + "::text")
                .execute(io.vertx.sqlclient.Tuple.of(item.encode(), column)))
        .iterator()
        .next()
        .getString(0);
  }
}
