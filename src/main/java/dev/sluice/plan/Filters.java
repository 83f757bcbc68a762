package dev.sluice.plan;

import dev.sluice.api.Params;
import dev.sluice.dataset.DeclaredDataset;
import dev.sluice.dataset.Relation;
import dev.sluice.db.Sql;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The filters of a request on a declared dataset, written as PostgREST writes them ({@code
 * column=op.value}, {@code column=not.op.value}; docs/API.md 8.3), read into SQL conditions. The
 * column's expression comes from the declaration; every value is checked as the column's type and
 * bound as a parameter, never written into the SQL text. Every mistake is a fault naming the
 * parameter.
 */
final class Filters {

  /**
   * One filter, read: what it says (for keys and cursors), its condition, and the values only
   * PostgreSQL can check as the column's type ({@code type}), which {@link #probe} reads first.
   */
  record Condition(String column, String text, Sql sql, String type, List<String> unchecked) {}

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");
  private static final Pattern DECIMAL =
      Pattern.compile("-?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]{1,4})?");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Set<String> SPECIAL_FLOATS =
      Set.of("NaN", "Infinity", "-Infinity", "infinity", "-infinity");
  private static final Set<String> INFINITIES = Set.of("infinity", "-infinity");

  private Filters() {}

  /** Every filter of the request, in the order of the dataset's columns, then as given. */
  static List<Condition> read(Params params, DeclaredDataset dataset) {
    List<Condition> conditions = new ArrayList<>();
    for (Relation.Attribute column : dataset.columns()) {
      Set<String> operators = dataset.operators().get(column.name());
      if (operators == null || !params.has(column.name())) {
        continue;
      }
      for (String text : params.texts(column.name())) {
        Sql sql = condition(params, column, operators, text);
        if (sql != null) {
          conditions.add(
              new Condition(column.name(), text, sql, column.baseType(), unchecked(column, text)));
        }
      }
    }
    return conditions;
  }

  /**
   * The values of a filter as PostgreSQL reads them for the column's type: Sluice checks most of
   * them first, but only PostgreSQL knows every type's range and text form (a float past its range,
   * year 0, an interval, a network address…), so a stream asks it ({@link #probe}).
   */
  private static List<String> unchecked(Relation.Attribute column, String text) {
    String rest = text.startsWith("not.") ? text.substring(4) : text;
    int dot = rest.indexOf('.');
    String op = rest.substring(0, dot);
    String value = rest.substring(dot + 1);
    return switch (op) {
      case "eq", "neq", "gt", "gte", "lt", "lte", "cs", "ov" -> List.of(value);
      case "in" -> list(value);
      default -> List.of();
    };
  }

  /**
   * {@code SELECT ($1::text::<type>) IS NULL, …} of every value of {@code conditions}, or null when
   * there is none: what a stream runs before it answers its open request, so that a value
   * PostgreSQL refuses is a 400 rather than a stream that fails after its first byte.
   */
  static Sql probe(List<Condition> conditions) {
    Sql sql = new Sql();
    for (Condition condition : conditions) {
      for (String value : condition.unchecked()) {
        // IS NULL: the values read, and nothing of them sent back (the client decodes no numeric
        // infinity)
        sql.append(sql.isEmpty() ? "SELECT (" : ", (")
            .textParam(value, condition.type())
            .append(") IS NULL");
      }
    }
    return sql.isEmpty() ? null : sql;
  }

  /** One filter's condition, or null after recording its fault. */
  static Sql condition(
      Params params, Relation.Attribute column, Set<String> operators, String text) {
    String name = column.name();
    boolean not = text.startsWith("not.");
    String rest = not ? text.substring(4) : text;
    int dot = rest.indexOf('.');
    if (dot < 0) {
      params.fail(name, "must be operator.value (such as eq.x); operators: " + operators);
      return null;
    }
    String op = rest.substring(0, dot);
    String value = rest.substring(dot + 1);
    if (!operators.contains(op)) {
      params.fail(
          name,
          (dev.sluice.dataset.Operators.ALL.contains(op)
                  ? "'" + op + "' is not allowed on " + name
                  : "'" + op + "' is not an operator")
              + "; it takes "
              + operators);
      return null;
    }
    String expression = DeclaredDataset.expression(name);
    Sql sql =
        switch (op) {
          case "eq", "neq", "gt", "gte", "lt", "lte" -> compare(params, column, op, value);
          case "in" -> in(params, column, value);
          case "is" -> is(params, column, value);
          case "like", "ilike" ->
              Sql.of(expression + ("like".equals(op) ? " LIKE " : " ILIKE "))
                  .param(pattern(value))
                  .append("::text");
          case "fts" ->
              Sql.of(expression + " @@ websearch_to_tsquery(").param(value).append("::text)");
          case "cs", "ov" -> contains(params, column, op, value);
          default -> null;
        };
    if (sql == null) {
      return null;
    }
    return not ? Sql.of("NOT (").append(sql).append(")") : sql;
  }

