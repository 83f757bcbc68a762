package dev.sluice.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EndToEnd
@DisplayName("The demo-data generator")
class SeederTest {

  /** The row counts of the tiny scale, as the brief fixes them. */
  private static final Map<String, Long> TINY = tinyCounts();

  private static Vertx vertx;
  private static Pool pool;
  private static SeedSummary summary;
  private static Recording progress;
  private static Map<String, String> fingerprint;

  @BeforeAll
  static void seedTiny() {
    vertx = Vertx.vertx();
    pool = TestDatabase.pool(vertx);
    // The shared test database was seeded when it started; seed again here so that this class sees
    // exactly what
    // a run produces, whatever other test classes changed before it.
    progress = new Recording();
    summary = new Seeder(pool, progress).seed(SeedScale.TINY).timeout(2, TimeUnit.MINUTES).await();
    fingerprint = fingerprint();
  }

  @AfterAll
  static void close() {
    if (pool != null) {
      pool.close().timeout(2, TimeUnit.MINUTES).await();
    }
    if (vertx != null) {
      vertx.close().timeout(2, TimeUnit.MINUTES).await();
    }
  }

  @Test
  @DisplayName(
      "users and videos are stored in the order they were created, as tables filled over time are")
  void storedInCreationOrder() {
    for (String table : List.of("users", "videos")) {
      double correlation =
          pool.query(
                  "SELECT correlation FROM pg_stats WHERE tablename = '"
                      + table
                      + "' AND attname = 'created_at'")
              .execute()
              .timeout(2, TimeUnit.MINUTES)
              .await()
              .iterator()
              .next()
              .getDouble(0);
      assertTrue(correlation > 0.99, table + " correlation " + correlation);
    }
  }

  @Test
  @DisplayName("fills every table with the row counts of the tiny scale")
  void tinyRowCounts() {
    for (Map.Entry<String, Long> expected : TINY.entrySet()) {
      assertEquals(
          expected.getValue(),
          count("SELECT count(*) FROM " + expected.getKey()),
          expected.getKey());
      assertEquals(
          expected.getValue(),
          summary.rows().get(expected.getKey()),
          "summary of " + expected.getKey());
    }
    long terms = count("SELECT count(*) FROM search_terms");
    assertTrue(terms > 100, "search terms: " + terms);
    assertEquals(terms, summary.rows().get("search_terms"));
    assertEquals(
        List.copyOf(Seeder.TABLES),
        List.copyOf(summary.rows().keySet()),
        "tables in the order filled");
    assertTrue(summary.took().compareTo(Duration.ZERO) > 0);
  }

  @Test
  @DisplayName("reports progress for every table, ending each at its full count")
  void reportsProgress() {
    List<String> finished =
        progress.events.stream().filter(e -> e.startsWith("finished ")).toList();
    List<String> expected = new ArrayList<>();
    for (String table : Seeder.TABLES) {
      expected.add("finished " + table + " " + summary.rows().get(table));
    }
    expected.add(
        "finished "
            + Seeder.INDEXES
            + " "
            + count(
                """
        SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()
          AND tablename IN ('users', 'videos', 'video_events', 'user_sessions', 'templates', 'template_assets',
                            'performance_metrics', 'error_logs', 'search_terms')
          AND indexname NOT LIKE '%pkey'"""));
    expected.add("finished " + Seeder.CLUSTER + " 2");
    assertEquals(expected, finished);
    for (Map.Entry<String, Long> table : TINY.entrySet()) {
      assertTrue(
          progress.events.contains("update " + table.getKey() + " 0/" + table.getValue()),
          table.getKey());
      assertTrue(
          progress.events.contains(
              "update " + table.getKey() + " " + table.getValue() + "/" + table.getValue()),
          table.getKey());
    }
  }

