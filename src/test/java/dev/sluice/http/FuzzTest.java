package dev.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.Service;
import dev.sluice.api.Parameter;
import dev.sluice.api.ProblemException;
import dev.sluice.config.SluiceConfig;
import dev.sluice.plan.CursorCodec;
import dev.sluice.plan.Operations;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random values at every query and path parameter of every endpoint (control characters, NULs,
 * invalid UTF-8, huge and overflowing numbers, odd dates and lists) and random bytes at the cursor
 * decoder: no answer is a 5xx, every 4xx is problem+json that leaks nothing.
 */
@net.jqwik.api.Tag(
    dev.sluice.EndToEnd.TAG) // a jqwik container: JUnit's @EndToEnd does not reach it
class FuzzTest {

  /**
   * Each endpoint's path (with {@code {name}} for a path parameter) and its query parameters, as
   * declared.
   */
  static final Map<String, List<String>> ENDPOINTS =
      endpoints(Operations.create(SluiceConfig.from(new JsonObject())));

  /**
   * A valid value for each path parameter, so that a query parameter's fuzzing reaches its
   * validation.
   */
  static final Map<String, String> PATH_VALUES =
      pathValues(Operations.create(SluiceConfig.from(new JsonObject())));

  /**
   * What the fuzzing sends parameters to: every declared operation's route and query parameters.
   */
  static Map<String, List<String>> endpoints(Operations operations) {
    Map<String, List<String>> endpoints = new java.util.LinkedHashMap<>();
    operations.all().forEach(spec -> endpoints.put(spec.path(), spec.queryParameters()));
    return endpoints;
  }

  /**
   * A valid value of every declared path parameter: a UUID, or the first of the values it takes.
   */
  static Map<String, String> pathValues(Operations operations) {
    Map<String, String> values = new java.util.HashMap<>();
    operations
        .all()
        .forEach(
            spec ->
                spec.parameters().stream()
                    .filter(p -> p.in() == Parameter.In.PATH)
                    .forEach(
                        p ->
                            values.put(
                                p.name(),
                                p.kind() == Parameter.Kind.UUID
                                    ? "00000000-0000-0000-0000-000000000001"
                                    : p.values().get(0))));
    return values;
  }

  static Service service;

  @BeforeContainer
  static void start() {
    service = Service.start();
  }

  @AfterContainer
  static void stop() {
    service.close();
  }

  @Property(tries = 3000)
  void queryParameters(
      @ForAll("endpoints") String path,
      @ForAll("names") String pick,
      @ForAll("values") byte[] value) {
    List<String> names = ENDPOINTS.get(path);
    String name =
        names.isEmpty() || pick.equals("?")
            ? "unknown"
            : names.get(Math.abs(pick.hashCode()) % names.size());
    String query =
        "search".equals(path.split("/")[3]) && !"query".equals(name) ? "query=guitar&" : "";
    answersWithoutFault(resolve(path, Map.of()) + "?" + query + encode(name) + "=" + encode(value));
  }

  @Property(tries = 1000)
  void pathParameters(
      @ForAll("endpointsWithPathParameters") String path, @ForAll("values") byte[] value) {
    String name = path.substring(path.indexOf('{') + 1, path.indexOf('}'));
    answersWithoutFault(resolve(path, Map.of(name, encode(value))));
  }

  @Property(tries = 300)
  void repeatedAndCombined(
      @ForAll("endpoints") String path, @ForAll("values") byte[] a, @ForAll("values") byte[] b) {
    List<String> names = ENDPOINTS.get(path);
    if (names.isEmpty()) {
      return;
    }
    String name = names.get(Math.floorMod(java.util.Arrays.hashCode(a), names.size()));
    String other = names.get(Math.floorMod(java.util.Arrays.hashCode(b), names.size()));
    answersWithoutFault(
        resolve(path, Map.of())
            + "?"
            + encode(name)
            + "="
            + encode(a)
            + "&"
            + encode(other)
            + "="
            + encode(b)
            + "&"
            + encode(name)
            + "="
            + encode(b));
  }

  @Property(tries = 5000)
  void cursorDecoder(@ForAll("values") byte[] token) {
    CursorCodec codec = new CursorCodec("fuzz-secret", Duration.ofHours(1), Clock.systemUTC());
    String text = new String(token, StandardCharsets.UTF_8);
    try {
      codec.decode(text, "cursor", "sluice.videos/videos", "binding", 2);
    } catch (ProblemException e) {
      assertEquals(400, e.problem().status(), e.problem()::toString);
    }
  }

  private static void answersWithoutFault(String uri) {
    answersWithoutFault(service, uri);
  }

