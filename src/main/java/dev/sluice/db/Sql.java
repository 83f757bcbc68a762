package dev.sluice.db;

import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL text built from fragments written in code, with every value bound as a parameter. A value
 * never becomes SQL text: {@link #param(Object)} appends the next {@code $n} and remembers the
 * value, and {@link #bind(Object)} hands out that placeholder for a value used more than once.
 * Placeholders are numbered here only, never by hand: appending one fragment to another renumbers
 * its placeholders after the first's. Column and table names come only from dataset descriptions in
 * code, never from a request.
 */
public final class Sql {

  private final StringBuilder text = new StringBuilder(128);
  private final List<Object> args = new ArrayList<>();

  public static Sql of(String fragment) {
    return new Sql().append(fragment);
  }

  public Sql append(String fragment) {
    text.append(fragment);
    return this;
  }

  /** Appends a placeholder bound to {@code value}. */
  public Sql param(Object value) {
    return append(bind(value));
  }

  /**
   * Binds {@code value} to the next placeholder and returns it ({@code $n}) without appending it,
   * for SQL that uses one value in several places of this same fragment.
   */
  public String bind(Object value) {
    args.add(value);
    return "$" + args.size();
  }

  /**
   * Appends a placeholder for a value sent as text and cast by PostgreSQL, so its Java type never
   * matters.
   */
  public Sql textParam(String value, String sqlType) {
    return param(value).append("::text::").append(sqlType);
  }

  /** Appends another fragment, renumbering its placeholders after this one's. */
  public Sql append(Sql other) {
    int offset = args.size();
    String otherText = other.text.toString();
    if (offset == 0) {
      text.append(otherText);
      args.addAll(other.args);
      return this;
    }
    for (int i = 0; i < otherText.length(); i++) {
      char c = otherText.charAt(i);
      if (c == '$' && i + 1 < otherText.length() && Character.isDigit(otherText.charAt(i + 1))) {
        int j = i + 1;
        while (j < otherText.length() && Character.isDigit(otherText.charAt(j))) {
          j++;
        }
        text.append('$').append(Integer.parseInt(otherText, i + 1, j, 10) + offset);
        i = j - 1;
      } else {
        text.append(c);
      }
    }
    args.addAll(other.args);
    return this;
  }

  public boolean isEmpty() {
    return text.length() == 0;
  }

  public String text() {
    return text.toString();
  }

  public Tuple tuple() {
    return Tuple.from(args);
  }

  @Override
  public String toString() {
    return text + " " + args;
  }
}
