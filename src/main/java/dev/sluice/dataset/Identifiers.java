package dev.sluice.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * SQL identifiers as PostgreSQL reads them: quoting a name so that it means exactly itself (mixed
 * case, spaces, non-ASCII, a reserved word), and reading a dotted name as written in a declaration
 * ({@code public."Ödd Types Ω"}: a quoted part as it is, an unquoted one folded to lower case).
 */
public final class Identifiers {

  /** PostgreSQL's reserved key words (those that cannot name a column unquoted). */
  private static final Set<String> RESERVED =
      Set.of(
          "all",
          "analyse",
          "analyze",
          "and",
          "any",
          "array",
          "as",
          "asc",
          "asymmetric",
          "authorization",
          "binary",
          "both",
          "case",
          "cast",
          "check",
          "collate",
          "collation",
          "column",
          "concurrently",
          "constraint",
          "create",
          "cross",
          "current_catalog",
          "current_date",
          "current_role",
          "current_schema",
          "current_time",
          "current_timestamp",
          "current_user",
          "default",
          "deferrable",
          "desc",
          "distinct",
          "do",
          "else",
          "end",
          "except",
          "false",
          "fetch",
          "for",
          "foreign",
          "freeze",
          "from",
          "full",
          "grant",
          "group",
          "having",
          "ilike",
          "in",
          "initially",
          "inner",
          "intersect",
          "into",
          "is",
          "isnull",
          "join",
          "lateral",
          "leading",
          "left",
          "like",
          "limit",
          "localtime",
          "localtimestamp",
          "natural",
          "not",
          "notnull",
          "null",
          "offset",
          "on",
          "only",
          "or",
          "order",
          "outer",
          "overlaps",
          "placing",
          "primary",
          "references",
          "returning",
          "right",
          "select",
          "session_user",
          "similar",
          "some",
          "symmetric",
          "system_user",
          "table",
          "tablesample",
          "then",
          "to",
          "trailing",
          "true",
          "union",
          "unique",
          "user",
          "using",
          "variadic",
          "verbose",
          "when",
          "where",
          "window",
          "with");

  private Identifiers() {}

  /** {@code name} as SQL must write it: as it is when that reads back the same, else quoted. */
  public static String quote(String name) {
    if (name.matches("[a-z_][a-z0-9_]*") && !RESERVED.contains(name)) {
      return name;
    }
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** {@code schema.name}, each part quoted as needed. */
  public static String qualified(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }

  /**
   * The parts of a dotted name as SQL reads it; throws {@link IllegalArgumentException} with what
   * is wrong for text that is not one.
   */
  public static List<String> parse(String text) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (true) {
      if (i >= n) {
        throw new IllegalArgumentException("a name is missing at the end");
      }
      StringBuilder part = new StringBuilder();
      if (text.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("a quoted name is not closed");
          }
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < n && text.charAt(i) == '"') {
              part.append('"');
              i++;
            } else {
              break;
            }
          } else {
            part.append(c);
          }
        }
        if (part.isEmpty()) {
          throw new IllegalArgumentException("a quoted name is empty");
        }
      } else {
        while (i < n && text.charAt(i) != '.') {
          char c = text.charAt(i++);
          if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$')) {
            throw new IllegalArgumentException("'" + c + "' needs the name to be double-quoted");
          }
          part.append(c);
        }
        if (part.isEmpty()) {
          throw new IllegalArgumentException("a name is empty");
        }
        if (Character.isDigit(part.charAt(0)) || part.charAt(0) == '$') {
          throw new IllegalArgumentException(
              "an unquoted name cannot start with '" + part.charAt(0) + "'");
        }
        // PostgreSQL folds A to Z alone (a non-ASCII letter stays as it is)
        for (int k = 0; k < part.length(); k++) {
          char c = part.charAt(k);
          if (c >= 'A' && c <= 'Z') {
            part.setCharAt(k, (char) (c + 32));
          }
        }
      }
      parts.add(part.toString());
      if (i == n) {
        return parts;
      }
      if (text.charAt(i) != '.') {
        throw new IllegalArgumentException("a quoted name is followed by '" + text.charAt(i) + "'");
      }
      i++;
    }
  }
}
