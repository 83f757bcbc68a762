package dev.sluice.data;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes a row of plain columns as the compact JSON object PostgreSQL's {@code row_to_json} gives the same row, byte
 * for byte: the fields in the columns' order; strings escaped as PostgreSQL's {@code escape_json} does (quote and
 * backslash, the short escapes of backspace, form feed, newline, return and tab, other control characters as a
 * six-character escape in lowercase hex, everything else as UTF-8); timestamps as ISO 8601 in UTC with PostgreSQL's
 * fraction (microseconds, trailing zeros dropped) and {@code +00:00}; floats as PostgreSQL's own text of them. One
 * per column list; thread-safe (it holds no state).
 */
public final class RowEncoder {

  private final Column.Kind[] kinds;
  private final int first;
  /** {@code {"name":} for the first field, {@code ,"name":} for the others, as bytes. */
  private final byte[][] prefixes;

  /** Reads {@code columns} from the row's positions {@code first}, {@code first + 1}, … */
  public RowEncoder(List<Column> columns, int first) {
    this.kinds = columns.stream().map(Column::kind).toArray(Column.Kind[]::new);
    this.first = first;
    this.prefixes = new byte[columns.size()][];
    for (int i = 0; i < columns.size(); i++) {
      prefixes[i] = ((i == 0 ? "{" : ",") + "\"" + columns.get(i).name() + "\":").getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Appends the row's JSON object to {@code out}. */
  public Buffer encode(Row row, Buffer out) {
    for (int i = 0; i < prefixes.length; i++) {
      out.appendBytes(prefixes[i]);
      // each value read once, as the pg client decoded it for the column's type
      Object value = row.getValue(first + i);
      if (value == null) {
        out.appendBytes(NULL);
        continue;
      }
      switch (kinds[i]) {
        case UUID -> out.appendByte((byte) '"').appendString(value.toString()).appendByte((byte) '"');
        case TEXT -> string((String) value, out);
        case INTEGER, BIGINT -> out.appendString(value.toString());
        case BOOLEAN -> out.appendBytes((Boolean) value ? TRUE : FALSE);
        case TIMESTAMP -> timestamp((OffsetDateTime) value, out);
        case FLOAT, NUMERIC -> number((String) value, out);
      }
    }
    return out.appendByte((byte) '}');
  }

  /** The row's JSON object as text. */
  public String encode(Row row) {
    return encode(row, Buffer.buffer(256)).toString(StandardCharsets.UTF_8);
  }

  private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** A JSON string as PostgreSQL's {@code escape_json} writes it. */
  static void string(String s, Buffer out) {
    out.appendByte((byte) '"');
    int clean = 0;
    while (clean < s.length() && !needsEscape(s.charAt(clean))) {
      clean++;
    }
    if (clean == s.length()) {
      out.appendString(s);
    } else {
      StringBuilder escaped = new StringBuilder(s.length() + 16).append(s, 0, clean);
      for (int i = clean; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '"' -> escaped.append("\\\"");
          case '\\' -> escaped.append("\\\\");
          case '\b' -> escaped.append("\\b");
          case '\f' -> escaped.append("\\f");
          case '\n' -> escaped.append("\\n");
          case '\r' -> escaped.append("\\r");
          case '\t' -> escaped.append("\\t");
          default -> {
            if (c < 0x20) {
              escaped.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
              escaped.append(c);
            }
          }
        }
      }
      out.appendString(escaped.toString());
    }
    out.appendByte((byte) '"');
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || c == '"' || c == '\\';
  }

  /** {@code "YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00"}, the fraction's trailing zeros dropped, as PostgreSQL writes it. */
  static void timestamp(OffsetDateTime value, Buffer out) {
    OffsetDateTime t = value.withOffsetSameInstant(ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(34).append('"');
    int year = t.getYear();
    if (year < 1000) {
      b.append(year < 10 ? "000" : year < 100 ? "00" : "0");
    }
    b.append(year).append('-');
    two(b, t.getMonthValue()).append('-');
    two(b, t.getDayOfMonth()).append('T');
    two(b, t.getHour()).append(':');
    two(b, t.getMinute()).append(':');
    two(b, t.getSecond());
    int micros = t.getNano() / 1000;
    if (micros != 0) {
      String digits = Integer.toString(1_000_000 + micros).substring(1);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      b.append('.').append(digits, 0, end);
    }
    out.appendString(b.append("+00:00\"").toString());
  }

  private static StringBuilder two(StringBuilder b, int n) {
    return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
  }

  /** PostgreSQL's text of a float as a JSON number; {@code NaN} and the infinities as strings, as it writes them. */
  static void number(String text, Buffer out) {
    if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
      out.appendByte((byte) '"').appendString(text).appendByte((byte) '"');
    } else {
      out.appendString(text);
    }
  }
}
