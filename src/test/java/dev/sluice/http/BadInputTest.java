package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Boot;
import dev.sluice.EndToEnd;
import dev.sluice.Service;
import dev.sluice.Waits;
import dev.sluice.plan.CursorCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@EndToEnd
@DisplayName("Bad input gets a clear 400 naming the parameter, never a 500")
class BadInputTest {

  @Boot static Service service;
  static final String USER = "00000000-0000-0000-0000-000000000001";

  static JsonObject problem(String path, int status) {
    HttpResponse<Buffer> response = service.get(path);
    assertEquals(status, response.statusCode(), () -> path + " -> " + response.bodyAsString());
    assertEquals("application/problem+json", response.getHeader("Content-Type"), path);
    String body = response.bodyAsString();
    for (String leak : List.of("Exception", "\tat ", "SELECT", "FROM ", "WHERE", "pg_", "java.")) {
      assertFalse(body.contains(leak), () -> path + " leaks " + leak + ": " + body);
    }
    JsonObject json = new JsonObject(body);
    assertEquals(status, json.getInteger("status"));
    assertTrue(json.getString("type").startsWith("https://sluice.dev/problems/"));
    return json;
  }

  static void rejects(String path, String parameter) {
    JsonObject json = problem(path, 400);
    assertTrue(
        json.getJsonArray("errors").stream()
            .anyMatch(e -> parameter.equals(((JsonObject) e).getString("parameter"))),
        () -> path + " should name " + parameter + ": " + json.encode());
    assertTrue(json.getString("detail").contains(parameter), json::encode);
  }

