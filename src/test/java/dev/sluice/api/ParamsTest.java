package dev.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.config.SluiceConfig;
import dev.sluice.plan.Planners;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName(
    "Parameters are read strictly: ASCII digits, lists without repeats, windows that blame what was given")
class ParamsTest {

  /** The problem reading {@code params} with {@code reader} throws. */
  private static Problem problem(JsonObject params, java.util.function.Consumer<Params> reader) {
    Params read = new Params(params);
    reader.accept(read);
    return assertThrows(ProblemException.class, read::validate).problem();
  }

  /**
   * The problem planning a platform window (start_date, end_date, bucket as declared) with {@code
   * params} gives.
   */
  private static Problem window(JsonObject params) {
    Planners planners = Planners.create(SluiceConfig.from(new JsonObject()));
    return assertThrows(
            ProblemException.class, () -> planners.plan(Operation.PLATFORM_ANALYTICS, params))
        .problem();
  }

  private static String message(Problem problem, String parameter) {
    return problem.errors().stream()
        .filter(e -> e.parameter().equals(parameter))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no error names " + parameter + ": " + problem.toJson().encode()))
        .message();
  }

  @ParameterizedTest(name = "limit=\"{0}\" is refused")
  @ValueSource(
      strings = {
        "٥", "５", "+5", " 5", "5 ", " 5 ", "5.0", "0x5", "5e0", "", "-", "--5", "١٢", "-٥"
      })
  @DisplayName("a number is ASCII digits only: no other script's digits, no sign, no spaces")
  void strictDigits(String value) {
    Problem problem =
        problem(new JsonObject().put("limit", value), p -> p.integer("limit", 1, 1000, 50));
    assertTrue(message(problem, "limit").contains("ASCII digits"), problem.toJson().encode());
  }

  @Test
  @DisplayName("plain digits are read, and a negative number only where the bounds allow one")
  void plainDigits() {
    Params params =
        new Params(new JsonObject().put("limit", "0007").put("offset", "-3").put("bus", 12));
    assertEquals(7, params.integer("limit", 1, 1000, 50));
    assertEquals(-3, params.integer("offset", -10, 10, 0));
    assertEquals(12, params.integer("bus", 1, 100, 0), "a JSON number from an event-bus client");
    params.validate();
    Problem negative =
        problem(new JsonObject().put("limit", "-5"), p -> p.integer("limit", 1, 1000, 50));
    assertEquals(
        "must be between 1 and 1000", message(negative, "limit"), "a number, out of range");
    Problem huge =
        problem(
            new JsonObject().put("limit", "99999999999999999999"),
            p -> p.integer("limit", 1, 1000, 50));
    assertEquals(
        "must be between 1 and 1000", message(huge, "limit"), "digits past a long: out of range");
  }

  @Test
  @DisplayName("a list that names a value twice is refused, naming the value")
  void listRepeats() {
    Problem problem =
        problem(
            new JsonObject().put("metrics", "views,sessions,views"),
            p -> p.listOf("metrics", List.of("views", "sessions", "signups"), List.of("views")));
    assertTrue(message(problem, "metrics").contains("views twice"), problem.toJson().encode());
    Params fine = new Params(new JsonObject().put("metrics", "views,sessions"));
    assertEquals(
        List.of("views", "sessions"),
        fine.listOf("metrics", List.of("views", "sessions"), List.of()));
  }

  @Test
  @DisplayName("ids that list one id twice are refused, naming ids")
  void idRepeats() {
    String id = UUID.randomUUID().toString();
    Problem problem = problem(new JsonObject().put("ids", id + "," + id), p -> p.uuids("ids", 100));
    assertTrue(message(problem, "ids").contains("twice"), problem.toJson().encode());
    String other = UUID.randomUUID().toString();
    assertEquals(
        2, new Params(new JsonObject().put("ids", id + "," + other)).uuids("ids", 100).size());
  }

  @Test
  @DisplayName(
      "a time whose + offset arrived as a space (not percent-encoded) is refused with the fix in words")
  void unencodedOffset() {
    Problem problem =
        problem(
            new JsonObject().put("start", "2026-01-15T10:30:00 05:00"), p -> p.time("start", true));
    assertTrue(message(problem, "start").contains("%2B"), problem.toJson().encode());
    Problem other = problem(new JsonObject().put("start", "yesterday"), p -> p.time("start", true));
    assertTrue(!message(other, "start").contains("%2B"), "no hint where none applies");
  }

  @Test
  @DisplayName(
      "a window given only its start at the last time a request may name blames the start, not the end")
  void windowAtTheEdge() {
    Problem late =
        window(
            new JsonObject().put("start_date", "9999-12-31T23:59:59.999999Z").put("bucket", "1h"));
    assertEquals(
        List.of("start_date"),
        late.errors().stream().map(Problem.ParameterError::parameter).toList(),
        late.toJson().encode());
    Problem early =
        window(new JsonObject().put("end_date", "0001-01-01T00:00:00Z").put("bucket", "1h"));
    assertEquals(
        List.of("end_date"),
        early.errors().stream().map(Problem.ParameterError::parameter).toList(),
        early.toJson().encode());
    Problem both =
        window(
            new JsonObject()
                .put("start_date", "2026-01-02")
                .put("end_date", "2026-01-01")
                .put("bucket", "1h"));
    assertTrue(
        message(both, "end_date").contains("after start_date"), "both given: the end is at fault");
  }

