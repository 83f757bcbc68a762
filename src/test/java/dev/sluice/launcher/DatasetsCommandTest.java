package dev.sluice.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.AppSchema;
import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import dev.sluice.Waits;
import dev.sluice.dataset.Identifiers;
import dev.sluice.db.Changes;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code datasets discover|check|triggers} and {@code run} (docs/API.md 8.1) as an operator runs
 * them: real processes ({@code java -cp … dev.sluice.launcher.Main}) on the test database, with the
 * shop's schema ({@link AppSchema}). Discovery's output, unedited, is a configuration that checks
 * and serves every relation; a broken declaration stops {@code check} and {@code run} with status 2
 * and a message naming its file, dataset and field; the change triggers are printed, installed and
 * then reported by {@code check}. The shop's schema is rebuilt at the end, without triggers, as
 * other classes of this JVM expect it.
 */
@EndToEnd
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@DisplayName("datasets discover, check and triggers, and run, as real processes")
class DatasetsCommandTest {

  static final Duration COMMAND = Duration.ofSeconds(120);
  static final Duration START = Duration.ofSeconds(120);
  static final String SECRET = "datasets-command-test-secret";

  static Path dir;

  /** sluice.json, and discovery's output as shop.json. */
  static Path conf;

  static Vertx vertx;
  static Pool pool;
  static HttpClient client;

  /** The {@code datasets} object discovery printed. */
  static JsonObject discovered;

  /** Whether this class may have left triggers on the shop's tables. */
  static final AtomicBoolean triggersTouched = new AtomicBoolean();

  static final List<Process> processes = new CopyOnWriteArrayList<>();
  static final AtomicInteger RUNS = new AtomicInteger();

  @BeforeAll
  static void setUp() throws IOException {
    dir = Path.of("target", "datasets-command-" + ProcessHandle.current().pid()).toAbsolutePath();
    conf = baseConf("conf");
    vertx = Vertx.vertx();
    pool = TestDatabase.pool(vertx);
    AppSchema.install(pool);
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
  }

  @AfterAll
  static void tearDown() {
    processes.forEach(p -> p.destroyForcibly());
    try {
      if (triggersTouched.get()) {
        // the shop as AppSchema makes it: no trigger, no function of ours
        Waits.statement(pool.query(AppSchema.script()).execute());
        Waits.statement(
            pool.query("DROP FUNCTION IF EXISTS public.sluice_notify_relation()").execute());
        long left =
            Waits.statement(
                    pool.query("SELECT count(*) FROM pg_trigger WHERE tgname = 'sluice_changed'")
                        .execute())
                .iterator()
                .next()
                .getLong(0);
        assertEquals(0, left, "no trigger of ours is left on the shop's tables");
      }
    } finally {
      Waits.lifecycle(vertx.close());
    }
  }

  // --- discover, check, run ---

