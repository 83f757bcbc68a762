package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console in a real browser (the system's Chromium, headless) against the whole service on
 * the test database: what a developer sees on each page, checked against PostgreSQL and the
 * server's own figures.
 */
@EndToEnd
@DisplayName("The web console, in a real browser")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleBrowserTest.class);

  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  /**
   * Extra users, inactive and older than the seed's, so that the inactive listing reaches row
   * 900,000.
   */
  static final int DEEP_USERS = 905_000;

  static final int DEEP_ROW = 900_000;

  /**
   * Extra videos, copies of the seed's with a description padded by 3,200 characters, so that a
   * stream (about 250 MB) is far larger than what the socket buffers (here up to 32 MB received, 4
   * MB sent) and the browser (Chromium held about 100 MB of a paused body) hold; few rows with long
   * descriptions are quicker to insert than many short ones.
   */
  static final int VIDEO_COPIES = 35;

  static final int PADDING = 3200;
  static final String MARK = "console-test";

  /**
   * Rows the console may render beyond those in view: its overscan above and below, with room to
   * spare.
   */
  static final int OVERSCAN_ALLOWED = 2 * 12;

  static final int IDLE_SECONDS = 15;

  @Boot(config = "smallPlainBatches")
  static Service service;

  static WebDriver browser;
  static String base;

  static JsonObject smallPlainBatches() {
    return new JsonObject()
        // small batches and buffers on the server, so that a paused reader stops the cursor soon;
        // bodies plain, so that
        // the stream's bytes, not gzip's tenth of them, fill the socket (Chrome asks for gzip and a
        // page cannot say no)
        .put(
            "lazy_loading",
            new JsonObject()
                .put("batch_size", 500)
                .put("buffer_size", 2000)
                .put("enable_compression", false))
        // a reader paused this long is cut by the server: how the resume test breaks a stream
        .put("streaming", new JsonObject().put("idle_timeout_seconds", IDLE_SECONDS));
  }

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
      fail("Chromium is missing: apt-get install -y chromium chromium-driver");
    }
    base = "http://127.0.0.1:" + service.port();
    // ids in insertion order, so that every index is appended to rather than written all over
    long started = System.nanoTime();
    service.sql(
        """
      INSERT INTO users (id, username, email, display_name, role, is_active, created_at)
      SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $2 || '-' || g,
             $2 || '-' || g || '@example.com', 'Deep user ' || g, (ARRAY['admin', 'creator', 'viewer'])[1 + g % 3],
             false, timestamptz '2001-01-01' + g * interval '1 second'
      FROM generate_series(1, $1) g""",
        DEEP_USERS, MARK);
    LOG.info(
        "{} extra users inserted in {} ms", DEEP_USERS, (System.nanoTime() - started) / 1_000_000);
    service.sql(
        """
      INSERT INTO videos (id, user_id, title, description, category, status, duration_seconds, view_count,
                          like_count, created_at)
      SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(row_number() OVER ()), 12, '0'))::uuid, v.user_id, v.title,
             $2 || ' ' || repeat('~', $3), v.category, v.status, v.duration_seconds, v.view_count, v.like_count,
             v.created_at - g * interval '1 day'
      FROM videos v, generate_series(1, $1) g""",
        VIDEO_COPIES,
        MARK,
        PADDING);
    service.sql("ANALYZE users");
    service.sql("ANALYZE videos");
    LOG.info("extra rows inserted in {} ms", (System.nanoTime() - started) / 1_000_000);

    browser = newBrowser(new ChromeOptions());
    Files.createDirectories(SCREENSHOTS);
  }

  /** A headless Chromium with a profile of its own (nothing cached), on a laptop-sized window. */
  static ChromeDriver newBrowser(ChromeOptions options) {
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
    return new ChromeDriver(driver, options);
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      if (service != null) {
        long started = System.nanoTime();
        // nothing refers to the rows this class made: the per-row foreign-key checks (three tables
        // refer to users)
        // would take a minute for 905,000 users, so they are skipped for this transaction, and the
        // change
        // notification the skipped statement triggers would have sent is sent by hand
        Waits.statement(
            service.db.withTransaction(
                conn ->
                    conn.query("SET LOCAL session_replication_role = replica")
                        .execute()
                        .compose(
                            v ->
                                conn.preparedQuery("DELETE FROM videos WHERE description LIKE $1")
                                    .execute(Tuple.of(MARK + " %")))
                        .compose(
                            v ->
                                conn.preparedQuery("DELETE FROM users WHERE username LIKE $1")
                                    .execute(Tuple.of(MARK + "-%")))
                        .compose(
                            v ->
                                conn.query(
                                        "SELECT pg_notify('sluice_changes', 'public.videos'), pg_notify('sluice_changes', 'public.users')")
                                    .execute())));
        LOG.info("extra rows deleted in {} ms", (System.nanoTime() - started) / 1_000_000);
      }
    }
  }

  // ---- explorer ----

  @Test
  @Order(1)
  @DisplayName(
      "explorer: scrolled step by step to the end, the users come newest first, with no gap, no duplicate "
          + "and never more than a few dozen rows in the page")
  void scrollsToTheEnd() {
    List<String> expected =
        ids("SELECT id FROM users WHERE is_active ORDER BY created_at DESC, id DESC");
    openPage("explorer");
    waitForRows();
    WebElement total = testid("user-total");
    assertFalse(total.getText().isBlank(), "the total is shown");
    assertTrue(
        Long.parseLong(total.getDomAttribute("data-total")) > 0,
        "a total above zero: " + total.getText());

    Map<Integer, String> seen = new TreeMap<>();
    int inView = rowsInView();
    for (int step = 0; step < 500; step++) {
      List<List<Object>> rows = renderedRows();
      assertTrue(
          rows.size() <= inView + OVERSCAN_ALLOWED,
          "the "
              + inView
              + " rows in view and a small overscan in "
              + "the DOM, saw "
              + rows.size());
      for (List<Object> row : rows) {
        int index = ((Number) row.get(0)).intValue();
        String before = seen.put(index, (String) row.get(1));
        assertTrue(
            before == null || before.equals(row.get(1)), "row " + index + " showed two users");
      }
      if (Boolean.TRUE.equals(
              js(
                  "const v = arguments[0]; return v.scrollTop + v.clientHeight >= v.scrollHeight - 1;",
                  testid("user-viewport")))
          && "exact".equals(total.getDomAttribute("data-total-type"))
          && seen.containsKey(expected.size() - 1)) {
        break;
      }
      js(
          "const v = arguments[0]; v.scrollTop += Math.floor(v.clientHeight * 0.8);",
          testid("user-viewport"));
      waitForRows();
    }
    assertEquals(
        "exact",
        total.getDomAttribute("data-total-type"),
        "the total is exact once the end was read");
    assertEquals(
        String.valueOf(expected.size()),
        total.getDomAttribute("data-total"),
        "the total is the count");
    assertEquals(expected.size(), seen.size(), "every index from 0 to the last, once");
    assertEquals(0, ((TreeMap<Integer, String>) seen).firstKey());
    assertEquals(expected.size() - 1, ((TreeMap<Integer, String>) seen).lastKey());
    assertEquals(
        expected, new ArrayList<>(seen.values()), "the users in PostgreSQL's order, none twice");
    assertEquals(expected.size(), new HashSet<>(seen.values()).size(), "no user twice");
  }

  @Test
  @Order(2)
  @DisplayName("explorer: a jump to row 900,000 shows the users PostgreSQL has there")
  void jumpsDeep() {
    openPage("explorer");
    waitForRows();
    new Select(testid("filter-active")).selectByValue("false");
    waitForRows();
    List<String> expected =
        ids(
            "SELECT id FROM users WHERE NOT is_active ORDER BY created_at DESC, id DESC "
                + "OFFSET $1 LIMIT 15",
            DEEP_ROW);
    long started = System.nanoTime();
    testid("jump-input").clear();
    testid("jump-input").sendKeys(String.valueOf(DEEP_ROW));
    click(testid("jump-go"));
    wait(60)
        .until(
            d -> {
              List<List<Object>> rows = renderedRows();
              return rows.stream().anyMatch(r -> ((Number) r.get(0)).intValue() == DEEP_ROW)
                  && allLoaded(rows);
            });
    LOG.info(
        "row {} shown {} ms after the jump; the console's requests: {}",
        DEEP_ROW,
        (System.nanoTime() - started) / 1_000_000,
        testid("request-log").getText().replace('\n', ' '));
    assertEquals(DEEP_ROW, firstRowInView(), "row 900,000 is the first row in view");
    List<String> shown = new ArrayList<>();
    for (List<Object> row : renderedRows()) {
      int index = ((Number) row.get(0)).intValue();
      if (index >= DEEP_ROW && index < DEEP_ROW + expected.size()) {
        shown.add((String) row.get(1));
      }
    }
    assertEquals(expected, shown, "the users at 900,000 and after, as PostgreSQL orders them");
    assertTrue(
        renderedRows().size() <= rowsInView() + OVERSCAN_ALLOWED,
        "a deep window renders as few rows");

    // this listing is taller than browsers let an element be, so its scroll position is scaled:
    // near its top too,
    // the row asked for is the one in view
    for (int row : List.of(3, 0, 41)) {
      testid("jump-input").clear();
      testid("jump-input").sendKeys(String.valueOf(row));
      click(testid("jump-go"));
      wait(30).until(d -> allLoaded(renderedRows()) && firstRowInView() == row);
    }

    // scrolled past quickly (two frames at each place: its window asked for, then not wanted any
    // more) over a slow
    // network, the windows on their way are cancelled
    ChromiumNetworkConditions slow = new ChromiumNetworkConditions();
    slow.setLatency(Duration.ofMillis(400));
    ((ChromeDriver) browser).setNetworkConditions(slow);
    try {
      js(
          "const v = arguments[0]; const frame = () => new Promise(r => requestAnimationFrame(r));"
              + "return (async () => { for (let i = 1; i <= 10; i++) {"
              + "  v.scrollTop = i * 800000; await frame(); await frame(); } })();",
          testid("user-viewport"));
      wait(30)
          .until(
              d ->
                  strings(
                          "return [...document.querySelectorAll('[data-testid=request-entry]')]"
                              + ".map(e => e.textContent);")
                      .stream()
                      .anyMatch(text -> text.contains("aborted")));
    } finally {
      ((ChromeDriver) browser).deleteNetworkConditions();
    }
    new Select(testid("filter-active")).selectByValue("true");
    waitForRows();
  }

  @Test
  @Order(3)
  @DisplayName(
      "explorer: a jump past the end shows the last row, says so, and keeps the exact total")
  void jumpsPastTheEnd() throws Exception {
    openPage("explorer");
    waitForRows();
    long count = service.count("SELECT count(*) FROM users WHERE is_active");
    String lastUser =
        ids(
                "SELECT id FROM users WHERE is_active ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1",
                count - 1)
            .get(0);
    try {
      // the jump box's own placeholder, then a row a few windows past the end (once the total is
      // known)
      for (long row : List.of((long) DEEP_ROW, count + 250)) {
        assertTrue(row >= count, "the active users (" + count + ") end before row " + row);
        jumpTo(row);
        wait(30)
            .withMessage(
                () ->
                    "the last row, "
                        + (count - 1)
                        + ", shown and filled; the total says '"
                        + testid("user-total").getText()
                        + "', rows in the page "
                        + renderedRows())
            .until(
                d -> {
                  List<List<Object>> rows = renderedRows();
                  return allLoaded(rows)
                      && rows.stream().anyMatch(r -> ((Number) r.get(0)).longValue() == count - 1);
                });
        WebElement total = testid("user-total");
        assertEquals(
            String.valueOf(count),
            total.getDomAttribute("data-total"),
            "the total is PostgreSQL's count");
        assertEquals("exact", total.getDomAttribute("data-total-type"));
        assertEquals(grouped(count) + " users", total.getText());
        long lastShown =
            renderedRows().stream()
                .mapToLong(r -> ((Number) r.get(0)).longValue())
                .max()
                .orElseThrow();
        assertEquals(count - 1, lastShown, "no row after the last one, not even one loading");
        WebElement last =
            browser.findElement(
                By.cssSelector("[data-testid=user-row][data-index='" + (count - 1) + "']"));
        assertEquals(
            lastUser,
            last.getDomAttribute("data-id"),
            "the last row is PostgreSQL's last active user");
        assertTrue(inView(last), "the last row is in view");
        WebElement note = testid("jump-note");
        assertTrue(note.isDisplayed(), "the explorer says the jump was past the end");
        assertTrue(
            note.getText().contains(grouped(row))
                && note.getText().contains(grouped(count))
                && note.getText().contains(grouped(count - 1)),
            "names the row asked for, the total and the last row: " + note.getText());
      }
      screenshot("explorer-past-the-end");
      jumpTo(0);
      wait(30).until(d -> allLoaded(renderedRows()) && firstRowInView() == 0);
      assertFalse(testid("jump-note").isDisplayed(), "a jump inside the listing says nothing");
    } finally {
      // the listing again from its top (two filter changes), whatever this test left
      new Select(testid("filter-active")).selectByValue("false");
      new Select(testid("filter-active")).selectByValue("true");
      waitForRows();
    }
  }

  @Test
  @Order(4)
  @DisplayName("explorer: the role filter re-windows from the top, every row of that role")
  void filtersByRole() {
    openPage("explorer");
    waitForRows();
    List<String> expected =
        ids(
            "SELECT id FROM users WHERE is_active AND role = 'admin' "
                + "ORDER BY created_at DESC, id DESC LIMIT 10");
    new Select(testid("filter-role")).selectByValue("admin");
    wait(30)
        .until(
            d -> {
              List<List<Object>> rows = renderedRows();
              return allLoaded(rows)
                  && !rows.isEmpty()
                  && ((Number) rows.get(0).get(0)).intValue() == 0
                  && rows.get(0).get(1).equals(expected.get(0));
            });
    List<String> roles =
        strings(
            "return [...document.querySelectorAll('[data-testid=user-row]')]"
                + ".map(r => r.dataset.role);");
    assertFalse(roles.isEmpty());
    assertTrue(roles.stream().allMatch("admin"::equals), "every row an admin: " + roles);
    List<String> first =
        renderedRows().stream().limit(expected.size()).map(r -> (String) r.get(1)).toList();
    assertEquals(expected.subList(0, first.size()), first, "the newest admins first");
    new Select(testid("filter-role")).selectByValue("");
    waitForRows();
  }

  @Test
  @Order(5)
  @DisplayName("explorer: a click on a row opens that user in the side panel")
  void opensAUser() throws Exception {
    openPage("explorer");
    waitForRows();
    String id = clickUserRow(2).get("data-id");
    WebElement panel = testid("item-panel");
    wait(30).until(d -> id.equals(panel.getDomAttribute("data-id")));
    assertTrue(panel.isDisplayed());
    assertEquals(id, panel.findElement(By.cssSelector("[data-field=id]")).getText());
    String username =
        service.sql("SELECT username FROM users WHERE id = $1::uuid", id).get(0).getString(0);
    assertEquals(username, panel.findElement(By.cssSelector("[data-field=username]")).getText());
    assertTrue(
        testid("request-log").getText().contains("/api/v1/users/" + id), "the request is shown");
    screenshot("explorer");
  }

  @Test
  @Order(6)
  @DisplayName(
      "explorer: a timestamp in the side panel stays on one line, on a laptop and on a phone")
  void keepsTimestampsOnOneLine() throws Exception {
    openPage("explorer");
    waitForRows();
    String id = clickUserRow(1).get("data-id");
    WebElement panel = testid("item-panel");
    wait(30).until(d -> id.equals(panel.getDomAttribute("data-id")));
    try {
      for (Dimension size : List.of(new Dimension(1280, 900), new Dimension(390, 844))) {
        browser.manage().window().setSize(size);
        js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));");
        WebElement created = panel.findElement(By.cssSelector("[data-field=created_at]"));
        WebElement role = panel.findElement(By.cssSelector("[data-field=role]"));
        assertTrue(
            created.getText().matches("\\d{4}-\\d\\d-\\d\\dT.*[+-]\\d\\d:\\d\\d"),
            created.getText());
        assertEquals(
            height(role),
            height(created),
            0.5,
            "at " + size + ", " + created.getText() + " is one line, as high as the role's");
        assertTrue(
            ((Number) js("return arguments[0].scrollWidth - arguments[0].clientWidth;", panel))
                    .intValue()
                <= 0,
            "at " + size + ", the panel does not scroll sideways: the whole timestamp is in view");
      }
      screenshot("explorer-panel-phone");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 900));
      click(testid("item-close"));
    }
  }

  @Test
  @Order(7)
  @DisplayName(
      "explorer: after a filter change the side panel keeps a user only if the new listing holds it")
  void closesThePanelOnAFilterThatHidesItsUser() {
    openPage("explorer");
    waitForRows();
    Map<String, String> clicked = clickUserRow(0);
    String id = clicked.get("data-id");
    String role = clicked.get("data-role");
    WebElement panel = testid("item-panel");
    wait(30).until(d -> id.equals(panel.getDomAttribute("data-id")));
    try {
      new Select(testid("filter-role")).selectByValue(role);
      waitForRows();
      assertTrue(
          panel.isDisplayed(), "a " + role + " stays open when only the " + role + "s are listed");
      assertEquals(id, panel.getDomAttribute("data-id"));

      String other = "admin".equals(role) ? "viewer" : "admin";
      new Select(testid("filter-role")).selectByValue(other);
      waitForRows();
      assertFalse(
          panel.isDisplayed(), "a " + role + " is not shown beside a list of " + other + "s");

      new Select(testid("filter-role")).selectByValue("");
      waitForRows();
      clickUserRow(0);
      wait(30).until(d -> id.equals(panel.getDomAttribute("data-id")) && panel.isDisplayed());
      new Select(testid("filter-active")).selectByValue("false");
      waitForRows();
      assertFalse(
          panel.isDisplayed(), "an active user is not shown beside a list of inactive ones");
    } finally {
      new Select(testid("filter-active")).selectByValue("true");
      new Select(testid("filter-role")).selectByValue("");
      waitForRows();
    }
  }

  @Test
  @Order(8)
  @DisplayName(
      "explorer: videos come as cursor pages, Next and Previous follow the cursors, a click opens one")
  void pagesVideos() {
    openPage("explorer");
    click(testid("view-videos"));
    List<String> firstPage =
        ids("SELECT id FROM videos ORDER BY created_at DESC, id DESC LIMIT 25");
    List<String> secondPage =
        ids("SELECT id FROM videos ORDER BY created_at DESC, id DESC OFFSET 25 LIMIT 25");
    wait(30).until(d -> videoIds().equals(firstPage));
    click(testid("video-next"));
    wait(30).until(d -> videoIds().equals(secondPage));
    click(testid("video-prev"));
    wait(30).until(d -> videoIds().equals(firstPage));
    By video = By.cssSelector("[data-testid=video-row][data-id='" + firstPage.get(3) + "']");
    wait(30)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              click(
                  browser.findElement(
                      video)); // found afresh: a page's rows are rebuilt when its data arrives
              return true;
            });
    wait(30).until(d -> firstPage.get(3).equals(testid("item-panel").getDomAttribute("data-id")));
    assertEquals("videos", testid("item-panel").getDomAttribute("data-family"));
    click(testid("item-close"));
    click(testid("view-users"));
  }

  // ---- streams ----

  @Test
  @Order(9)
  @DisplayName(
      "streams: a paused reader stops the server's rows streamed (backpressure); resume and cancel work")
  void streamsWithBackpressure() throws Exception {
    long videos = service.count("SELECT count(*) FROM videos");
    double before = serverRows();
    openPage("streams");
    click(testid("stream-start"));
    // pauses as soon as the first rows are read: a local stream is read in a second or two, so a
    // pause from here
    // (one WebDriver round trip after another) could come after its end
    js(
        "return new Promise(done => { const check = setInterval(() => { if (window.sluice.stream.rows > 0) {"
            + "clearInterval(check); document.querySelector('[data-testid=stream-pause]').click(); done(); } }, 1); });");
    assertEquals("paused", testid("stream-state").getDomAttribute("data-state"));

    double held = stableServerRows();
    long clientHeld = number(testid("stream-rows"));
    long until = System.currentTimeMillis() + 3000;
    while (System.currentTimeMillis() < until) {
      assertEquals(held, serverRows(), "rows streamed do not move while the reader is paused");
      Thread.sleep(250);
    }
    assertEquals(
        clientHeld, number(testid("stream-rows")), "the console counts no row while paused");
    LOG.info(
        "paused at {} rows read, {} rows streamed by the server, of {}",
        clientHeld,
        held - before,
        videos);
    assertTrue(clientHeld > 0 && clientHeld < videos, "paused after some rows: " + clientHeld);
    assertTrue(
        held - before < videos,
        "the stream was held before its end: " + (held - before) + " of " + videos);
    wait(10).until(d -> testid("backpressure").isDisplayed());
    screenshot("streams");

    // resumed, the console reads on and the server sends again; paused once more after 5,000 rows,
    // so that the
    // stream is still open (it would be read to its end within seconds) when it is cancelled
    js(
        "document.querySelector('[data-testid=stream-resume]').click();"
            + "return new Promise(done => { const check = setInterval(() => { if (window.sluice.stream.rows > arguments[0]) {"
            + "clearInterval(check); document.querySelector('[data-testid=stream-pause]').click(); done(); } }, 1); });",
        clientHeld + 5000);
    wait(10)
        .until(
            d ->
                number(testid("stream-rows")) > clientHeld + 5000); // the console counts rows again
    wait(30).until(d -> serverRows() > held);
    assertEquals(
        "paused",
        testid("stream-state").getDomAttribute("data-state"),
        "still open: " + serverRows());
    assertEquals(1.0, activeStreams(), "one videos stream open");

    click(testid("stream-cancel"));
    wait(30).until(d -> activeStreams() == 0.0);
    assertEquals("cancelled", testid("stream-state").getDomAttribute("data-state"));

    // cancelled while reading (a read pending), it stays cancelled: not cut, nothing offered to
    // resume
    click(testid("stream-start"));
    js(
        "return new Promise(done => { const check = setInterval(() => { if (window.sluice.stream.rows > 1000) {"
            + "clearInterval(check); document.querySelector('[data-testid=stream-cancel]').click(); done(); } }, 1); });");
    wait(30).until(d -> activeStreams() == 0.0);
    Thread.sleep(500);
    assertEquals(
        "cancelled",
        testid("stream-state").getDomAttribute("data-state"),
        "cancelled, not cut or ended");
    assertFalse(
        testid("stream-resume-checkpoint").isDisplayed(),
        "a cancelled stream is not offered to resume");
  }

  @Test
  @Order(10)
  @DisplayName(
      "streams: a stream cut by the server resumes from its last checkpoint and counts every video once")
  void resumesFromACheckpoint() throws Exception {
    long videos = service.count("SELECT count(*) FROM videos");
    openPage("streams");
    click(testid("stream-start"));
    // paused once the first checkpoint is in: the server cuts a reader that reads nothing for
    // IDLE_SECONDS
    js(
        "return new Promise(done => { const check = setInterval(() => { if (window.sluice.stream.checkpoint) {"
            + "clearInterval(check); document.querySelector('[data-testid=stream-pause]').click(); done(); } }, 1); });");
    wait(30).until(d -> activeStreams() == 0.0);
    click(testid("stream-resume"));
    // what the browser had buffered is read, then the body breaks off without its last chunk
    wait(120).until(d -> "cut".equals(testid("stream-state").getDomAttribute("data-state")));
    long cutAt = number(testid("stream-rows"));
    long checkpoint = ((Number) js("return window.sluice.stream.checkpoint.count;")).longValue();
    LOG.info("cut at {} rows, last checkpoint at {} of {}", cutAt, checkpoint, videos);
    assertTrue(cutAt < videos, "cut before the end");
    WebElement again = testid("stream-resume-checkpoint");
    assertTrue(again.isDisplayed(), "Resume from checkpoint is offered");
    click(again);
    assertTrue(testid("stream-url").getText().contains("after="), testid("stream-url").getText());
    wait(120).until(d -> "ended".equals(testid("stream-state").getDomAttribute("data-state")));
    assertEquals(
        videos,
        number(testid("stream-rows")),
        "every video counted once: the checkpoint's count, then " + "the rows after it");
    wait(30).until(d -> activeStreams() == 0.0);
  }

  @Test
  @Order(11)
  @DisplayName(
      "streams: the client's rows/s is never below zero, through a stream read to its end, then another "
          + "started and cancelled")
  void rateIsNeverNegative() {
    openPage("streams");
    wait(30).until(d -> !"reading".equals(testid("stream-state").getDomAttribute("data-state")));
    // every figure the card shows, recorded by the page: a WebDriver read now and then could miss
    // one
    js(
        "const card = document.querySelector('[data-testid=stream-rate]'); window.ratesShown = [card.textContent];"
            + "new MutationObserver(() => window.ratesShown.push(card.textContent))"
            + ".observe(card, {childList: true, characterData: true, subtree: true});");
    click(testid("stream-start"));
    assertTrue(rate() >= 0, "reading: " + rate());
    wait(180).until(d -> "ended".equals(testid("stream-state").getDomAttribute("data-state")));
    waitForPolls(2);
    assertTrue(rate() >= 0, "ended: " + rate());

    click(testid("stream-start"));
    js(
        "return new Promise(done => { const check = setInterval(() => { if (window.sluice.stream.rows > 1000) {"
            + "clearInterval(check); document.querySelector('[data-testid=stream-cancel]').click(); done(); } }, 1); });");
    assertTrue(rate() >= 0, "started again: " + rate());
    assertEquals("cancelled", testid("stream-state").getDomAttribute("data-state"));
    waitForPolls(3);
    assertTrue(rate() >= 0, "cancelled: " + rate());
    List<String> shown = strings("return window.ratesShown;");
    assertTrue(
        shown.stream().allMatch(text -> text.matches("[\\d,]+")),
        "every rate shown a count of rows/s, "
            + "none negative: "
            + shown.stream().filter(text -> !text.matches("[\\d,]+")).toList());
    wait(30).until(d -> activeStreams() == 0.0);
  }

  // ---- dashboard ----

  @Test
  @Order(12)
  @DisplayName(
      "dashboard: every chart draws series with data, breakers show as badges, on a laptop and a phone")
  void drawsCharts() throws Exception {
    // some load on every loader, so that each chart has something to draw
    for (int i = 0; i < 3; i++) {
      service.get("/api/v1/users/range?start_index=0&end_index=50");
      service.get("/api/v1/videos?limit=20");
      service.get("/api/v1/templates");
      service.get("/api/v1/search?query=guitar");
      service.get("/api/v1/analytics/platform");
    }
    openPage("dashboard");
    List<String> names =
        List.of("memory", "hit-rate", "cache-weight", "throughput", "batch-time", "streams");
    wait(60)
        .until(d -> names.stream().allMatch(name -> filledSeries(name) > 0 && points(name) >= 3));
    assertEquals(4L, filledSeries("memory"), "used, limit, high and critical all drawn");
    for (String family : List.of("videos", "users", "templates", "search", "analytics")) {
      WebElement breaker = testid("breaker-" + family);
      assertEquals("closed", breaker.getDomAttribute("data-state"), family);
      assertTrue(testid("breaker-state-" + family).getText().contains("closed"));
    }
    assertEquals("UP", testid("health-status").getText());
    screenshot("dashboard");

    browser.manage().window().setSize(new Dimension(390, 844));
    try {
      wait(30)
          .until(d -> ((Number) js("return window.sluice.charts.memory.width;")).intValue() <= 390);
      assertTrue(
          ((Number) js("return document.documentElement.scrollWidth;")).intValue() <= 400,
          "nothing wider than the phone's screen");
      screenshot("dashboard-phone");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  @Test
  @Order(13)
  @DisplayName(
      "dashboard: opened straight from its link on a phone, its top is below the header, not under it")
  void opensBelowTheHeaderOnAPhone() throws Exception {
    browser.manage().window().setSize(new Dimension(390, 844));
    try {
      browser.get("about:blank");
      browser.get(base + "/#dashboard");
      wait(30).until(d -> "dashboard".equals(js("return window.sluice && window.sluice.page;")));
      // once the charts are in, the page is long enough to scroll
      wait(60)
          .until(
              d ->
                  filledSeries("memory") > 0
                      && ((Number)
                                  js(
                                      "return document.documentElement.scrollHeight"
                                          + " - innerHeight;"))
                              .intValue()
                          > 200);
      js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));");
      double headerBottom =
          ((Number)
                  js("return document.querySelector('header.top').getBoundingClientRect().bottom;"))
              .doubleValue();
      double pageTop =
          ((Number)
                  js("return arguments[0].getBoundingClientRect().top;", testid("page-dashboard")))
              .doubleValue();
      assertTrue(
          pageTop >= headerBottom - 0.5,
          "the dashboard's first line (top "
              + pageTop
              + ") is below the header "
              + "(bottom "
              + headerBottom
              + "), scrolled "
              + js("return scrollY;"));
      assertTrue(testid("health-status").isDisplayed());
      screenshot("dashboard-phone-link");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 900));
    }
  }

  // ---- API ----

  @Test
  @Order(14)
  @DisplayName(
      "API: Swagger UI lists every path and method of /openapi.json, and Try it out runs a GET")
  void listsTheApi() throws Exception {
    JsonObject document = service.getJson("/openapi.json");
    Set<String> expected = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths", new JsonObject());
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace")
            .contains(method)) {
          expected.add(method.toUpperCase() + " " + path);
        }
      }
    }
    assertTrue(
        expected.size() >= 30, "the document describes the gateway's operations: " + expected);
    openPage("api");
    wait(60).until(d -> "true".equals(testid("swagger").getDomAttribute("data-ready")));
    wait(30).until(d -> operations().size() >= expected.size());
    assertEquals(expected, operations(), "every operation of the document, and only those");
    tryItOut(paths);
    screenshot("api");
  }

  /** Expands a GET without parameters, clicks Try it out and Execute, and waits for its 200. */
  private void tryItOut(JsonObject paths) {
    String path =
        paths.fieldNames().stream()
            .sorted()
            .filter(p -> !p.contains("{") && paths.getJsonObject(p).containsKey("get"))
            .filter(
                p ->
                    paths
                        .getJsonObject(p)
                        .getJsonObject("get")
                        .getJsonArray("parameters", new JsonArray())
                        .stream()
                        .noneMatch(
                            parameter -> ((JsonObject) parameter).getBoolean("required", false)))
            .min(
                (a, b) -> Boolean.compare(!a.equals("/api/v1/videos"), !b.equals("/api/v1/videos")))
            .orElseThrow(
                () -> new AssertionError("no GET without required parameters in /openapi.json"));
    WebElement block =
        browser.findElements(By.cssSelector(".opblock.opblock-get")).stream()
            .filter(
                b ->
                    path.equals(
                        b.findElement(By.cssSelector(".opblock-summary-path"))
                            .getDomAttribute("data-path")))
            .findFirst()
            .orElseThrow();
    js("arguments[0].scrollIntoView({block: 'center'});", block);
    click(block.findElement(By.cssSelector(".opblock-summary-control, .opblock-summary")));
    wait(30).until(d -> !block.findElements(By.cssSelector(".try-out__btn")).isEmpty());
    click(block.findElement(By.cssSelector(".try-out__btn")));
    wait(30).until(d -> !block.findElements(By.cssSelector(".execute")).isEmpty());
    click(block.findElement(By.cssSelector(".execute")));
    wait(30)
        .until(
            d ->
                block
                    .findElements(By.cssSelector(".live-responses-table .response-col_status"))
                    .stream()
                    .anyMatch(e -> e.getText().trim().startsWith("200")));
    LOG.info("Try it out: GET {} answered 200", path);
  }

  // ---- the page ----

  @Test
  @Order(15)
  @DisplayName(
      "page: a first visit asks the server for nothing it does not have, the page's icon included")
  void asksForNothingMissing() {
    // a browser that has never seen the console: one that has remembers its icon (or that it had
    // none) and does
    // not ask again; its network events (Chrome's performance log) list every URL asked and its
    // status
    ChromeOptions options = new ChromeOptions();
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.setExperimentalOption(
        "perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
    ChromeDriver fresh = newBrowser(options);
    try {
      fresh.get(base + "/");
      Map<String, Integer> answered = new TreeMap<>();
      // the icon is asked for last, once the page has loaded: until then the visit is not over
      new WebDriverWait(fresh, Duration.ofSeconds(30), Duration.ofMillis(100))
          .withMessage(() -> "the browser asked for an icon: " + answered)
          .until(
              d -> {
                answered.putAll(responses(fresh));
                return answered.keySet().stream().anyMatch(url -> url.contains("favicon"))
                    && fresh.findElements(By.cssSelector("[data-testid=user-row][data-id]")).size()
                        > 0;
              });
      answered.putAll(responses(fresh));
      Map<String, Integer> failed = new TreeMap<>(answered);
      failed.values().removeIf(status -> status < 400);
      assertEquals(Map.of(), failed, "every URL the console asked for answered: " + answered);
    } finally {
      fresh.quit();
    }
  }

  // ---- helpers ----

  /**
   * The URL and status of every response a browser received since the last call (Chrome's
   * performance log).
   */
  private static Map<String, Integer> responses(WebDriver browser) {
    Map<String, Integer> answered = new TreeMap<>();
    for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
      JsonObject message = new JsonObject(entry.getMessage()).getJsonObject("message");
      if ("Network.responseReceived".equals(message.getString("method"))) {
        JsonObject response = message.getJsonObject("params").getJsonObject("response");
        answered.put(response.getString("url"), response.getInteger("status"));
      }
    }
    return answered;
  }

  /** Jumps the explorer to a row with its jump box. */
  private static void jumpTo(long row) {
    testid("jump-input").clear();
    testid("jump-input").sendKeys(String.valueOf(row));
    click(testid("jump-go"));
  }

  /** Whether an element lies inside the explorer's viewport. */
  private static boolean inView(WebElement element) {
    return Boolean.TRUE.equals(
        js(
            "const v = arguments[0].getBoundingClientRect(), r = arguments[1]"
                + ".getBoundingClientRect(); return r.top >= v.top - 1 && r.bottom <= v.bottom + 1;",
            testid("user-viewport"),
            element));
  }

  private static double height(WebElement element) {
    return ((Number) js("return arguments[0].getBoundingClientRect().height;", element))
        .doubleValue();
  }

  /** A number as the console writes it (en-US: 4,627). */
  private static String grouped(long n) {
    return String.format(Locale.US, "%,d", n);
  }

  /** The client's rows/s as the Streams page shows it. */
  private static long rate() {
    return Long.parseLong(testid("stream-rate").getText().replace(",", ""));
  }

  /**
   * Waits for the Streams page's next `n` samples (one a second) of /metrics and of its own row
   * count.
   */
  private static void waitForPolls(int n) {
    for (int i = 0; i < n; i++) {
      double before = lastPoll();
      wait(10).until(d -> lastPoll() > before);
    }
  }

  private static double lastPoll() {
    return ((Number)
            js(
                "const x = window.sluice.charts.stream.data[0]; return x.length ? x[x.length - 1] : 0;"))
        .doubleValue();
  }

  /** How many rows the explorer's viewport shows at once. */
  private static int rowsInView() {
    Number rows =
        (Number)
            js(
                "const v = arguments[0]; const row = document.querySelector('[data-testid=user-row]');"
                    + "return Math.ceil(v.clientHeight / row.offsetHeight) + 1;",
                testid("user-viewport"));
    return rows.intValue();
  }

  /** The index of the topmost user row the viewport shows. */
  private static int firstRowInView() {
    Number top =
        (Number)
            js(
                "const v = arguments[0].getBoundingClientRect().top;"
                    + "const row = [...document.querySelectorAll('[data-testid=user-row]')]"
                    + ".filter(r => r.getBoundingClientRect().bottom > v + 1)"
                    + ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];"
                    + "return Number(row.dataset.index);",
                testid("user-viewport"));
    return top.intValue();
  }

  private static void openPage(String page) {
    String url = browser.getCurrentUrl();
    if (url == null || !url.startsWith(base)) {
      browser.get(base + "/#" + page);
    } else {
      js("location.hash = arguments[0];", page);
    }
    wait(30).until(d -> page.equals(js("return window.sluice && window.sluice.page;")));
  }

  /** Clicks an element once it is in the middle of the screen (the sticky header hides the top). */
  /**
   * Clicks the user row at {@code index}, found afresh until the click lands (the explorer rebuilds
   * its rows when a window's data arrives, which makes an element found a moment before stale), and
   * says what the row was.
   */
  private static Map<String, String> clickUserRow(int index) {
    return wait(30)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              WebElement row =
                  browser.findElement(
                      By.cssSelector("[data-testid=user-row][data-index='" + index + "']"));
              Map<String, String> attributes = new java.util.HashMap<>();
              attributes.put("data-id", row.getDomAttribute("data-id"));
              attributes.put("data-role", row.getDomAttribute("data-role"));
              click(row);
              return attributes;
            });
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

  private static WebDriverWait wait(int seconds) {
    WebDriverWait wait =
        new WebDriverWait(browser, Duration.ofSeconds(seconds), Duration.ofMillis(100));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  /** [index, id or null] of every user row in the DOM, in DOM order. */
  @SuppressWarnings("unchecked")
  private static List<List<Object>> renderedRows() {
    return (List<List<Object>>)
        js(
            "return [...document.querySelectorAll('[data-testid=user-row]')]"
                + ".map(r => [Number(r.dataset.index), r.dataset.id || null]);");
  }

  private static boolean allLoaded(List<List<Object>> rows) {
    return rows.stream().allMatch(r -> r.get(1) != null);
  }

  /** Waits until the rows in view are loaded and drawn (no placeholder left). */
  private static void waitForRows() {
    wait(30)
        .until(
            d -> {
              List<List<Object>> rows = renderedRows();
              return !rows.isEmpty() && allLoaded(rows);
            });
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(String script) {
    return (List<String>) js(script);
  }

  private static List<String> videoIds() {
    return strings(
        "return [...document.querySelectorAll('[data-testid=video-row]')].map(r => r.dataset.id);");
  }

  private static Set<String> operations() {
    return new TreeSet<>(
        strings(
            "return [...document.querySelectorAll('.opblock')].map(b => "
                + "b.querySelector('.opblock-summary-method').textContent.trim().toUpperCase() + ' ' + "
                + "b.querySelector('.opblock-summary-path').dataset.path);"));
  }

  /** How many of a chart's series (x excluded) hold at least two drawn values. */
  private static long filledSeries(String chart) {
    return ((Number)
            js(
                "const u = window.sluice.charts[arguments[0]]; if (!u) return 0;"
                    + "return u.data.slice(1).filter(s => s.filter(v => v !== null && Number.isFinite(v)).length >= 2).length;",
                chart))
        .longValue();
  }

  private static long points(String chart) {
    return ((Number)
            js(
                "const u = window.sluice.charts[arguments[0]]; return u ? u.data[0].length : 0;",
                chart))
        .longValue();
  }

  private static long number(WebElement element) {
    String value = element.getDomAttribute("data-value");
    return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
  }

  private static List<String> ids(String sql, Object... args) {
    return service.sql(sql, args).stream()
        .map((Function<Row, String>) row -> row.getUUID(0).toString())
        .toList();
  }

  private static double metric(String name, String loader) {
    String prefix = name + "{loader=\"" + loader + "\"";
    for (String line : service.get("/metrics").bodyAsString().split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no " + prefix + "} in /metrics");
  }

  private static double serverRows() {
    return metric("sluice_stream_rows_total", "videos");
  }

  private static double activeStreams() {
    return metric("sluice_streams_active", "videos");
  }

  /** The server's rows streamed once they stopped rising (the same for a second), within 30 s. */
  private static double stableServerRows() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    double last = serverRows();
    long since = System.currentTimeMillis();
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      double now = serverRows();
      if (now != last) {
        last = now;
        since = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - since >= 1000) {
        return now;
      }
    }
    throw new AssertionError(
        "the server's rows streamed kept rising while the reader was paused: " + last);
  }

  private static void screenshot(String name) throws Exception {
    // let the last frame paint (charts, fonts) before the shot
    js("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));");
    Path file = SCREENSHOTS.resolve(name + ".png");
    Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    LOG.info("screenshot {}", file.toAbsolutePath());
  }
}
