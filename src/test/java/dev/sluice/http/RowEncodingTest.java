package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The golden test of the two row encodings through every endpoint: two services on one database,
 * one writing rows on the JVM ({@code lazy_loading.row_encoding=jvm}), one letting PostgreSQL write
 * them ({@code postgres}), asked the same requests; the replies are byte for byte equal (there is
 * no whitespace between tokens in either), apart from the cursors, which name the moment they were
 * signed. The database holds rows made to be hard besides the test data: quotes, backslashes, every
 * control character, emoji, NULLs, extreme integers, floats that are NaN or infinite, timestamps
 * with and without fractions of a second. Each is inserted before and deleted after.
 */
@EndToEnd
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@DisplayName("Every endpoint replies the same bytes whether the JVM or PostgreSQL writes the rows")
class RowEncodingTest {

  private static final String MARK = "golden";

  /** Error logs and metrics name a known component; the hard ones are the newest of it. */
  private static final String COMPONENT = "database";

  private static final Pattern CURSORS =
      Pattern.compile("\"(next_cursor|prev_cursor)\":\"[^\"]+\"");

  @Boot(config = "writtenByPostgres")
  static Service postgres;

  @Boot(config = "writtenOnTheJvm")
  static Service jvm;

  static UUID user = UUID.randomUUID();
  static UUID video = UUID.randomUUID();
  static UUID template = UUID.randomUUID();

  static JsonObject writtenByPostgres() {
    return rowEncoding("postgres");
  }

  static JsonObject writtenOnTheJvm() {
    return rowEncoding("jvm");
  }

  private static JsonObject rowEncoding(String encoding) {
    return new JsonObject()
        .put(
            "lazy_loading",
            new JsonObject().put("row_encoding", encoding).put("enable_prefetching", false))
        .put("streaming", new JsonObject().put("checkpoint_every", 50));
  }

  @BeforeAll
  static void insert() {
    insertHardRows();
  }

  @AfterAll
  static void delete() {
    if (jvm != null) {
      deleteHardRows();
    }
  }

  /**
   * Every control character, quotes, backslashes, emoji, non-ASCII, a line separator, a fake
   * escape.
   */
  static final List<String> TEXTS;

  static {
    StringBuilder controls = new StringBuilder();
    for (char c = 1; c < 0x20; c++) {
      controls.append(c);
    }
    TEXTS =
        List.of(
            MARK + " plain",
            MARK + " quote \" and backslash \\ and slash /",
            MARK + " " + controls,
            MARK + " emoji 🎬🚀 ünïcödé 中文 \u2028 \u007f",
            MARK + " tab\there\nnewline\r\n",
            MARK + " \\u0041 not escaped",
            MARK + " 'single' `back`");
  }

