package dev.sluice.dataset;

import dev.sluice.db.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * The order of a listing: its parts (expressions, each ascending or descending), the last of them a
 * unique key, so that the parts' values are a total order a keyset can seek in. PostgreSQL's NULL
 * order holds: NULLs last ascending, first descending. Names and expressions come from code or a
 * checked declaration, never from a request.
 *
 * @param name the API's name ({@code -created_at}); a leading {@code -} means descending
 * @param parts the expressions in order, the unique key's last
 */
public record SortKey(String name, List<Part> parts) {

  /**
   * One expression of an order.
   *
   * @param sqlType its PostgreSQL type as SQL names it, to cast a keyset value sent as text
   * @param nullable whether it may be NULL (the seek then places NULLs as {@code ORDER BY} does)
   */
  public record Part(String expression, String sqlType, boolean descending, boolean nullable) {

    /** {@code expression ASC} or {@code DESC}, read forward or, reversed, backward. */
    String order(boolean reversed) {
      return expression + (descending != reversed ? " DESC" : " ASC");
    }
  }

  public SortKey {
    parts = List.copyOf(parts);
  }

  /** A sort column and the unique id after it, both in the direction {@code name} gives. */
  public SortKey(String name, String column, String sqlType, String idColumn, String idType) {
    this(
        name,
        List.of(
            new Part(column, sqlType, name.startsWith("-"), false),
            new Part(idColumn, idType, name.startsWith("-"), false)));
  }

  /** Whether the order starts descending. */
  public boolean descending() {
    return parts.get(0).descending();
  }

  /** The first expression, whose values cut a listing into ranges. */
  public String column() {
    return parts.get(0).expression();
  }

  public String sqlType() {
    return parts.get(0).sqlType();
  }

  public int size() {
    return parts.size();
  }

  /** {@code ORDER BY …} for reading forward ({@code reversed=false}) or backward. */
  public String orderBy(boolean reversed) {
    List<String> items = new ArrayList<>(parts.size());
    for (Part part : parts) {
      items.add(part.order(reversed));
    }
    return " ORDER BY " + String.join(", ", items);
  }

  /** The parts as text, in order, each named {@code k0}, {@code k1}…: {@code e0::text AS k0, …}. */
  public String textSelect() {
    List<String> items = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      items.add(textOf(parts.get(i).expression()) + " AS k" + i);
    }
    return String.join(", ", items);
  }

  /** {@code expression::text}, in parentheses unless it is a plain or quoted column. */
  static String textOf(String expression) {
    return Column.plain(expression) ? expression + "::text" : "(" + expression + ")::text";
  }

  /**
   * Whether every part goes the same way and none may be NULL: then a row comparison ({@code (a, b)
   * > ($1, $2)}) seeks, which an index on the parts serves directly.
   */
  public boolean uniform() {
    for (Part part : parts) {
      if (part.nullable() || part.descending() != descending()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The rows after the row with the part values {@code key} (text, null for a NULL) in this order,
   * read forward or, {@code reversed}, backward; with the row itself when {@code inclusive}.
   */
  public Sql seek(List<String> key, boolean reversed, boolean inclusive) {
    if (uniform()) {
      String op = (descending() != reversed ? "<" : ">") + (inclusive ? "=" : "");
      Sql sql = Sql.of("(" + expressions() + ") " + op + " (");
      for (int i = 0; i < parts.size(); i++) {
        sql.append(i == 0 ? "" : ", ").textParam(key.get(i), parts.get(i).sqlType());
      }
      return sql.append(")");
    }
    // (p0 after v0) OR (p0 = v0 AND p1 after v1) OR …, each "after" and "=" NULL-aware
    List<Sql> terms = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      Sql after = after(parts.get(i), key.get(i), reversed);
      if (after == null) {
        continue;
      }
      Sql term = new Sql();
      for (int j = 0; j < i; j++) {
        term.append(equal(parts.get(j), key.get(j))).append(" AND ");
      }
      terms.add(term.append(after));
    }
    if (inclusive) {
      Sql all = new Sql();
      for (int j = 0; j < parts.size(); j++) {
        all.append(j == 0 ? "" : " AND ").append(equal(parts.get(j), key.get(j)));
      }
      terms.add(all);
    }
    if (terms.isEmpty()) {
      return Sql.of("FALSE");
    }
    Sql sql = new Sql();
    Part first = parts.get(0);
    if (!first.nullable() && key.get(0) != null) {
      // a bound on the first part alone, which an index on it can seek to
      boolean down = first.descending() != reversed;
      sql.append(first.expression() + (down ? " <= " : " >= "))
          .textParam(key.get(0), first.sqlType())
          .append(" AND ");
    }
    sql.append("(");
    for (int i = 0; i < terms.size(); i++) {
      sql.append(i == 0 ? "(" : " OR (").append(terms.get(i)).append(")");
    }
    return sql.append(")");
  }

  /** The rows strictly after {@code value} on {@code part}, or null when none can be. */
  private static Sql after(Part part, String value, boolean reversed) {
    boolean down = part.descending() != reversed; // NULLs come first going down, last going up
    if (value == null) {
      return down ? Sql.of(part.expression() + " IS NOT NULL") : null;
    }
    Sql sql =
        Sql.of((part.nullable() && !down ? "(" : "") + part.expression())
            .append(down ? " < " : " > ")
            .textParam(value, part.sqlType());
    return part.nullable() && !down ? sql.append(" OR " + part.expression() + " IS NULL)") : sql;
  }

  private static Sql equal(Part part, String value) {
    return value == null
        ? Sql.of(part.expression() + " IS NULL")
        : Sql.of(part.expression() + " = ").textParam(value, part.sqlType());
  }

  private String expressions() {
    return String.join(", ", parts.stream().map(Part::expression).toList());
  }
}
