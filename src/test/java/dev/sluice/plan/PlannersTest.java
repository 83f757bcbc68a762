package dev.sluice.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.Operation;
import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import dev.sluice.cache.CacheKey;
import dev.sluice.config.SluiceConfig;
import dev.sluice.stream.StreamProtocol;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Planning with no database: what a request's parameters become (the cache key that decides which
 * requests share a reply) and what they are refused with (the problem a client reads), as the
 * gateway and the loaders both plan.
 */
@DisplayName(
    "Planning reads a request into a cache key, or into a 400 that names every bad parameter")
class PlannersTest {

  static final SluiceConfig SETTINGS =
      SluiceConfig.from(
          new JsonObject().put("cursor", new JsonObject().put("secret", "planners-test-secret")));
  static final Planners PLANNERS = Planners.create(SETTINGS);
  static final CursorCodec CURSORS =
      new CursorCodec(
          "planners-test-secret",
          Duration.ofHours(1),
          Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
  static final String VIDEO_KEY_AT = "2026-11-01 10:00:00.123456+00";
  static final String VIDEO_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

  static CacheKey key(Operation operation, JsonObject request) {
    return PLANNERS.plan(operation, request).key();
  }

  /** The problem planning {@code request} is refused with. */
  static Problem refused(Operation operation, JsonObject request) {
    return assertThrows(ProblemException.class, () -> PLANNERS.plan(operation, request)).problem();
  }

  static Problem streamRefused(Operation operation, JsonObject request) {
    return assertThrows(
            ProblemException.class, () -> PLANNERS.streamRequest(operation, request, CURSORS))
        .problem();
  }

  static List<String> named(Problem problem) {
    return problem.errors().stream().map(Problem.ParameterError::parameter).toList();
  }

  /** A 400 whose errors name exactly {@code parameters}, in the order read. */
  static void assertNames(Problem problem, String... parameters) {
    assertEquals(400, problem.status(), () -> problem.toJson().encode());
    assertEquals(List.of(parameters), named(problem), () -> problem.toJson().encode());
  }

  // ---- keys ----

  @Test
  @DisplayName(
      "the same parameters in another order, or as a bus client's JSON numbers, plan the same key")
  void sameRequestSameKey() {
    CacheKey key =
        key(
            Operation.VIDEOS,
            new JsonObject()
                .put("status", "ready")
                .put("category", "music")
                .put("limit", "20")
                .put("sort", "-view_count"));
    assertEquals(
        key,
        key(
            Operation.VIDEOS,
            new JsonObject()
                .put("sort", "-view_count")
                .put("limit", "20")
                .put("category", "music")
                .put("status", "ready")));
    assertEquals(
        key,
        key(
            Operation.VIDEOS,
            new JsonObject()
                .put("limit", 20)
                .put("status", "ready")
                .put("sort", "-view_count")
                .put("category", "music")));
    assertEquals("videos", key.family());
    assertTrue(
        key.tables().contains("public.videos"),
        "a write to public.videos drops it: " + key.tables());
  }

  @Test
  @DisplayName("a parameter left out and the same parameter at its default plan the same key")
  void defaultsSpelledOut() {
    assertEquals(
        key(Operation.VIDEOS, new JsonObject()),
        key(
            Operation.VIDEOS,
            new JsonObject().put("limit", "50").put("sort", "-created_at").put("count", "none")));
    assertEquals(
        key(Operation.TEMPLATES, new JsonObject()),
        key(Operation.TEMPLATES, new JsonObject().put("page", "1")));
  }

  @Test
  @DisplayName("every parameter that changes the answer changes the key")
  void differentRequestDifferentKey() {
    List<JsonObject> requests =
        List.of(
            new JsonObject(),
            new JsonObject().put("status", "ready"),
            new JsonObject().put("status", "draft"),
            new JsonObject().put("category", "music"),
            new JsonObject().put("user_id", VIDEO_ID),
            new JsonObject().put("sort", "title"),
            new JsonObject().put("limit", "51"),
            new JsonObject().put("count", "exact"),
            new JsonObject().put("cursor", "a-cursor"),
            new JsonObject().put("ids", VIDEO_ID));
    Set<CacheKey> keys = new java.util.HashSet<>();
    for (JsonObject request : requests) {
      assertTrue(
          keys.add(key(Operation.VIDEOS, request)),
          () -> request.encode() + " planned a key seen already");
    }
  }

  @Test
  @DisplayName("the same filter on two operations, or two pages of one listing, are different keys")
  void operationsAndPagesApart() {
    JsonObject creators = new JsonObject().put("role", "creator");
    assertNotEquals(
        key(Operation.USERS, creators),
        key(Operation.USER_RANGE, creators.copy().put("start_index", "0").put("end_index", "50")));
    assertNotEquals(
        key(Operation.TEMPLATES, new JsonObject().put("page", "1")),
        key(Operation.TEMPLATES, new JsonObject().put("page", "2")));
    assertNotEquals(
        key(Operation.USER_RANGE, new JsonObject().put("start_index", "0").put("end_index", "50")),
        key(
            Operation.USER_RANGE,
            new JsonObject().put("start_index", "50").put("end_index", "100")));
  }

  @Test
  @DisplayName("two spellings of one instant, and a date and its midnight, plan the same window")
  void windowsByInstant() {
    CacheKey utc =
        key(
            Operation.PLATFORM_ANALYTICS,
            new JsonObject()
                .put("start_date", "2026-01-10T00:00:00Z")
                .put("end_date", "2026-01-11T00:00:00Z"));
    assertEquals(
        utc,
        key(
            Operation.PLATFORM_ANALYTICS,
            new JsonObject()
                .put("start_date", "2026-01-10T05:30:00+05:30")
                .put("end_date", "2026-01-10T19:00:00-05:00")));
    assertEquals(
        utc,
        key(
            Operation.PLATFORM_ANALYTICS,
            new JsonObject().put("start_date", "2026-01-10").put("end_date", "2026-01-11")));
    assertNotEquals(
        utc,
        key(
            Operation.PLATFORM_ANALYTICS,
            new JsonObject()
                .put("start_date", "2026-01-10")
                .put("end_date", "2026-01-11")
                .put("bucket", "1h")));
  }

  @Test
  @DisplayName("a batch is planned from its ids in the order asked: another order is another reply")
  void batchesByIds() {
    String other = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    CacheKey asked = key(Operation.VIDEOS, new JsonObject().put("ids", VIDEO_ID + "," + other));
    assertEquals(
        asked, key(Operation.VIDEOS, new JsonObject().put("ids", VIDEO_ID + ", " + other)));
    assertNotEquals(
        asked, key(Operation.VIDEOS, new JsonObject().put("ids", other + "," + VIDEO_ID)));
  }

  // ---- refusals ----

  @ParameterizedTest(name = "{0} {1} is refused naming {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "VIDEOS | {\"limit\":\"0\"} | limit",
        "VIDEOS | {\"limit\":\"1001\"} | limit",
        "VIDEOS | {\"status\":\"published\"} | status",
        "VIDEOS | {\"sort\":\"views\"} | sort",
        "VIDEOS | {\"count\":\"all\"} | count",
        "VIDEOS | {\"user_id\":\"42\"} | user_id",
        "VIDEOS | {\"ids\":\"" + VIDEO_ID + "\",\"status\":\"ready\"} | ids",
        "TEMPLATES | {\"per_page\":\"101\"} | per_page",
        "TEMPLATES | {\"page\":\"1.5\"} | page",
        "USERS | {\"is_active\":\"yes\"} | is_active",
        "USER_RANGE | {\"end_index\":\"10\"} | start_index",
        "USER_RANGE | {\"start_index\":\"10\",\"end_index\":\"10\"} | end_index",
        "USER_ANALYTICS | {\"start\":\"2026-01-10\",\"end\":\"2026-01-09\"} | end",
        "USER_ANALYTICS | {\"bucket\":\"2h\"} | bucket",
        "PLATFORM_ANALYTICS | {\"metrics\":\"views,views\"} | metrics",
        "ERROR_LOGS | {\"severity\":\"fatal\"} | severity",
        "POPULAR_VIDEOS | {\"days\":\"366\"} | days",
        "SEARCH | {} | query",
        "SEARCH | {\"query\":\" \"} | query",
        "SUGGESTIONS | {\"query\":\"gu\\u0000\"} | query",
      })
  @DisplayName("a bad parameter is a 400 invalid-parameter that names it")
  void badParameter(Operation operation, String request, String parameter) {
    Problem problem = refused(operation, new JsonObject(request));
    assertNames(problem, parameter);
    assertEquals("invalid-parameter", problem.type());
    assertTrue(problem.detail().startsWith(parameter + " "), problem.detail());
  }

  @Test
  @DisplayName("every bad parameter of a request is named in one problem")
  void everyFaultAtOnce() {
    Problem problem =
        refused(
            Operation.VIDEOS,
            new JsonObject().put("limit", "0").put("status", "bogus").put("sort", "nope"));
    assertEquals(400, problem.status());
    assertEquals(Set.of("limit", "status", "sort"), Set.copyOf(named(problem)));
    assertTrue(problem.detail().endsWith("(and 2 more)"), problem.detail());
  }

  @Test
  @DisplayName("a parameter given twice is refused, naming it")
  void givenTwice() {
    Problem problem =
        refused(
            Operation.TEMPLATES,
            new JsonObject().put("page", new io.vertx.core.json.JsonArray().add("1").add("2")));
    assertNames(problem, "page");
  }

  @Test
  @DisplayName("a stream asked of the page planner, and a page of the stream planner, is a 404")
  void wrongKindOfOperation() {
    assertEquals(404, refused(Operation.VIDEO_STREAM, new JsonObject()).status());
    assertEquals(404, streamRefused(Operation.VIDEOS, new JsonObject()).status());
    assertFalse(PLANNERS.plans(Operation.VIDEO_STREAM));
    assertTrue(PLANNERS.plans(Operation.VIDEOS));
  }

  // ---- stream requests ----

  /** A position in the videos stream listed with {@code filters}, as the loader signs it. */
  static String position(JsonObject filters) {
    String binding =
        CursorCodec.binding(
            PLANNERS.streamRequest(Operation.VIDEO_STREAM, filters, CURSORS).query().canonical());
    return CURSORS.encode(
        Operation.VIDEO_STREAM.qualifiedName(), binding, false, List.of(VIDEO_KEY_AT, VIDEO_ID));
  }

  @Test
  @DisplayName("a stream starts after and ends at positions of its own listing")
  void streamPositions() {
    JsonObject ready = new JsonObject().put("status", "ready");
    String at = position(ready);
    Planners.StreamRequest request =
        PLANNERS.streamRequest(
            Operation.VIDEO_STREAM, ready.copy().put("after", at).put("until", at), CURSORS);
    assertEquals(List.of(VIDEO_KEY_AT, VIDEO_ID), request.after());
    assertEquals(List.of(VIDEO_KEY_AT, VIDEO_ID), request.until());
    assertFalse(request.following());
    Planners.StreamRequest whole = PLANNERS.streamRequest(Operation.VIDEO_STREAM, ready, CURSORS);
    assertNull(whole.after());
    assertNull(whole.until());
    assertNull(whole.snapshot());
  }

  @Test
  @DisplayName(
      "a forged position, or one of another listing, is a 400 invalid-cursor naming where it came")
  void foreignPositions() {
    String ready = position(new JsonObject().put("status", "ready"));
    for (String parameter : List.of("after", "until")) {
      Problem forged =
          streamRefused(Operation.VIDEO_STREAM, new JsonObject().put(parameter, "garbage"));
      assertEquals("invalid-cursor", forged.type());
      assertNames(forged, parameter);
      Problem foreign =
          streamRefused(
              Operation.VIDEO_STREAM,
              new JsonObject().put("status", "draft").put(parameter, ready));
      assertEquals("invalid-cursor", foreign.type());
      assertNames(foreign, parameter);
    }
    // an SSE client's resume position arrives as a header, and is blamed as that header
    assertNames(
        streamRefused(
            Operation.VIDEO_STREAM, new JsonObject().put(StreamProtocol.LAST_EVENT_ID, "garbage")),
        StreamProtocol.LAST_EVENT_ID);
    assertNames(
        streamRefused(
            Operation.VIDEO_STREAM,
            new JsonObject().put("after", "x".repeat(Bounds.MAX_CURSOR + 1))),
        "after");
  }

  @Test
  @DisplayName(
      "follow=true keeps the streams that can follow open, cannot be bounded by until, and is ignored by "
          + "the others")
  void follow() {
    JsonObject recent = new JsonObject().put("time_range", "1h").put("follow", "true");
    assertTrue(PLANNERS.streamRequest(Operation.PERFORMANCE_STREAM, recent, CURSORS).following());
    assertFalse(
        PLANNERS
            .streamRequest(Operation.VIDEO_STREAM, new JsonObject().put("follow", "true"), CURSORS)
            .following());
    assertNames(
        streamRefused(Operation.PERFORMANCE_STREAM, recent.copy().put("until", "anything")),
        "until");
    assertNames(
        streamRefused(Operation.PERFORMANCE_STREAM, recent.copy().put("follow", "maybe")),
        "follow");
  }

  @Test
  @DisplayName(
      "a snapshot is an exported snapshot's id or a 400 naming snapshot: nothing else reaches the SQL")
  void snapshots() {
    String id = "00000003-0000001B-1";
    assertEquals(
        id,
        PLANNERS
            .streamRequest(Operation.VIDEO_STREAM, new JsonObject().put("snapshot", id), CURSORS)
            .snapshot());
    for (String bad :
        List.of("x'; DROP TABLE videos; --", "00000003-0000001B", "0000000g-0000001B-1")) {
      assertNames(
          streamRefused(Operation.VIDEO_STREAM, new JsonObject().put("snapshot", bad)), "snapshot");
    }
    assertNames(
        streamRefused(
            Operation.PERFORMANCE_STREAM,
            new JsonObject().put("follow", "true").put("snapshot", id)),
        "snapshot");
  }

  @Test
  @DisplayName(
      "a stream's filters are checked as a page's are, with its position faults in the same problem")
  void streamFilters() {
    assertNames(
        streamRefused(Operation.VIDEO_STREAM, new JsonObject().put("status", "bogus")), "status");
    assertNames(
        streamRefused(Operation.PERFORMANCE_STREAM, new JsonObject().put("time_range", "2y")),
        "time_range");
    Problem both =
        streamRefused(
            Operation.USER_STREAM, new JsonObject().put("role", "root").put("snapshot", "nope"));
    assertEquals(Set.of("role", "snapshot"), Set.copyOf(named(both)));
  }
}
