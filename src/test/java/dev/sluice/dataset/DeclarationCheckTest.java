package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.AppSchema;
import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import dev.sluice.Waits;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every kind of broken declaration (docs/API.md 8.1) is refused before anything is served, with a
 * message naming the file it is in, the dataset, the field and what the catalog holds instead. Each
 * declaration is written to a real configuration directory (beside a good one in another file) and
 * read through {@link ConfigLoader}, so the file named is the one an operator would open; the
 * catalog is the shop's ({@link AppSchema}). Each broken declaration is {@link #good()} with one
 * field broken, so that the fault is that field's alone.
 */
@EndToEnd
@DisplayName("A broken declaration is refused, naming its file, dataset, field and the catalog")
class DeclarationCheckTest {

  static final String NAME = "people";

  @TempDir static Path temp;

  static Vertx vertx;
  static Pool pool;

  /** The columns of shop.customers, as the catalog lists them. */
  static List<String> customerColumns;

  static final AtomicInteger DIRS = new AtomicInteger();

  @BeforeAll
  static void schema() {
    vertx = Vertx.vertx();
    pool = TestDatabase.pool(vertx);
    AppSchema.install(pool);
    customerColumns = columnsOf("shop.customers");
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      Waits.lifecycle(vertx.close());
    }
  }

  /** A declaration of shop.customers using every field, which the catalog accepts. */
  static JsonObject good() {
    return new JsonObject()
        .put("relation", "shop.customers")
        .put("key", new JsonArray(List.of("customer_id")))
        .put(
            "columns",
            new JsonArray(
                new ArrayList<>(
                    List.of(
                        "customer_id",
                        "email",
                        "Display Name",
                        "country",
                        "signed_up_at",
                        "tags",
                        "loyalty_points"))))
        .put("sorts", new JsonArray(List.of("email", "-signed_up_at", "country,-Display Name")))
        .put(
            "filters",
            new JsonObject()
                .put("country", new JsonArray(List.of("eq", "in")))
                .put("email", new JsonArray(List.of("eq", "ilike")))
                .put("tags", new JsonArray(List.of("cs", "ov"))))
        .put("time", "signed_up_at")
        .put(
            "measures",
            new JsonObject().put("customers", "count(*)").put("points", "sum(loyalty_points)"))
        .put(
            "cache",
            new JsonObject()
                .put("ttl_seconds", 60)
                .put("max_entries", 2000)
                .put("compression", true))
        .put("page", new JsonObject().put("default", 50).put("max", 1000));
  }

  // --- the good declarations, so that the broken ones are broken by what each test changes ---

  @Test
  @DisplayName("the declaration the others break is accepted as written, and so is a bare one")
  void goodIsGood() throws IOException {
    List<DeclaredDataset> datasets =
        Waits.statement(
            Declarations.resolve(
                pool,
                settings(
                    "shop.json",
                    new JsonObject()
                        .put(NAME, good())
                        .put("bare", new JsonObject().put("relation", "shop.customers"))
                        .put(
                            "regions",
                            new JsonObject().put("relation", "\"Sales Ω\".\"Region Targets\"")))));
    assertEquals(
        List.of("good_orders", NAME, "bare", "regions"),
        datasets.stream().map(d -> d.name()).toList());
    assertEquals(List.of("customer_id"), datasets.get(1).key());
    assertEquals(customerColumns.size(), datasets.get(2).columns().size());
    assertEquals(List.of("Region", "Quarter"), datasets.get(3).key());
  }

  // --- relation ---

  @Test
  @DisplayName("an unknown relation")
  void unknownRelation() throws IOException {
    DeclarationException e = refused(good().put("relation", "shop.customer"));
    names(e, "relation", "no table, view or materialized view shop.customer");
  }

  @Test
  @DisplayName("an unknown schema")
  void unknownSchema() throws IOException {
    DeclarationException e = refused(good().put("relation", "nosuchschema.customers"));
    names(e, "relation", "nosuchschema.customers");
  }

  @Test
  @DisplayName("a mixed-case relation written unquoted is folded to lower case, so not found")
  void unquotedMixedCase() throws IOException {
    DeclarationException e =
        refused(new JsonObject().put("relation", "\"Sales Ω\".Region_Targets"));
    names(e, "relation", "\"Sales Ω\".Region_Targets");
  }

  @Test
  @DisplayName("a relation of more than two parts")
  void threeParts() throws IOException {
    DeclarationException e = refused(good().put("relation", "db.shop.customers"));
    names(e, "relation", "schema.name");
  }

  // --- columns and exclude ---

  @Test
  @DisplayName("an unknown column in columns: the relation's columns are listed")
  void unknownColumn() throws IOException {
    DeclarationException e =
        refused(
            good().put("columns", new JsonArray(List.of("customer_id", "email", "display_name"))));
    names(
        e,
        "columns[2]",
        "no column display_name in table shop.customers",
        "it has " + customerColumns);
  }

  @Test
  @DisplayName("an unknown column in exclude: the relation's columns are listed")
  void unknownExclude() throws IOException {
    JsonObject declaration = good();
    declaration.remove("columns");
    declaration.remove("sorts");
    declaration.remove("filters");
    declaration.put("exclude", new JsonArray(List.of("preferences", "nosuch")));
    DeclarationException e = refused(declaration);
    names(e, "exclude[1]", "no column nosuch in table shop.customers", "it has " + customerColumns);
  }

  @Test
  @DisplayName("a column named twice in columns")
  void columnTwice() throws IOException {
    DeclarationException e =
        refused(good().put("columns", new JsonArray(List.of("customer_id", "email", "email"))));
    names(e, "columns[2]", "'email' is listed twice");
  }

  // --- key ---

  @Test
  @DisplayName("a key that is not unique (a column with duplicates): the real keys are listed")
  void keyNotUnique() throws IOException {
    assertTrue(
        Waits.statement(
                pool.query("SELECT count(*) > count(DISTINCT country) FROM shop.customers")
                    .execute())
            .iterator()
            .next()
            .getBoolean(0),
        "country has duplicates");
    DeclarationException e = refused(good().put("key", new JsonArray(List.of("country"))));
    names(
        e,
        "key",
        "[country] is not unique in table shop.customers",
        "primary key and unique indexes on NOT NULL columns are [[customer_id], [email]]");
  }

  @Test
  @DisplayName("part of a partitioned table's composite key: the whole key is listed")
  void partOfCompositeKey() throws IOException {
    DeclarationException e =
        refused(
            new JsonObject()
                .put("relation", "shop.orders")
                .put("key", new JsonArray(List.of("order_id"))));
    names(
        e,
        "key",
        "[order_id] is not unique in partitioned table shop.orders",
        "[[order_id, placed_at]]");
  }

  @Test
  @DisplayName("a key on an unknown column")
  void keyUnknownColumn() throws IOException {
    DeclarationException e =
        refused(good().put("key", new JsonArray(List.of("customer_id", "nosuch"))));
    names(e, "key[1]", "no column nosuch in table shop.customers", "it has " + customerColumns);
  }

  @Test
  @DisplayName("a key of a table without any: none is listed")
  void keyOfKeylessTable() throws IOException {
    DeclarationException e =
        refused(
            new JsonObject()
                .put("relation", "shop.audit_events")
                .put("key", new JsonArray(List.of("happened_at"))));
    names(e, "key", "[happened_at] is not unique in table shop.audit_events", "are none");
  }

  // --- sorts ---

  @Test
  @DisplayName("a sort on a column not in columns: the declared columns are listed")
  void sortNotInColumns() throws IOException {
    DeclarationException e =
        refused(good().put("sorts", new JsonArray(List.of("email", "-birthday"))));
    names(
        e,
        "sorts[1]",
        "birthday is not among columns [customer_id, email, Display Name, country, signed_up_at, tags,"
            + " loyalty_points]");
  }

  @Test
  @DisplayName("a sort on an unknown column: the relation's columns are listed")
  void sortUnknown() throws IOException {
    DeclarationException e =
        refused(good().put("sorts", new JsonArray(List.of("email", "country,-nosuch"))));
    names(e, "sorts[1]", "no column nosuch in shop.customers", "it has " + customerColumns);
  }

  @Test
  @DisplayName("a sort on a column whose type has no order (json, point)")
  void sortUnordered() throws IOException {
    JsonObject declaration = new JsonObject().put("relation", "shop.products");
    names(
        refused(declaration.copy().put("sorts", new JsonArray(List.of("name", "-attrs")))),
        "sorts[1]",
        "attrs is of type json, which has no order");
    names(
        refused(declaration.copy().put("sorts", new JsonArray(List.of("location,name")))),
        "sorts[0]",
        "location is of type point, which has no order");
  }

  @Test
  @DisplayName("sorts on a relation without a key")
  void sortsWithoutKey() throws IOException {
    DeclarationException e =
        refused(
            new JsonObject()
                .put("relation", "shop.audit_events")
                .put("sorts", new JsonArray(List.of("happened_at"))));
    names(e, "sorts", "needs a key", "table shop.audit_events has none");
  }

  // --- filters ---

  @Test
  @DisplayName("a filter on a column not in columns: the declared columns are listed")
  void filterNotInColumns() throws IOException {
    JsonObject declaration = good();
    declaration.getJsonObject("filters").put("birthday", new JsonArray(List.of("eq")));
    DeclarationException e = refused(declaration);
    names(
        e,
        "filters.birthday",
        "birthday is not among columns [customer_id, email, Display Name, country, signed_up_at,"
            + " tags, loyalty_points]");
  }

  @Test
  @DisplayName("a filter on an unknown column: the relation's columns are listed")
  void filterUnknown() throws IOException {
    JsonObject declaration = good();
    declaration.getJsonObject("filters").put("nosuch", new JsonArray(List.of("eq")));
    DeclarationException e = refused(declaration);
    names(e, "filters.nosuch", "no column nosuch in shop.customers", "it has " + customerColumns);
  }

  @Test
  @DisplayName("like on an integer: the operators its type takes are listed")
  void likeOnInteger() throws IOException {
    JsonObject declaration = good();
    declaration.getJsonObject("filters").put("customer_id", new JsonArray(List.of("eq", "like")));
    DeclarationException e = refused(declaration);
    names(
        e,
        "filters.customer_id",
        "'like' does not apply to bigint",
        "it takes [eq, neq, gt, gte, lt, lte, in, is]");
  }

  @Test
  @DisplayName("cs on text: the operators its type takes are listed")
  void containsOnText() throws IOException {
    JsonObject declaration = good();
    declaration.getJsonObject("filters").put("email", new JsonArray(List.of("cs")));
    DeclarationException e = refused(declaration);
    names(
        e,
        "filters.email",
        "'cs' does not apply to text",
        "it takes [eq, neq, gt, gte, lt, lte, in, is, like, ilike]");
  }

  @Test
  @DisplayName("eq on jsonb, ordered comparisons on an array, fts on text")
  void otherTypes() throws IOException {
    JsonObject declaration = good();
    declaration.getJsonArray("columns").add("preferences");
    declaration.getJsonObject("filters").put("preferences", new JsonArray(List.of("is", "eq")));
    names(refused(declaration), "filters.preferences", "'eq' does not apply to jsonb", "[is]");

    declaration = good();
    declaration.getJsonObject("filters").put("tags", new JsonArray(List.of("cs", "gt")));
    names(refused(declaration), "filters.tags", "'gt' does not apply to text[]", "[is, cs, ov]");

    declaration = good();
    declaration.getJsonObject("filters").put("email", new JsonArray(List.of("fts")));
    names(refused(declaration), "filters.email", "'fts' does not apply to text");
  }

  @Test
  @DisplayName("a domain over text takes what text takes; a domain over numeric what numbers take")
  void domains() throws IOException {
    JsonObject declaration =
        new JsonObject()
            .put("relation", "shop.products")
            .put(
                "filters",
                new JsonObject()
                    .put("sku", new JsonArray(List.of("eq", "like", "ilike", "gte")))
                    .put("price", new JsonArray(List.of("gt", "lte", "in"))));
    assertNull(outcome(declaration), "accepted");
    declaration.getJsonObject("filters").put("price", new JsonArray(List.of("like")));
    names(refused(declaration), "filters.price", "'like' does not apply to shop.money_amount");
  }

  @Test
  @DisplayName("an unknown operator: the operators are listed")
  void unknownOperator() throws IOException {
    JsonObject declaration = good();
    declaration.getJsonObject("filters").put("email", new JsonArray(List.of("eq", "regex")));
    DeclarationException e = refused(declaration);
    names(
        e,
        "filters.email",
        "'regex' is not an operator",
        "[eq, neq, gt, gte, lt, lte, in, is, like, ilike, fts, cs, ov]");
  }

  @Test
  @DisplayName("a filter naming no operator, and filters of the wrong shape")
  void filterShapes() throws IOException {
    JsonObject declaration = good();
    declaration.getJsonObject("filters").put("email", new JsonArray());
    names(refused(declaration), "filters.email", "is empty");
    names(refused(good().put("filters", "all")), "filters", "must be \"*\" or an object");
    names(
        refused(good().put("filters", new JsonObject().put("email", "eq"))),
        "filters.email",
        "must be a list of strings");
  }

  @Test
  @DisplayName(
      "a filter on a column named like a reserved parameter (\"Region Targets\".\"limit\")")
  void reservedColumn() throws IOException {
    Row found =
        first(
            "SELECT n.nspname::text, c.relname::text, a.attname::text FROM pg_attribute a"
                + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname IN ('shop', 'Sales Ω') AND c.relkind IN ('r', 'p', 'v', 'm')"
                + " AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND a.attname = ANY($1) ORDER BY 1, 2, 3 LIMIT 1",
            Tuple.of(Resolver.RESERVED.toArray(new String[0])));
    assertNotNull(found, "a column of the shop's schemas is named like a reserved parameter");
    String column = found.getString(2);
    JsonObject declaration =
        new JsonObject()
            .put("relation", Identifiers.qualified(found.getString(0), found.getString(1)))
            .put("filters", new JsonObject().put(column, new JsonArray(List.of("is"))));
    names(refused(declaration), "filters." + column, "request parameter");
  }

  // --- time ---

  @Test
  @DisplayName("time on a text column, and on a time-of-day column")
  void timeNotTime() throws IOException {
    names(
        refused(good().put("time", "email")),
        "time",
        "email is of type text, not a timestamp or date");
    names(
        refused(new JsonObject().put("relation", "shop.products").put("time", "available_from")),
        "time",
        "available_from is of type time without time zone, not a timestamp or date");
  }

  @Test
  @DisplayName("time on an unknown column: the relation's columns are listed")
  void timeUnknown() throws IOException {
    names(
        refused(good().put("time", "signed_up")),
        "time",
        "no column signed_up in table shop.customers",
        "it has " + customerColumns);
  }

  // --- measures ---

  @Test
  @DisplayName("a measure PostgreSQL refuses: sum over an unknown column")
  void measureUnknownColumn() throws IOException {
    JsonObject declaration = good();
    declaration.getJsonObject("measures").put("broken", "sum(nosuch)");
    names(
        refused(declaration),
        "measures.broken",
        "PostgreSQL refuses sum(nosuch)",
        "column \"nosuch\" does not exist");
  }

  @Test
  @DisplayName("a measure that is not an aggregate: a bare column")
  void measureNotAggregate() throws IOException {
    JsonObject declaration =
        new JsonObject()
            .put("relation", "shop.orders")
            .put("measures", new JsonObject().put("orders", "count(*)").put("total", "total"));
    names(
        refused(declaration),
        "measures.total",
        "PostgreSQL refuses total",
        "must appear in the GROUP BY clause or be used in an aggregate function");
  }

  @Test
  @DisplayName("a measure of the wrong type, with a bad name, or none at all")
  void measureShapes() throws IOException {
    names(
        refused(good().put("measures", new JsonObject().put("n", "count(*)").put("m", "sum(x"))),
        "measures.m",
        "PostgreSQL refuses sum(x");
    names(
        refused(good().put("measures", new JsonObject().put("n", 1))),
        "measures.n",
        "must be an SQL aggregate expression");
    names(
        refused(good().put("measures", new JsonObject().put("Big", "count(*)"))),
        "measures.Big",
        "[a-z][a-z0-9_]{0,62}");
    names(refused(good().put("measures", new JsonObject())), "measures", "is empty");
    names(refused(good().put("measures", "count(*)")), "measures", "must be an object");
  }

  @Test
  @DisplayName(
      "a measure is checked in a read-only transaction: one that writes is refused, and writes"
          + " nothing")
  void measureWrites() throws IOException {
    Waits.statement(pool.query("CREATE SEQUENCE IF NOT EXISTS shop.measure_probe").execute());
    JsonObject declaration = good();
    declaration
        .getJsonObject("measures")
        .put("numbered", "count(*) + nextval('shop.measure_probe')");
    names(refused(declaration), "measures.numbered", "read-only transaction");
    Row sequence =
        Waits.statement(pool.query("SELECT is_called FROM shop.measure_probe").execute())
            .iterator()
            .next();
    assertEquals(false, sequence.getBoolean(0), "the check advanced the sequence");
  }

  @Test
  @DisplayName(
      "a measure that fails on every bucket is refused; one that fails only over no rows is"
          + " served, null in an empty bucket")
  void measureFailing() throws IOException {
    JsonObject always = good();
    always.getJsonObject("measures").put("broken", "count(*) + 1/0");
    names(refused(always), "measures.broken", "division by zero");
    JsonObject rows = good();
    rows.getJsonObject("measures").put("set", "generate_series(1, count(*)::int)");
    names(refused(rows), "measures.set", "no single value");
    JsonObject emptyOnly = good();
    emptyOnly.getJsonObject("measures").put("ratio", "count(*) / count(*)");
    SluiceConfig settings = settings("ratio.json", new JsonObject().put(NAME, emptyOnly));
    DeclaredDataset served =
        Waits.statement(Declarations.resolve(pool, settings)).stream()
            .filter(d -> d.name().equals(NAME))
            .findFirst()
            .orElseThrow();
    Measure ratio = served.measure("ratio");
    assertNull(ratio.empty(), "no value over no rows: " + ratio);
    Measure count = served.measure("customers");
    assertEquals("0", count.empty(), count.toString());
    assertEquals(Column.Kind.BIGINT, count.kind());
  }

  @Test
  @DisplayName("read rules (contract section 9, not served yet) are refused, never ignored")
  void readRefused() throws IOException {
    names(
        refused(good().put("read", new JsonObject().put("anonymous", new JsonObject()))),
        "read",
        "section 9",
        "refused rather than served without its rules");
  }

  // --- shapes ---

  @Test
  @DisplayName("the relation missing, or not a string")
  void relationMissing() throws IOException {
    JsonObject declaration = good();
    declaration.remove("relation");
    names(refused(declaration), "relation", "is required");
    names(refused(good().put("relation", 7)), "relation", "must be a non-empty string");
    names(refused(good().put("relation", " ")), "relation", "must be a non-empty string");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "People",
        "9lives",
        "_people",
        "people-list",
        "pëople",
        "p23456789012345678901234567890123456789012345678901234567890123x"
      })
  @DisplayName("a name not matching [a-z][a-z0-9_]{0,62}")
  void badName(String name) throws IOException {
    assertEquals(64, "p23456789012345678901234567890123456789012345678901234567890123x".length());
    DeclarationException e = refused(name, good());
    assertNull(e.field(), e.getMessage());
    assertTrue(
        e.getMessage().contains("datasets." + name + ": the name must match [a-z][a-z0-9_]{0,62}"),
        e.getMessage());
  }

  @Test
  @DisplayName("the longest name is accepted")
  void longestName() throws IOException {
    String name = "p" + "2".repeat(62);
    List<DeclaredDataset> datasets =
        Waits.statement(
            Declarations.resolve(pool, settings("shop.json", new JsonObject().put(name, good()))));
    assertEquals(name, datasets.get(1).name());
  }

  @Test
  @DisplayName("columns, key, sorts or exclude not a list of strings")
  void notLists() throws IOException {
    names(refused(good().put("columns", "customer_id,email")), "columns", "list of strings");
    names(
        refused(good().put("columns", new JsonArray(List.of("customer_id", 3)))),
        "columns[1]",
        "must be a non-empty string");
    names(refused(good().put("columns", new JsonArray())), "columns", "is empty");
    names(refused(good().put("key", "customer_id")), "key", "list of strings");
    names(refused(good().put("sorts", "email")), "sorts", "list of strings");
    JsonObject declaration = good();
    declaration.remove("columns");
    names(refused(declaration.put("exclude", new JsonObject())), "exclude", "list of strings");
  }

  @Test
  @DisplayName("columns and exclude together")
  void columnsAndExclude() throws IOException {
    names(
        refused(good().put("exclude", new JsonArray(List.of("tags")))),
        "exclude",
        "cannot be given with columns");
  }

  @Test
  @DisplayName("an unknown field: the fields are listed")
  void unknownField() throws IOException {
    JsonObject declaration = good();
    declaration.put("colums", declaration.remove("columns"));
    names(
        refused(declaration),
        "colums",
        "is not a field of a declaration",
        "[cache, columns, exclude, filters, key, measures, page, relation, sorts, time]");
  }

  @Test
  @DisplayName("a declaration that is not an object")
  void notAnObject() throws IOException {
    DeclarationException e = refused(NAME, "shop.customers");
    assertNull(e.field());
    assertTrue(
        e.getMessage().contains("datasets." + NAME + ": is not a JSON object"), e.getMessage());
  }

  @Test
  @DisplayName("page.default more than page.max")
  void pageDefaultOverMax() throws IOException {
    names(
        refused(good().put("page", new JsonObject().put("default", 500).put("max", 100))),
        "page.default",
        "is more than page.max");
    names(
        refused(good().put("page", new JsonObject().put("default", 0))),
        "page.default",
        "must be a positive integer");
    names(
        refused(good().put("page", new JsonObject().put("size", 10))),
        "page.size",
        "is not one of [default, max]");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0", "-60", "\"60\"", "1.5", "null", "true", "[60]"})
  @DisplayName("cache.ttl_seconds not a positive integer")
  void ttlNotPositive(String value) throws IOException {
    JsonObject cache = new JsonObject("{\"ttl_seconds\": " + value + "}");
    DeclarationException e = refused(good().put("cache", cache));
    names(e, "cache.ttl_seconds", "must be a positive integer");
  }

  @Test
  @DisplayName("other cache keys: compression not a boolean, an unknown key, not an object")
  void cacheShapes() throws IOException {
    names(
        refused(good().put("cache", new JsonObject().put("compression", "yes"))),
        "cache.compression",
        "must be true or false");
    names(
        refused(good().put("cache", new JsonObject().put("ttl", 60))),
        "cache.ttl",
        "is not one of [compression, max_entries, ttl_seconds]");
    names(refused(good().put("cache", 60)), "cache", "must be an object");
    // max_entries 0 means no cache entries: accepted
    assertNull(outcome(good().put("cache", new JsonObject().put("max_entries", 0))));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"videos", "users", "analytics", "templates", "search"})
  @DisplayName("a name taken by the demo's families")
  void takenName(String name) throws IOException {
    DeclarationException e = refused(name, good());
    assertNull(e.field());
    assertTrue(
        e.getMessage().contains("datasets." + name + ": the name is taken by the demo's " + name),
        e.getMessage());
  }

  // --- which file ---

  @Test
  @DisplayName(
      "a declaration completed by a later file is named by that file, and the first fault stops the rest")
  void laterFileNamed() throws IOException {
    Path dir = newDir();
    Path first = dir.resolve("10-shop.json");
    Path second = dir.resolve("20-override.json");
    Files.writeString(
        first,
        new JsonObject()
            .put(
                "datasets",
                new JsonObject()
                    .put(NAME, good())
                    .put("later", new JsonObject().put("relation", "shop.nosuch")))
            .encodePrettily());
    Files.writeString(
        second,
        new JsonObject()
            .put(
                "datasets", new JsonObject().put(NAME, new JsonObject().put("time", "birthday_at")))
            .encodePrettily());
    DeclarationException e = fault(load(dir));
    assertEquals(second.toString(), e.source());
    assertEquals(NAME, e.dataset());
    assertEquals("time", e.field());
    assertTrue(
        e.getMessage().startsWith(second + ": datasets." + NAME + ".time: "), e.getMessage());
  }

  @Test
  @DisplayName("of several files, the one declaring the broken dataset is named")
  void fileOfEachDataset() throws IOException {
    Path dir = newDir();
    Files.writeString(
        dir.resolve("a.json"),
        new JsonObject().put("datasets", new JsonObject().put("a", good())).encode());
    Files.writeString(
        dir.resolve("b.json"),
        new JsonObject()
            .put(
                "datasets",
                new JsonObject()
                    .put("b", new JsonObject().put("relation", "shop.orders").put("time", "note")))
            .encode());
    DeclarationException e = fault(load(dir));
    assertEquals(dir.resolve("b.json").toString(), e.source());
    assertEquals("b", e.dataset());
  }

  // --- helpers ---

  /** A new, empty configuration directory. */
  static Path newDir() throws IOException {
    return Files.createDirectories(temp.resolve("conf-" + DIRS.incrementAndGet()));
  }

  /** The settings read by {@link ConfigLoader} from {@code dir}. */
  static SluiceConfig load(Path dir) {
    JsonObject json = ConfigLoader.load(Map.of(ConfigLoader.CONF_DIR_VARIABLE, dir.toString()));
    return SluiceConfig.from(json);
  }

  /**
   * The settings of a new directory holding a good declaration in {@code 00-good.json} and {@code
   * datasets} in {@code file}.
   */
  static SluiceConfig settings(String file, JsonObject datasets) throws IOException {
    Path dir = newDir();
    Files.writeString(
        dir.resolve("00-good.json"),
        new JsonObject()
            .put(
                "datasets",
                new JsonObject()
                    .put("good_orders", new JsonObject().put("relation", "shop.orders")))
            .encodePrettily());
    Files.writeString(
        dir.resolve(file), new JsonObject().put("datasets", datasets).encodePrettily());
    return load(dir);
  }

  static Path lastFile;

  /** What checking {@code declaration} as {@link #NAME} ends in: null, or the fault. */
  static Object outcome(JsonObject declaration) throws IOException {
    SluiceConfig settings = settings("broken.json", new JsonObject().put(NAME, declaration));
    lastFile = Path.of(settings.datasetSources().get(NAME));
    return Waits.statement(
        Declarations.resolve(pool, settings).map(d -> (Object) null).otherwise(e -> e));
  }

  static DeclarationException refused(JsonObject declaration) throws IOException {
    return refused(NAME, declaration);
  }

  /** The fault of {@code declaration} declared as {@code name} in a file of its own. */
  static DeclarationException refused(String name, Object declaration) throws IOException {
    SluiceConfig settings = settings("broken.json", new JsonObject().put(name, declaration));
    lastFile = Path.of(settings.datasetSources().get(name));
    DeclarationException e = fault(settings);
    assertEquals(lastFile.toString(), e.source(), "the file named");
    assertTrue(e.source().endsWith("broken.json"), e.source());
    assertTrue(e.getMessage().startsWith(e.source() + ": datasets." + name), e.getMessage());
    assertEquals(name, e.dataset());
    return e;
  }

  /** The fault checking {@code settings} fails with. */
  static DeclarationException fault(SluiceConfig settings) {
    Future<Object> outcome =
        Declarations.resolve(pool, settings).map(d -> (Object) d).otherwise(e -> e);
    Object result = Waits.statement(outcome);
    assertNotNull(result);
    return assertInstanceOf(DeclarationException.class, result, () -> "accepted: " + result);
  }

  /** Asserts that {@code e} names {@code field} and says each of {@code says}. */
  static void names(DeclarationException e, String field, String... says) {
    assertEquals(field, e.field(), e.getMessage());
    String prefix = e.source() + ": datasets." + e.dataset() + "." + field + ": ";
    assertTrue(e.getMessage().startsWith(prefix), () -> "starts " + prefix + ": " + e.getMessage());
    for (String said : says) {
      assertTrue(e.getMessage().contains(said), () -> "says '" + said + "': " + e.getMessage());
    }
  }

  static List<String> columnsOf(String relation) {
    List<String> names = new ArrayList<>();
    Waits.statement(
            pool.preparedQuery(
                    "SELECT attname::text FROM pg_attribute WHERE attrelid = $1::text::regclass"
                        + " AND attnum > 0 AND NOT attisdropped ORDER BY attnum")
                .execute(Tuple.of(relation)))
        .forEach(row -> names.add(row.getString(0)));
    return names;
  }

  static Row first(String sql, Tuple args) {
    var rows = Waits.statement(pool.preparedQuery(sql).execute(args));
    return rows.size() == 0 ? null : rows.iterator().next();
  }
}