  @Test
  @DisplayName(
      "keeps every reference valid: no orphans, five assets per template, owners are creators")
  void referentialIntegrity() {
    Map<String, String> checks = new LinkedHashMap<>();
    checks.put(
        "videos without their owner",
        "SELECT count(*) FROM videos v LEFT JOIN users u ON u.id = v.user_id WHERE u.id IS NULL");
    checks.put(
        "events without their video",
        "SELECT count(*) FROM video_events e LEFT JOIN videos v ON v.id = e.video_id WHERE v.id IS NULL");
    checks.put(
        "events of an unknown user",
        "SELECT count(*) FROM video_events e LEFT JOIN users u ON u.id = e.user_id "
            + "WHERE e.user_id IS NOT NULL AND u.id IS NULL");
    checks.put(
        "sessions without their user",
        "SELECT count(*) FROM user_sessions s LEFT JOIN users u ON u.id = s.user_id WHERE u.id IS NULL");
    checks.put(
        "templates of an unknown user",
        "SELECT count(*) FROM templates t LEFT JOIN users u ON u.id = t.user_id "
            + "WHERE t.user_id IS NOT NULL AND u.id IS NULL");
    checks.put(
        "assets without their template",
        "SELECT count(*) FROM template_assets a LEFT JOIN templates t ON t.id = a.template_id WHERE t.id IS NULL");
    checks.put(
        "templates without exactly positions 1..5",
        """
        SELECT count(*) FROM templates t
        LEFT JOIN (SELECT template_id, count(*) AS n, min(position) AS lo, max(position) AS hi,
                          count(DISTINCT position) AS distinct_positions
                   FROM template_assets GROUP BY template_id) a ON a.template_id = t.id
        WHERE a.n IS DISTINCT FROM 5 OR a.lo <> 1 OR a.hi <> 5 OR a.distinct_positions <> 5""");
    checks.put(
        "videos owned by a non-creator",
        "SELECT count(*) FROM videos v JOIN users u ON u.id = v.user_id WHERE u.role <> 'creator'");
    checks.put(
        "templates owned by a non-creator",
        "SELECT count(*) FROM templates t JOIN users u ON u.id = t.user_id WHERE u.role <> 'creator'");
    checks.put(
        "events on videos nobody can watch",
        "SELECT count(*) FROM video_events e JOIN videos v "
            + "ON v.id = e.video_id WHERE v.status NOT IN ('ready', 'archived')");
    checks.put(
        "ids that are not md5 of the row number",
        "SELECT (SELECT count(*) FROM users WHERE id = md5('user-1')::uuid) + (SELECT count(*) FROM videos "
            + "WHERE id = md5('video-2000')::uuid) + (SELECT count(*) FROM templates WHERE id = md5('template-100')::uuid)"
            + " + (SELECT count(*) FROM template_assets WHERE id = md5('asset-500')::uuid)"
            + " + (SELECT count(*) FROM user_sessions WHERE id = md5('session-3000')::uuid)"
            + " + (SELECT count(*) FROM error_logs WHERE id = md5('error-2000')::uuid) - 6");
    checks.forEach((what, sql) -> assertEquals(0L, count(sql), what));
    assertTrue(
        count("SELECT count(*) FROM templates WHERE user_id IS NULL") > 0,
        "some templates are the platform's");
    assertTrue(
        count("SELECT count(*) FROM video_events WHERE user_id IS NULL") > 0,
        "some viewers are anonymous");
    assertTrue(
        count("SELECT max(n) FROM (SELECT count(*) AS n FROM videos GROUP BY user_id) x") >= 20,
        "some channels have many videos");
  }

  @Test
  @DisplayName(
      "never dates a child before its parent: videos after owners, events after videos, assets after templates")
  void timeOrder() {
    Map<String, String> checks = new LinkedHashMap<>();
    checks.put(
        "videos before their owner signed up",
        "SELECT count(*) FROM videos v JOIN users u ON u.id = v.user_id WHERE v.created_at < u.created_at");
    checks.put(
        "events before their video",
        "SELECT count(*) FROM video_events e JOIN videos v ON v.id = e.video_id WHERE e.occurred_at < v.created_at");
    checks.put(
        "events before their viewer signed up",
        "SELECT count(*) FROM video_events e JOIN users u ON u.id = e.user_id WHERE e.occurred_at < u.created_at");
    checks.put(
        "sessions before their user signed up",
        "SELECT count(*) FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.started_at < u.created_at");
    checks.put(
        "sessions ending before they start",
        "SELECT count(*) FROM user_sessions WHERE ended_at <= started_at");
    checks.put(
        "sessions longer than 3 hours or shorter than a minute",
        "SELECT count(*) FROM user_sessions "
            + "WHERE ended_at - started_at NOT BETWEEN interval '1 minute' AND interval '3 hours 1 second'");
    checks.put(
        "templates before their owner signed up",
        "SELECT count(*) FROM templates t JOIN users u ON u.id = t.user_id WHERE t.created_at < u.created_at");
    checks.put(
        "assets before their template",
        "SELECT count(*) FROM template_assets a "
            + "JOIN templates t ON t.id = a.template_id WHERE a.created_at < t.created_at");
    checks.put(
        "logins before sign-up", "SELECT count(*) FROM users WHERE last_login_at < created_at");
    checks.forEach((what, sql) -> assertEquals(0L, count(sql), what));
  }