  @Test
  @Order(1)
  @DisplayName(
      "discover prints only JSON; unedited, it checks (exit 0) and serves every relation of both"
          + " schemas; SIGTERM stops the service")
  void discoverCheckServe() throws Exception {
    Ran discover = datasets(conf, "discover", "--schema", "shop", "--schema", "Sales Ω");
    assertEquals(0, discover.status(), discover::describe);
    String out = discover.out();
    assertTrue(
        out.startsWith("{") && out.stripTrailing().endsWith("}"),
        () -> "standard output is one JSON object: " + discover.describe());
    JsonObject json = new JsonObject(out);
    assertEquals(Set.of("datasets"), json.fieldNames(), out);
    discovered = json.getJsonObject("datasets");
    assertFalse(discover.err().isBlank(), "the log went to standard error");

    // every relation of both schemas (not the partitions), each once
    List<String> relations = new ArrayList<>();
    discovered.forEach(e -> relations.add(((JsonObject) e.getValue()).getString("relation")));
    assertEquals(servable(), Set.copyOf(relations), "declared: " + relations);
    assertEquals(relations.size(), Set.copyOf(relations).size(), "each once: " + relations);
    assertTrue(relations.containsAll(AppSchema.RELATIONS), relations::toString);

    // unedited, into the configuration directory
    Files.copy(discover.stdout(), conf.resolve("shop.json"), StandardCopyOption.REPLACE_EXISTING);

    Ran check = datasets(conf, "check");
    assertEquals(0, check.status(), check::describe);
    for (String name : discovered.fieldNames()) {
      assertTrue(check.line(name + ": ") != null, () -> name + " is named: " + check.describe());
    }
    assertTrue(
        check.out().contains(discovered.size() + " dataset(s) checked: every one can be served"),
        check::describe);
    assertTrue(
        check
            .line("orders: ")
            .startsWith(
                "orders: partitioned table shop.orders, 7 columns, key"
                    + " [order_id, placed_at], invalidation ttl"),
        check::describe);
    assertTrue(check.line("audit_events: ").contains("key none"), check::describe);

    // the service, from that directory
    int port = TestDatabase.freePort();
    Launched service = launch(conf, Map.of("SLUICE_HTTP_PORT", Integer.toString(port)), "run");
    String base = "http://127.0.0.1:" + port;
    try {
      awaitReady(service, base);
      Reply listing = get(base + "/api/v1/data");
      assertEquals(200, listing.status(), listing.body());
      JsonArray catalog = new JsonObject(listing.body()).getJsonArray("datasets");
      List<String> names = new ArrayList<>();
      List<String> served = new ArrayList<>();
      for (int i = 0; i < catalog.size(); i++) {
        names.add(catalog.getJsonObject(i).getString("name"));
        served.add(catalog.getJsonObject(i).getString("relation"));
      }
      assertEquals(List.copyOf(discovered.fieldNames()), names, "every dataset, in order");
      assertEquals(servable(), Set.copyOf(served));
      for (int i = 0; i < catalog.size(); i++) {
        JsonObject dataset = catalog.getJsonObject(i);
        String name = dataset.getString("name");
        boolean keyed = !dataset.getJsonArray("key").isEmpty();
        String path =
            "/api/v1/data/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + (keyed ? "?limit=1" : "?per_page=1");
        Reply page = get(base + path);
        assertEquals(200, page.status(), () -> path + ": " + page.body());
        JsonArray data = new JsonObject(page.body()).getJsonArray("data");
        assertEquals(1, data.size(), () -> path + ": one row: " + page.body());
      }
    } finally {
      service.process().destroy(); // SIGTERM
    }
    assertTrue(
        service.process().waitFor(60, TimeUnit.SECONDS),
        () -> "exits on SIGTERM: " + service.describe());
    assertEquals(0, service.process().exitValue(), service::describe);
    assertTrue(service.output().contains("sluice.signal name=TERM"), service::describe);
  }

  // --- a broken declaration ---

  @Test
  @Order(2)
  @DisplayName(
      "a broken declaration: check exits 2 naming file, dataset and field; run exits 2 without"
          + " serving")
  void brokenDeclaration() throws Exception {
    Path broken = baseConf("broken");
    Path file = broken.resolve("zz-late.json");
    Files.writeString(
        file,
        new JsonObject()
            .put(
                "datasets",
                new JsonObject()
                    .put(
                        "late_orders",
                        new JsonObject()
                            .put("relation", "shop.orders")
                            .put(
                                "filters",
                                new JsonObject()
                                    .put("status", new JsonArray(List.of("eq", "in")))
                                    .put("order_id", new JsonArray(List.of("eq", "like"))))))
            .encodePrettily());
    if (discovered != null) {
      Files.writeString(
          broken.resolve("shop.json"), new JsonObject().put("datasets", discovered).encode());
    }
    int port = TestDatabase.freePort();
    Launched check = launch(broken, Map.of(), "datasets", "check");
    Launched run = launch(broken, Map.of("SLUICE_HTTP_PORT", Integer.toString(port)), "run");

    // run: watch the port while the process lives; it must never answer
    boolean served = false;
    long until = System.nanoTime() + START.toNanos();
    while (run.process().isAlive() && System.nanoTime() < until) {
      served |= listening(port);
      Thread.sleep(50);
    }
    Ran ranCheck = check.await();
    Ran ranRun = run.await();

    String fault = "datasets.late_orders.filters.order_id: 'like' does not apply to bigint";
    assertEquals(2, ranCheck.status(), ranCheck::describe);
    assertTrue(ranCheck.err().contains(file.toString()), ranCheck::describe);
    assertTrue(ranCheck.err().contains(file + ": " + fault), ranCheck::describe);
    assertFalse(ranCheck.out().contains("checked"), ranCheck::describe);

    assertEquals(2, ranRun.status(), ranRun::describe);
    assertTrue(ranRun.err().contains(file + ": " + fault), ranRun::describe);
    assertFalse(served, "nothing listened on the HTTP port");
    assertFalse(listening(port));
    String all = ranRun.out() + ranRun.err();
    assertFalse(all.contains("verticle.deployed"), ranRun::describe);
    assertFalse(all.contains("sluice.started"), ranRun::describe);
  }