  /**
   * Asks {@code service} for {@code uri}: no 5xx, every 4xx a problem that leaks nothing of the
   * implementation.
   */
  static void answersWithoutFault(Service service, String uri) {
    HttpResponse<Buffer> response =
        service.http.get(uri).timeout(20_000).send().timeout(30, TimeUnit.SECONDS).await();
    int status = response.statusCode();
    assertTrue(status < 500, () -> uri + " -> " + status + " " + response.bodyAsString());
    if (status >= 400) {
      assertEquals(Problems.CONTENT_TYPE, response.getHeader("Content-Type"), uri);
      String body = response.bodyAsString();
      JsonObject problem = new JsonObject(body);
      assertEquals(status, problem.getInteger("status"), uri);
      // a problem may name the value at fault: the request's own values are taken out of its words
      // before looking
      String words =
          problem.getString("detail", "")
              + " "
              + problem.getJsonArray("errors", new io.vertx.core.json.JsonArray()).encode();
      int query = uri.indexOf('?');
      if (query >= 0) {
        for (String pair : uri.substring(query + 1).split("&")) {
          String value =
              java.net.URLDecoder.decode(
                  pair.substring(pair.indexOf('=') + 1).replace("+", "%2B"),
                  StandardCharsets.UTF_8);
          // as it is, as JSON escapes it, and as a problem abbreviates it (its first 40 characters)
          for (String shown : List.of(value, value.substring(0, Math.min(40, value.length())))) {
            String escaped = new JsonObject().put("v", shown).encode();
            if (!shown.isEmpty()) {
              words =
                  words.replace(escaped.substring(6, escaped.length() - 2), "").replace(shown, "");
            }
          }
        }
      }
      String checked = words;
      for (String leak : List.of("Exception", "\tat ", "SELECT", "pg_", "java.")) {
        assertFalse(checked.contains(leak), () -> uri + " leaks " + leak + ": " + body);
      }
    }
  }

  private static String resolve(String path, Map<String, String> values) {
    String resolved = path;
    for (Map.Entry<String, String> p : PATH_VALUES.entrySet()) {
      resolved =
          resolved.replace("{" + p.getKey() + "}", values.getOrDefault(p.getKey(), p.getValue()));
    }
    return resolved;
  }

  /**
   * Percent-encodes every byte that is not unreserved: the bytes arrive as they are, invalid UTF-8
   * included.
   */
  static String encode(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  static String encode(String text) {
    return encode(text.getBytes(StandardCharsets.UTF_8));
  }

  @Provide
  Arbitrary<String> endpoints() {
    return Arbitraries.of(ENDPOINTS.keySet());
  }

  @Provide
  Arbitrary<String> endpointsWithPathParameters() {
    return Arbitraries.of(ENDPOINTS.keySet().stream().filter(p -> p.contains("{")).toList());
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .alpha()
        .ofMaxLength(3)
        .injectDuplicates(0.1)
        .edgeCases(e -> e.add("?"));
  }

  /**
   * Values as the bytes a client may send: text of every kind, numbers past every bound, raw
   * invalid UTF-8.
   */
  @Provide
  Arbitrary<byte[]> values() {
    return anyValue();
  }

  /** Values as the bytes a client may send ({@link #values()}). */
  static Arbitrary<byte[]> anyValue() {
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(40),
            Arbitraries.strings()
                .withCharRange('\u0000', '\u001f')
                .withChars('\u007f', '\u0085', '\u2028', '\ufeff')
                .ofMinLength(1)
                .ofMaxLength(6),
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
            Arbitraries.of(
                "",
                " ",
                "  ",
                "0",
                "-0",
                "-1",
                "1",
                "00001",
                "2147483648",
                "-2147483649",
                "9223372036854775808",
                "99999999999999999999999999",
                "1e309",
                "1.5",
                "NaN",
                "Infinity",
                "-Infinity",
                "0x10",
                "true",
                "false",
                "TRUE",
                "null",
                "undefined",
                "%",
                "%%",
                "%zz",
                "../../etc/passwd",
                ",",
                ",,",
                "a,,b",
                "0,",
                "1,2,3",
                "2026-01-15",
                "2026-13-45",
                "2026-02-30T00:00Z",
                "9999-12-31T23:59Z",
                "+100000-01-01T00:00Z",
                "-999999999-01-01T00:00Z",
                "0000-01-01T00:00Z",
                "2026-01-15T10:30:00+14:00",
                "2026-01-15T10:30:00-18:01",
                "2026-01-15T10:30:00.123456789Z",
                "1d",
                "0m",
                "-5m",
                "999999999d",
                "1y",
                "5 m",
                "1h1m",
                "x".repeat(5000),
                "00000000-0000-0000-0000-000000000000",
                "00000000-0000-0000-0000-00000000000g",
                "00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002",
                "select * from videos; --",
                "' OR 1=1 --",
                "\\",
                "\"",
                "'",
                "\u0000",
                "a\u0000b",
                "é",
                "😀",
                "\uFFFD"),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.bigIntegers()
                .between(
                    java.math.BigInteger.TEN.pow(18).negate(), java.math.BigInteger.TEN.pow(30))
                .map(String::valueOf),
            Arbitraries.doubles().map(String::valueOf));
    Arbitrary<byte[]> utf8 = text.map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(24);
    Arbitrary<byte[]> broken =
        Combinators.combine(
                text,
                Arbitraries.of((byte) 0xff, (byte) 0xc3, (byte) 0x80, (byte) 0xed, (byte) 0xf4))
            .as(
                (s, b) -> {
                  byte[] head = s.getBytes(StandardCharsets.UTF_8);
                  byte[] out = java.util.Arrays.copyOf(head, head.length + 1);
                  out[head.length] = b;
                  return out;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, utf8),
        net.jqwik.api.Tuple.of(2, raw),
        net.jqwik.api.Tuple.of(2, broken));
  }
}