  @Test
  @DisplayName("never dates anything in the future, and keeps each table within its time window")
  void timeWindows() {
    Map<String, Integer> windows = new LinkedHashMap<>();
    windows.put("users.created_at", 720);
    windows.put("users.last_login_at", 720);
    windows.put("videos.created_at", 360);
    windows.put("video_events.occurred_at", 90);
    windows.put("user_sessions.started_at", 90);
    windows.put("user_sessions.ended_at", 90);
    windows.put("templates.created_at", 360);
    windows.put("template_assets.created_at", 360);
    windows.put("performance_metrics.recorded_at", 7);
    windows.put("error_logs.occurred_at", 30);
    windows.forEach(
        (column, days) -> {
          String table = column.substring(0, column.indexOf('.'));
          String col = column.substring(column.indexOf('.') + 1);
          assertEquals(
              0L,
              count("SELECT count(*) FROM " + table + " WHERE " + col + " > now()"),
              column + " in the future");
          assertEquals(
              0L,
              count(
                  "SELECT count(*) FROM "
                      + table
                      + " WHERE "
                      + col
                      + " < now() - interval '"
                      + days
                      + " days'"),
              column + " older than " + days + " days");
        });
    // Denser recently: more videos in the last 90 days than in the 90 days a year back.
    assertTrue(
        count("SELECT count(*) FROM videos WHERE created_at > now() - interval '90 days'")
            > 2
                * count(
                    "SELECT count(*) FROM videos WHERE created_at <= now() - interval '270 days'"),
        "videos skew recent");
    assertTrue(
        count("SELECT count(*) FROM users WHERE created_at > now() - interval '180 days'")
            > count("SELECT count(*) FROM users WHERE created_at <= now() - interval '540 days'"),
        "sign-ups skew recent");
  }

  @Test
  @DisplayName(
      "covers every role, status, category, event type, device, asset type and severity in plausible mixes")
  void mixes() {
    assertEquals(Set.of("admin", "creator", "viewer"), values("SELECT DISTINCT role FROM users"));
    assertBetween(0.01, 0.04, share("users", "role = 'admin'"), "admins");
    assertBetween(0.22, 0.34, share("users", "role = 'creator'"), "creators");
    assertBetween(0.85, 0.97, share("users", "is_active"), "active users");

    assertEquals(
        Set.of("draft", "processing", "ready", "failed", "archived"),
        values("SELECT DISTINCT status FROM videos"));
    assertBetween(0.75, 0.85, share("videos", "status = 'ready'"), "ready videos");
    assertEquals(
        Set.of(
            "music",
            "gaming",
            "education",
            "sports",
            "news",
            "comedy",
            "travel",
            "cooking",
            "technology",
            "lifestyle"),
        values("SELECT DISTINCT category FROM videos"));
    assertTrue(
        count("SELECT count(*) FROM videos WHERE category = 'music'")
            > 2 * count("SELECT count(*) FROM videos WHERE category = 'news'"),
        "the category mix is skewed");
    assertEquals(
        0L, count("SELECT count(*) FROM videos WHERE duration_seconds NOT BETWEEN 10 AND 10800"));
    assertTrue(
        count("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY duration_seconds) FROM videos")
            < 1800,
        "durations skew short");

    assertEquals(
        Set.of("view", "watch", "like", "share"),
        values("SELECT DISTINCT event_type FROM video_events"));
    assertBetween(0.65, 0.75, share("video_events", "event_type = 'view'"), "views among events");
    assertEquals(
        0L,
        count(
            "SELECT count(*) FROM video_events WHERE (event_type = 'watch') <> (watch_seconds > 0)"),
        "watch_seconds > 0 exactly for watch events");

    assertEquals(
        Set.of("web", "ios", "android", "tv"), values("SELECT DISTINCT device FROM user_sessions"));
    assertTrue(values("SELECT DISTINCT country FROM user_sessions").size() >= 8, "countries");
    assertBetween(0.02, 0.15, share("user_sessions", "ended_at IS NULL"), "open sessions");

    assertEquals(
        Set.of("intro", "outro", "social", "business", "education", "gaming", "music", "holiday"),
        values("SELECT DISTINCT category FROM templates"));
    assertBetween(0.75, 0.95, share("templates", "is_public"), "public templates");
    assertEquals(
        Set.of("image", "video", "audio", "font", "overlay"),
        values("SELECT DISTINCT asset_type FROM template_assets"));
    assertEquals(
        0L,
        count(
            "SELECT count(*) FROM template_assets "
                + "WHERE url NOT LIKE 'https://cdn.example.com/assets/' || id || '.%' OR size_bytes <= 0"));

    Set<String> components =
        Set.of(
            "gateway",
            "videos-loader",
            "users-loader",
            "analytics-loader",
            "templates-loader",
            "search-loader",
            "database");
    assertEquals(components, values("SELECT DISTINCT component FROM performance_metrics"));
    assertEquals(
        Set.of("latency_ms", "throughput_rps", "error_rate", "cpu_percent", "memory_mb"),
        values("SELECT DISTINCT metric FROM performance_metrics"));
    assertEquals(
        0L,
        count(
            "SELECT count(*) FROM performance_metrics WHERE value < 0 "
                + "OR (metric = 'cpu_percent' AND value > 100) OR (metric = 'error_rate' AND value > 1)"));

    assertEquals(
        Set.of("debug", "info", "warning", "error", "critical"),
        values("SELECT DISTINCT severity FROM error_logs"));
    assertBetween(0.02, 0.08, share("error_logs", "severity = 'critical'"), "critical errors");
    assertEquals(components, values("SELECT DISTINCT component FROM error_logs"));
    assertEquals(
        0L,
        count("SELECT count(*) FROM error_logs WHERE message LIKE '%{%'"),
        "placeholders filled in");
  }

