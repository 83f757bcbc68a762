package dev.sluice.http;

import dev.sluice.Service;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = SECONDS)
@DisplayName("Defects found in review stay fixed: odd text, template search, suggestions, window edges")
class DefectsTest {

  static Service service;

  @BeforeAll
  @Timeout(value = 300, unit = SECONDS)
  static void start() {
    service = Service.start();
  }

  @AfterAll
  @Timeout(value = 60, unit = SECONDS)
  static void stop() {
    service.close();
  }

  static HttpResponse<Buffer> get(String path) {
    return service.http.get(path).send().timeout(10, SECONDS).await();
  }

  static List<Row> sql(String sql, Object... args) {
    List<Row> rows = new ArrayList<>();
    service.db.preparedQuery(sql).execute(Tuple.from(args)).timeout(10, SECONDS).await().forEach(rows::add);
    return rows;
  }

  static JsonObject ok(String path) {
    HttpResponse<Buffer> response = get(path);
    assertEquals(200, response.statusCode(), () -> path + " -> " + response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  static void rejects(String path, String parameter) {
    HttpResponse<Buffer> response = get(path);
    assertEquals(400, response.statusCode(), () -> path + " -> " + response.bodyAsString());
    assertEquals("application/problem+json", response.getHeader("Content-Type"), path);
    JsonObject problem = response.bodyAsJsonObject();
    assertTrue(problem.getJsonArray("errors").stream()
        .anyMatch(e -> parameter.equals(((JsonObject) e).getString("parameter"))),
      () -> path + " should name " + parameter + ": " + problem.encode());
  }

  static List<String> terms(String query, int limit) {
    JsonArray data = ok("/api/v1/search/suggestions?query=" + query + "&limit=" + limit).getJsonArray("data");
    return data.stream().map(s -> ((JsonObject) s).getString("term")).toList();
  }

  @ParameterizedTest(name = "{0} is refused naming {1}")
  @CsvSource(delimiter = '|', value = {
    "/api/v1/search?query=gui%00tar | query",
    "/api/v1/search?query=%00 | query",
    "/api/v1/search?query=guitar%01 | query",
    "/api/v1/search?query=guitar%1B%5B2J | query",
    "/api/v1/search?query=guitar%7F | query",
    "/api/v1/search?query=guitar%C2%85 | query",
    "/api/v1/search/stream?query=gui%00tar | query",
    "/api/v1/search/suggestions?query=gu%00 | query",
    "/api/v1/search/suggestions?query=%00 | query",
    "/api/v1/videos?cursor=abc%00def | cursor",
    "/api/v1/videos/stream?after=abc%00def | after",
    "/api/v1/videos?status=ready%00 | status",
    "/api/v1/templates?page=1%00 | page",
    "/api/v1/users?is_active=true%00 | is_active",
    "/api/v1/analytics/reports/watch_time%00 | reportType",
    "/api/v1/users/analytics?start=2026-01-10%00 | start",
  })
  @DisplayName("a NUL or another control character in any parameter is a 400 naming it")
  void controlCharacters(String path, String parameter) {
    rejects(path, parameter);
  }

  @ParameterizedTest(name = "query={0}")
  @ValueSource(strings = {"%C3%28", "%FF", "guitar%E2%82", "%ED%A0%80", "%C0%AF", "%EF%BF%BD"})
  @DisplayName("text that was not UTF-8 (it decodes to U+FFFD) is a 400 naming the parameter")
  void invalidUtf8(String query) {
    rejects("/api/v1/search?query=" + query, "query");
    rejects("/api/v1/search/stream?query=" + query, "query");
    rejects("/api/v1/search/suggestions?query=" + query, "query");
  }

  @Test
  @DisplayName("tabs and line breaks in a search are white space, not faults")
  void whiteSpaceControls() {
    for (String query : List.of("guitar%09riffs", "guitar%0Ariffs", "guitar%0D%0Ariffs")) {
      ok("/api/v1/search?query=" + query);
      ok("/api/v1/search/suggestions?query=" + query);
    }
  }

  @ParameterizedTest(name = "type={0}")
  @ValueSource(strings = {"template", "video", ""})
  @DisplayName("search pages and streams answer for templates, for videos and for both")
  void searchByType(String type) {
    String word = sql("SELECT lower(substring(name FROM '^[A-Za-z]+')) FROM templates WHERE is_public "
      + "ORDER BY usage_count DESC, id LIMIT 1").get(0).getString(0);
    for (String query : List.of("guitar", word)) {
      String filters = "?query=" + query + (type.isEmpty() ? "" : "&type=" + type);
      JsonArray hits = ok("/api/v1/search" + filters + "&limit=100").getJsonArray("data");
      for (Object hit : hits) {
        JsonObject json = (JsonObject) hit;
        assertNotNull(json.getString("title"), json::encode);
        assertTrue(type.isEmpty() || type.equals(json.getString("type")), json::encode);
      }
      HttpResponse<Buffer> stream = get("/api/v1/search/stream" + filters);
      assertEquals(200, stream.statusCode(), () -> filters + " -> " + stream.bodyAsString());
      long lines = stream.body() == null ? 0 : stream.bodyAsString().lines().count();
      long expected = sql("SELECT (SELECT count(*) FROM videos WHERE status = 'ready' AND $2 <> 'template' "
        + "AND search_vector @@ websearch_to_tsquery('english', $1)) + (SELECT count(*) FROM templates WHERE is_public "
        + "AND $2 <> 'video' AND search_vector @@ websearch_to_tsquery('english', $1))", query, type).get(0).getLong(0);
      assertEquals(expected, lines, filters);
    }
    long templates = sql("SELECT count(*) FROM templates WHERE is_public AND search_vector @@ "
      + "websearch_to_tsquery('english', $1)", word).get(0).getLong(0);
    assertTrue(templates > 0, "the template word finds templates");
  }

  @ParameterizedTest(name = "query=\"{0}\"")
  @ValueSource(strings = {"%20", "%20%20", "%09%0A"})
  @DisplayName("a query that is only white space is a 400 naming query")
  void blankQuery(String query) {
    rejects("/api/v1/search/suggestions?query=" + query, "query");
    rejects("/api/v1/search?query=" + query, "query");
    rejects("/api/v1/search/stream?query=" + query, "query");
  }

  @Test
  @DisplayName("suggestions forgive two letters swapped: keybaord finds the keyboard words, guiatr finds guitar")
  void transpositions() {
    List<String> keyboards = sql("SELECT term FROM search_terms WHERE term IN ('keyboard', 'keyboards') ORDER BY term")
      .stream().map(r -> r.getString(0)).toList();
    assertFalse(keyboards.isEmpty(), "the seeded words include keyboard(s)");
    assertTrue(terms("keybaord", 10).containsAll(keyboards), () -> "keybaord -> " + terms("keybaord", 10));
    assertEquals(1, sql("SELECT count(*) FROM search_terms WHERE term = 'guitar'").get(0).getLong(0));
    assertTrue(terms("guiatr", 10).contains("guitar"), () -> "guiatr -> " + terms("guiatr", 10));
  }

  @Test
  @DisplayName("every word of six letters or more is suggested for itself with two inner letters swapped")
  void everyTransposition() {
    List<String> missed = new ArrayList<>();
    for (Row row : sql("SELECT term FROM search_terms WHERE length(term) >= 6 ORDER BY term")) {
      String term = row.getString(0);
      int i = term.length() / 2;
      String typo = term.substring(0, i - 1) + term.charAt(i) + term.charAt(i - 1) + term.substring(i + 1);
      if (!typo.equals(term) && !terms(typo, 10).contains(term)) {
        missed.add(typo + " -> " + term);
      }
    }
    assertEquals(List.of(), missed);
  }

  @Test
  @DisplayName("words that start with the prefix come first, then near misses")
  void prefixFirst() {
    List<String> completions = sql("SELECT term FROM search_terms WHERE term LIKE 'gui%'").stream()
      .map(r -> r.getString(0)).toList();
    assertTrue(completions.size() >= 2, "guide, guitar");
    List<String> suggested = terms("gui", 10);
    assertEquals(Set.copyOf(completions), Set.copyOf(suggested.subList(0, completions.size())), suggested::toString);
    List<String> typo = terms("guitra", 10);
    assertEquals("guitar", typo.get(0), typo::toString);
  }

  @Test
  @DisplayName("a window starting within a second labels its first bucket with its start, not before it")
  void fractionalStart() {
    JsonObject reply = ok("/api/v1/users/analytics?start=2026-01-10T00:00:00.123Z&end=2026-01-10T01:00:00Z&bucket=5m");
    JsonArray buckets = reply.getJsonArray("data");
    assertEquals(12, buckets.size());
    Instant start = Instant.parse(reply.getJsonObject("window").getString("start"));
    assertEquals(Instant.parse("2026-01-10T00:00:00.123Z"), start);
    for (int i = 0; i < buckets.size(); i++) {
      assertEquals(start.plus(Duration.ofMinutes(5L * i)),
        Instant.parse(buckets.getJsonObject(i).getString("bucket_start")), buckets::encode);
    }
    assertEquals("2026-01-10T00:00:00.123Z", buckets.getJsonObject(0).getString("bucket_start"));
    JsonArray micros = ok("/api/v1/analytics/platform?start_date=2026-01-10T05:30:00.000250%2B05:30"
      + "&end_date=2026-01-11&bucket=1h").getJsonArray("data");
    assertEquals("2026-01-10T00:00:00.000250Z", micros.getJsonObject(0).getString("bucket_start"));
  }

  @Test
  @DisplayName("a window at the end of time slides on to a window the server accepts, or to none")
  void nextWindowAtTheEnd() {
    JsonObject reply = ok("/api/v1/users/analytics?start=9999-12-30T23:59Z&end=9999-12-31T23:59Z&bucket=1h");
    JsonObject next = reply.getJsonObject("next_window");
    assertEquals(new JsonObject().put("start", "9999-12-31T23:59:00Z").put("end", "9999-12-31T23:59:59.999999Z"), next);
    JsonObject last = ok("/api/v1/users/analytics?start=" + next.getString("start") + "&end=" + next.getString("end")
      + "&bucket=1m");
    assertEquals(next.getString("end"), last.getJsonObject("window").getString("end"));
    assertNull(last.getValue("next_window"), last::encode);
    assertNull(ok("/api/v1/users/analytics?start=9999-12-31").getValue("next_window"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "/api/v1/users/analytics?start=0001-01-01&end=0001-01-02",
    "/api/v1/users/analytics?start=0001-01-01T00:00Z&end=0001-01-01T01:00Z&bucket=1m",
    "/api/v1/users/analytics?start=0001-01-01T00:00-12:00",
    "/api/v1/users/analytics?end=0001-01-03",
    "/api/v1/users/analytics?start=9999-12-31T10:00%2B14:00",
    "/api/v1/users/analytics?start=9999-12-31",
    "/api/v1/analytics/platform?start_date=9999-12-25&end_date=9999-12-31T23:59:59.999999999Z",
    "/api/v1/analytics/reports/error_rate?end_date=0001-01-01T00:00:01Z&bucket=1m",
  })
  @DisplayName("windows at the first and last accepted times answer, and slide on only to accepted windows")
  void extremeWindows(String path) {
    JsonObject reply = ok(path);
    JsonObject next = reply.getJsonObject("next_window");
    if (next != null) {
      String base = path.substring(0, path.indexOf('?'));
      String names = base.contains("/analytics/platform") || base.contains("/reports/") ? "_date" : "";
      ok(base + "?start" + names + "=" + next.getString("start") + "&end" + names + "=" + next.getString("end"));
    }
  }

  @ParameterizedTest(name = "{0} is refused naming {1}")
  @CsvSource(delimiter = '|', value = {
    "/api/v1/users/analytics?start=0000-12-31 | start",
    "/api/v1/users/analytics?start=0000-12-31T12:00Z | start",
    "/api/v1/users/analytics?start=0001-01-01T00:00%2B14:00 | start",
    "/api/v1/users/analytics?start=-0001-01-01T00:00Z | start",
    "/api/v1/users/analytics?start=%2B100000-01-01T00:00Z | start",
    "/api/v1/users/analytics?start=%2B10000-01-01T00:00Z | start",
    "/api/v1/users/analytics?end=9999-12-31T12:00-12:00 | end",
    "/api/v1/users/analytics?start=9999-12-31T23:59:59.999999999-00:01 | start",
    "/api/v1/users/analytics?start=999999999-01-01T00:00Z | start",
    "/api/v1/users/analytics?start=%2B999999999-12-31T23:59:59-18:00 | start",
    "/api/v1/users/analytics?end=-999999999-01-01T00:00%2B18:00 | end",
    "/api/v1/users/analytics?start=2026-01-10T00:00%2B18:01 | start",
    "/api/v1/analytics/platform?start_date=0000-01-01 | start_date",
    "/api/v1/videos/00000000-0000-0000-0000-000000000001/analytics?end=%2B100000-01-01 | end",
  })
  @DisplayName("times outside years 1 to 9999 (in UTC) are a 400 naming the parameter")
  void extremeTimes(String path, String parameter) {
    rejects(path, parameter);
  }
}