  private static Sql compare(Params params, Relation.Attribute column, String op, String value) {
    if (!valid(params, column, value)) {
      return null;
    }
    String symbol =
        switch (op) {
          case "eq" -> " = ";
          case "neq" -> " <> ";
          case "gt" -> " > ";
          case "gte" -> " >= ";
          case "lt" -> " < ";
          default -> " <= ";
        };
    return Sql.of(DeclaredDataset.expression(column.name()) + symbol)
        .textParam(value, column.baseType());
  }

  private static Sql in(Params params, Relation.Attribute column, String value) {
    List<String> items = list(value);
    if (items == null) {
      params.fail(
          column.name(),
          "in. takes a list in parentheses: in.(a,b,\"c,d\") (double quotes around a value holding"
              + " , ( ) \" or \\, and \\\" or \\\\ inside them)");
      return null;
    }
    for (String item : items) {
      if (!valid(params, column, item)) {
        return null;
      }
    }
    return Sql.of(DeclaredDataset.expression(column.name()) + " = ANY(")
        .param(items.toArray(new String[0]))
        .append("::text[]::" + column.baseType() + "[])");
  }

  private static Sql is(Params params, Relation.Attribute column, String value) {
    String expression = DeclaredDataset.expression(column.name());
    boolean bool = column.baseName().equals("bool");
    return switch (value) {
      case "null" -> Sql.of(expression + " IS NULL");
      case "true", "false" -> {
        if (!bool) {
          params.fail(column.name(), "is." + value + " applies to booleans only; use is.null");
          yield null;
        }
        yield Sql.of(expression + " IS " + value.toUpperCase(java.util.Locale.ROOT));
      }
      default -> {
        params.fail(column.name(), "is. takes null" + (bool ? ", true or false" : ""));
        yield null;
      }
    };
  }

  private static Sql contains(Params params, Relation.Attribute column, String op, String value) {
    if (!value.startsWith("{") || !value.endsWith("}")) {
      params.fail(column.name(), op + ". takes an array written as PostgreSQL writes one: {a,b}");
      return null;
    }
    return Sql.of(DeclaredDataset.expression(column.name()) + ("cs".equals(op) ? " @> " : " && "))
        .textParam(value, column.baseType());
  }

