package dev.sluice.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * A strict RFC 4180 reader for the tests: records end with CRLF, a quoted field may hold anything
 * (a quote doubled), and an unquoted empty field (NULL) reads as null while a quoted one ({@code
 * ""}) reads as the empty string.
 */
final class Csv {

  private Csv() {}

  static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      String field;
      if (text.charAt(i) == '"') {
        StringBuilder b = new StringBuilder();
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("an unclosed quote");
          }
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < n && text.charAt(i) == '"') {
              b.append('"');
              i++;
            } else {
              break;
            }
          } else {
            b.append(c);
          }
        }
        field = b.toString();
      } else {
        int start = i;
        while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r') {
          if (text.charAt(i) == '\n' || text.charAt(i) == '"') {
            throw new IllegalArgumentException("a bare " + text.charAt(i) + " at " + i);
          }
          i++;
        }
        field = i == start ? null : text.substring(start, i);
      }
      record.add(field);
      if (i < n && text.charAt(i) == ',') {
        i++;
      } else if (text.startsWith("\r\n", i)) {
        records.add(record);
        record = new ArrayList<>();
        i += 2;
      } else if (i < n) {
        throw new IllegalArgumentException("after a field: " + text.charAt(i) + " at " + i);
      }
    }
    if (!record.isEmpty()) {
      throw new IllegalArgumentException("the last record has no line end");
    }
    return records;
  }
}
