package dev.sluice.plan;

import dev.sluice.api.Problem;
import dev.sluice.api.ProblemException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, URL-safe, signed cursors: {@code base64url(payload) "." base64url(HMAC-SHA256(payload))}.
 * The payload names the operation and a digest of the query (filters and sort) it was issued for,
 * the direction, the keyset position and when it was issued. A cursor altered anywhere, signed with
 * another key, presented to another operation or query, or older than the lifetime, is refused with
 * an {@code invalid-cursor} problem.
 */
public final class CursorCodec {

  /**
   * A decoded cursor: where to continue, in which direction, and until when (epoch millis) it is
   * valid.
   */
  public record Position(boolean backward, List<String> key, long validUntil) {}

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final long CLOCK_SKEW_SECONDS = 300;

  private final SecretKeySpec key;
  private final Duration lifetime;
  private final Clock clock;

  /** The codec of the configuration in effect: its secret and lifetime, on the system clock. */
  public static CursorCodec of(dev.sluice.config.CursorConfig config) {
    return new CursorCodec(
        config.secret(), Duration.ofSeconds(config.ttlSeconds()), Clock.systemUTC());
  }

  public CursorCodec(String secret, Duration lifetime, Clock clock) {
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** How long a cursor stays valid. */
  public long lifetimeMillis() {
    return lifetime.toMillis();
  }

  public String encode(String operation, String binding, boolean backward, List<String> keyValues) {
    JsonObject payload =
        new JsonObject()
            .put("o", operation)
            .put("q", binding)
            .put("d", backward ? "p" : "n")
            .put("k", new JsonArray(new ArrayList<>(keyValues)))
            .put("t", clock.instant().getEpochSecond());
    String body = ENCODER.encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8));
    return body + "." + ENCODER.encodeToString(mac(body));
  }

  /**
   * Verifies a cursor for one operation and query.
   *
   * @param parameter the request parameter it came in (named in the problem)
   * @param keySize how many key values the operation's keyset has
   */
  public Position decode(
      String token, String parameter, String operation, String binding, int keySize) {
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.')) {
      throw invalid(parameter, "is malformed");
    }
    String body = token.substring(0, dot);
    byte[] signature = strictDecode(token.substring(dot + 1), parameter);
    if (!MessageDigest.isEqual(signature, mac(body))) {
      throw invalid(parameter, "is not valid: its signature does not match");
    }
    JsonObject payload;
    try {
      payload = new JsonObject(new String(strictDecode(body, parameter), StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw invalid(parameter, "is malformed");
    }
    if (!operation.equals(payload.getString("o"))) {
      throw invalid(parameter, "was issued for another endpoint");
    }
    if (!binding.equals(payload.getString("q"))) {
      throw invalid(parameter, "was issued for other filters or another sort");
    }
    long issued = payload.getLong("t", 0L);
    long now = clock.instant().getEpochSecond();
    if (issued > now + CLOCK_SKEW_SECONDS) {
      throw invalid(parameter, "is not valid: issued in the future");
    }
    if (now - issued > lifetime.toSeconds()) {
      throw invalid(parameter, "has expired; start again without it");
    }
    JsonArray keyValues = payload.getJsonArray("k");
    if (keyValues == null || keyValues.size() != keySize) {
      throw invalid(parameter, "is malformed");
    }
    List<String> values = new ArrayList<>(keySize);
    for (int i = 0; i < keySize; i++) {
      Object value = keyValues.getValue(i);
      if (value != null && !(value instanceof String)) {
        throw invalid(parameter, "is malformed");
      }
      values.add((String) value); // null: a NULL in a nullable sort column
    }
    return new Position(
        "p".equals(payload.getString("d")),
        java.util.Collections.unmodifiableList(values),
        (issued + lifetime.toSeconds()) * 1000);
  }

  /** A short digest of a canonical description of the query a cursor belongs to. */
  public static String binding(String canonicalQuery) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalQuery.getBytes(StandardCharsets.UTF_8));
      return ENCODER.encodeToString(java.util.Arrays.copyOf(digest, 12));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] mac(String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decodes base64url and refuses any text that is not the one canonical encoding of its bytes. */
  private static byte[] strictDecode(String text, String parameter) {
    try {
      byte[] bytes = DECODER.decode(text);
      if (!ENCODER.encodeToString(bytes).equals(text)) {
        throw invalid(parameter, "is malformed");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw invalid(parameter, "is malformed");
    }
  }

  private static ProblemException invalid(String parameter, String message) {
    return new ProblemException(Problem.invalidCursor(parameter, message));
  }
}
