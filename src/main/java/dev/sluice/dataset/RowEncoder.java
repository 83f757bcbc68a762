package dev.sluice.dataset;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Writes a row of plain columns as the compact JSON object PostgreSQL's {@code row_to_json} gives
 * the same row, byte for byte: the fields in the columns' order; strings escaped as PostgreSQL's
 * {@code escape_json} does (quote and backslash, the short escapes of backspace, form feed,
 * newline, return and tab, other control characters as a six-character escape in lowercase hex,
 * everything else as UTF-8); timestamps as ISO 8601 in UTC with PostgreSQL's fraction
 * (microseconds, trailing zeros dropped) and {@code +00:00}; floats and numerics as PostgreSQL's
 * own text of them. A row is written into a byte array of the encoder's own and appended to the
 * buffer in one copy (a {@link Buffer}'s per-byte appends cost more than the encoding itself), so
 * an encoder is used by one thread at a time: one per request or stream.
 */
public final class RowEncoder {

  private final Column.Kind[] kinds;
  private final int first;

  /** {@code {"name":} for the first field, {@code ,"name":} for the others, as bytes. */
  private final byte[][] prefixes;

  private final Sink sink = new Sink();

  /** Reads {@code columns} from the row's positions {@code first}, {@code first + 1}, … */
  public RowEncoder(List<Column> columns, int first) {
    this.kinds = columns.stream().map(Column::kind).toArray(Column.Kind[]::new);
    this.first = first;
    this.prefixes = new byte[columns.size()][];
    for (int i = 0; i < columns.size(); i++) {
      // a name is escaped as a string value is (a column may be called anything)
      Sink name = new Sink().string(columns.get(i).name());
      byte[] prefix = new byte[name.length + 2];
      prefix[0] = (byte) (i == 0 ? '{' : ',');
      System.arraycopy(name.bytes, 0, prefix, 1, name.length);
      prefix[prefix.length - 1] = ':';
      prefixes[i] = prefix;
    }
  }

  /**
   * Appends the row's JSON object to {@code out}; a row is a {@link Tuple} of the values as the pg
   * client decodes them.
   */
  public Buffer encode(Tuple row, Buffer out) {
    Sink s = sink.reset();
    for (int i = 0; i < prefixes.length; i++) {
      s.bytes(prefixes[i]);
      // each value read once, as the pg client decoded it for the column's type
      Object value = row.getValue(first + i);
      if (value == null) {
        s.bytes(NULL);
        continue;
      }
      switch (kinds[i]) {
        case UUID -> s.uuid((UUID) value);
        case TEXT -> s.string((String) value);
        case INTEGER, BIGINT -> s.number(((Number) value).longValue());
        case BOOLEAN -> s.bytes((Boolean) value ? TRUE : FALSE);
        case TIMESTAMP -> s.timestamp((OffsetDateTime) value, true);
        case FLOAT, NUMERIC -> s.numberText((String) value);
        case JSON -> s.json((String) value);
      }
    }
    s.put('}');
    return s.to(out);
  }

  /** The row's JSON object as text. */
  public String encode(Tuple row) {
    return encode(row, Buffer.buffer(256)).toString(StandardCharsets.UTF_8);
  }

  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UTC = "+00:00".getBytes(StandardCharsets.US_ASCII);

  /**
   * What vertx-pg-client 5.0.7 decodes PostgreSQL's binary {@code -infinity} timestamptz to: its
   * epoch (2000-01-01) plus {@code Long.MIN_VALUE} microseconds, a day 290,279 years BC (it maps
   * {@code infinity} to {@code OffsetDateTime.MAX}, but misses its own sentinel for {@code
   * -infinity}). No finite timestamptz is that early.
   */
  private static final OffsetDateTime PG_MINUS_INFINITY =
      OffsetDateTime.of(
          java.time.LocalDateTime.of(2000, 1, 1, 0, 0)
              .plus(Long.MIN_VALUE, java.time.temporal.ChronoUnit.MICROS),
          ZoneOffset.UTC);

  private static final byte[] BC = " BC".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFINITY = "infinity".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MINUS_INFINITY = "-infinity".getBytes(StandardCharsets.US_ASCII);

  /** {@code POWERS[n]} is 10^n, up to 10^18. */
  private static final long[] POWERS = new long[19];

  static {
    POWERS[0] = 1;
    for (int i = 1; i < POWERS.length; i++) {
      POWERS[i] = POWERS[i - 1] * 10;
    }
  }

  private static final byte[] MIN_LONG =
      Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

  /** A JSON string as PostgreSQL's {@code escape_json} writes it. */
  static void string(String s, Buffer out) {
    new Sink().string(s).to(out);
  }

  /**
   * {@code "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00"}, the fraction's trailing zeros dropped, as
   * PostgreSQL writes it.
   */
  static void timestamp(OffsetDateTime value, Buffer out) {
    new Sink().timestamp(value, true).to(out);
  }

  /**
   * The timestamp as {@link #timestamp} writes it, without the quotes: ISO 8601, which PostgreSQL
   * reads back.
   */
  public static String timestampText(OffsetDateTime value) {
    Sink s = new Sink().timestamp(value, false);
    return new String(s.bytes, 0, s.length, StandardCharsets.US_ASCII);
  }

  /**
   * PostgreSQL's text of a float as a JSON number; {@code NaN} and the infinities as strings, as it
   * writes them.
   */
  static void number(String text, Buffer out) {
    new Sink().numberText(text).to(out);
  }

  /** A growing byte array that JSON is written into, then appended to a buffer in one copy. */
  private static final class Sink {
    private byte[] bytes = new byte[512];
    private int length;

    Sink reset() {
      length = 0;
      if (bytes.length > 1 << 20) {
        bytes = new byte[512]; // a huge value once does not hold its room for the rest of a stream
      }
      return this;
    }

    Buffer to(Buffer out) {
      return out.appendBytes(bytes, 0, length);
    }

    private void room(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }

    Sink put(char ascii) {
      room(1);
      bytes[length++] = (byte) ascii;
      return this;
    }

    Sink bytes(byte[] b) {
      room(b.length);
      System.arraycopy(b, 0, bytes, length, b.length);
      length += b.length;
      return this;
    }

    /** The text's UTF-8 as it is: JSON PostgreSQL wrote. */
    Sink utf8(String text) {
      return bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A JSON text as it is, but for its line breaks, written as spaces: in JSON they can only stand
     * between tokens (a {@code json} value keeps the ones it was written with), and a row must be
     * one line of NDJSON or one SSE {@code data:} line.
     */
    Sink json(String text) {
      int from = length;
      utf8(text);
      for (int i = from; i < length; i++) {
        if (bytes[i] == '\n' || bytes[i] == '\r') {
          bytes[i] = ' ';
        }
      }
      return this;
    }

    /** The string's UTF-8 in quotes, escaped as {@code escape_json} does. */
    Sink string(String s) {
      int n = s.length();
      // at most 6 bytes for a char (a control character's escape), 3 for any other
      room(n * 6 + 2);
      byte[] b = bytes;
      int at = length;
      b[at++] = '"';
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          if (c >= 0x20 && c != '"' && c != '\\') {
            b[at++] = (byte) c;
            continue;
          }
          b[at++] = '\\';
          switch (c) {
            case '"' -> b[at++] = '"';
            case '\\' -> b[at++] = '\\';
            case '\b' -> b[at++] = 'b';
            case '\f' -> b[at++] = 'f';
            case '\n' -> b[at++] = 'n';
            case '\r' -> b[at++] = 'r';
            case '\t' -> b[at++] = 't';
            default -> {
              b[at++] = 'u';
              b[at++] = '0';
              b[at++] = '0';
              b[at++] = HEX[c >> 4];
              b[at++] = HEX[c & 0xf];
            }
          }
        } else if (c < 0x800) {
          b[at++] = (byte) (0xc0 | (c >> 6));
          b[at++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          b[at++] = (byte) (0xf0 | (cp >> 18));
          b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          b[at++] = (byte) (0x80 | (cp & 0x3f));
        } else if (Character.isSurrogate(c)) {
          b[at++] =
              '?'; // as String.getBytes writes a lone surrogate (PostgreSQL's text never holds one)
        } else {
          b[at++] = (byte) (0xe0 | (c >> 12));
          b[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
          b[at++] = (byte) (0x80 | (c & 0x3f));
        }
      }
      b[at++] = '"';
      length = at;
      return this;
    }

    Sink number(long v) {
      if (v == Long.MIN_VALUE) {
        return bytes(MIN_LONG);
      }
      room(20);
      if (v < 0) {
        bytes[length++] = '-';
        v = -v;
      }
      int digits = 1;
      while (digits < 19 && v >= POWERS[digits]) {
        digits++;
      }
      int end = length + digits;
      int at = end;
      // two digits per division
      while (v >= 100) {
        int pair = (int) (v % 100);
        v /= 100;
        bytes[--at] = (byte) ('0' + pair % 10);
        bytes[--at] = (byte) ('0' + pair / 10);
      }
      if (v >= 10) {
        bytes[--at] = (byte) ('0' + v % 10);
        v /= 10;
      }
      bytes[--at] = (byte) ('0' + v);
      length = end;
      return this;
    }

    /**
     * PostgreSQL's text of a float or numeric: a number, or {@code NaN} and the infinities as
     * strings.
     */
    Sink numberText(String text) {
      boolean word = text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity");
      room(text.length() + 2);
      if (word) {
        bytes[length++] = '"';
      }
      for (int i = 0; i < text.length(); i++) {
        bytes[length++] = (byte) text.charAt(i);
      }
      if (word) {
        bytes[length++] = '"';
      }
      return this;
    }

    Sink uuid(UUID id) {
      room(38);
      bytes[length++] = '"';
      hex(id.getMostSignificantBits() >>> 32, 8);
      bytes[length++] = '-';
      hex(id.getMostSignificantBits() >>> 16, 4);
      bytes[length++] = '-';
      hex(id.getMostSignificantBits(), 4);
      bytes[length++] = '-';
      hex(id.getLeastSignificantBits() >>> 48, 4);
      bytes[length++] = '-';
      hex(id.getLeastSignificantBits(), 12);
      bytes[length++] = '"';
      return this;
    }

    /** The low {@code digits} hex digits of {@code v}, lowercase. */
    private void hex(long v, int digits) {
      for (int i = length + digits - 1; i >= length; i--) {
        bytes[i] = HEX[(int) (v & 0xf)];
        v >>>= 4;
      }
      length += digits;
    }

    /**
     * {@code YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00} in UTC, the fraction's trailing zeros dropped, as
     * PostgreSQL's XSD style writes it: {@code infinity} and {@code -infinity} for the infinite
     * timestamps (as the pg client hands them over: {@code OffsetDateTime.MAX}, and {@link
     * #PG_MINUS_INFINITY} or {@code MIN}), and a year before 1 AD as its BC year with {@code " BC"}
     * after the offset; maybe quoted.
     */
    Sink timestamp(OffsetDateTime value, boolean quoted) {
      room(40);
      if (quoted) {
        bytes[length++] = '"';
      }
      if (value.equals(OffsetDateTime.MAX)) {
        bytes(INFINITY);
      } else if (value.equals(OffsetDateTime.MIN) || value.equals(PG_MINUS_INFINITY)) {
        bytes(MINUS_INFINITY);
      } else {
        OffsetDateTime t =
            value.getOffset().equals(ZoneOffset.UTC)
                ? value
                : value.withOffsetSameInstant(ZoneOffset.UTC);
        int year = t.getYear();
        boolean bc = year <= 0;
        int shown = bc ? 1 - year : year;
        if (shown < 10_000) {
          fixed(shown, 4);
        } else {
          number(shown);
        }
        bytes[length++] = '-';
        fixed(t.getMonthValue(), 2);
        bytes[length++] = '-';
        fixed(t.getDayOfMonth(), 2);
        bytes[length++] = 'T';
        fixed(t.getHour(), 2);
        bytes[length++] = ':';
        fixed(t.getMinute(), 2);
        bytes[length++] = ':';
        fixed(t.getSecond(), 2);
        int micros = t.getNano() / 1000;
        if (micros != 0) {
          int digits = 6;
          while (micros % 10 == 0) {
            micros /= 10;
            digits--;
          }
          bytes[length++] = '.';
          fixed(micros, digits);
        }
        bytes(UTC);
        if (bc) {
          bytes(BC);
        }
      }
      if (quoted) {
        bytes[length++] = '"';
      }
      return this;
    }

    /** {@code v} in exactly {@code digits} decimal digits, zeros in front. */
    private void fixed(int v, int digits) {
      for (int i = length + digits - 1; i >= length; i--) {
        bytes[i] = (byte) ('0' + v % 10);
        v /= 10;
      }
      length += digits;
    }
  }
}