  @Test
  @DisplayName(
      "makes views heavy-tailed, likes a few percent of views, and events busiest in the evening (UTC)")
  void shapes() {
    long max = count("SELECT max(view_count) FROM videos");
    long median =
        count(
            "SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY view_count) FROM videos "
                + "WHERE status IN ('ready', 'archived')");
    assertTrue(max > 50 * Math.max(1, median), "max " + max + " vs median " + median);
    assertEquals(
        0L,
        count(
            "SELECT count(*) FROM videos WHERE status NOT IN ('ready', 'archived') AND view_count > 0"));
    double likes =
        count("SELECT sum(like_count) FROM videos")
            / (double) count("SELECT sum(view_count) FROM videos");
    assertBetween(0.01, 0.07, likes, "likes per view");
    // The most viewed videos also draw the most events.
    assertTrue(
        count(
                """
        SELECT count(*) FROM video_events
        WHERE video_id IN (SELECT id FROM videos ORDER BY view_count DESC LIMIT 20)""")
            > count("SELECT count(*) FROM video_events") / 10,
        "popular videos draw many events");

    long evening =
        count(
            "SELECT count(*) FROM video_events WHERE extract(hour FROM occurred_at) BETWEEN 18 AND 22");
    long morning =
        count(
            "SELECT count(*) FROM video_events WHERE extract(hour FROM occurred_at) BETWEEN 5 AND 9");
    assertTrue(evening > 2 * morning, "evening " + evening + " vs morning " + morning);
    assertTrue(
        count("SELECT count(DISTINCT occurred_at::date) FROM video_events") >= 85,
        "events on most days");
  }

  @Test
  @DisplayName("lets full-text search and prefix suggestions find the topic words")
  void search() {
    assertTrue(count("SELECT count(*) FROM search_terms") >= 40);
    assertEquals(
        0L,
        count("SELECT count(*) FROM search_terms WHERE term !~ '^[a-z]{3,}$' OR frequency < 1"));
    assertTrue(
        count(
                "SELECT count(*) FROM search_terms WHERE term IN ('sourdough', 'guitar', 'kyoto', 'retro')")
            == 4,
        "topic words of titles and template names are terms");
    assertTrue(
        count(
                "SELECT count(*) FROM videos WHERE search_vector @@ websearch_to_tsquery('english', 'sourdough')")
            > 0);
    assertTrue(
        count(
                "SELECT count(*) FROM videos "
                    + "WHERE search_vector @@ websearch_to_tsquery('english', 'guitar riffs for beginners')")
            > 0);
    assertTrue(
        count(
                "SELECT count(*) FROM templates WHERE search_vector @@ websearch_to_tsquery('english', 'retro')")
            > 0);
    assertTrue(
        count("SELECT count(*) FROM search_terms WHERE term LIKE 'gui%'") >= 2, "guitar, guide");
    assertEquals(
        count("SELECT count(*) FROM videos WHERE lower(title) ~ '\\msourdough\\M'"),
        count("SELECT frequency FROM search_terms WHERE term = 'sourdough'"),
        "frequency counts title words");
    assertTrue(
        count("SELECT count(DISTINCT title) FROM videos")
            > count("SELECT count(*) FROM videos") / 2,
        "titles vary");
  }

