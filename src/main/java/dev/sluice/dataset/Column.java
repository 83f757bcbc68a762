package dev.sluice.dataset;

import java.util.List;

/**
 * One field of a dataset's rows: its JSON name, the select-list expression that yields it, and its
 * JSON kind, so a listing can select plain columns and the loader write each row's JSON itself
 * ({@link RowEncoder}), byte for byte what PostgreSQL's {@code row_to_json} writes for it.
 */
public record Column(String name, String expression, Kind kind) {

  /** The kinds of value the datasets hold, each with the JSON {@code row_to_json} gives it. */
  public enum Kind {
    /** {@code uuid}: a string of the canonical lowercase text. */
    UUID,
    /** {@code text}: a string, escaped as PostgreSQL escapes JSON strings. */
    TEXT,
    /** {@code integer}: a number. */
    INTEGER,
    /** {@code bigint}: a number. */
    BIGINT,
    /** {@code boolean}: {@code true} or {@code false}. */
    BOOLEAN,
    /**
     * {@code timestamptz}: a string, ISO 8601 in UTC with the fraction PostgreSQL prints ({@code
     * +00:00}).
     */
    TIMESTAMP,
    /**
     * {@code double precision} or {@code real}: PostgreSQL's own shortest text of the value
     * (float8out), selected as text and copied as a number ({@code NaN} and the infinities as
     * strings, as {@code row_to_json} does), since Java's and PostgreSQL's float texts differ.
     */
    FLOAT,
    /**
     * {@code numeric}: PostgreSQL's text of the value, selected as text and copied as a number, as
     * {@code FLOAT}.
     */
    NUMERIC,
    /**
     * Any other type ({@code date}, {@code timestamp}, {@code timetz}, {@code interval}, {@code
     * bytea}, {@code json}, {@code jsonb}, arrays, enums, domains, ranges, …): PostgreSQL writes
     * the value's JSON, selected as {@code to_json(expression)::text} and copied as it is, so the
     * bytes are {@code row_to_json}'s whatever the type, and no type can fail the pg client's
     * decoding.
     */
    JSON
  }

  /** A column named as its expression's last part: {@code v.user_id} is {@code user_id}. */
  public static Column of(String expression, Kind kind) {
    return new Column(expression.substring(expression.lastIndexOf('.') + 1), expression, kind);
  }

  /**
   * The expression, named as the field when its own name is another ({@code coalesce(s0.m0, 0) AS
   * views}).
   */
  public String named() {
    String quoted = Identifiers.quote(name);
    return expression.equals(quoted) || expression.endsWith("." + quoted)
        ? expression
        : expression + " AS " + quoted;
  }

  /**
   * What the plain select list holds for it: the expression; as text for a float or a numeric; its
   * {@code to_json} text for {@link Kind#JSON}.
   */
  public String selectItem() {
    return switch (kind) {
      case FLOAT, NUMERIC -> textOf(expression);
      case JSON -> "to_json(" + expression + ")::text";
      default -> expression;
    };
  }

  /**
   * {@code expression::text}, in parentheses unless it is a plain column ({@code ::} binds tighter
   * than operators).
   */
  private static String textOf(String expression) {
    return SortKey.textOf(expression);
  }

  private static final java.util.regex.Pattern PLAIN =
      java.util.regex.Pattern.compile(
          "(?:[a-z_][a-z0-9_]*\\.)?(?:[a-z_][a-z0-9_]*|\"(?:[^\"]|\"\")+\")");

  /**
   * Whether {@code expression} is a column, maybe after an alias: {@code v.title}, {@code d."Order
   * Id"}.
   */
  static boolean plain(String expression) {
    return PLAIN.matcher(expression).matches();
  }

  /**
   * The expressions of {@code columns} as one select list, named as the fields: {@code
   * row_to_json}'s record.
   */
  public static String selectList(List<Column> columns) {
    return String.join(", ", columns.stream().map(Column::named).toList());
  }

  /**
   * The plain select list {@link RowEncoder} reads {@code columns} from (floats and numerics as
   * PostgreSQL's text).
   */
  public static String plainSelectList(List<Column> columns) {
    return String.join(", ", columns.stream().map(Column::selectItem).toList());
  }
}