  @Test
  @Order(3)
  @DisplayName("usage: no command, a missing value, an unknown --include name: exit 2")
  void usage() throws Exception {
    Launched none = launch(conf, Map.of(), "datasets");
    Launched missing = launch(conf, Map.of(), "datasets", "discover", "--schema");
    Launched unknown =
        launch(conf, Map.of(), "datasets", "discover", "--schema", "shop", "--include", "nosuch");
    Ran ranNone = none.await();
    Ran ranMissing = missing.await();
    Ran ranUnknown = unknown.await();
    for (Ran ran : List.of(ranNone, ranMissing, ranUnknown)) {
      assertEquals(2, ran.status(), ran::describe);
      assertEquals("", ran.out(), ran::describe);
    }
    assertTrue(ranNone.err().contains("usage: sluice datasets discover"), ranNone::describe);
    assertTrue(ranMissing.err().contains("usage: sluice datasets discover"), ranMissing::describe);
    assertTrue(
        ranUnknown.err().contains("--include names nosuch, which discovery did not find"),
        ranUnknown::describe);
    assertTrue(ranUnknown.err().contains("customers"), ranUnknown::describe);
  }

  // --- triggers ---

  @Test
  @Order(4)
  @DisplayName(
      "triggers prints a function and a trigger for every table (each partition, a view's tables);"
          + " --install installs them; check then reports notify, and ttl for the materialized view")
  void triggers() throws Exception {
    if (!Files.exists(conf.resolve("shop.json"))) {
      fail("needs discovery's configuration (discoverCheckServe)");
    }
    Path viewOnly = baseConf("view");
    Files.writeString(
        viewOnly.resolve("view.json"),
        new JsonObject()
            .put(
                "datasets",
                new JsonObject()
                    .put(
                        "summaries",
                        new JsonObject()
                            .put("relation", "shop.order_summaries")
                            .put("key", new JsonArray(List.of("order_id", "placed_at")))))
            .encode());
    Launched all = launch(conf, Map.of(), "datasets", "triggers");
    Launched view = launch(viewOnly, Map.of(), "datasets", "triggers");
    Ran printed = all.await();
    Ran printedView = view.await();

    // every table of both schemas, partitions included; each partition announces its parent
    Map<String, String> tables = tables();
    assertEquals(0, printed.status(), printed::describe);
    assertEquals(Set.copyOf(tables.keySet()), targets(printed), printed::describe);
    for (Map.Entry<String, String> table : tables.entrySet()) {
      assertTrue(
          printed
              .lines()
              .contains(
                  "CREATE OR REPLACE TRIGGER sluice_changed AFTER INSERT OR UPDATE OR DELETE OR"
                      + " TRUNCATE ON "
                      + table.getKey()
                      + " FOR EACH STATEMENT EXECUTE FUNCTION public.sluice_notify_relation('"
                      + table.getValue().replace("'", "''")
                      + "');"),
          () -> table + ": " + printed.describe());
    }
    // a view: the tables it reads (through the lateral subquery too)
    assertEquals(0, printedView.status(), printedView::describe);
    assertEquals(
        Set.of(
            "shop.orders",
            "shop.orders_2024",
            "shop.orders_2025",
            "shop.orders_2026",
            "shop.customers",
            "shop.order_lines"),
        targets(printedView),
        printedView::describe);

    // installed
    triggersTouched.set(true);
    Ran installed = datasets(conf, "triggers", "--install");
    assertEquals(0, installed.status(), installed::describe);
    assertTrue(
        installed
            .out()
            .contains(
                "installed "
                    + tables.size()
                    + " trigger(s) for "
                    + discovered.size()
                    + " dataset(s)"),
        installed::describe);
    for (String table : tables.keySet()) {
      Row row =
          Waits.statement(
                  pool.preparedQuery(
                          "SELECT count(*)::int, bool_and(NOT t.tgisinternal AND t.tgenabled = 'O')"
                              + " FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
                              + " WHERE t.tgname = 'sluice_changed'"
                              + " AND p.proname = 'sluice_notify_relation'"
                              + " AND t.tgrelid = $1::text::regclass")
                      .execute(Tuple.of(table)))
              .iterator()
              .next();
      assertEquals(1, row.getInteger(0), table + " has the trigger");
      assertTrue(row.getBoolean(1), table + "'s trigger is enabled");
    }
    // a write to a partition directly is announced as its partitioned table's
    notified(
        "UPDATE shop.orders_2025 SET note = note"
            + " WHERE order_id = (SELECT min(order_id) FROM shop.orders_2025)",
        "shop.orders");
    notified(
        "UPDATE \"Sales Ω\".\"Region Targets\" SET \"Quarter\" = \"Quarter\"",
        "Sales Ω.Region Targets");

    Ran check = datasets(conf, "check");
    assertEquals(0, check.status(), check::describe);
    for (String name : discovered.fieldNames()) {
      String line = check.line(name + ": ");
      String expected = name.equals("daily_sales") ? "invalidation ttl" : "invalidation notify";
      assertTrue(line != null && line.endsWith(expected), () -> expected + ": " + check.describe());
    }
    assertTrue(check.line("daily_sales: ").startsWith("daily_sales: materialized view"));
    assertTrue(check.line("order_summaries: ").startsWith("order_summaries: view"));
  }

