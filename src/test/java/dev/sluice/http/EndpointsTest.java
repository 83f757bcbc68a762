package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@EndToEnd
@DisplayName("Every endpoint answers with the envelope and the rows PostgreSQL holds")
class EndpointsTest {

  /** The envelope's fields, as docs/API.md section 2 lists them. */
  static final Set<String> ENVELOPE_FIELDS = Set.copyOf(dev.sluice.api.EnvelopeTest.FIELDS);

  @Boot static Service service;

  static JsonObject envelope(String path, String strategy) {
    HttpResponse<Buffer> response = service.get(path);
    assertEquals(200, response.statusCode(), () -> path + " -> " + response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals(ENVELOPE_FIELDS, body.fieldNames(), path);
    assertEquals(true, body.getBoolean("success"));
    assertEquals(strategy, body.getString("strategy"));
    assertEquals(body.getJsonArray("data").size(), body.getInteger("count"));
    return body;
  }

  static List<String> ids(JsonObject envelope) {
    List<String> ids = new ArrayList<>();
    for (Object item : envelope.getJsonArray("data")) {
      ids.add(((JsonObject) item).getString("id"));
    }
    return ids;
  }

  static List<String> idsOf(List<Row> rows) {
    return rows.stream().map(r -> r.getUUID(0).toString()).toList();
  }

  @Test
  @DisplayName(
      "a user's videos come newest first, a page at a time, with has_more and the exact total")
  void userVideos() {
    Row busiest =
        service
            .sql("SELECT user_id, count(*) FROM videos GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1")
            .get(0);
    UUID user = busiest.getUUID(0);
    long total = busiest.getLong(1);
    List<String> expected =
        idsOf(
            service.sql(
                "SELECT id FROM videos WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 3 OFFSET 3",
                user));
    JsonObject page =
        envelope("/api/v1/users/" + user + "/videos?page=2&per_page=3&count=exact", "pagination");
    assertEquals(expected, ids(page));
    assertEquals(2, page.getInteger("page"));
    assertEquals(3, page.getInteger("per_page"));
    assertEquals(total > 6, page.getBoolean("has_more"));
    assertEquals(total, page.getLong("total_count"));
    assertEquals("exact", page.getString("total_count_type"));
    assertNull(page.getValue("next_cursor"));
    assertEquals(user.toString(), page.getJsonArray("data").getJsonObject(0).getString("user_id"));
  }

  @Test
  @DisplayName("a user who does not exist has no videos: an empty page, not an error")
  void unknownUserHasNoVideos() {
    JsonObject page = envelope("/api/v1/users/" + UUID.randomUUID() + "/videos", "pagination");
    assertEquals(0, page.getInteger("count"));
    assertFalse(page.getBoolean("has_more"));
  }

  @Test
  @DisplayName("the video listing filters by status and category and sorts by each sort key")
  void videoListing() {
    for (String[] sort :
        new String[][] {
          {"-created_at", "created_at DESC, id DESC"}, {"created_at", "created_at ASC, id ASC"},
          {"-view_count", "view_count DESC, id DESC"}, {"title", "title ASC, id ASC"}
        }) {
      List<String> expected =
          idsOf(
              service.sql(
                  "SELECT id FROM videos WHERE status = 'ready' AND category = 'music' "
                      + "ORDER BY "
                      + sort[1]
                      + " LIMIT 7"));
      JsonObject page =
          envelope("/api/v1/videos?status=ready&category=music&limit=7&sort=" + sort[0], "cursor");
      assertEquals(expected, ids(page), sort[0]);
      assertNotNull(page.getString("next_cursor"));
      assertNull(page.getValue("prev_cursor"));
      assertTrue(page.getBoolean("has_more"));
    }
  }

  @Test
  @DisplayName("cursor pages carry a Link header to the next and previous pages")
  void linkHeader() {
    HttpResponse<Buffer> first = service.get("/api/v1/videos?limit=5&status=ready");
    String link = first.getHeader("Link");
    assertNotNull(link);
    assertTrue(
        link.matches(
            "</api/v1/videos\\?limit=5&status=ready&cursor=[A-Za-z0-9_.-]+>; rel=\"next\""),
        link);
    String next = link.substring(1, link.indexOf('>'));
    HttpResponse<Buffer> second = service.get(next);
    assertEquals(200, second.statusCode());
    assertTrue(second.getHeader("Link").contains("rel=\"next\""));
    assertTrue(second.getHeader("Link").contains("rel=\"prev\""));
    String prev = second.bodyAsJsonObject().getString("prev_cursor");
    JsonObject back = service.getJson("/api/v1/videos?limit=5&status=ready&cursor=" + prev);
    assertEquals(ids(first.bodyAsJsonObject()), ids(back), "prev leads back to the first page");
    assertNull(back.getValue("prev_cursor"), "the first page has no previous page");
  }

  @Test
  @DisplayName("popular videos are the most viewed ready videos of the last days, by category")
  void popular() {
    List<String> expected =
        idsOf(
            service.sql(
                "SELECT id FROM videos WHERE category = 'gaming' AND status = 'ready' "
                    + "AND created_at >= now() - interval '90 days' ORDER BY view_count DESC, id DESC LIMIT 5"));
    JsonObject page =
        envelope("/api/v1/videos/popular?category=gaming&days=90&per_page=5", "pagination");
    assertEquals(expected, ids(page));
  }

  @Test
  @DisplayName(
      "one video's analytics sum to the events PostgreSQL holds, one row per bucket, empty buckets as zero")
  void videoAnalytics() {
    Row top =
        service
            .sql(
                "SELECT video_id, count(*) FROM video_events "
                    + "WHERE occurred_at >= date_trunc('day', now()) - interval '20 days' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1")
            .get(0);
    LocalDate end = LocalDate.now(ZoneOffset.UTC).plusDays(1);
    LocalDate start = end.minusDays(21);
    JsonObject window =
        envelope(
            "/api/v1/videos/" + top.getUUID(0) + "/analytics?start=" + start + "&end=" + end,
            "window");
    JsonArray buckets = window.getJsonArray("data");
    assertEquals(21, buckets.size());
    long events = 0;
    for (Object b : buckets) {
      JsonObject bucket = (JsonObject) b;
      events += bucket.getLong("views") + bucket.getLong("likes") + bucket.getLong("shares");
    }
    long expected =
        service.count(
            "SELECT count(*) FROM video_events WHERE video_id = $1 AND event_type <> 'watch' "
                + "AND occurred_at >= $2::text::timestamptz AND occurred_at < $3::text::timestamptz",
            top.getUUID(0),
            start.toString(),
            end.toString());
    assertEquals(expected, events);
    assertEquals(start + "T00:00:00Z", buckets.getJsonObject(0).getString("bucket_start"));
    assertEquals(
        new JsonObject()
            .put("start", start + "T00:00:00Z")
            .put("end", end + "T00:00:00Z")
            .put("bucket", "1d"),
        window.getJsonObject("window"));
    assertEquals(end + "T00:00:00Z", window.getJsonObject("next_window").getString("start"));
  }

  @Test
  @DisplayName("analytics of a video that does not exist is a 404 problem")
  void unknownVideoAnalytics() {
    HttpResponse<Buffer> response =
        service.get("/api/v1/videos/" + UUID.randomUUID() + "/analytics");
    assertEquals(404, response.statusCode());
    assertEquals("application/problem+json", response.getHeader("Content-Type"));
  }

  @Test
  @DisplayName(
      "users filter by role and activity; the range endpoint returns rows by index with a stated total")
  void users() {
    List<String> expected =
        idsOf(
            service.sql(
                "SELECT id FROM users WHERE role = 'creator' AND is_active ORDER BY created_at DESC, id DESC LIMIT 10"));
    assertEquals(expected, ids(envelope("/api/v1/users?role=creator&limit=10", "cursor")));

    List<String> slice =
        idsOf(
            service.sql(
                "SELECT id FROM users WHERE is_active ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 40"));
    JsonObject range =
        envelope("/api/v1/users/range?start_index=40&end_index=60&count=exact", "virtual_scroll");
    assertEquals(slice, ids(range));
    long total = service.count("SELECT count(*) FROM users WHERE is_active");
    assertEquals(
        new JsonObject()
            .put("start_index", 40)
            .put("end_index", 60)
            .put("total", total)
            .put("total_count_type", "exact"),
        range.getJsonObject("range"));
    JsonObject estimated =
        envelope("/api/v1/users/range?start_index=0&end_index=5", "virtual_scroll");
    assertTrue(
        Set.of("estimated", "lower_bound", "exact")
            .contains(estimated.getJsonObject("range").getString("total_count_type")));
  }

  @Test
  @DisplayName("a virtual-scroll window far down equals the same rows read with OFFSET")
  void deepRange() {
    long total = service.count("SELECT count(*) FROM users WHERE is_active");
    long start = total - 30;
    List<String> slice =
        idsOf(
            service.sql(
                "SELECT id FROM users WHERE is_active ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET "
                    + start));
    JsonObject range =
        envelope(
            "/api/v1/users/range?start_index=" + start + "&end_index=" + (start + 20),
            "virtual_scroll");
    assertEquals(slice, ids(range));
    // again, now served from the checkpoints the first walk laid down
    assertEquals(
        slice,
        ids(
            envelope(
                "/api/v1/users/range?start_index=" + start + "&end_index=" + (start + 20),
                "virtual_scroll")));
    JsonObject tail =
        envelope(
            "/api/v1/users/range?start_index=" + (total - 5) + "&end_index=" + (total + 5),
            "virtual_scroll");
    assertEquals(5, tail.getInteger("count"));
    assertEquals(
        new JsonObject()
            .put("start_index", total - 5)
            .put("end_index", total)
            .put("total", total)
            .put("total_count_type", "exact"),
        tail.getJsonObject("range"));
  }

  @Test
  @DisplayName(
      "a range read at or past the end is empty and knows the exact total, as one just before the end does")
  void pastTheEnd() {
    long total = service.count("SELECT count(*) FROM users WHERE is_active");
    long inactive = service.count("SELECT count(*) FROM users WHERE NOT is_active");
    for (long start : List.of(total, total + 1, total + 5_000, 900_000L)) {
      JsonObject range =
          envelope(
              "/api/v1/users/range?start_index=" + start + "&end_index=" + (start + 10),
              "virtual_scroll");
      assertEquals(0, range.getInteger("count"));
      assertEquals(
          new JsonObject()
              .put("start_index", start)
              .put("end_index", start)
              .put("total", total)
              .put("total_count_type", "exact"),
          range.getJsonObject("range"),
          () -> "from " + start);
    }
    JsonObject filtered =
        envelope(
            "/api/v1/users/range?is_active=false&start_index="
                + (inactive + 3)
                + "&end_index="
                + (inactive + 13),
            "virtual_scroll");
    assertEquals(inactive, filtered.getJsonObject("range").getLong("total"));
    assertEquals("exact", filtered.getJsonObject("range").getString("total_count_type"));
    JsonObject uncounted =
        envelope(
            "/api/v1/users/range?count=none&start_index=" + total + "&end_index=" + (total + 10),
            "virtual_scroll");
    assertEquals(
        null,
        uncounted.getJsonObject("range").getValue("total"),
        "count=none: no total, exact or not");
  }

  @Test
  @DisplayName("user analytics count sign-ups, active users and sessions per bucket")
  void userAnalytics() {
    JsonObject window =
        envelope("/api/v1/users/analytics?start=2026-01-01&end=2026-01-02&bucket=1h", "window");
    assertEquals(24, window.getInteger("count"));
    JsonObject first = window.getJsonArray("data").getJsonObject(0);
    assertEquals(
        Set.of("bucket_start", "sign_ups", "active_users", "sessions"), first.fieldNames());
  }

  @Test
  @DisplayName("a user's sessions of the last days come newest first")
  void sessions() {
    UUID user =
        service
            .sql(
                "SELECT user_id FROM user_sessions WHERE started_at >= now() - interval '30 days' "
                    + "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1")
            .get(0)
            .getUUID(0);
    List<String> expected =
        idsOf(
            service.sql(
                "SELECT id FROM user_sessions WHERE user_id = $1 "
                    + "AND started_at >= now() - interval '30 days' ORDER BY started_at DESC, id DESC LIMIT 50",
                user));
    assertEquals(expected, ids(envelope("/api/v1/users/" + user + "/sessions", "cursor")));
  }

  @Test
  @DisplayName("platform analytics give the asked metrics per bucket, matching PostgreSQL")
  void platform() {
    LocalDate end = LocalDate.now(ZoneOffset.UTC);
    LocalDate start = end.minusDays(10);
    JsonObject window =
        envelope(
            "/api/v1/analytics/platform?start_date="
                + start
                + "&end_date="
                + end
                + "&metrics=views,sessions,errors",
            "window");
    assertEquals(10, window.getInteger("count"));
    long views = 0;
    for (Object b : window.getJsonArray("data")) {
      JsonObject bucket = (JsonObject) b;
      assertEquals(Set.of("bucket_start", "views", "sessions", "errors"), bucket.fieldNames());
      views += bucket.getLong("views");
    }
    assertEquals(
        service.count(
            "SELECT count(*) FROM video_events WHERE event_type = 'view' "
                + "AND occurred_at >= $1::text::timestamptz AND occurred_at < $2::text::timestamptz",
            start.toString(),
            end.toString()),
        views);
  }

  @Test
  @DisplayName("error logs filter by severity (error by default) and component, newest first")
  void errors() {
    List<String> expected =
        idsOf(
            service.sql(
                "SELECT id FROM error_logs WHERE severity = 'error' ORDER BY occurred_at DESC, id DESC LIMIT 10"));
    assertEquals(expected, ids(envelope("/api/v1/analytics/errors?limit=10", "cursor")));
    List<String> critical =
        idsOf(
            service.sql(
                "SELECT id FROM error_logs WHERE severity = 'critical' "
                    + "AND component = 'database' ORDER BY occurred_at DESC, id DESC LIMIT 10"));
    assertEquals(
        critical,
        ids(
            envelope(
                "/api/v1/analytics/errors?severity=critical&component=database&limit=10",
                "cursor")));
  }

  @Test
  @DisplayName("each report type answers over a window")
  void reports() {
    for (String type :
        List.of("daily_active_users", "videos_created", "watch_time", "error_rate")) {
      JsonObject window =
          envelope(
              "/api/v1/analytics/reports/" + type + "?start_date=2026-01-01&end_date=2026-01-08",
              "window");
      assertEquals(7, window.getInteger("count"), type);
    }
  }

  @Test
  @DisplayName(
      "templates list by category and visibility, most used first; assets by position; unknown template 404")
  void templates() {
    List<String> expected =
        idsOf(
            service.sql(
                "SELECT id FROM templates WHERE is_public AND category = 'intro' "
                    + "ORDER BY usage_count DESC, id DESC LIMIT 5"));
    assertEquals(
        expected, ids(envelope("/api/v1/templates?category=intro&per_page=5", "pagination")));

    UUID template =
        service
            .sql("SELECT template_id FROM template_assets GROUP BY 1 ORDER BY 1 LIMIT 1")
            .get(0)
            .getUUID(0);
    List<String> assets =
        idsOf(
            service.sql(
                "SELECT id FROM template_assets WHERE template_id = $1 ORDER BY position, id",
                template));
    assertEquals(assets, ids(envelope("/api/v1/templates/" + template + "/assets", "pagination")));
    assertEquals(
        404, service.get("/api/v1/templates/" + UUID.randomUUID() + "/assets").statusCode());
  }

  @Test
  @DisplayName("search ranks videos and templates by relevance and pages through them by cursor")
  void search() {
    String term =
        service
            .sql(
                "SELECT term FROM search_terms WHERE length(term) > 4 ORDER BY frequency DESC, term "
                    + "LIMIT 1")
            .get(0)
            .getString(0);
    long matches =
        service.count(
            "SELECT (SELECT count(*) FROM videos WHERE status = 'ready' AND search_vector @@ "
                + "websearch_to_tsquery('english', $1)) + (SELECT count(*) FROM templates WHERE is_public AND search_vector @@ "
                + "websearch_to_tsquery('english', $1))",
            term);
    assertTrue(matches > 0);
    Set<String> seen = new java.util.HashSet<>();
    double lastRank = Double.MAX_VALUE;
    String cursor = null;
    do {
      JsonObject page =
          envelope(
              "/api/v1/search?query="
                  + term
                  + "&limit=100"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              "cursor");
      for (Object item : page.getJsonArray("data")) {
        JsonObject hit = (JsonObject) item;
        assertTrue(seen.add(hit.getString("id")), "no hit twice");
        assertTrue(hit.getDouble("rank") <= lastRank, "ranked by relevance");
        lastRank = hit.getDouble("rank");
      }
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertEquals(matches, seen.size());
  }

  @Test
  @DisplayName("suggestions complete a prefix and forgive a typo")
  void suggestions() {
    String term =
        service
            .sql(
                "SELECT term FROM search_terms WHERE length(term) >= 7 ORDER BY frequency DESC, term "
                    + "LIMIT 1")
            .get(0)
            .getString(0);
    JsonObject prefix =
        envelope("/api/v1/search/suggestions?query=" + term.substring(0, 4), "single");
    assertTrue(
        prefix.getJsonArray("data").stream()
            .anyMatch(s -> ((JsonObject) s).getString("term").equals(term)),
        prefix.encode());
    String typo = term.substring(0, 3) + term.substring(4); // one letter dropped
    JsonObject fuzzy = envelope("/api/v1/search/suggestions?query=" + typo + "&limit=5", "single");
    assertTrue(
        fuzzy.getJsonArray("data").stream()
            .anyMatch(s -> ((JsonObject) s).getString("term").equals(term)),
        typo + " -> " + fuzzy.encode());
  }

  /** The terms suggested for {@code query}, best first. */
  static List<String> terms(String query, int limit) {
    JsonArray data =
        service
            .getJson("/api/v1/search/suggestions?query=" + query + "&limit=" + limit)
            .getJsonArray("data");
    return data.stream().map(s -> ((JsonObject) s).getString("term")).toList();
  }

  @ParameterizedTest(name = "type={0}")
  @ValueSource(strings = {"template", "video", ""})
  @DisplayName("search pages and streams answer for templates, for videos and for both")
  void searchByType(String type) {
    String word =
        service
            .sql(
                "SELECT lower(substring(name FROM '^[A-Za-z]+')) FROM templates WHERE is_public "
                    + "ORDER BY usage_count DESC, id LIMIT 1")
            .get(0)
            .getString(0);
    for (String query : List.of("guitar", word)) {
      String filters = "?query=" + query + (type.isEmpty() ? "" : "&type=" + type);
      JsonArray hits =
          service.getJson("/api/v1/search" + filters + "&limit=100").getJsonArray("data");
      for (Object hit : hits) {
        JsonObject json = (JsonObject) hit;
        assertNotNull(json.getString("title"), json::encode);
        assertTrue(type.isEmpty() || type.equals(json.getString("type")), json::encode);
      }
      HttpResponse<Buffer> stream = service.get("/api/v1/search/stream" + filters);
      assertEquals(200, stream.statusCode(), () -> filters + " -> " + stream.bodyAsString());
      long lines = stream.body() == null ? 0 : stream.bodyAsString().lines().count();
      long expected =
          service
              .sql(
                  "SELECT (SELECT count(*) FROM videos WHERE status = 'ready' AND $2 <> 'template' "
                      + "AND search_vector @@ websearch_to_tsquery('english', $1)) + (SELECT count(*) FROM templates WHERE is_public "
                      + "AND $2 <> 'video' AND search_vector @@ websearch_to_tsquery('english', $1))",
                  query,
                  type)
              .get(0)
              .getLong(0);
      assertEquals(expected, lines, filters);
    }
    long templates =
        service
            .sql(
                "SELECT count(*) FROM templates WHERE is_public AND search_vector @@ "
                    + "websearch_to_tsquery('english', $1)",
                word)
            .get(0)
            .getLong(0);
    assertTrue(templates > 0, "the template word finds templates");
  }

  @Test
  @DisplayName(
      "suggestions forgive two letters swapped: keybaord finds the keyboard words, guiatr finds guitar")
  void transpositions() {
    List<String> keyboards =
        service
            .sql(
                "SELECT term FROM search_terms WHERE term IN ('keyboard', 'keyboards') "
                    + "ORDER BY term")
            .stream()
            .map(r -> r.getString(0))
            .toList();
    assertFalse(keyboards.isEmpty(), "the seeded words include keyboard(s)");
    assertTrue(
        terms("keybaord", 10).containsAll(keyboards), () -> "keybaord -> " + terms("keybaord", 10));
    assertEquals(
        1,
        service.sql("SELECT count(*) FROM search_terms WHERE term = 'guitar'").get(0).getLong(0));
    assertTrue(terms("guiatr", 10).contains("guitar"), () -> "guiatr -> " + terms("guiatr", 10));
  }

  @Test
  @DisplayName(
      "every word of six letters or more is suggested for itself with two inner letters swapped")
  void everyTransposition() {
    List<String> missed = new ArrayList<>();
    for (Row row :
        service.sql("SELECT term FROM search_terms WHERE length(term) >= 6 ORDER BY term")) {
      String term = row.getString(0);
      int i = term.length() / 2;
      String typo =
          term.substring(0, i - 1) + term.charAt(i) + term.charAt(i - 1) + term.substring(i + 1);
      if (!typo.equals(term) && !terms(typo, 10).contains(term)) {
        missed.add(typo + " -> " + term);
      }
    }
    assertEquals(List.of(), missed);
  }

  @Test
  @DisplayName("words that start with the prefix come first, then near misses")
  void prefixFirst() {
    List<String> completions =
        service.sql("SELECT term FROM search_terms WHERE term LIKE 'gui%'").stream()
            .map(r -> r.getString(0))
            .toList();
    assertTrue(completions.size() >= 2, "guide, guitar");
    List<String> suggested = terms("gui", 10);
    assertEquals(
        Set.copyOf(completions),
        Set.copyOf(suggested.subList(0, completions.size())),
        suggested::toString);
    List<String> typo = terms("guitra", 10);
    assertEquals("guitar", typo.get(0), typo::toString);
  }

  @Test
  @DisplayName(
      "a window starting within a second labels its first bucket with its start, not before it")
  void fractionalStart() {
    JsonObject reply =
        service.getJson(
            "/api/v1/users/analytics?start=2026-01-10T00:00:00.123Z"
                + "&end=2026-01-10T01:00:00Z&bucket=5m");
    JsonArray buckets = reply.getJsonArray("data");
    assertEquals(12, buckets.size());
    Instant start = Instant.parse(reply.getJsonObject("window").getString("start"));
    assertEquals(Instant.parse("2026-01-10T00:00:00.123Z"), start);
    for (int i = 0; i < buckets.size(); i++) {
      assertEquals(
          start.plus(Duration.ofMinutes(5L * i)),
          Instant.parse(buckets.getJsonObject(i).getString("bucket_start")),
          buckets::encode);
    }
    assertEquals("2026-01-10T00:00:00.123Z", buckets.getJsonObject(0).getString("bucket_start"));
    JsonArray micros =
        service
            .getJson(
                "/api/v1/analytics/platform?start_date=2026-01-10T05:30:00.000250%2B05:30"
                    + "&end_date=2026-01-11&bucket=1h")
            .getJsonArray("data");
    assertEquals("2026-01-10T00:00:00.000250Z", micros.getJsonObject(0).getString("bucket_start"));
  }

  @Test
  @DisplayName("a window at the end of time slides on to a window the server accepts, or to none")
  void nextWindowAtTheEnd() {
    JsonObject reply =
        service.getJson(
            "/api/v1/users/analytics?start=9999-12-30T23:59Z&end=9999-12-31T23:59Z" + "&bucket=1h");
    JsonObject next = reply.getJsonObject("next_window");
    assertEquals(
        new JsonObject()
            .put("start", "9999-12-31T23:59:00Z")
            .put("end", "9999-12-31T23:59:59.999999Z"),
        next);
    JsonObject last =
        service.getJson(
            "/api/v1/users/analytics?start="
                + next.getString("start")
                + "&end="
                + next.getString("end")
                + "&bucket=1m");
    assertEquals(next.getString("end"), last.getJsonObject("window").getString("end"));
    assertNull(last.getValue("next_window"), last::encode);
    assertNull(service.getJson("/api/v1/users/analytics?start=9999-12-31").getValue("next_window"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "/api/v1/users/analytics?start=0001-01-01&end=0001-01-02",
        "/api/v1/users/analytics?start=0001-01-01T00:00Z&end=0001-01-01T01:00Z&bucket=1m",
        "/api/v1/users/analytics?start=0001-01-01T00:00-12:00",
        "/api/v1/users/analytics?end=0001-01-03",
        "/api/v1/users/analytics?start=9999-12-31T10:00%2B14:00",
        "/api/v1/users/analytics?start=9999-12-31",
        "/api/v1/analytics/platform?start_date=9999-12-25&end_date=9999-12-31T23:59:59.999999999Z",
        "/api/v1/analytics/reports/error_rate?end_date=0001-01-01T00:00:01Z&bucket=1m",
      })
  @DisplayName(
      "windows at the first and last accepted times answer, and slide on only to accepted windows")
  void extremeWindows(String path) {
    JsonObject reply = service.getJson(path);
    JsonObject next = reply.getJsonObject("next_window");
    if (next != null) {
      String base = path.substring(0, path.indexOf('?'));
      String names =
          base.contains("/analytics/platform") || base.contains("/reports/") ? "_date" : "";
      service.getJson(
          base
              + "?start"
              + names
              + "="
              + next.getString("start")
              + "&end"
              + names
              + "="
              + next.getString("end"));
    }
  }
}
