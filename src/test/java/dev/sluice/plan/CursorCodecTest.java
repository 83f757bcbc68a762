package dev.sluice.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.api.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Cursors are opaque, signed and bound to their query")
class CursorCodecTest {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final String OP = "sluice.videos/videos";
  static final String BINDING = CursorCodec.binding("status=ready&sort=-created_at");
  static final List<String> KEY =
      List.of("2026-11-01 10:00:00.123456+00", "0f8fad5b-d9cb-469f-a165-70867728950e");

  static CursorCodec codec(String secret, Instant at) {
    return new CursorCodec(secret, Duration.ofHours(24), Clock.fixed(at, ZoneOffset.UTC));
  }

  static String reason(Runnable decode) {
    ProblemException e = assertThrows(ProblemException.class, decode::run);
    assertEquals("invalid-cursor", e.problem().type());
    assertEquals(400, e.problem().status());
    return e.problem().detail();
  }

  @Test
  @DisplayName("a cursor decodes to the position it was made from, and is URL-safe")
  void roundTrip() {
    String cursor = codec("k1", NOW).encode(OP, BINDING, true, KEY);
    assertTrue(cursor.matches("[A-Za-z0-9_.-]+"), cursor);
    CursorCodec.Position position = codec("k1", NOW).decode(cursor, "cursor", OP, BINDING, 2);
    assertEquals(KEY, position.key());
    assertTrue(position.backward());
  }

  @Test
  @DisplayName("changing any single character of a cursor makes it invalid")
  void everyByteAltered() {
    CursorCodec codec = codec("k1", NOW);
    String cursor = codec.encode(OP, BINDING, false, KEY);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    for (int i = 0; i < cursor.length(); i++) {
      for (char c :
          new char[] {
            alphabet.charAt(i % alphabet.length()),
            alphabet.charAt((i * 7 + 3) % alphabet.length()),
            '%',
            '='
          }) {
        if (c == cursor.charAt(i)) {
          continue;
        }
        String altered = cursor.substring(0, i) + c + cursor.substring(i + 1);
        reason(() -> codec.decode(altered, "cursor", OP, BINDING, 2));
      }
    }
    reason(() -> codec.decode(cursor.substring(0, cursor.length() - 1), "cursor", OP, BINDING, 2));
    reason(() -> codec.decode(cursor + "A", "cursor", OP, BINDING, 2));
    reason(() -> codec.decode("", "cursor", OP, BINDING, 2));
  }

  @Test
  @DisplayName("a cursor signed with another key is refused")
  void otherKey() {
    String cursor = codec("another-key", NOW).encode(OP, BINDING, false, KEY);
    assertTrue(
        reason(() -> codec("k1", NOW).decode(cursor, "cursor", OP, BINDING, 2))
            .contains("signature"));
  }

  @Test
  @DisplayName("a cursor of another endpoint, or of other filters or sort, is refused")
  void otherQuery() {
    CursorCodec codec = codec("k1", NOW);
    String cursor = codec.encode(OP, BINDING, false, KEY);
    assertTrue(
        reason(() -> codec.decode(cursor, "cursor", "sluice.users/users", BINDING, 2))
            .contains("endpoint"));
    String otherFilter = CursorCodec.binding("status=draft&sort=-created_at");
    assertTrue(
        reason(() -> codec.decode(cursor, "cursor", OP, otherFilter, 2)).contains("filters"));
  }

  @Test
  @DisplayName("a cursor older than its lifetime has expired; one issued in the future is refused")
  void expiry() {
    String cursor = codec("k1", NOW).encode(OP, BINDING, false, KEY);
    codec("k1", NOW.plus(Duration.ofHours(23))).decode(cursor, "cursor", OP, BINDING, 2);
    assertTrue(
        reason(
                () ->
                    codec("k1", NOW.plus(Duration.ofHours(25)))
                        .decode(cursor, "cursor", OP, BINDING, 2))
            .contains("expired"));
    assertTrue(
        reason(
                () ->
                    codec("k1", NOW.minus(Duration.ofHours(1)))
                        .decode(cursor, "cursor", OP, BINDING, 2))
            .contains("future"));
  }
}