  private static void insertHardRows() {
    Service db = jvm;
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    // created_at with no fraction, a half, six digits, trailing zeros, and so on: one per text
    List<String> fractions = List.of("", ".5", ".123456", ".100000", ".000001", ".999999", ".12");
    db.sql(
        "INSERT INTO users (id, username, email, display_name, role, is_active, created_at, last_login_at) "
            + "VALUES ($1, $2, 'g@x', $3, 'viewer', true, now(), NULL)",
        user,
        MARK + "\"user",
        MARK + "\ttab\\name");
    for (int i = 0; i < TEXTS.size(); i++) {
      String at = now.minusSeconds(60L * (i + 1)).toString().replace("Z", fractions.get(i) + "Z");
      long views = i == 0 ? Long.MAX_VALUE : i == 1 ? Long.MIN_VALUE : i;
      UUID id = i == 0 ? video : UUID.randomUUID();
      db.sql(
          "INSERT INTO videos (id, user_id, title, description, category, status, duration_seconds, view_count, "
              + "like_count, created_at) VALUES ($1, $2, $3, $4, 'music', 'ready', $5, $6, $7, $8::text::timestamptz)",
          id,
          user,
          TEXTS.get(i),
          TEXTS.get((i + 1) % TEXTS.size()),
          i == 0 ? Integer.MAX_VALUE : i,
          views,
          i == 0 ? Long.MIN_VALUE : -i,
          at);
      db.sql(
          "INSERT INTO error_logs (id, severity, component, message, occurred_at) VALUES (gen_random_uuid(), "
              + "'error', $1, $2, $3::text::timestamptz)",
          COMPONENT,
          TEXTS.get(i),
          at);
      db.sql(
          "INSERT INTO video_events (video_id, user_id, event_type, watch_seconds, occurred_at) "
              + "VALUES ($1, $2, $3, $4, $5::text::timestamptz)",
          video,
          user,
          List.of("view", "like", "share", "watch").get(i % 4),
          2_000_000_000,
          at);
      db.sql(
          "INSERT INTO user_sessions (id, user_id, started_at, ended_at, device, country) VALUES ($1, $2, "
              + "$3::text::timestamptz, NULL, $4, 'zz')",
          UUID.randomUUID(),
          user,
          at,
          TEXTS.get(i));
    }
    db.sql(
        "INSERT INTO error_logs (id, severity, component, message, occurred_at) VALUES (gen_random_uuid(), "
            + "'info', $1, $2, now() - interval '5 minutes')",
        COMPONENT,
        MARK + " info");
    // videos at the edges of time: first and last of the default order, their keys the cursors'
    // keyset values
    for (String at : List.of("infinity", "-infinity", "0044-03-15 10:00:00.5+00 BC")) {
      db.sql(
          "INSERT INTO videos (id, user_id, title, description, category, status, duration_seconds, view_count, "
              + "like_count, created_at) VALUES ($1, $2, $3, '', 'music', 'ready', 1, 1, 1, $4::text::timestamptz)",
          UUID.randomUUID(),
          user,
          MARK + " at " + at,
          at);
    }
    db.sql(
        "INSERT INTO templates (id, user_id, name, description, category, is_public, usage_count, created_at) "
            + "VALUES ($1, $2, $3, $4, 'music', true, 9223372036854775807, now())",
        template,
        user,
        TEXTS.get(1),
        TEXTS.get(2));
    for (int i = 0; i < 3; i++) {
      db.sql(
          "INSERT INTO template_assets (id, template_id, name, asset_type, url, size_bytes, position) "
              + "VALUES (gen_random_uuid(), $1, $2, 'font', 'https://x/\"a\\\\b', $3, $4)",
          template,
          TEXTS.get(i + 2),
          i == 0 ? Long.MAX_VALUE : i,
          i - 1);
    }
    for (String value :
        List.of(
            "0",
            "-0",
            "1e300",
            "-1e-300",
            "0.1",
            "'NaN'",
            "'Infinity'",
            "'-Infinity'",
            "3.141592653589793",
            "1e16",
            "2.5e-5")) {
      db.sql(
          "INSERT INTO performance_metrics (component, metric, value, recorded_at) VALUES ($1, $2, "
              + value
              + "::float8, now() - interval '10 minutes')",
          COMPONENT,
          TEXTS.get(3));
    }
    db.sql(
        "INSERT INTO search_terms (term, frequency) VALUES ('golden\"te\\\\rm', 9223372036854775807), "
            + "('goldenrod', 3)");
  }

  private static void deleteHardRows() {
    Service db = jvm;
    db.sql("DELETE FROM search_terms WHERE term LIKE 'golden%'");
    db.sql("DELETE FROM performance_metrics WHERE metric = $1", TEXTS.get(3));
    db.sql("DELETE FROM error_logs WHERE message LIKE $1", MARK + "%");
    db.sql("DELETE FROM templates WHERE id = $1", template);
    db.sql("DELETE FROM videos WHERE user_id = $1", user);
    db.sql("DELETE FROM users WHERE id = $1", user);
  }

  /**
   * GETs {@code path} of both services; both 200, and the same bytes apart from the cursors. The
   * reply.
   */
  private static String same(String path) {
    var expected = postgres.get(path);
    var actual = jvm.get(path);
    assertEquals(200, expected.statusCode(), () -> path + ": " + expected.bodyAsString());
    assertEquals(200, actual.statusCode(), () -> path + ": " + actual.bodyAsString());
    String body = expected.bodyAsString();
    assertEquals(withoutCursors(body), withoutCursors(actual.bodyAsString()), path);
    return body;
  }

  private static String withoutCursors(String body) {
    return CURSORS.matcher(body).replaceAll("\"$1\":\"…\"");
  }

