package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Service;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Filters on declared datasets (docs/API.md 8.3), written as PostgREST writes them, against the
 * same conditions written here in SQL: random combinations of one to three filters on {@code
 * shipments} (shop.orders), {@code callers} (shop.customers) and the discovered {@code products},
 * every operator on every type that takes it, negated or not, with values drawn mostly from the
 * rows themselves. A cursor walk over every page must return exactly the keys, in the order, and
 * the exact total that PostgreSQL gives for the condition built here.
 *
 * <p>The expected SQL is built by this class from the catalog of PostgreSQL (not from Sluice's
 * planner): each value bound as text and cast to the column's base type as PostgreSQL names it
 * ({@code pg_catalog.bpchar}, never {@code character}, which is {@code character(1)}).
 *
 * <p>Values left out of the random draws, because Sluice refuses them by design: a time of {@code
 * 24:00:00} and BC timestamps (not java.time's ISO-8601), text holding control characters other
 * than tab and line ends (no parameter may hold one). The examples below pin the fixed cases of 8.3
 * and the faults that name their parameter.
 */
@net.jqwik.api.Tag(
    dev.sluice.EndToEnd.TAG) // a jqwik container: JUnit's @EndToEnd does not reach it
class DeclaredFiltersPropertyTest {

  static Service service;

  /** What the tests know of each dataset, read from PostgreSQL's catalog and rows. */
  static Map<String, Model> models;

  static JsonArray catalog;

  @BeforeContainer
  static void start() {
    JsonObject config = Shop.config();
    // customers ordered by a char(2) column: a cursor over it carries char(2) values
    config
        .getJsonObject("datasets")
        .put(
            "by_country",
            new JsonObject()
                .put("relation", "shop.customers")
                .put("sorts", new JsonArray(List.of("country")))
                .put("filters", "*"));
    service = Service.start(Service.config(config));
    catalog = service.getJson("/api/v1/data").getJsonArray("datasets");
    models = new LinkedHashMap<>();
    for (String name : List.of("shipments", "callers", "products")) {
      models.put(name, model(name));
    }
  }

  @AfterContainer
  static void stop() {
    if (service != null) {
      service.close();
      service = null;
    }
  }

  // ---- the properties

  @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
  void shipments(@ForAll("shipmentFilters") List<Filter> filters) {
    check(models.get("shipments"), filters);
  }

  @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
  void callers(@ForAll("callerFilters") List<Filter> filters) {
    check(models.get("callers"), filters);
  }

  @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
  void products(@ForAll("productFilters") List<Filter> filters) {
    check(models.get("products"), filters);
  }

  @Provide
  Arbitrary<List<Filter>> shipmentFilters() {
    return filters(models.get("shipments"));
  }

  @Provide
  Arbitrary<List<Filter>> callerFilters() {
    return filters(models.get("callers"));
  }

  @Provide
  Arbitrary<List<Filter>> productFilters() {
    return filters(models.get("products"));
  }

  // ---- examples

  /** GET /data names for each column the operators 8.3 gives its type, no more and no fewer. */
  @Example
  void catalogOperatorsFollowTheTypes() {
    List<String> wrong = new ArrayList<>();
    for (Model model : models.values()) {
      JsonObject filters = dataset(model.name).getJsonObject("filters");
      for (Col col : model.columns) {
        Set<String> served = new LinkedHashSet<>();
        JsonArray ops = filters.getJsonArray(col.name);
        if (ops != null) {
          ops.forEach(op -> served.add((String) op));
        }
        if (!served.equals(new LinkedHashSet<>(col.kind.operators()))) {
          wrong.add(
              model.name
                  + "."
                  + col.name
                  + " ("
                  + col.castType
                  + "): "
                  + served
                  + ", 8.3 gives "
                  + col.kind.operators());
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Example
  void quotedInList() {
    int n =
        expectKeys(
            "shipments",
            "note="
                + encode(
                    "in.(\"He said \\\"fragile\\\"\",\"C:\\\\orders\\\\box\\\\\","
                        + "\"It's {fine}, really; [ok]\",Urgent,\"(none)\",\"a,b\")"),
            "note IN ('He said \"fragile\"', 'C:\\orders\\box\\', 'It''s {fine}, really; [ok]',"
                + " 'Urgent', '(none)', 'a,b')");
    assertTrue(n > 0, "some notes are among them");
    int names =
        expectKeys(
            "callers",
            encode("Display Name") + "=" + encode("in.(\"Bo O'Brien\",\"\",\"Alex Smith\")"),
            "\"Display Name\" IN ('Bo O''Brien', '', 'Alex Smith')");
    assertTrue(names > 0);
  }

  @Example
  void notIn() {
    int n =
        expectKeys(
            "shipments",
            "status=" + encode("not.in.(delivered,cancelled)"),
            "status::text NOT IN ('delivered', 'cancelled')");
    assertTrue(n > 0);
    // NOT (note IN (…)): an order without a note is in neither answer
    int notes =
        expectKeys(
            "shipments",
            "note=" + encode("not.in.(Urgent,\"\")"),
            "note IS NOT NULL AND note NOT IN ('Urgent', '')");
    assertTrue(notes > 0);
  }

  @Example
  void twoFiltersOnOneColumn() {
    int n = expectKeys("shipments", "total=gte.100&total=lt.500", "total >= 100 AND total < 500");
    assertTrue(n > 0);
    expectKeys(
        "callers",
        "loyalty_points=" + encode("gt.-Infinity") + "&loyalty_points=" + encode("not.eq.NaN"),
        "loyalty_points > '-Infinity' AND loyalty_points <> 'NaN'");
  }

  @Example
  void enumsCompareInTheirDeclaredOrder() {
    assertTrue(
        expectKeys(
                "shipments",
                "status=gt.paid",
                "status::text IN ('shipped', 'delivered', 'cancelled')")
            > 0);
    assertTrue(
        expectKeys("shipments", "status=lte.paid", "status::text IN ('pending', 'paid')") > 0);
  }

  @Example
  void likeWildcards() {
    assertEquals(9, expectKeys("callers", "email=like.customer000*", "email LIKE 'customer000%'"));
    // _ and % are literal: nothing holds them
    assertEquals(0, expectKeys("callers", "email=like.customer00_1*", "false"));
    assertEquals(0, expectKeys("callers", "email=like." + encode("%example.com"), "false"));
    assertTrue(
        expectKeys(
                "callers",
                "Display%20Name=ilike." + encode("*SMITH"),
                "lower(\"Display Name\") LIKE '%smith'")
            > 0);
  }

  /** A char(n) value is compared whole: char(2) 'FR' is not cut to char(1) 'F'. */
  @Example
  void charColumnsCompareWholeValues() {
    assertTrue(expectKeys("callers", "country=eq.FR", "country = 'FR'") > 0);
    assertTrue(expectKeys("callers", "country=in.(FR,US)", "country IN ('FR', 'US')") > 0);
    assertTrue(expectKeys("callers", "country=neq.FR", "country <> 'FR'") > 0);
    assertTrue(expectKeys("callers", "country=gt.FR", "country > 'FR'") > 0);
  }

  /**
   * A cursor walk over a char(n) sort column returns every row once (its keyset values are cast as
   * the column's type, not as char(1)).
   */
  @Example
  void cursorOverACharColumn() {
    List<List<String>> expected =
        service
            .rows(
                "SELECT json_build_array(customer_id)::text FROM shop.customers"
                    + " ORDER BY country ASC, customer_id ASC")
            .stream()
            .map(r -> strings(new JsonArray(r.getString(0))))
            .toList();
    List<List<String>> actual = new ArrayList<>();
    String base = "/api/v1/data/by_country?limit=100&select=customer_id";
    String url = base;
    for (int pages = 0; pages < 30; pages++) {
      JsonObject page = service.getJson(url);
      page.getJsonArray("data")
          .forEach(
              r -> actual.add(List.of(String.valueOf(((JsonObject) r).getValue("customer_id")))));
      String next = page.getString("next_cursor");
      if (next == null) {
        break;
      }
      url = base + "&cursor=" + encode(next);
    }
    assertEquals(expected.size(), actual.size(), "rows walked by country (" + url + ")");
    assertEquals(expected, actual);
  }

  /**
   * A time with an offset of whole hours, as PostgreSQL and Sluice's rows write it ({@code
   * 06:26:00-08}, ISO-8601's {@code ±hh}), is read as a filter, as it is for timestamptz.
   */
  @Example
  void hourOffsets() {
    assertEquals(
        1,
        expectKeys(
            "shipments",
            "placed_at=eq." + encode("2024-01-01T04:23:00.000001+00"),
            "placed_at = '2024-01-01T04:23:00.000001+00'"));
    assertTrue(
        expectKeys(
                "products",
                "opens_at=eq." + encode("06:26:00-08"),
                "opens_at = '06:26:00-08'::timetz")
            > 0);
  }

  @Example
  void malformedValuesAreProblemsNamingTheParameter() {
    String[][] cases = {
      {"shipments", "order_id=eq.abc", "order_id"},
      {"shipments", "placed_at=gt.now", "placed_at"},
      {"shipments", "status=eq.nosuch", "status"},
      {"callers", "tags=cs.notanarray", "tags"},
      {"callers", "tags=cs." + encode("{\"unclosed}"), "tags"},
      {"shipments", "note=cs." + encode("{a}"), "note"},
      {"shipments", "nosuchcolumn=eq.1", "nosuchcolumn"},
      {"callers", "email=is.true", "email"},
      {"callers", "birthday=eq.today", "birthday"},
      {"callers", "order=gt.2147483648", "order"},
      {"shipments", "customer_id=in.()", "customer_id"},
      {"shipments", "customer_id=in.(1,2", "customer_id"},
      {"shipments", "note=in." + encode("(a,b\"c)"), "note"},
      {"shipments", "total=eq.12,5", "total"},
      {"shipments", "placed_at=eq." + encode("2025-01-01T00:00:00"), "placed_at"},
      {"products", "search=eq.lamp", "search"},
      {"products", "ip=eq.not-an-address", "ip"},
      {"shipments", "status=xx.paid", "status"},
      {"shipments", "status=paid", "status"},
    };
    for (String[] c : cases) {
      String url = "/api/v1/data/" + c[0] + "?" + c[1];
      HttpResponse<Buffer> response = service.get(url);
      assertEquals(400, response.statusCode(), url + ": " + response.bodyAsString());
      assertEquals(
          "application/problem+json",
          response.getHeader("Content-Type"),
          url + ": " + response.bodyAsString());
      JsonArray errors = response.bodyAsJsonObject().getJsonArray("errors", new JsonArray());
      List<String> named = new ArrayList<>();
      errors.forEach(e -> named.add(((JsonObject) e).getString("parameter")));
      assertTrue(named.contains(c[2]), url + " names " + c[2] + ": " + response.bodyAsString());
    }
  }

  // ---- the model: columns, their kinds, their values

  /** The kinds of column the operators of 8.3 tell apart, with the operators each takes. */
  enum Kind {
    INTEGER,
    NUMERIC,
    FLOAT,
    TEXT,
    ENUM,
    TIMESTAMPTZ,
    TIMESTAMP,
    DATE,
    TIME,
    TIMETZ,
    INTERVAL,
    UUID,
    BOOL,
    /** A type with a btree equality but no order 8.3 names (bytea, inet, ranges, bit strings). */
    EQUALITY,
    ARRAY,
    TSVECTOR,
    /** JSON, geometric types: {@code is} only. */
    IS_ONLY;

    List<String> operators() {
      return switch (this) {
        case TEXT -> List.of("eq", "neq", "gt", "gte", "lt", "lte", "in", "is", "like", "ilike");
        case BOOL, EQUALITY -> List.of("eq", "neq", "in", "is");
        case ARRAY -> List.of("is", "cs", "ov");
        case TSVECTOR -> List.of("is", "fts");
        case IS_ONLY -> List.of("is");
        default -> List.of("eq", "neq", "gt", "gte", "lt", "lte", "in", "is");
      };
    }
  }

  /**
   * A filterable column: its kind, the type its values are cast to ({@code schema.name} of the base
   * type), and values to filter by (for an array: element values).
   */
  record Col(String name, Kind kind, String castType, String typeName, List<String> samples) {}

  record Model(String name, String relation, List<String> key, String orderBy, List<Col> columns) {}

  static JsonObject dataset(String name) {
    for (int i = 0; i < catalog.size(); i++) {
      if (catalog.getJsonObject(i).getString("name").equals(name)) {
        return catalog.getJsonObject(i);
      }
    }
    throw new AssertionError("no dataset " + name + " in " + catalog.encode());
  }

  static Model model(String name) {
    JsonObject d = dataset(name);
    String relation = d.getString("relation");
    List<String> key = d.getJsonArray("key").stream().map(k -> (String) k).toList();
    Set<String> filterable = d.getJsonObject("filters").fieldNames();
    List<Col> columns = new ArrayList<>();
    List<Row> rows =
        service.rows(
            "SELECT a.attname::text, b.typcategory::text, b.typname::text,"
                + " quote_ident(n.nspname) || '.' || quote_ident(b.typname)"
                + " FROM pg_attribute a"
                + " JOIN pg_type t ON t.oid = a.atttypid"
                + " JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype"
                + " ELSE t.oid END"
                + " JOIN pg_namespace n ON n.oid = b.typnamespace"
                + " WHERE a.attrelid = $1::text::regclass AND a.attnum > 0 AND NOT a.attisdropped"
                + " ORDER BY a.attnum",
            relation);
    for (Row row : rows) {
      String column = row.getString(0);
      if (!filterable.contains(column)) {
        continue;
      }
      Kind kind = kind(row.getString(1), row.getString(2));
      columns.add(
          new Col(
              column,
              kind,
              row.getString(3),
              row.getString(2),
              samples(relation, column, kind, row.getString(2))));
    }
    JsonArray sorts = d.getJsonArray("sorts");
    return new Model(
        name, relation, key, DeclaredDatasetsTest.orderBy(sorts.getString(0), key), columns);
  }

  static Kind kind(String category, String type) {
    return switch (category) {
      case "A" -> Kind.ARRAY;
      case "N" ->
          switch (type) {
            case "int2", "int4", "int8" -> Kind.INTEGER;
            case "numeric" -> Kind.NUMERIC;
            case "float4", "float8" -> Kind.FLOAT;
            default -> Kind.IS_ONLY;
          };
      case "S" -> Kind.TEXT;
      case "E" -> Kind.ENUM;
      case "D" ->
          switch (type) {
            case "timestamptz" -> Kind.TIMESTAMPTZ;
            case "timestamp" -> Kind.TIMESTAMP;
            case "date" -> Kind.DATE;
            case "time" -> Kind.TIME;
            default -> Kind.TIMETZ;
          };
      case "T" -> Kind.INTERVAL;
      case "B" -> Kind.BOOL;
      case "I", "R", "V" -> Kind.EQUALITY;
      case "U" ->
          switch (type) {
            case "uuid" -> Kind.UUID;
            case "bytea" -> Kind.EQUALITY;
            case "tsvector" -> Kind.TSVECTOR;
            default -> Kind.IS_ONLY;
          };
      default -> Kind.IS_ONLY;
    };
  }

  /**
   * Up to 40 distinct values of the column (for an array: of its elements, NULL among them as
   * null), as JSON writes them (ISO-8601 times), spread by a hash; then edge values of its type.
   */
  static List<String> samples(String relation, String column, Kind kind, String type) {
    if (kind == Kind.TSVECTOR || kind == Kind.IS_ONLY || kind == Kind.BOOL) {
      return List.of();
    }
    String c = quote(column);
    String values =
        kind == Kind.ARRAY
            ? "SELECT DISTINCT to_json(e) #>> '{}' AS v FROM " + relation + ", unnest(" + c + ") e"
            : "SELECT DISTINCT to_json("
                + c
                + ") #>> '{}' AS v FROM "
                + relation
                + " WHERE "
                + c
                + " IS NOT NULL";
    List<String> samples = new ArrayList<>();
    for (Row row :
        service.rows(
            "SELECT v FROM (" + values + ") s ORDER BY md5(coalesce(v, 'NULL')) LIMIT 40")) {
      String v = row.getString(0);
      // PostgreSQL reads 24:00:00 and BC years, java.time's ISO-8601 does not; and no parameter
      // may hold a control character other than tab, line feed and return (Params)
      if (v != null
          && (v.equals("24:00:00")
              || v.endsWith(" BC")
              || v.chars()
                  .anyMatch(
                      ch ->
                          Character.isISOControl(ch) && ch != '\t' && ch != '\n' && ch != '\r'))) {
        continue;
      }
      if (kind == Kind.TIMETZ && v.matches(".*[+-][0-9]{2}")) {
        v = v + ":00"; // as PostgreSQL writes an offset of whole hours; see hourOffsets()
      }
      samples.add(v);
    }
    samples.addAll(edges(kind));
    if (type.equals("_text")) {
      samples.addAll(List.of("", "vip", "NULL", "a,b", "say \"hi\"", "back\\slash", "zz"));
    }
    return samples.stream().distinct().toList();
  }

  static List<String> edges(Kind kind) {
    return switch (kind) {
      case INTEGER ->
          List.of("0", "-1", "1", "2147483647", "-2147483648", "100003", "100004", "39");
      case NUMERIC ->
          List.of(
              "NaN",
              "Infinity",
              "-Infinity",
              "0",
              "-0.000000000000000000001",
              "1e40",
              ".5",
              "-.5",
              "1E-3",
              "100",
              "500",
              "12345678901234567890.123456789012345");
      case FLOAT ->
          List.of("NaN", "Infinity", "-Infinity", "-0", "0", "0.30000000000000004", "1e-30", "7");
      case TEXT ->
          List.of(
              "",
              "Urgent",
              "alex smith",
              "Alex Smith",
              "a,b",
              "(x)",
              "say \"hi\"",
              "back\\slash",
              "C:\\orders\\box\\",
              "O'Brien",
              "100%",
              "under_score",
              " spaced ",
              "Zoë 👋",
              "US");
      case ENUM -> List.of("pending", "paid", "shipped", "delivered", "cancelled");
      case TIMESTAMPTZ ->
          List.of(
              "infinity",
              "-infinity",
              "2025-01-01T00:00:00Z",
              "2024-06-30T23:59:59.999999-07:00",
              "2026-03-01T12:00:00+05:30",
              "2024-01-01T00:00:00+00:00");
      case TIMESTAMP -> List.of("infinity", "-infinity", "2020-06-01T00:00:00");
      case DATE -> List.of("infinity", "-infinity", "2000-02-29", "1970-01-01", "1990-06-15");
      case TIME -> List.of("00:00:00", "12:00", "23:59:59.999999");
      case TIMETZ -> List.of("12:00:00+00:00", "06:00:00-08:00", "23:59:59+14:00");
      case INTERVAL -> List.of("0", "1 day", "-1 day", "P1D", "PT12H", "1 year");
      case UUID -> List.of("00000000-0000-0000-0000-000000000000");
      case ARRAY -> Arrays.asList((String) null);
      default -> List.of();
    };
  }

  // ---- filters: what a client writes and what it means in SQL

  /**
   * One filter: {@code column=[not.]op.value}; {@code values} holds one value, or an {@code in}
   * list's items (each with whether it is written quoted), or an array's elements.
   */
  record Filter(Col col, boolean not, String op, List<String> values, List<Boolean> quoted) {

    /** The parameter's value, as a client writes it (before percent-encoding). */
    String text() {
      String value =
          switch (op) {
            case "in" -> {
              List<String> items = new ArrayList<>();
              for (int i = 0; i < values.size(); i++) {
                items.add(listItem(values.get(i), quoted.get(i)));
              }
              yield "(" + String.join(",", items) + ")";
            }
            case "cs", "ov" -> arrayLiteral(values);
            default -> values.get(0);
          };
      return (not ? "not." : "") + op + "." + value;
    }

    /** The condition in SQL, its values bound into {@code args}. */
    String sql(List<Object> args) {
      String c = quote(col.name);
      String condition =
          switch (op) {
            case "eq", "neq", "gt", "gte", "lt", "lte" ->
                c + symbol(op) + bind(args, values.get(0)) + "::text::" + col.castType;
            case "in" ->
                c
                    + " = ANY("
                    + bind(args, values.toArray(new String[0]))
                    + "::text[]::"
                    + col.castType
                    + "[])";
            case "is" -> c + " IS " + values.get(0).toUpperCase(Locale.ROOT);
            case "like" -> c + " LIKE " + bind(args, likePattern(values.get(0))) + "::text";
            case "ilike" -> c + " ILIKE " + bind(args, likePattern(values.get(0))) + "::text";
            case "fts" -> c + " @@ websearch_to_tsquery(" + bind(args, values.get(0)) + "::text)";
            case "cs" -> c + " @> " + bind(args, arrayLiteral(values)) + "::text::" + col.castType;
            case "ov" -> c + " && " + bind(args, arrayLiteral(values)) + "::text::" + col.castType;
            default -> throw new IllegalArgumentException(op);
          };
      return not ? "NOT (" + condition + ")" : "(" + condition + ")";
    }

    @Override
    public String toString() {
      return col.name + "=" + text();
    }
  }

  static String symbol(String op) {
    return switch (op) {
      case "eq" -> " = ";
      case "neq" -> " <> ";
      case "gt" -> " > ";
      case "gte" -> " >= ";
      case "lt" -> " < ";
      default -> " <= ";
    };
  }

  static String bind(List<Object> args, Object value) {
    args.add(value);
    return "$" + args.size();
  }

  /** An {@code in} item: double-quoted when it holds , ( ) " \ (or is empty, or when asked). */
  static String listItem(String value, boolean quote) {
    boolean must =
        value.isEmpty()
            || value.chars().anyMatch(ch -> ",()\"\\".indexOf(ch) >= 0)
            || !value.equals(value.strip());
    if (!must && !quote) {
      return value;
    }
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** A PostgreSQL array literal of text elements (null: NULL). */
  static String arrayLiteral(List<String> elements) {
    List<String> out = new ArrayList<>();
    for (String e : elements) {
      if (e == null) {
        out.add("NULL");
      } else if (e.isEmpty()
          || e.equalsIgnoreCase("NULL")
          || e.chars().anyMatch(ch -> "{},\"\\".indexOf(ch) >= 0 || Character.isWhitespace(ch))) {
        out.add('"' + e.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
      } else {
        out.add(e);
      }
    }
    return "{" + String.join(",", out) + "}";
  }

  /** A LIKE pattern: {@code *} the wildcard, {@code %}, {@code _} and {@code \} literal. */
  static String likePattern(String value) {
    StringBuilder out = new StringBuilder();
    for (char ch : value.toCharArray()) {
      if (ch == '*') {
        out.append('%');
      } else {
        if (ch == '%' || ch == '_' || ch == '\\') {
          out.append('\\');
        }
        out.append(ch);
      }
    }
    return out.toString();
  }

  // ---- arbitraries

  /** One to three filters; now and then two or three on the same column. */
  static Arbitrary<List<Filter>> filters(Model model) {
    Arbitrary<Col> columns = Arbitraries.of(model.columns);
    Arbitrary<List<Filter>> independent =
        columns.flatMap(DeclaredFiltersPropertyTest::filter).list().ofMinSize(1).ofMaxSize(3);
    Arbitrary<List<Filter>> sameColumn =
        columns.flatMap(c -> filter(c).list().ofMinSize(2).ofMaxSize(3));
    return Arbitraries.frequencyOf(Tuple.of(4, independent), Tuple.of(1, sameColumn));
  }

  static Arbitrary<Filter> filter(Col col) {
    Arbitrary<Boolean> not = Arbitraries.of(false, false, false, true);
    List<String> operators = new ArrayList<>(col.kind.operators());
    if (col.kind == Kind.TEXT) {
      operators.addAll(List.of("like", "ilike", "in")); // the operators with a syntax of their own
    }
    return Arbitraries.of(operators)
        .flatMap(
            op ->
                Combinators.combine(not, values(col, op))
                    .as((n, v) -> new Filter(col, n, op, v.get1(), v.get2())));
  }

  /** The values of one filter, and whether each {@code in} item is quoted when it need not be. */
  static Arbitrary<Tuple.Tuple2<List<String>, List<Boolean>>> values(Col col, String op) {
    Arbitrary<String> sample =
        col.samples.isEmpty() ? Arbitraries.just("x") : Arbitraries.of(col.samples);
    return switch (op) {
      case "in" ->
          Combinators.combine(sample, Arbitraries.of(false, true))
              .as(Tuple::of)
              .list()
              .ofMinSize(1)
              .ofMaxSize(5)
              .map(
                  items ->
                      Tuple.of(
                          items.stream().map(Tuple.Tuple2::get1).toList(),
                          items.stream().map(Tuple.Tuple2::get2).toList()));
      case "is" ->
          (col.kind == Kind.BOOL
                  ? Arbitraries.of("null", "true", "false")
                  : Arbitraries.just("null"))
              .map(v -> single(v));
      case "like", "ilike" -> pattern(sample, op.equals("ilike")).map(v -> single(v));
      case "fts" ->
          Arbitraries.of(
                  "lamp",
                  "blocks",
                  "toys",
                  "kitchen",
                  "Crème",
                  "\"gift card\"",
                  "kettle or lamp",
                  "deluxe -novel",
                  "electronics charger",
                  "Gift",
                  "nothingmatches",
                  "",
                  "-toys",
                  "sports & racket",
                  "#42")
              .map(v -> single(v));
      case "cs", "ov" ->
          Arbitraries.of(col.samples)
              .list()
              .ofMaxSize(3)
              .map(elements -> Tuple.of(elements, List.<Boolean>of()));
      default -> sample.map(v -> single(v));
    };
  }

  static Tuple.Tuple2<List<String>, List<Boolean>> single(String value) {
    return Tuple.of(List.of(value), List.of());
  }

  /**
   * A pattern made from a real value: the whole of it or a part, with {@code *} before, after or
   * around, maybe with one character turned into a literal {@code _} or {@code %} (which must then
   * match only itself), its case changed for {@code ilike}.
   */
  static Arbitrary<String> pattern(Arbitrary<String> sample, boolean ilike) {
    return Combinators.combine(
            sample,
            Arbitraries.integers().between(0, 1000),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.of("exact", "prefix", "suffix", "infix", "star", "middle"),
            Arbitraries.of("", "", "", "_", "%"),
            Arbitraries.of(false, true))
        .as(
            (value, a, b, shape, literal, upper) -> {
              int from = value.isEmpty() ? 0 : a % value.length();
              int to = from + (value.length() - from == 0 ? 0 : b % (value.length() - from + 1));
              String part = value.substring(from, to);
              if (!literal.isEmpty() && !part.isEmpty()) {
                int at = (a + b) % part.length();
                part = part.substring(0, at) + literal + part.substring(at + 1);
              }
              if (ilike && upper) {
                part = part.toUpperCase(Locale.ROOT);
              }
              return switch (shape) {
                case "exact" -> value;
                case "prefix" -> part + "*";
                case "suffix" -> "*" + part;
                case "infix" -> "*" + part + "*";
                case "middle" ->
                    part.isEmpty() ? "*" : part.charAt(0) + "*" + part.substring(1) + "*";
                default -> "*";
              };
            });
  }

  // ---- the comparison

  /** Walks every page of the filtered listing and compares keys, order and total with SQL's. */
  static void check(Model model, List<Filter> filters) {
    StringBuilder query = new StringBuilder();
    for (Filter f : filters) {
      query.append(encode(f.col.name)).append('=').append(encode(f.text())).append('&');
    }
    List<Object> args = new ArrayList<>();
    String where = filters.stream().map(f -> f.sql(args)).collect(Collectors.joining(" AND "));
    String sql =
        "SELECT json_build_array("
            + model.key.stream()
                .map(DeclaredFiltersPropertyTest::quote)
                .collect(Collectors.joining(", "))
            + ")::text FROM "
            + model.relation
            + " WHERE "
            + where
            + " ORDER BY "
            + model.orderBy;
    String base =
        "/api/v1/data/"
            + model.name
            + "?"
            + query
            + "count=exact&limit=1000&select="
            + encode(String.join(",", model.key));
    String context =
        "\n  GET "
            + base
            + "\n  filters: "
            + filters
            + "\n  SQL: "
            + sql
            + "\n  args: "
            + args.stream()
                .map(a -> a instanceof String[] s ? Arrays.toString(s) : String.valueOf(a))
                .toList();
    List<List<String>> expected;
    long total;
    try {
      expected =
          service.rows(sql, args.toArray()).stream()
              .map(r -> strings(new JsonArray(r.getString(0))))
              .toList();
      total =
          service
              .rows("SELECT count(*) FROM " + model.relation + " WHERE " + where, args.toArray())
              .get(0)
              .getLong(0);
    } catch (RuntimeException e) {
      throw new AssertionError("the expected SQL failed: " + e + context, e);
    }
    Walk walk = walk(model, base, context);
    List<List<String>> actual = walk.keys();
    Statistics.label("rows")
        .collect(
            expected.isEmpty()
                ? "0"
                : expected.size() == 1
                    ? "1"
                    : expected.size() <= 100
                        ? "2-100"
                        : expected.size() <= 1000 ? "101-1000" : ">1000");
    filters.forEach(f -> Statistics.label("operator").collect(f.op));
    filters.forEach(f -> Statistics.label("column").collect(f.col.name));
    if (!expected.equals(actual)) {
      int i = 0;
      while (i < Math.min(expected.size(), actual.size())
          && expected.get(i).equals(actual.get(i))) {
        i++;
      }
      throw new AssertionError(
          "SQL has "
              + expected.size()
              + " rows, Sluice "
              + actual.size()
              + "; first difference at "
              + i
              + ": SQL "
              + (i < expected.size() ? expected.get(i) : "(end)")
              + ", Sluice "
              + (i < actual.size() ? actual.get(i) : "(end)")
              + context);
    }
    assertEquals(Long.valueOf(total), walk.total(), "total_count" + context);
  }

  /** The keys a cursor walk over every page found, and the first page's exact total. */
  record Walk(List<List<String>> keys, Long total) {}

  /** Follows {@code next_cursor} from {@code base} to the last page. */
  static Walk walk(Model model, String base, String context) {
    List<List<String>> keys = new ArrayList<>();
    Long total = null;
    String url = base;
    for (int pages = 0; ; pages++) {
      HttpResponse<Buffer> response = service.get(url);
      if (response.statusCode() != 200) {
        throw new AssertionError(
            "status " + response.statusCode() + ": " + response.bodyAsString() + context);
      }
      JsonObject page = response.bodyAsJsonObject();
      if (pages == 0) {
        total = page.getLong("total_count");
        assertEquals("exact", page.getString("total_count_type"), context);
      }
      for (Object row : page.getJsonArray("data")) {
        JsonObject r = (JsonObject) row;
        keys.add(model.key.stream().map(k -> String.valueOf(r.getValue(k))).toList());
      }
      String next = page.getString("next_cursor");
      if (next == null) {
        return new Walk(keys, total);
      }
      assertTrue(pages < 50, "a walk of more than 50 pages" + context);
      url = base + "&cursor=" + encode(next);
    }
  }

  /**
   * The keys of a listing with the raw (already percent-encoded) query, against SQL's for {@code
   * where} written by hand; returns how many.
   */
  static int expectKeys(String dataset, String query, String where) {
    Model model = models.get(dataset);
    String keys =
        model.key.stream()
            .map(DeclaredFiltersPropertyTest::quote)
            .collect(Collectors.joining(", "));
    List<List<String>> expected =
        service
            .rows(
                "SELECT json_build_array("
                    + keys
                    + ")::text FROM "
                    + model.relation
                    + " WHERE "
                    + where
                    + " ORDER BY "
                    + model.orderBy)
            .stream()
            .map(r -> strings(new JsonArray(r.getString(0))))
            .toList();
    String base =
        "/api/v1/data/"
            + dataset
            + "?"
            + query
            + "&count=exact&limit=1000&select="
            + encode(String.join(",", model.key));
    String context =
        "\n  GET " + URLDecoder.decode(base, StandardCharsets.UTF_8) + "\n  WHERE " + where;
    Walk walk = walk(model, base, context);
    assertEquals(expected.size(), walk.keys().size(), "how many" + context);
    assertEquals(expected, walk.keys(), context);
    assertEquals(Long.valueOf(expected.size()), walk.total(), "total_count" + context);
    return expected.size();
  }

  static List<String> strings(JsonArray values) {
    List<String> out = new ArrayList<>();
    values.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }

  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** Percent-encodes a name or value: a space as %20, a + as %2B, everything else as UTF-8. */
  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
