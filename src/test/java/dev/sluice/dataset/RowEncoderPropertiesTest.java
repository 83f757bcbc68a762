package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What {@link RowEncoder} writes, Jackson reads back as the same values: whole random rows of every
 * kind of column, NULLs among them, and each kind on its own (strings, timestamps, float texts).
 */
class RowEncoderPropertiesTest {

  private static final JsonFactory JSON = new JsonFactory();

  private static JsonParser parse(Buffer encoded) throws Exception {
    JsonParser parser = JSON.createParser(encoded.getBytes());
    parser.nextToken();
    return parser;
  }

  @Provide
  Arbitrary<String> texts() {
    // any code point PostgreSQL's text can hold: everything but NUL and lone surrogates
    Arbitrary<String> anyCodePoints =
        Arbitraries.integers()
            .between(1, 0x10FFFF)
            .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
            .list()
            .ofMaxSize(40)
            .map(
                cps ->
                    cps.stream()
                        .collect(
                            StringBuilder::new,
                            StringBuilder::appendCodePoint,
                            StringBuilder::append)
                        .toString());
    Arbitrary<String> tricky =
        Arbitraries.of(
                "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t", "\u0001", "\u001f", "\u007f",
                "\u2028", "a", " ", "é", "🎬", "\\u0041")
            .list()
            .ofMaxSize(30)
            .map(parts -> String.join("", parts));
    return Arbitraries.oneOf(anyCodePoints, tricky);
  }

  @Property(tries = 3000)
  void stringsReadBack(@ForAll("texts") String text) throws Exception {
    Buffer out = Buffer.buffer();
    RowEncoder.string(text, out);
    JsonParser parser = parse(out);
    assertEquals(JsonToken.VALUE_STRING, parser.currentToken());
    assertEquals(escaped(text), escaped(parser.getText()));
    assertEquals(null, parser.nextToken(), "one value, nothing after it");
  }

  /**
   * A string with everything outside printable ASCII as {@code U+XXXX}, so a failure can be read in
   * any report.
   */
  private static String escaped(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints()
        .forEach(
            cp -> {
              if (cp >= 0x20 && cp < 0x7f) {
                b.appendCodePoint(cp);
              } else {
                b.append(String.format("U+%04X", cp));
              }
            });
    return b.toString();
  }

  @Provide
  Arbitrary<OffsetDateTime> instants() {
    long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    return Arbitraries.longs()
        .between(min, max)
        .flatMap(
            seconds ->
                Arbitraries.oneOf(
                        Arbitraries.just(0),
                        Arbitraries.integers().between(0, 999_999),
                        Arbitraries.of(100_000, 120_000, 1, 500_000))
                    .map(
                        micros ->
                            Instant.ofEpochSecond(seconds, micros * 1000L)
                                .atOffset(
                                    seconds % 3 == 0 ? ZoneOffset.ofHours(5) : ZoneOffset.UTC)));
  }

  @Provide
  Arbitrary<OffsetDateTime> anyInstants() {
    return Arbitraries.longs()
        .between(-30_610_224_000L, 253_402_300_799L)
        .flatMap(
            seconds ->
                Arbitraries.integers()
                    .between(0, 999_999)
                    .map(
                        micros ->
                            OffsetDateTime.ofInstant(
                                Instant.ofEpochSecond(seconds, micros * 1000L), ZoneOffset.UTC)));
  }

  /**
   * A column's kind and a value of it as the pg client hands it over (a float or numeric as
   * PostgreSQL's text).
   */
  record Cell(Column.Kind kind, Object value) {}

  @Provide
  Arbitrary<java.util.List<Cell>> rows() {
    Arbitrary<Cell> cell =
        Arbitraries.of(Column.Kind.values())
            .flatMap(
                kind -> {
                  Arbitrary<?> values =
                      switch (kind) {
                        case UUID -> Arbitraries.create(java.util.UUID::randomUUID);
                        case TEXT -> texts();
                        case INTEGER -> Arbitraries.integers();
                        case BIGINT -> Arbitraries.longs();
                        case BOOLEAN -> Arbitraries.of(true, false);
                        case TIMESTAMP -> anyInstants();
                        case FLOAT ->
                            Arbitraries.doubles()
                                .map(
                                    d ->
                                        Double.isNaN(d)
                                            ? "NaN"
                                            : Double.isInfinite(d)
                                                ? (d > 0 ? "Infinity" : "-Infinity")
                                                : postgresText(d));
                        case NUMERIC ->
                            Arbitraries.bigDecimals()
                                .ofScale(4)
                                .map(java.math.BigDecimal::toPlainString);
                        // what to_json wrote: here a JSON string of any text
                        case JSON -> texts().map(io.vertx.core.json.Json::encode);
                      };
                  return values.injectNull(0.1).map(value -> new Cell(kind, value));
                });
    return cell.list().ofMinSize(1).ofMaxSize(12);
  }

  /** A JSON number's text as Jackson's parser read it. */
  record Number(String text) {}