  @Test
  @DisplayName("pages, cursor pages, scroll windows, items, batches, time windows and suggestions")
  void replies() {
    Instant now = Instant.now();
    String start =
        now.minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).plusMillis(123).toString();
    String end = now.minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
    String micros =
        now.minus(2, ChronoUnit.HOURS)
            .truncatedTo(ChronoUnit.SECONDS)
            .plusNanos(123_456_000)
            .toString();
    // the replies that must hold a hard row, and those that show the rest of the contract's shapes
    List<String> hard =
        List.of(
            "/api/v1/videos?limit=20",
            "/api/v1/videos?limit=20&sort=-view_count",
            "/api/v1/videos?limit=5&user_id=" + user,
            "/api/v1/videos?limit=5&user_id=" + user + "&sort=title",
            "/api/v1/videos/" + video,
            "/api/v1/videos?ids=" + video + "," + UUID.randomUUID(),
            "/api/v1/videos/popular?days=1&per_page=10",
            "/api/v1/users/" + user + "/videos?per_page=10",
            "/api/v1/users/" + user + "/videos?per_page=3&page=2",
            "/api/v1/users?limit=10&role=viewer",
            "/api/v1/users/" + user,
            "/api/v1/users?ids=" + user,
            "/api/v1/users/range?start_index=0&end_index=10&role=viewer&count=exact",
            "/api/v1/users/" + user + "/sessions",
            "/api/v1/templates?per_page=5",
            "/api/v1/templates/" + template,
            "/api/v1/templates?ids=" + template,
            "/api/v1/templates/" + template + "/assets",
            "/api/v1/analytics/errors?component=" + COMPONENT,
            "/api/v1/analytics/errors?component=" + COMPONENT + "&severity=info",
            "/api/v1/search?query=" + MARK + "&limit=20",
            "/api/v1/search?query=" + MARK + "&type=template",
            "/api/v1/search/suggestions?query=" + MARK);
    List<String> shapes =
        List.of(
            "/api/v1/videos?limit=3&count=exact",
            "/api/v1/videos?limit=3&count=estimated",
            "/api/v1/users/range?start_index=5&end_index=9",
            "/api/v1/templates?per_page=3&page=2&count=exact",
            "/api/v1/videos/" + video + "/analytics",
            "/api/v1/videos/" + video + "/analytics?bucket=1h&start=" + start + "&end=" + end,
            "/api/v1/videos/" + video + "/analytics?bucket=5m&start=" + micros + "&end=" + end,
            "/api/v1/users/analytics?bucket=1h&start=" + start + "&end=" + end,
            "/api/v1/analytics/platform?bucket=1h&metrics=users,videos,views,sessions,errors&start_date="
                + start
                + "&end_date="
                + end,
            "/api/v1/analytics/reports/error_rate?bucket=1h&start_date="
                + start
                + "&end_date="
                + end,
            "/api/v1/analytics/reports/watch_time?bucket=1h&start_date="
                + start
                + "&end_date="
                + end,
            "/api/v1/analytics/reports/daily_active_users",
            "/api/v1/analytics/reports/videos_created?bucket=1h&start_date="
                + start
                + "&end_date="
                + end);
    for (String path : hard) {
      String body = same(path);
      assertTrue(body.contains(MARK), () -> path + " shows a hard row: " + body);
    }
    List<String> failures = new ArrayList<>();
    for (String path : shapes) {
      String body = same(path);
      if (new JsonObject(body).getJsonArray("data").isEmpty()) {
        failures.add(path);
      }
    }
    assertEquals(List.of(), failures, "replies with rows");
    String events =
        same("/api/v1/videos/" + video + "/analytics?bucket=1h&start=" + start + "&end=" + end);
    assertTrue(events.contains("\"watch_seconds\":2000000000}"), events);
    String errorRate =
        same(
            "/api/v1/analytics/reports/error_rate?bucket=1h&start_date="
                + start
                + "&end_date="
                + end);
    assertTrue(
        Pattern.compile("\"error_rate\":[01]\\.\\d{4}[,}]").matcher(errorRate).find(),
        () -> "a numeric measure as PostgreSQL writes it, with its scale: " + errorRate);
  }

  @Test
  @DisplayName("cursor pages further on, forward and backward, with the other encoding's cursors")
  void walks() {
    JsonObject first = new JsonObject(same("/api/v1/videos?limit=3"));
    String next = first.getString("next_cursor");
    JsonObject second = new JsonObject(same("/api/v1/videos?limit=3&cursor=" + next));
    same("/api/v1/videos?limit=3&cursor=" + second.getString("prev_cursor"));
    same(
        "/api/v1/videos?limit=3&cursor="
            + jvm.getJson("/api/v1/videos?limit=3").getString("next_cursor"));
    // one row a page from the start: the first key is infinity, and back again
    String cursor = new JsonObject(same("/api/v1/videos?limit=1")).getString("next_cursor");
    JsonObject after = new JsonObject(same("/api/v1/videos?limit=1&cursor=" + cursor));
    assertEquals(1, after.getJsonArray("data").size());
    same("/api/v1/videos?limit=1&cursor=" + after.getString("prev_cursor"));
    // and to the end of the oldest first: the last keys are -infinity and a year BC
    JsonObject oldest = new JsonObject(same("/api/v1/videos?limit=1&sort=created_at"));
    assertTrue(
        oldest.getJsonArray("data").getJsonObject(0).getString("created_at").equals("-infinity"),
        oldest::encode);
    JsonObject bc =
        new JsonObject(
            same(
                "/api/v1/videos?limit=1&sort=created_at&cursor="
                    + oldest.getString("next_cursor")));
    assertTrue(
        bc.getJsonArray("data").getJsonObject(0).getString("created_at").endsWith(" BC"),
        bc::encode);
    same("/api/v1/videos?limit=2&sort=created_at&cursor=" + bc.getString("next_cursor"));
    JsonObject errors =
        new JsonObject(same("/api/v1/analytics/errors?limit=2&component=" + COMPONENT));
    same(
        "/api/v1/analytics/errors?limit=2&component="
            + COMPONENT
            + "&cursor="
            + errors.getString("next_cursor"));
    JsonObject search = new JsonObject(same("/api/v1/search?limit=2&query=" + MARK));
    same("/api/v1/search?limit=2&query=" + MARK + "&cursor=" + search.getString("next_cursor"));
  }

  @Test
  @DisplayName("each service writes the rows the way it is set to: the JVM's sends no row_to_json")
  void encodings() {
    jvm.resetStatements();
    same("/api/v1/videos?limit=7&sort=title&status=draft");
    assertEquals(1, jvm.calls("row_to_json", "ORDER BY d.title"), "PostgreSQL wrote the rows once");
    assertEquals(
        2, jvm.calls("FROM public.videos d", "ORDER BY d.title"), "one query by each service");
  }

  private static List<String> items(Service service, String path) {
    var response = service.get(path);
    assertEquals(200, response.statusCode(), response::bodyAsString);
    return response
        .bodyAsString()
        .lines()
        .filter(line -> !line.startsWith("{\"_checkpoint\""))
        .toList();
  }

  @Test
  @DisplayName("every stream endpoint, with filters, from the start")
  void streams() {
    for (String path :
        List.of(
            "/api/v1/videos/stream",
            "/api/v1/videos/stream?status=ready&category=music",
            "/api/v1/users/stream",
            "/api/v1/users/stream?role=viewer",
            "/api/v1/templates/stream",
            "/api/v1/analytics/performance/stream?time_range=7d",
            "/api/v1/analytics/performance/stream?component=" + COMPONENT,
            "/api/v1/search/stream?query=" + MARK,
            "/api/v1/search/stream?query=tutorial&type=video")) {
      List<String> expected = items(postgres, path);
      List<String> actual = items(jvm, path);
      assertTrue(expected.size() > 1, path + " streams rows");
      assertEquals(expected.size(), actual.size(), path);
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i), actual.get(i), path + " line " + i);
      }
    }
    String metrics =
        String.join(
            "\n", items(jvm, "/api/v1/analytics/performance/stream?component=" + COMPONENT));
    assertTrue(
        metrics.contains("\"value\":\"NaN\"")
            && metrics.contains("\"value\":\"-Infinity\"")
            && metrics.contains("\"value\":1e+300"),
        metrics);
  }

  @Test
  @DisplayName(
      "a stream resumed after a position sends the same rest, and its cursor is valid on the other encoding")
  void resumed() {
    var body = postgres.get("/api/v1/videos/stream?checkpoints=true").bodyAsString();
    String position =
        body.lines()
            .filter(l -> l.startsWith("{\"_checkpoint\""))
            .findFirst()
            .map(l -> new JsonObject(l).getString("_checkpoint"))
            .orElseThrow();
    List<String> fromPostgres = items(postgres, "/api/v1/videos/stream?after=" + position);
    List<String> fromJvm = items(jvm, "/api/v1/videos/stream?after=" + position);
    assertTrue(fromPostgres.size() > 1);
    assertEquals(fromPostgres, fromJvm);
  }
}