  @Test
  @DisplayName("produces the same data when seeded again over existing data")
  void deterministic() {
    String titles = text("SELECT md5(string_agg(title, ',' ORDER BY id)) FROM videos");
    SeedSummary again =
        new Seeder(pool, Progress.none()).seed(SeedScale.TINY).timeout(2, TimeUnit.MINUTES).await();
    assertEquals(summary.rows(), again.rows());
    assertEquals(titles, text("SELECT md5(string_agg(title, ',' ORDER BY id)) FROM videos"));
    assertEquals(fingerprint, fingerprint());
  }

  @Test
  @DisplayName(
      "tells an empty database from a seeded one, and seeds a wiped database to the same data")
  void emptyAndRerun() {
    assertFalse(Seeder.isEmpty(pool).timeout(2, TimeUnit.MINUTES).await());
    pool.query("TRUNCATE " + String.join(", ", Seeder.TABLES) + " RESTART IDENTITY CASCADE")
        .execute()
        .timeout(2, TimeUnit.MINUTES)
        .await();
    assertTrue(Seeder.isEmpty(pool).timeout(2, TimeUnit.MINUTES).await());
    SeedSummary again =
        new Seeder(pool, Progress.none()).seed(SeedScale.TINY).timeout(2, TimeUnit.MINUTES).await();
    assertFalse(Seeder.isEmpty(pool).timeout(2, TimeUnit.MINUTES).await());
    assertEquals(summary.rows(), again.rows());
    assertEquals(fingerprint, fingerprint());
  }