  // --- the catalog, read here rather than by the code under test ---

  /** Every relation of both schemas a dataset can be, as SQL writes it (no partitions). */
  static Set<String> servable() {
    Set<String> all = new LinkedHashSet<>();
    for (Row row :
        Waits.statement(
            pool.query(
                    "SELECT n.nspname::text, c.relname::text FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE n.nspname IN ('shop', 'Sales Ω') AND c.relkind IN"
                        + " ('r', 'v', 'm', 'p', 'f') AND NOT c.relispartition")
                .execute())) {
      all.add(Identifiers.qualified(row.getString(0), row.getString(1)));
    }
    return all;
  }

  /**
   * Every table of both schemas, partitions included, as SQL writes it, with the change name its
   * writes are announced as (a partition: its partitioned table's).
   */
  static Map<String, String> tables() {
    Map<String, String> all = new HashMap<>();
    for (Row row :
        Waits.statement(
            pool.query(
                    "SELECT n.nspname::text, c.relname::text, coalesce(pn.nspname, n.nspname)::text,"
                        + " coalesce(pc.relname, c.relname)::text FROM pg_class c"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " LEFT JOIN pg_inherits i ON i.inhrelid = c.oid"
                        + " LEFT JOIN pg_class pc ON pc.oid = i.inhparent"
                        + " LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace"
                        + " WHERE n.nspname IN ('shop', 'Sales Ω') AND c.relkind IN ('r', 'p')")
                .execute())) {
      all.put(
          Identifiers.qualified(row.getString(0), row.getString(1)),
          row.getString(2) + "." + row.getString(3));
    }
    assertTrue(all.containsKey("shop.orders_2024"), all::toString);
    return all;
  }

