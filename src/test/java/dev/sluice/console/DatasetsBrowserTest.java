package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.dataset.Shop;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The explorer's Datasets view in a real browser (the system's Chromium, headless) over the shop
 * schema's declared datasets ({@link Shop#config()}, merged into the console test's configuration):
 * every row, total, item and download it shows checked against the API's own replies, read with the
 * service's HTTP client, and against PostgreSQL's counts.
 */
@EndToEnd
@DisplayName("The console's Datasets view, in a real browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatasetsBrowserTest {

  private static final Logger LOG = LoggerFactory.getLogger(DatasetsBrowserTest.class);

  static final Path DOWNLOADS = Path.of("target", "console-downloads").toAbsolutePath();

  @Boot(config = "shop")
  static Service service;

  /** The same service without a dataset declared: the view says so. */
  @Boot static Service bare;

  /** The shop's datasets without the demo ({@code demo.enabled} false). */
  @Boot(config = "shopWithoutTheDemo")
  static Service alone;

  static JsonObject shopWithoutTheDemo() {
    return shop().put("demo", new JsonObject().put("enabled", false));
  }

  static WebDriver browser;
  static String base;

  static JsonObject shop() {
    return ConsoleBrowserTest.smallPlainBatches().mergeIn(Shop.config(), true);
  }

  @BeforeAll
  static void start() throws IOException {
    if (!Files.isExecutable(Path.of(ConsoleBrowserTest.CHROMIUM))
        || !Files.isExecutable(Path.of(ConsoleBrowserTest.CHROMEDRIVER))) {
      fail("Chromium is missing: apt-get install -y chromium chromium-driver");
    }
    base = "http://127.0.0.1:" + service.port();
    deleteRecursively(DOWNLOADS);
    Files.createDirectories(DOWNLOADS);
    Files.createDirectories(ConsoleBrowserTest.SCREENSHOTS);
    // downloads land in target/, where the test reads them back
    ChromeOptions options = new ChromeOptions();
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            DOWNLOADS.toString(),
            "download.prompt_for_download",
            false));
    browser = ConsoleBrowserTest.newBrowser(options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  @Order(1)
  @DisplayName("the select lists every dataset GET /api/v1/data declares, in its order")
  void listsTheDatasets() {
    List<String> names =
        service.getJson("/api/v1/data").getJsonArray("datasets").stream()
            .map(d -> ((JsonObject) d).getString("name"))
            .toList();
    assertTrue(names.containsAll(List.of("customers", "order_lines", "audit_events")), "" + names);
    openDatasets();
    wait(30)
        .until(d -> String.valueOf(names.size()).equals(attribute("data-dataset", "data-count")));
    assertEquals(
        names,
        new Select(testid("data-dataset"))
            .getOptions().stream().map(o -> o.getDomAttribute("value")).toList());
    assertFalse(testid("data-none").isDisplayed(), "datasets are declared");
  }

  @Test
  @Order(2)
  @DisplayName(
      "customers: the first rows' cells are /range's values, every digit of its numbers kept")
  void showsTheFirstRows() throws Exception {
    JsonObject dataset = dataset("customers");
    List<String> columns =
        dataset.getJsonArray("columns").stream()
            .map(c -> ((JsonObject) c).getString("name"))
            .toList();
    JsonArray expected = range("customers", "", 0, 30);
    choose("customers");
    waitForRows(expected, 0);
    assertEquals(
        columns,
        strings(
            "return [...document.querySelectorAll('[data-testid=data-column]')]"
                + ".map(c => c.dataset.column);"),
        "the header names the declared columns, in order");
    List<Map<String, Object>> shown = rows("data-rows");
    assertTrue(shown.size() >= 10, "a screenful of rows: " + shown.size());
    assertSameRows(expected, 0, shown);
    // customer 1's loyalty points have 35 digits: a double would show 12345678901234567000
    Map<String, Object> first = shown.get(0);
    assertEquals("12345678901234567890.123456789012345", text(first, "loyalty_points"));
    assertEquals(
        String.valueOf(service.count("SELECT count(*) FROM shop.customers")),
        attribute("data-total", "data-total"),
        "the total of /range");
    screenshot("datasets");
  }

  @Test
  @Order(3)
  @DisplayName(
      "customers by email: a jump to row 1,000 and a scroll deep show /range's rows there; at the end, the"
          + " last one")
  void jumpsAndScrollsDeep() {
    jumpsAndScrollsDeep("email");
  }

  @Test
  @Order(4)
  @DisplayName("customers in their default order: a jump to row 1,000 shows /range's rows there")
  void jumpsDeepInTheDefaultOrder() {
    jumpsAndScrollsDeep("customer_id");
  }

  private void jumpsAndScrollsDeep(String sort) {
    choose("customers");
    new Select(testid("data-sort")).selectByValue(sort);
    String sorted = "sort=" + sort;
    waitForRows(range("customers", sorted, 0, 10), 0);
    jumpTo(1000);
    JsonArray deep = range("customers", sorted, 1000, 1030);
    wait(30)
        .withMessage(() -> "row 1000 at the top, as /range has it: " + rows("data-rows"))
        .until(d -> firstRowInView() == 1000 && sameRows(deep, 1000, rows("data-rows")));
    assertSameRows(deep, 1000, rows("data-rows"));

    js("arguments[0].scrollTop = 600 * 36;", testid("data-viewport"));
    JsonArray middle = range("customers", sorted, 590, 640);
    wait(30).until(d -> firstRowInView() == 600 && sameRows(middle, 590, rows("data-rows")));

    long count = service.count("SELECT count(*) FROM shop.customers");
    js("arguments[0].scrollTop = arguments[0].scrollHeight;", testid("data-viewport"));
    JsonArray end = range("customers", sorted, count - 20, count);
    wait(30)
        .until(
            d -> {
              List<Map<String, Object>> rows = rows("data-rows");
              return sameRows(end, count - 20, rows)
                  && rows.stream().anyMatch(r -> index(r) == count - 1);
            });
    assertEquals(String.valueOf(count), attribute("data-total", "data-total"));
    assertEquals(
        count - 1,
        rows("data-rows").stream().mapToLong(DatasetsBrowserTest::index).max().orElseThrow(),
        "no row after the last");
  }

  @Test
  @Order(5)
  @DisplayName("customers: a filter (order eq 7) narrows the rows and the total to SQL's")
  void filters() {
    choose("customers");
    waitForRows(range("customers", "", 0, 1), 0);
    filter("order", "eq", "7");
    long count = service.count("SELECT count(*) FROM shop.customers WHERE \"order\" = 7");
    JsonArray expected = range("customers", "order=eq.7", 0, 20);
    wait(30)
        .until(
            d ->
                String.valueOf(count).equals(attribute("data-total", "data-total"))
                    && sameRows(expected, 0, rows("data-rows")));
    assertEquals("exact", attribute("data-total", "data-total-type"), "every row read");
    assertTrue(
        rows("data-rows").stream().allMatch(r -> "7".equals(text(r, "order"))),
        "every row's order is 7");
    clearFilters();
  }

  @Test
  @Order(6)
  @DisplayName("customers: country eq DE narrows the total to SQL's count")
  void filtersOnACharColumn() {
    choose("customers");
    waitForRows(range("customers", "", 0, 1), 0);
    filter("country", "eq", "DE");
    long count = service.count("SELECT count(*) FROM shop.customers WHERE country = 'DE'");
    wait(30).until(d -> String.valueOf(count).equals(attribute("data-total", "data-total")));
    clearFilters();
  }

  @Test
  @Order(7)
  @DisplayName("orders: an enum column's filter offers its values; status eq paid is SQL's count")
  void filtersOnAnEnum() {
    JsonObject status =
        dataset("orders").getJsonArray("columns").stream()
            .map(c -> (JsonObject) c)
            .filter(c -> c.getString("name").equals("status"))
            .findFirst()
            .orElseThrow();
    choose("orders");
    waitForRows(range("orders", "", 0, 1), 0);
    new Select(filterControl("data-filter-op", "status")).selectByValue("eq");
    Select values = new Select(filterControl("data-filter-value", "status"));
    assertEquals(
        status.getJsonArray("values").getList(),
        values.getOptions().stream().map(o -> o.getDomAttribute("value")).toList(),
        "the enum's labels, in their order");
    values.selectByValue("paid");
    long count =
        service.count("SELECT count(*) FROM shop.orders WHERE status = 'paid'::shop.order_status");
    wait(30).until(d -> String.valueOf(count).equals(attribute("data-total", "data-total")));
    assertTrue(rows("data-rows").stream().allMatch(r -> "paid".equals(text(r, "status"))));
    clearFilters();
  }

  @Test
  @Order(8)
  @DisplayName(
      "customers: an invalid filter value shows the 400 problem's message beside that filter; fixed, rows again")
  void showsTheProblem() throws Exception {
    choose("customers");
    waitForRows(range("customers", "", 0, 1), 0);
    HttpResponse<?> refused =
        service.get("/api/v1/data/customers/range?customer_id=eq.abc&start_index=0&end_index=10");
    assertEquals(400, refused.statusCode());
    JsonObject problem = refused.bodyAsJsonObject();
    JsonObject error = problem.getJsonArray("errors").getJsonObject(0);
    assertEquals("customer_id", error.getString("parameter"));

    filter("customer_id", "eq", "abc");
    WebElement message = filterControl("data-filter-error", "customer_id");
    wait(30).until(d -> message.isDisplayed());
    assertEquals(error.getString("message"), message.getText());
    assertTrue(testid("data-viewport").isDisplayed(), "the view is still there");
    assertEquals(List.of(), rows("data-rows").stream().filter(r -> r.get("key") != null).toList());
    screenshot("datasets-problem");

    filter("customer_id", "eq", "5");
    JsonArray five = range("customers", "customer_id=eq.5", 0, 10);
    wait(30)
        .until(d -> !message.isDisplayed() && "1".equals(attribute("data-total", "data-total")));
    assertSameRows(five, 0, rows("data-rows"));
    clearFilters();
  }

  @Test
  @Order(9)
  @DisplayName(
      "order_lines: a click opens the row by its composite key (order_id,line_no), as /items/{key} has it")
  void opensACompositeKeyItem() throws Exception {
    JsonArray expected = range("order_lines", "", 0, 10);
    choose("order_lines");
    waitForRows(expected, 0);
    JsonObject row = expected.getJsonObject(3);
    String key = row.getValue("order_id") + "," + row.getValue("line_no");
    JsonObject item =
        service
            .getJson("/api/v1/data/order_lines/items/" + key)
            .getJsonArray("data")
            .getJsonObject(0);
    wait(30)
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              WebElement element =
                  browser.findElement(
                      By.cssSelector("[data-testid=data-rows] [data-index='3'][data-key]"));
              assertEquals(key, element.getDomAttribute("data-key"));
              click(element);
              return true;
            });
    WebElement panel = testid("item-panel");
    wait(30).until(d -> key.equals(panel.getDomAttribute("data-id")));
    assertEquals("data/order_lines", panel.getDomAttribute("data-family"));
    assertEquals(item, new JsonObject(testid("item-json").getText()), "the panel shows the item");
    assertTrue(
        testid("request-log").getText().contains("/api/v1/data/order_lines/items/" + key),
        "the request is shown");
    screenshot("datasets-item");
    click(testid("item-close"));
  }

  @Test
  @Order(10)
  @DisplayName(
      "customers: the CSV and NDJSON downloads fetch /stream with their Accept, the filters and the sort")
  void downloads() throws Exception {
    choose("customers");
    waitForRows(range("customers", "", 0, 1), 0);
    new Select(testid("data-sort")).selectByValue("-email");
    filter("order", "eq", "7");
    JsonArray expected = range("customers", "order=eq.7&sort=-email", 0, 30);
    wait(30).until(d -> sameRows(expected, 0, rows("data-rows")));

    for (String format : List.of("csv", "ndjson")) {
      String accept = "csv".equals(format) ? "text/csv" : "application/x-ndjson";
      click(testid("data-download-" + format));
      WebElement state = testid("data-download-state");
      wait(30)
          .until(
              d ->
                  format.equals(state.getDomAttribute("data-format"))
                      && "saved".equals(state.getDomAttribute("data-state")));
      String url = state.getDomAttribute("data-url");
      assertTrue(
          url.startsWith("/api/v1/data/customers/stream?")
              && url.contains("order=eq.7")
              && url.contains("sort=-email"),
          url);
      assertEquals(accept, state.getDomAttribute("data-accept"));
      HttpResponse<?> body = service.get(url, "Accept", accept);
      assertEquals(200, body.statusCode());
      assertTrue(
          state.getDomAttribute("data-content-type").startsWith(accept),
          "the reply was " + accept + ": " + state.getDomAttribute("data-content-type"));
      assertTrue(body.getHeader("Content-Type").startsWith(accept));
      byte[] bytes = body.bodyAsBuffer().getBytes();
      assertEquals(String.valueOf(bytes.length), state.getDomAttribute("data-bytes"));
      Path file = DOWNLOADS.resolve("customers." + format);
      wait(30).until(d -> Files.exists(file) && size(file) == bytes.length);
      assertEquals(new String(bytes, "UTF-8"), Files.readString(file), "the file saved");
      LOG.info("{} download: {} bytes from {}", format, bytes.length, url);
    }
    String csv = Files.readString(DOWNLOADS.resolve("customers.csv"));
    long count = service.count("SELECT count(*) FROM shop.customers WHERE \"order\" = 7");
    assertTrue(csv.startsWith("customer_id,email,"), csv.substring(0, 40));
    assertEquals(
        count,
        Files.readAllLines(DOWNLOADS.resolve("customers.ndjson")).size(),
        "one NDJSON line a row");
    clearFilters();
  }

  @Test
  @Order(11)
  @DisplayName(
      "audit_events (no key): pages over ?page=, Next and Previous, rows equal the API's pages")
  void pagesADatasetWithoutAKey() {
    JsonObject first = service.getJson("/api/v1/data/audit_events?page=1");
    JsonObject second = service.getJson("/api/v1/data/audit_events?page=2");
    int perPage = first.getInteger("per_page");
    choose("audit_events");
    wait(30).until(d -> sameRows(first.getJsonArray("data"), 0, rows("data-page-rows")));
    assertFalse(testid("data-viewport").isDisplayed(), "no virtual scroll without a key");
    assertFalse(testid("data-jump-form").isDisplayed());
    assertTrue(testid("data-prev").getDomAttribute("disabled") != null);
    click(testid("data-next"));
    wait(30).until(d -> sameRows(second.getJsonArray("data"), perPage, rows("data-page-rows")));
    assertEquals(second.getJsonArray("data").size(), rows("data-page-rows").size());
    assertTrue(
        rows("data-page-rows").stream().allMatch(r -> r.get("key") == null),
        "no row opens an item");
    click(testid("data-prev"));
    wait(30).until(d -> sameRows(first.getJsonArray("data"), 0, rows("data-page-rows")));
  }

  @Test
  @Order(12)
  @DisplayName("a service with no dataset declared: the view says so, and shows no select")
  void saysWhenNoDatasetIsDeclared() {
    assertEquals(
        0,
        bare.getJson("/api/v1/data").getJsonArray("datasets").size(),
        "the test configuration declares no dataset");
    try {
      browser.get("http://127.0.0.1:" + bare.port() + "/#explorer");
      wait(30).until(d -> "explorer".equals(js("return window.sluice && window.sluice.page;")));
      click(testid("view-data"));
      wait(30).until(d -> testid("data-none").isDisplayed());
      assertEquals("No datasets declared.", testid("data-none").getText());
      assertFalse(testid("data-dataset").isDisplayed(), "no select");
      assertFalse(testid("data-grid").isDisplayed(), "no table");
    } finally {
      browser.get("about:blank");
    }
  }

  @Test
  @Order(13)
  @DisplayName("without the demo the explorer shows the datasets alone, from the start")
  void withoutTheDemo() {
    try {
      browser.get("http://127.0.0.1:" + alone.port() + "/#explorer");
      wait(30).until(d -> "explorer".equals(js("return window.sluice && window.sluice.page;")));
      wait(30).until(d -> testid("data-dataset").isDisplayed());
      assertFalse(testid("view-users").isDisplayed(), "no users view: the demo's routes are gone");
      assertFalse(testid("view-videos").isDisplayed(), "no videos view");
      assertEquals(404, alone.get("/api/v1/users/range?start_index=0&end_index=1").statusCode());
    } finally {
      browser.get("about:blank");
    }
  }

  // ---- helpers ----

  private static JsonObject dataset(String name) {
    return service.getJson("/api/v1/data").getJsonArray("datasets").stream()
        .map(d -> (JsonObject) d)
        .filter(d -> d.getString("name").equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** The rows [start, end) of a dataset's /range, with the given filters and sort (a query). */
  private static JsonArray range(String name, String query, long start, long end) {
    return service
        .getJson(
            "/api/v1/data/"
                + name
                + "/range?"
                + (query.isEmpty() ? "" : query + "&")
                + "start_index="
                + start
                + "&end_index="
                + end)
        .getJsonArray("data");
  }

  private static void openDatasets() {
    String url = browser.getCurrentUrl();
    if (url == null || !url.startsWith(base)) {
      browser.get(base + "/#explorer");
    } else {
      js("location.hash = 'explorer';");
    }
    wait(30).until(d -> "explorer".equals(js("return window.sluice && window.sluice.page;")));
    click(testid("view-data"));
    wait(30).until(d -> !"".equals(attribute("data-dataset", "data-count")));
  }

  /**
   * Shows a dataset from its top, in its default order, without filters: chosen in the select
   * (another one first when it is shown already, since choosing the one shown changes nothing).
   */
  private static void choose(String name) {
    openDatasets();
    Select select = new Select(testid("data-dataset"));
    if (name.equals(select.getFirstSelectedOption().getDomAttribute("value"))) {
      select.selectByValue(
          select.getOptions().stream()
              .map(o -> o.getDomAttribute("value"))
              .filter(v -> !v.equals(name))
              .findFirst()
              .orElseThrow());
    }
    select.selectByValue(name);
    wait(30).until(d -> name.equals(js("return window.sluice.data.dataset.name;")));
  }

  /** Sets one filter (operator, then a typed value and Enter). */
  private static void filter(String column, String op, String value) {
    new Select(filterControl("data-filter-op", column)).selectByValue(op);
    WebElement box = filterControl("data-filter-value", column);
    box.clear();
    box.sendKeys(value + Keys.ENTER);
  }

  private static void clearFilters() {
    click(testid("data-filter-clear"));
    wait(30).until(d -> "{}".equals(js("return JSON.stringify(window.sluice.data.filters);")));
  }

  private static WebElement filterControl(String testid, String column) {
    return browser.findElement(
        By.cssSelector("[data-testid='" + testid + "'][data-column='" + column + "']"));
  }

  private static void jumpTo(long row) {
    testid("data-jump-input").clear();
    testid("data-jump-input").sendKeys(String.valueOf(row));
    click(testid("data-jump-go"));
  }

  /** Waits until the rendered rows from {@code start} on are loaded and equal {@code expected}. */
  private static void waitForRows(JsonArray expected, long start) {
    wait(30)
        .withMessage(() -> "rows from " + start + " as /range has them; shown " + rows("data-rows"))
        .until(d -> sameRows(expected, start, rows("data-rows")));
  }

  /**
   * Each rendered row: its index, key, and per column the cell's data-json and text, as maps; a row
   * still loading has {@code loading} true.
   */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(String container) {
    return (List<Map<String, Object>>)
        js(
            "return [...document.querySelectorAll('[data-testid=' + arguments[0] + ']"
                + " [data-testid=data-row]')].map(r => ({index: Number(r.dataset.index),"
                + " loading: r.classList.contains('loading'), key: r.dataset.key ?? null,"
                + " json: Object.fromEntries([...r.querySelectorAll('[data-column]')]"
                + "   .map(c => [c.dataset.column, c.dataset.json])),"
                + " text: Object.fromEntries([...r.querySelectorAll('[data-column]')]"
                + "   .map(c => [c.dataset.column, c.textContent]))}));",
            container);
  }

  private static long index(Map<String, Object> row) {
    return ((Number) row.get("index")).longValue();
  }

  @SuppressWarnings("unchecked")
  private static String text(Map<String, Object> row, String column) {
    return (String) ((Map<String, Object>) row.get("text")).get(column);
  }

  /**
   * Whether some rows are shown, all loaded, and each one whose index falls in [start, start +
   * expected) holds the values {@code expected} has there (at least one of them).
   */
  private static boolean sameRows(JsonArray expected, long start, List<Map<String, Object>> shown) {
    if (shown.isEmpty() || shown.stream().anyMatch(r -> Boolean.TRUE.equals(r.get("loading")))) {
      return false;
    }
    int compared = 0;
    for (Map<String, Object> row : shown) {
      long i = index(row) - start;
      if (i < 0 || i >= expected.size()) {
        continue;
      }
      if (!mismatches(expected.getJsonObject((int) i), row).isEmpty()) {
        return false;
      }
      compared++;
    }
    return compared > 0;
  }

  private static void assertSameRows(
      JsonArray expected, long start, List<Map<String, Object>> shown) {
    int compared = 0;
    for (Map<String, Object> row : shown) {
      long i = index(row) - start;
      if (i >= 0 && i < expected.size()) {
        assertEquals(
            List.of(), mismatches(expected.getJsonObject((int) i), row), "row " + index(row));
        compared++;
      }
    }
    assertTrue(compared > 0, "some of the rows shown are the expected ones: " + shown);
  }

  /**
   * The columns whose cell differs from the API's value: its data-json read as JSON is the value,
   * and a string's text is the string itself (a number's text is its JSON, every digit).
   */
  @SuppressWarnings("unchecked")
  private static List<String> mismatches(JsonObject expected, Map<String, Object> row) {
    Map<String, Object> json = (Map<String, Object>) row.get("json");
    List<String> wrong = new ArrayList<>();
    if (!json.keySet().equals(expected.fieldNames())) {
      return List.of("columns " + json.keySet() + " against " + expected.fieldNames());
    }
    for (String column : expected.fieldNames()) {
      Object value = expected.getValue(column);
      Object cell = new JsonObject("{\"v\":" + json.get(column) + "}").getValue("v");
      boolean same =
          new JsonObject().put("v", value).equals(new JsonObject().put("v", cell))
              && (!(value instanceof String) || value.equals(text(row, column)));
      if (!same) {
        wrong.add(column + ": " + json.get(column) + " against " + value);
      }
    }
    return wrong;
  }

  /** The index of the topmost row the data viewport shows. */
  private static long firstRowInView() {
    Object top =
        js(
            "const v = arguments[0].getBoundingClientRect().top;"
                + "const row = [...arguments[0].querySelectorAll('[data-testid=data-row]')]"
                + ".filter(r => r.getBoundingClientRect().bottom > v + 1)"
                + ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];"
                + "return row ? Number(row.dataset.index) : -1;",
            testid("data-viewport"));
    return ((Number) top).longValue();
  }

  private static String attribute(String testid, String attribute) {
    return testid(testid).getDomAttribute(attribute);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private static void click(WebElement element) {
    js("arguments[0].scrollIntoView({block: 'center'});", element);
    element.click();
  }

  private static WebElement testid(String id) {
    return browser.findElement(By.cssSelector("[data-testid='" + id + "']"));
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(String script) {
    return (List<String>) js(script);
  }

  private static WebDriverWait wait(int seconds) {
    WebDriverWait wait =
        new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(100));
    wait.ignoring(StaleElementReferenceException.class);
    return wait;
  }

  private static void screenshot(String name) throws Exception {
    js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));");
    Path file = ConsoleBrowserTest.SCREENSHOTS.resolve(name + ".png");
    Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    LOG.info("screenshot {}", file.toAbsolutePath());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