  @Test
  @DisplayName("keeps every index of the schema after seeding")
  void indexesKept() {
    // The seeder drops secondary indexes for the load and rebuilds them in the same transaction.
    Set<String> indexes =
        values("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()");
    for (String name :
        List.of(
            "videos_search_idx",
            "videos_created_idx",
            "video_events_video_time_idx",
            "video_events_time_type_idx",
            "users_role_active_created_idx",
            "search_terms_trgm_idx",
            "search_terms_prefix_idx",
            "templates_search_idx",
            "template_assets_template_position_idx",
            "error_logs_severity_time_idx",
            "performance_metrics_component_time_idx",
            "user_sessions_started_idx")) {
      assertTrue(indexes.contains(name), name);
    }
    assertEquals(
        0L, count("SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "all indexes valid");
  }

  @Test
  @DisplayName("parses scale names in any case and names the allowed ones when it cannot")
  void scales() {
    assertEquals(SeedScale.TINY, SeedScale.parse("tiny"));
    assertEquals(SeedScale.MEDIUM, SeedScale.parse("Medium"));
    assertEquals(SeedScale.LARGE, SeedScale.parse("LARGE"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SeedScale.parse("huge"));
    assertTrue(e.getMessage().contains("tiny, small, medium, large"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SeedScale.parse(null));

    assertEquals(1_200_000, SeedScale.MEDIUM.users());
    assertEquals(10_000_000, SeedScale.MEDIUM.videoEvents());
    SeedScale m = SeedScale.MEDIUM;
    SeedScale l = SeedScale.LARGE;
    assertEquals(
        List.of(
            10 * m.users(),
            10 * m.videos(),
            10 * m.videoEvents(),
            10 * m.userSessions(),
            10 * m.templates(),
            10 * m.templateAssets(),
            10 * m.performanceMetrics(),
            10 * m.errorLogs()),
        List.of(
            l.users(),
            l.videos(),
            l.videoEvents(),
            l.userSessions(),
            l.templates(),
            l.templateAssets(),
            l.performanceMetrics(),
            l.errorLogs()));
  }

  @Test
  @DisplayName("draws a terminal progress bar redrawn in place, with one final line per table")
  void terminalProgress() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress terminal = Progress.terminal(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    terminal.update("videos", 0, 1_000_000);
    Thread.sleep(100);
    terminal.update("videos", 420_000, 1_000_000);
    terminal.finished("videos", 1_000_000, Duration.ofMillis(11_800));
    String out = bytes.toString(StandardCharsets.UTF_8);
    String[] draws = out.split("\r");
    String middle = draws[2];
    assertTrue(middle.startsWith("videos "), middle);
    assertTrue(middle.contains("[##########.............."), middle);
    assertTrue(middle.contains(" 42%  420,000/1,000,000 rows  "), middle);
    assertTrue(middle.matches(".* [0-9,]+ rows/s  ETA [0-9]+s *"), middle);
    String last = draws[3];
    assertTrue(last.contains("100%  1,000,000 rows in 12s  84,746 rows/s"), last);
    assertTrue(last.endsWith(System.lineSeparator()), "the final line ends the line");
    assertEquals(1, out.split(System.lineSeparator(), -1).length - 1, "one line for the table");
  }

  @Test
  @DisplayName(
      "off a terminal (a log file), progress is one plain line per table, never carriage-return frames")
  void logProgress() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress log = Progress.console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    log.update("videos", 0, 1_000_000);
    log.update("videos", 420_000, 1_000_000);
    log.finished("videos", 1_000_000, Duration.ofMillis(11_800));
    log.update("users", 0, 500);
    log.finished("users", 500, Duration.ofMillis(20));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.indexOf('\r') < 0, out);
    List<String> lines = out.lines().toList();
    assertEquals(2, lines.size(), out);
    assertTrue(
        lines.get(0).startsWith("videos ") && lines.get(0).contains("1,000,000 rows in 12s"),
        lines.get(0));
    assertTrue(lines.get(1).startsWith("users "), lines.get(1));
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static Map<String, Long> tinyCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("users", 300L);
    counts.put("videos", 2_000L);
    counts.put("video_events", 20_000L);
    counts.put("user_sessions", 3_000L);
    counts.put("templates", 100L);
    counts.put("template_assets", 500L);
    counts.put("performance_metrics", 5_000L);
    counts.put("error_logs", 2_000L);
    return Collections.unmodifiableMap(counts);
  }

  /** A digest per table of everything that does not depend on the clock. */
  private static Map<String, String> fingerprint() {
    Map<String, String> columns = new LinkedHashMap<>();
    columns.put("users", "id, username, email, display_name, role, is_active");
    columns.put(
        "videos",
        "id, user_id, title, description, category, status, duration_seconds, view_count, "
            + "like_count");
    columns.put("video_events", "id, video_id, event_type, watch_seconds");
    columns.put("user_sessions", "id, user_id, device, country");
    columns.put("templates", "id, user_id, name, description, category, is_public, usage_count");
    columns.put("template_assets", "id, template_id, name, asset_type, url, size_bytes, position");
    columns.put("performance_metrics", "id, component, metric");
    columns.put("error_logs", "id, severity, component, message");
    columns.put("search_terms", "term, frequency");
    Map<String, String> digests = new LinkedHashMap<>();
    columns.forEach(
        (table, cols) -> {
          String key = table.equals("search_terms") ? "term" : "id";
          digests.put(
              table,
              text(
                  "SELECT md5(string_agg(concat_ws('|', "
                      + cols
                      + "), ',' ORDER BY "
                      + key
                      + ")) FROM "
                      + table));
        });
    return digests;
  }

  private static RowSet<Row> query(String sql) {
    return pool.query(sql).execute().timeout(2, TimeUnit.MINUTES).await();
  }

  private static long count(String sql) {
    Row row = query(sql).iterator().next();
    Object value = row.getValue(0);
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static String text(String sql) {
    return query(sql).iterator().next().getString(0);
  }

  private static Set<String> values(String sql) {
    Set<String> values = new TreeSet<>();
    for (Row row : query(sql)) {
      values.add(row.getString(0));
    }
    return values;
  }

  private static double share(String table, String condition) {
    return count("SELECT count(*) FILTER (WHERE " + condition + ") FROM " + table)
        / (double) count("SELECT count(*) FROM " + table);
  }

  private static void assertBetween(double low, double high, double actual, String what) {
    assertTrue(
        actual >= low && actual <= high,
        what + ": " + actual + " not in [" + low + ", " + high + "]");
  }

  /** Records what a seeding run reports. */
  private static final class Recording implements Progress {
    final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void update(String table, long done, long total) {
      events.add("update " + table + " " + done + "/" + total);
    }

    @Override
    public void finished(String table, long rows, Duration took) {
      events.add("finished " + table + " " + rows);
    }
  }
}
