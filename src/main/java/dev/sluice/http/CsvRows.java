package dev.sluice.http;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Rows as CSV (RFC 4180; docs/API.md 8.2), made from the JSON lines a stream carries: one record a
 * row, {@code \r\n} line ends, each field the value as the row's JSON writes it, a string without
 * its JSON quotes (unescaped), an array or a {@code json}/{@code jsonb} value as its JSON text,
 * NULL an empty unquoted field and the empty string {@code ""}. A field that holds a comma, a quote
 * or a line break is quoted, its quotes doubled.
 */
final class CsvRows {

  private static final byte[] CRLF = {'\r', '\n'};

  private CsvRows() {}

  /**
   * A stream's columns: their names, and which hold JSON values ({@code json}, {@code jsonb}),
   * written as their JSON text (a JSON string with its quotes, a JSON null as {@code null}).
   */
  record Layout(List<String> names, boolean[] json) {}

  /** The header record: the column names. */
  static Buffer header(List<String> columns) {
    Buffer out = Buffer.buffer();
    for (int i = 0; i < columns.size(); i++) {
      if (i > 0) {
        out.appendByte((byte) ',');
      }
      field(columns.get(i), false, out);
    }
    return out.appendBytes(CRLF);
  }

  /**
   * Each line of {@code lines} (compact JSON objects, {@code \n} after each) as a record; the
   * values of the columns {@code json} marks as their JSON text.
   */
  static Buffer records(Buffer lines, boolean[] json) {
    byte[] b = lines.getBytes();
    Buffer out = Buffer.buffer(b.length + 64);
    int at = 0;
    while (at < b.length) {
      int end = at;
      while (end < b.length && b[end] != '\n') {
        end++;
      }
      if (end > at) {
        record(b, at, end, json, out);
        out.appendBytes(CRLF);
      }
      at = end + 1;
    }
    return out;
  }

  /** One JSON object in {@code b[from, to)} as a record: its values in order. */
  private static void record(byte[] b, int from, int to, boolean[] json, Buffer out) {
    int i = skipSpace(b, from, to);
    if (i >= to || b[i] != '{') {
      throw new IllegalArgumentException("not a JSON object");
    }
    i++;
    int column = 0;
    while (true) {
      i = skipSpace(b, i, to);
      if (i >= to || b[i] == '}') {
        return;
      }
      if (b[i] == ',') {
        i = skipSpace(b, i + 1, to);
      }
      i = stringEnd(b, i, to); // the name
      i = skipSpace(b, i, to);
      i = skipSpace(b, i + 1, to); // the colon
      int start = i;
      int end = valueEnd(b, i, to);
      if (column > 0) {
        out.appendByte((byte) ',');
      }
      if (column < json.length && json[column] && b[start] != 'n') {
        // a JSON value as its JSON text; null (SQL's NULL, or JSON's: a row's JSON holds no
        // difference) is the empty field of any NULL
        field(new String(b, start, end - start, StandardCharsets.UTF_8), false, out);
      } else {
        value(b, start, end, out);
      }
      column++;
      i = end;
    }
  }

  /** One value's field: a string unescaped, null as nothing, any other as its JSON text. */
  private static void value(byte[] b, int start, int end, Buffer out) {
    if (b[start] == '"') {
      field(unescape(b, start + 1, end - 1), true, out);
    } else if (end - start == 4 && b[start] == 'n') {
      return; // null: an empty field, unquoted
    } else {
      field(new String(b, start, end - start, StandardCharsets.UTF_8), false, out);
    }
  }

  /**
   * A field, quoted when it must be: it holds a comma, a quote or a line break, or is an empty
   * string (which would read as NULL).
   */
  static void field(String text, boolean string, Buffer out) {
    boolean quote = string && text.isEmpty();
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!quote) {
      out.appendString(text);
      return;
    }
    out.appendByte((byte) '"').appendString(text.replace("\"", "\"\"")).appendByte((byte) '"');
  }

  private static int skipSpace(byte[] b, int i, int to) {
    while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
      i++;
    }
    return i;
  }

  /** Past the string that starts at {@code i} (its opening quote). */
  private static int stringEnd(byte[] b, int i, int to) {
    for (int j = i + 1; j < to; j++) {
      if (b[j] == '\\') {
        j++;
      } else if (b[j] == '"') {
        return j + 1;
      }
    }
    throw new IllegalArgumentException("an unterminated string");
  }

  /** Past the value that starts at {@code i}. */
  private static int valueEnd(byte[] b, int i, int to) {
    if (b[i] == '"') {
      return stringEnd(b, i, to);
    }
    if (b[i] == '{' || b[i] == '[') {
      int depth = 0;
      for (int j = i; j < to; j++) {
        if (b[j] == '"') {
          j = stringEnd(b, j, to) - 1;
        } else if (b[j] == '{' || b[j] == '[') {
          depth++;
        } else if (b[j] == '}' || b[j] == ']') {
          if (--depth == 0) {
            return j + 1;
          }
        }
      }
      throw new IllegalArgumentException("an unterminated value");
    }
    int j = i;
    while (j < to && b[j] != ',' && b[j] != '}' && b[j] != ' ') {
      j++;
    }
    return j;
  }

  /** The text of a JSON string's body {@code b[from, to)}. */
  private static String unescape(byte[] b, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to && plain; i++) {
      plain = b[i] != '\\';
    }
    if (plain) {
      return new String(b, from, to - from, StandardCharsets.UTF_8);
    }
    StringBuilder text = new StringBuilder(to - from);
    int run = from;
    for (int i = from; i < to; i++) {
      if (b[i] != '\\') {
        continue;
      }
      text.append(new String(b, run, i - run, StandardCharsets.UTF_8));
      char c = (char) b[++i];
      switch (c) {
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        case 't' -> text.append('\t');
        case 'b' -> text.append('\b');
        case 'f' -> text.append('\f');
        case 'u' -> {
          text.append(
              (char) Integer.parseInt(new String(b, i + 1, 4, StandardCharsets.US_ASCII), 16));
          i += 4;
        }
        default -> text.append(c); // " \ /
      }
      run = i + 1;
    }
    return text.append(new String(b, run, to - run, StandardCharsets.UTF_8)).toString();
  }
}