  /**
   * A {@code like} pattern: {@code *} is the wildcard; {@code %}, {@code _} and {@code \} are
   * literal.
   */
  static String pattern(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '*' -> out.append('%');
        case '%', '_', '\\' -> out.append('\\').append(c);
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The items of {@code (a,b,"c,d")}: a value holding {@code , ( ) " \} is double-quoted, with
   * {@code \"} and {@code \\} inside; null when the text is not such a list.
   */
  static List<String> list(String text) {
    if (text.length() < 2 || text.charAt(0) != '(' || text.charAt(text.length() - 1) != ')') {
      return null;
    }
    List<String> items = new ArrayList<>();
    String body = text.substring(1, text.length() - 1);
    int i = 0;
    int n = body.length();
    if (n == 0) {
      return null; // no value at all: nothing can be in it
    }
    while (true) {
      StringBuilder item = new StringBuilder();
      if (i < n && body.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = body.charAt(i++);
          if (c == '\\' && i < n) {
            item.append(body.charAt(i++));
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            item.append(c);
          }
        }
        if (!closed || i < n && body.charAt(i) != ',') {
          return null;
        }
      } else {
        while (i < n && body.charAt(i) != ',') {
          char c = body.charAt(i++);
          if (c == '(' || c == ')' || c == '"' || c == '\\') {
            return null; // must be quoted
          }
          item.append(c);
        }
      }
      items.add(item.toString());
      if (i >= n) {
        return items;
      }
      i++; // the comma
      if (i == n) {
        items.add(""); // a trailing comma: an empty last value
        return items;
      }
    }
  }

  /**
   * Whether {@code value} reads as a value of the column's type; records the fault when not. Types
   * whose text forms PostgreSQL alone knows (intervals, network addresses, ranges…) are checked by
   * PostgreSQL, whose refusal is a 400 too.
   */
  static boolean valid(Params params, Relation.Attribute column, String value) {
    String problem = problem(column, value);
    if (problem != null) {
      params.fail(column.name(), problem);
      return false;
    }
    return true;
  }

  private static String problem(Relation.Attribute column, String value) {
    if (column.isEnum()) {
      return column.enumLabels().contains(value)
          ? null
          : "'" + value + "' is not one of " + column.enumLabels();
    }
    switch (column.baseName()) {
      case "int2", "int4", "int8" -> {
        long[] range =
            switch (column.baseName()) {
              case "int2" -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
              case "int4" -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
              default -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
            };
        try {
          long v = INTEGER.matcher(value).matches() ? Long.parseLong(value) : Long.MIN_VALUE + 1;
          if (!INTEGER.matcher(value).matches()) {
            return "'" + value + "' is not an integer (ASCII digits, maybe a leading -)";
          }
          return v < range[0] || v > range[1]
              ? value + " is out of the range of " + column.type()
              : null;
        } catch (NumberFormatException e) {
          return value + " is out of the range of " + column.type();
        }
      }
      case "numeric", "float4", "float8" -> {
        return DECIMAL.matcher(value).matches() || SPECIAL_FLOATS.contains(value)
            ? decimalInRange(value)
            : "'" + value + "' is not a number (such as -12.5, 1e-3, NaN, Infinity)";
      }
      case "bool" -> {
        return "true".equals(value) || "false".equals(value)
            ? null
            : "'" + value + "' is not true or false";
      }
      case "uuid" -> {
        return UUID.matcher(value).matches() ? null : "'" + value + "' is not a UUID";
      }
      case "date" -> {
        return time(value, "a date (2026-01-15)", () -> LocalDate.parse(value));
      }
      case "timestamptz" -> {
        return time(
            value,
            "an ISO-8601 time with an offset (2026-01-15T10:30:00Z; a + percent-encoded as %2B)",
            () -> OffsetDateTime.parse(value));
      }
      case "timestamp" -> {
        return time(
            value,
            "an ISO-8601 time without an offset (2026-01-15T10:30:00)",
            () -> LocalDateTime.parse(value));
      }
      case "time" -> {
        return time(
            value, "a time without an offset (10:30:00)", () -> LocalTime.parse(endOfDay(value)));
      }
      case "timetz" -> {
        // an offset of whole hours as PostgreSQL writes it (-08), or with minutes
        String offset = value.matches(".*[+-][0-9]{2}") ? value + ":00" : value;
        return time(
            value,
            "a time with an offset (10:30:00+02:00, or -08)",
            () -> OffsetTime.parse(endOfDay(offset)));
      }
      default -> {
        return null;
      }
    }
  }

  /** PostgreSQL's 24:00:00, the end of a day, read as a time Java can parse in its place. */
  private static String endOfDay(String value) {
    return value.matches("24:00(:00(\\.0+)?)?([+-].*|Z)?") ? "23:59" + value.substring(5) : value;
  }

  private static String decimalInRange(String value) {
    if (SPECIAL_FLOATS.contains(value)) {
      return null;
    }
    try {
      new BigDecimal(
          value.startsWith(".") || value.startsWith("-.") ? value.replace(".", "0.") : value);
      return null;
    } catch (NumberFormatException e) {
      return "'" + value + "' is not a number";
    }
  }

  private static String time(String value, String what, Runnable parse) {
    if (INFINITIES.contains(value)) {
      return null;
    }
    try {
      parse.run();
      return null;
    } catch (DateTimeParseException e) {
      return "'" + value + "' is not " + what + ", infinity or -infinity";
    }
  }
}