  @Test
  @DisplayName(
      "a parameter given twice, or as an object, is refused; one given once in a list is read")
  void givenOnce() {
    Problem twice =
        problem(
            new JsonObject().put("status", new JsonArray().add("ready").add("draft")),
            p -> p.text("status"));
    assertEquals("must be given once", message(twice, "status"));
    Problem object =
        problem(
            new JsonObject().put("status", new JsonObject().put("a", 1)), p -> p.text("status"));
    assertEquals("must be a single value", message(object, "status"));
    assertEquals(
        "ready",
        new Params(new JsonObject().put("status", new JsonArray().add("ready"))).text("status"));
  }

  @ParameterizedTest(name = "U+{0}")
  @ValueSource(ints = {0x0, 0x1, 0x1B, 0x7F, 0x85, 0xFFFD, 0xD800})
  @DisplayName("a control character, U+FFFD or half a surrogate pair is refused in any parameter")
  void illegible(int c) {
    String value = "gui" + (char) c + "tar";
    Problem problem =
        problem(new JsonObject().put("query", value), p -> p.words("query", 200, true));
    assertEquals(
        List.of("query"),
        problem.errors().stream().map(Problem.ParameterError::parameter).toList());
    assertTrue(
        message(problem, "query")
            .contains(c == 0xFFFD || c == 0xD800 ? "UTF-8" : "control characters"),
        problem.toJson().encode());
  }

  @Test
  @DisplayName(
      "tab, line feed and carriage return are text; words are trimmed, white space alone is refused")
  void words() {
    Params params =
        new Params(new JsonObject().put("query", " \tguitar\r\nriffs ").put("blank", " \t\n"));
    assertEquals("guitar\r\nriffs", params.words("query", 200, true));
    assertEquals(null, params.words("blank", 200, true));
    Problem problem = assertThrows(ProblemException.class, params::validate).problem();
    assertEquals("must not be blank", message(problem, "blank"));
  }

  @Test
  @DisplayName("a length counts characters, not UTF-16 units: three emoji are three characters")
  void lengthInCharacters() {
    assertEquals("🎸🎸🎸", new Params(new JsonObject().put("q", "🎸🎸🎸")).string("q", 1, 3, true));
    Problem problem =
        problem(new JsonObject().put("q", "🎸🎸🎸🎸"), p -> p.string("q", 1, 3, true));
    assertEquals("must be 1 to 3 characters long", message(problem, "q"));
  }

  @Test
  @DisplayName("a required parameter left out is named, once; an optional one is null")
  void required() {
    Problem problem =
        problem(
            new JsonObject(),
            p -> {
              p.uuid("videoId", true);
              p.time("start", true);
              p.string("query", 1, 10, true);
              p.uuid("user_id", false);
            });
    assertEquals(
        List.of("videoId", "start", "query"),
        problem.errors().stream().map(Problem.ParameterError::parameter).toList());
    problem.errors().forEach(e -> assertEquals("is required", e.message()));
  }

  @Test
  @DisplayName(
      "every fault is collected: one problem names them all, its detail the first and how many more")
  void everyFault() {
    Problem problem =
        problem(
            new JsonObject().put("limit", "0").put("status", "bogus").put("is_active", "yes"),
            p -> {
              p.integer("limit", 1, 1000, 50);
              p.oneOf("status", List.of("ready", "draft"), null);
              p.bool("is_active", true);
            });
    assertEquals(400, problem.status());
    assertEquals("invalid-parameter", problem.type());
    assertEquals("must be one of: ready, draft", message(problem, "status"));
    assertEquals("must be true or false", message(problem, "is_active"));
    assertEquals("limit must be between 1 and 1000 (and 2 more)", problem.detail());
  }

  @Test
  @DisplayName(
      "a time is read in UTC at microseconds: a bare date is its midnight, an offset is moved, nanoseconds "
          + "are cut")
  void times() {
    Params params =
        new Params(
            new JsonObject()
                .put("date", "2026-01-15")
                .put("offset", "2026-01-15T10:30:00+05:30")
                .put("nanos", "2026-01-15T00:00:00.123456789Z"));
    assertEquals(java.time.OffsetDateTime.parse("2026-01-15T00:00:00Z"), params.time("date", true));
    assertEquals(
        java.time.OffsetDateTime.parse("2026-01-15T05:00:00Z"), params.time("offset", true));
    assertEquals(
        java.time.OffsetDateTime.parse("2026-01-15T00:00:00.123456Z"), params.time("nanos", true));
    params.validate();
  }
}