  /**
   * The tables a {@code triggers} output puts a trigger on, each once; and every line of it is one
   * statement of ours.
   */
  static Set<String> targets(Ran ran) {
    List<String> lines = ran.lines().stream().filter(l -> !l.isBlank()).toList();
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "CREATE OR REPLACE FUNCTION public.sluice_notify_relation() RETURNS trigger"),
        ran::describe);
    assertTrue(lines.get(0).contains("pg_notify('" + Changes.CHANNEL + "', TG_ARGV[i])"));
    String prefix =
        "CREATE OR REPLACE TRIGGER sluice_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ";
    List<String> targets = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      assertTrue(line.startsWith(prefix), () -> "a trigger: " + line);
      targets.add(line.substring(prefix.length(), line.indexOf(" FOR EACH STATEMENT")));
    }
    assertEquals(targets.size(), Set.copyOf(targets).size(), "each table once: " + targets);
    return Set.copyOf(targets);
  }

  /** Asserts that {@code sql} (run on the pool) notifies the change channel with {@code name}. */
  static void notified(String sql, String name) {
    PgConnection listener =
        Waits.lifecycle(PgConnection.connect(vertx, PgConnectOptions.fromUri(TestDatabase.url())));
    try {
      List<String> payloads = new CopyOnWriteArrayList<>();
      Promise<Void> received = Promise.promise();
      listener.notificationHandler(
          n -> {
            if (n.getChannel().equals(Changes.CHANNEL)) {
              payloads.add(n.getPayload());
              if (n.getPayload().equals(name)) {
                received.tryComplete();
              }
            }
          });
      Waits.statement(listener.query("LISTEN " + Changes.CHANNEL).execute());
      Waits.statement(pool.query(sql).execute());
      try {
        Waits.await(received.future(), Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        fail(sql + " notifies " + name + "; received " + payloads, e);
      }
    } finally {
      Waits.lifecycle(listener.close());
    }
  }

  // --- processes ---

  /** A configuration directory holding the repository's conf/sluice.json. */
  static Path baseConf(String name) throws IOException {
    Path conf = Files.createDirectories(dir.resolve(name));
    Files.copy(
        Path.of("conf", "sluice.json"),
        conf.resolve("sluice.json"),
        StandardCopyOption.REPLACE_EXISTING);
    return conf;
  }

  /** What a finished process wrote and returned. */
  record Ran(String name, int status, Path stdout, String out, String err) {

    List<String> lines() {
      return out.lines().toList();
    }

    /** The first line of standard output starting with {@code prefix}, or null. */
    String line(String prefix) {
      return lines().stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }

    String describe() {
      return name
          + " exited "
          + status
          + "\n--- stdout ---\n"
          + tail(out)
          + "\n--- stderr ---\n"
          + tail(err);
    }

    private static String tail(String text) {
      List<String> lines = text.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
  }

  /** A started process, its standard output and error in files of their own. */
  record Launched(String name, Process process, Path stdout, Path stderr) {

    Ran await() throws Exception {
      if (!process.waitFor(COMMAND.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail(name + " did not end within " + COMMAND + ": " + describe());
      }
      return new Ran(name, process.exitValue(), stdout, read(stdout), read(stderr));
    }

    String output() {
      return read(stdout) + read(stderr);
    }

    String describe() {
      return new Ran(
              name,
              process.isAlive() ? -1 : process.exitValue(),
              stdout,
              read(stdout),
              read(stderr))
          .describe();
    }

    private static String read(Path file) {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        return e.toString();
      }
    }
  }

  /**
   * Starts {@code java -cp <test classpath> dev.sluice.launcher.Main arguments} on the test
   * database, configured from {@code conf} and {@code environment}.
   */
  static Launched launch(Path conf, Map<String, String> environment, String... arguments)
      throws IOException {
    String name =
        RUNS.incrementAndGet() + "-" + String.join("-", arguments).replaceAll("[^a-zA-Z0-9-]", "_");
    Path stdout = dir.resolve(name + ".out");
    Path stderr = dir.resolve(name + ".err");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.sluice.launcher.Main"));
    command.addAll(Arrays.asList(arguments));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(key -> key.startsWith("SLUICE_"));
    env.put("SLUICE_CONF_DIR", conf.toString());
    env.put("SLUICE_DATABASE_URL", TestDatabase.url());
    env.put("SLUICE_CURSOR_SECRET", SECRET);
    env.put("SLUICE_HTTP_HOST", "127.0.0.1");
    env.putAll(environment);
    Process process = builder.start();
    processes.add(process);
    return new Launched(name, process, stdout, stderr);
  }

  /** Runs {@code datasets arguments} to its end. */
  static Ran datasets(Path conf, String... arguments) throws Exception {
    List<String> all = new ArrayList<>(List.of("datasets"));
    all.addAll(Arrays.asList(arguments));
    return launch(conf, Map.of(), all.toArray(new String[0])).await();
  }

  static void awaitReady(Launched service, String base) throws InterruptedException {
    long until = System.nanoTime() + START.toNanos();
    while (true) {
      assertTrue(service.process().isAlive(), () -> "died while starting: " + service.describe());
      if (get(base + "/health/ready").status() == 200) {
        return;
      }
      if (System.nanoTime() > until) {
        fail("not ready within " + START + ": " + service.describe());
      }
      Thread.sleep(100);
    }
  }

  record Reply(int status, String body) {}

  static Reply get(String url) {
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Waits.REQUEST).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException e) {
      return new Reply(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(-1, e.toString());
    }
  }

  static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