  @ParameterizedTest(name = "{0} is refused naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // numbers: not a number, negative, zero, over the max, overflowing, fractional
        "/api/v1/templates?per_page=abc | per_page",
        "/api/v1/templates?page=-1 | page",
        "/api/v1/templates?page=0 | page",
        "/api/v1/templates?per_page=0 | per_page",
        "/api/v1/templates?per_page=101 | per_page",
        "/api/v1/templates?page=99999999999999999999999 | page",
        "/api/v1/templates?page=1.5 | page",
        "/api/v1/videos?limit=0 | limit",
        "/api/v1/videos?limit=1001 | limit",
        "/api/v1/videos?limit=-5 | limit",
        "/api/v1/videos/popular?days=0 | days",
        "/api/v1/videos/popular?days=366 | days",
        "/api/v1/users/" + "00000000-0000-0000-0000-000000000001" + "/sessions?days=abc | days",
        "/api/v1/search/suggestions?query=ab&limit=51 | limit",
        // enums
        "/api/v1/videos?status=published | status",
        "/api/v1/videos?category=cats | category",
        "/api/v1/videos?sort=views | sort",
        "/api/v1/videos?sort=-title | sort",
        "/api/v1/videos?count=all | count",
        "/api/v1/users?role=root | role",
        "/api/v1/users?is_active=yes | is_active",
        "/api/v1/analytics/errors?severity=fatal | severity",
        "/api/v1/analytics/errors?component=kernel | component",
        "/api/v1/analytics/platform?metrics=users,bogus | metrics",
        "/api/v1/analytics/reports/revenue | reportType",
        "/api/v1/search?query=music&type=audio | type",
        "/api/v1/users/analytics?bucket=2h | bucket",
        // identifiers in the query (an id in the path that is not a UUID is a 404: idInPath)
        "/api/v1/videos?user_id=42 | user_id",
        // times and windows
        "/api/v1/users/analytics?start=2026-13-01&end=2026-12-02 | start",
        "/api/v1/users/analytics?start=yesterday | start",
        "/api/v1/users/analytics?start=2026-01-15T10:30:00&end=2026-01-16T10:30:00Z | start",
        "/api/v1/users/analytics?start=2026-01-10&end=2026-01-10 | end",
        "/api/v1/users/analytics?start=2026-01-10&end=2026-01-09 | end",
        "/api/v1/users/analytics?start=2026-01-01&end=2026-03-01 | end",
        "/api/v1/analytics/platform?start_date=2026-01-01&end_date=2026-01-31&bucket=1m | bucket",
        "/api/v1/analytics/reports/watch_time?start_date=2026-02-30 | start_date",
        // virtual scroll
        "/api/v1/users/range?start_index=-1&end_index=10 | start_index",
        "/api/v1/users/range?start_index=10&end_index=10 | end_index",
        "/api/v1/users/range?start_index=0&end_index=1001 | end_index",
        "/api/v1/users/range?end_index=10 | start_index",
        "/api/v1/users/range?start_index=0 | end_index",
        // text
        "/api/v1/search | query",
        "/api/v1/search?query= | query",
        "/api/v1/search/suggestions | query",
        // repeated parameters, and a value listed twice
        "/api/v1/templates?page=1&page=2 | page",
        "/api/v1/analytics/platform?metrics=views,views | metrics",
        "/api/v1/videos?ids=00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000001 | ids",
        // numbers in ASCII digits only: not Arabic-Indic or fullwidth digits, no sign, no spaces
        "/api/v1/videos?limit=%D9%A5 | limit",
        "/api/v1/videos?limit=%EF%BC%95 | limit",
        "/api/v1/videos?limit=%2B5 | limit",
        "/api/v1/videos?limit=%205%20 | limit",
        "/api/v1/videos?limit=5+ | limit",
      })
  void rejected(String path, String parameter) {
    rejects(path, parameter);
  }

  @ParameterizedTest(name = "{0} is a 404")
  @ValueSource(
      strings = {
        "/api/v1/users/not-a-uuid/videos",
        "/api/v1/users/123/sessions",
        "/api/v1/videos/xyz/analytics",
        "/api/v1/templates/0000/assets",
        "/api/v1/videos/xyz",
        "/api/v1/users/123",
        "/api/v1/templates/0000",
        "/api/v1/videos/00000000-0000-0000-0000-00000000000g/analytics"
      })
  @DisplayName(
      "an id in the path that is not a UUID names no resource: a 404, as an unknown id and "
          + "/videos/notauuid are")
  void idInPath(String path) {
    HttpResponse<Buffer> response = service.get(path);
    assertEquals(404, response.statusCode(), () -> path + " -> " + response.bodyAsString());
    assertEquals("application/problem+json", response.getHeader("Content-Type"));
  }

  @Test
  @DisplayName("an overlong search query is refused")
  void overlongQuery() {
    rejects("/api/v1/search?query=" + "a".repeat(201), "query");
    rejects("/api/v1/search/suggestions?query=" + "a".repeat(101), "query");
  }

  @Test
  @DisplayName("every fault of a request is named at once")
  void allFaults() {
    JsonObject json = problem("/api/v1/videos?limit=0&status=bogus&sort=nope", 400);
    assertEquals(3, json.getJsonArray("errors").size(), json::encode);
  }

  @Test
  @DisplayName("tampered, truncated, foreign, re-signed and expired cursors are 400 invalid-cursor")
  void badCursors() {
    JsonObject first = service.getJson("/api/v1/videos?limit=3&status=ready");
    String cursor = first.getString("next_cursor");
    List<String> bad =
        List.of(
            cursor.substring(0, cursor.length() - 2),
            cursor.substring(0, 5) + (cursor.charAt(5) == 'A' ? 'B' : 'A') + cursor.substring(6),
            cursor.replace('.', '-'),
            "not-a-cursor",
            new CursorCodec("some-other-secret", Duration.ofHours(24), Clock.systemUTC())
                .encode(
                    "sluice.videos/videos",
                    CursorCodec.binding("status=ready&sort=-created_at"),
                    false,
                    List.of("2026-01-01 00:00:00+00", "00000000-0000-0000-0000-000000000001")),
            new CursorCodec(
                    service.config.getJsonObject("cursor").getString("secret"),
                    Duration.ofHours(24),
                    Clock.fixed(Instant.now().minus(Duration.ofDays(2)), ZoneOffset.UTC))
                .encode(
                    "sluice.videos/videos",
                    CursorCodec.binding("status=ready&sort=-created_at"),
                    false,
                    List.of("2026-01-01 00:00:00+00", "00000000-0000-0000-0000-000000000001")));
    for (String c : bad) {
      JsonObject json = problem("/api/v1/videos?limit=3&status=ready&cursor=" + c, 400);
      assertTrue(json.getString("type").endsWith("/invalid-cursor"), json::encode);
      assertEquals("cursor", json.getJsonArray("errors").getJsonObject(0).getString("parameter"));
    }
    // the same cursor with other filters, another sort, or on another endpoint
    for (String path :
        List.of(
            "/api/v1/videos?limit=3&status=draft&cursor=",
            "/api/v1/videos?limit=3&cursor=",
            "/api/v1/videos?limit=3&status=ready&sort=title&cursor=",
            "/api/v1/users?cursor=",
            "/api/v1/analytics/errors?cursor=")) {
      JsonObject json = problem(path + cursor, 400);
      assertTrue(json.getString("type").endsWith("/invalid-cursor"), json::encode);
    }
    // and still fine where it belongs, with another page size
    assertEquals(
        200, service.get("/api/v1/videos?limit=7&status=ready&cursor=" + cursor).statusCode());
  }

  @Test
  @DisplayName("an unknown path is a 404 problem and another method a 405 problem")
  void unknownPath() {
    problem("/api/v1/nothing-here", 404);
    problem("/api/v2/videos", 404);
    problem("/nothing-here", 404); // "/" is the console
    HttpResponse<Buffer> post = Waits.request(service.http.post("/api/v1/videos").send());
    assertEquals(405, post.statusCode());
    assertEquals("application/problem+json", post.getHeader("Content-Type"));
  }

  @Test
  @DisplayName(
      "a query string that cannot be decoded is a 400, and odd but valid text is just searched")
  void oddText() {
    HttpResponse<Buffer> response = service.get("/api/v1/search?query=%zz");
    assertEquals(400, response.statusCode(), response.bodyAsString());
    for (String q :
        List.of(
            "%27%3B%20DROP%20TABLE%20videos%3B--",
            "%E2%9C%93%F0%9F%8E%B8", "a%26b%7Cc%21", "%5C%25_%25")) {
      assertEquals(200, service.get("/api/v1/search?query=" + q).statusCode(), q);
      assertEquals(200, service.get("/api/v1/search/suggestions?query=" + q).statusCode(), q);
    }
    assertTrue(service.count("SELECT count(*) FROM videos") > 0, "nothing was dropped");
  }

  @ParameterizedTest(name = "{0} is refused naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
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
      service.getJson("/api/v1/search?query=" + query);
      service.getJson("/api/v1/search/suggestions?query=" + query);
    }
  }

  @ParameterizedTest(name = "query=\"{0}\"")
  @ValueSource(strings = {"%20", "%20%20", "%09%0A"})
  @DisplayName("a query that is only white space is a 400 naming query")
  void blankQuery(String query) {
    rejects("/api/v1/search/suggestions?query=" + query, "query");
    rejects("/api/v1/search?query=" + query, "query");
    rejects("/api/v1/search/stream?query=" + query, "query");
  }

  @ParameterizedTest(name = "{0} is refused naming {1}")
  @CsvSource(
      delimiter = '|',
      value = {
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