  /**
   * A flat JSON object as Jackson reads it, in the fields' order: strings, booleans, nulls and
   * numbers' texts.
   */
  private static java.util.Map<String, Object> object(JsonParser parser) throws Exception {
    assertEquals(JsonToken.START_OBJECT, parser.nextToken());
    java.util.Map<String, Object> read = new java.util.LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      read.put(
          name,
          switch (value) {
            case VALUE_STRING -> parser.getText();
            // numbers as their text, so that the test sees the digits as written, not a value that
            // would equal them
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Number(parser.getText());
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new AssertionError("a flat row holds no " + value);
          });
    }
    assertEquals(JsonToken.END_OBJECT, parser.currentToken());
    assertEquals(null, parser.nextToken(), "one object, nothing after it");
    return read;
  }

  @Property(tries = 3000)
  void rowsReadBack(@ForAll("rows") java.util.List<Cell> row) throws Exception {
    java.util.List<Column> columns = new java.util.ArrayList<>();
    io.vertx.sqlclient.Tuple tuple = io.vertx.sqlclient.Tuple.tuple();
    for (int i = 0; i < row.size(); i++) {
      columns.add(new Column("c" + i, "c" + i, row.get(i).kind()));
      tuple.addValue(row.get(i).value());
    }
    byte[] json = new RowEncoder(columns, 0).encode(tuple, Buffer.buffer()).getBytes();
    java.util.Map<String, Object> read = object(JSON.createParser(json));
    assertEquals(row.size(), read.size());
    int i = 0;
    for (Object field : read.keySet()) {
      assertEquals("c" + i, field, "the fields in the columns' order");
      Cell cell = row.get(i++);
      Object got = read.get(field);
      if (cell.value() == null) {
        assertEquals(null, got);
        continue;
      }
      switch (cell.kind()) {
        case UUID, TEXT -> assertEquals(cell.value().toString(), got);
        case INTEGER, BIGINT -> assertEquals(new Number(cell.value().toString()), got);
        case BOOLEAN -> assertEquals(cell.value(), got);
        // exactly PostgreSQL's text: whole seconds, the fraction's trailing zeros dropped, +00:00
        case TIMESTAMP ->
            assertEquals(
                ((OffsetDateTime) cell.value())
                        .toLocalDateTime()
                        .format(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                    + "+00:00",
                got);
        // PostgreSQL's text as it is: a number, or NaN and the infinities as strings
        case FLOAT, NUMERIC ->
            assertEquals(
                ((String) cell.value()).matches("NaN|-?Infinity")
                    ? cell.value()
                    : new Number((String) cell.value()),
                got);
        // the JSON copied as it is
        case JSON -> assertEquals(io.vertx.core.json.Json.decodeValue((String) cell.value()), got);
      }
    }
  }

  @Property(tries = 3000)
  void timestampsReadBack(@ForAll("instants") OffsetDateTime t) throws Exception {
    Buffer out = Buffer.buffer();
    RowEncoder.timestamp(t, out);
    JsonParser parser = parse(out);
    assertEquals(JsonToken.VALUE_STRING, parser.currentToken());
    assertEquals(
        t.toInstant().truncatedTo(ChronoUnit.MICROS),
        OffsetDateTime.parse(parser.getText()).toInstant());
    assertEquals(true, parser.getText().endsWith("+00:00"), parser.getText());
  }

  /**
   * A float's text as PostgreSQL's float8out shapes it: {@code 100}, {@code 0.1}, {@code 1.5e-05},
   * {@code 1e+300}.
   */
  static String postgresText(double value) {
    String java = Double.toString(value);
    int e = java.indexOf('E');
    String mantissa = e < 0 ? java : java.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    if (e < 0) {
      return mantissa;
    }
    int exponent = Integer.parseInt(java.substring(e + 1));
    return mantissa
        + "e"
        + (exponent < 0 ? "-" : "+")
        + (Math.abs(exponent) < 10 ? "0" : "")
        + Math.abs(exponent);
  }

  @Property(tries = 2000)
  void floatTextsReadBack(@ForAll double value) throws Exception {
    // what row_to_json writes for a float8 is its float8out text: a JSON number (exponent signed,
    // two digits or
    // more), or a string for NaN and the infinities
    String text =
        Double.isNaN(value)
            ? "NaN"
            : Double.isInfinite(value)
                ? (value > 0 ? "Infinity" : "-Infinity")
                : postgresText(value);
    Buffer out = Buffer.buffer();
    RowEncoder.number(text, out);
    JsonParser parser = parse(out);
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      assertEquals(JsonToken.VALUE_STRING, parser.currentToken());
      assertEquals(text, parser.getText(), "as a string, as row_to_json writes it");
    } else {
      assertEquals(true, parser.currentToken().isNumeric(), text);
      assertEquals(value, parser.getDoubleValue(), text);
    }
    assertEquals(null, parser.nextToken(), "one value, nothing after it");
  }
}
