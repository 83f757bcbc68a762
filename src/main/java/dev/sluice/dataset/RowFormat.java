package dev.sluice.dataset;

import dev.sluice.config.RowEncoding;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import java.util.List;

/**
 * How the rows of a query over typed columns become JSON, the same bytes either way: PostgreSQL
 * writes each row ({@code row_to_json} over the columns as a record {@code j}, one text column), or
 * the query selects the plain columns and {@link RowEncoder} writes them on the JVM. A query is
 * {@code SELECT }{@link #selectList()}{@code <keys>, <extra values> FROM <from>}{@link
 * #lateral()}{@code …}: the keyset values of a row come from its own columns when they are among
 * them and the JVM writes the row ({@link #keys}), else they are selected as text after it; extra
 * values (ids) start at {@link Keys#next()}.
 */
public final class RowFormat {

  private final List<Column> columns;
  private final RowEncoder encoder;

  private RowFormat(List<Column> columns, RowEncoder encoder) {
    this.columns = columns;
    this.encoder = encoder;
  }

  public static RowFormat of(List<Column> columns, RowEncoding encoding) {
    return new RowFormat(
        List.copyOf(columns), encoding == RowEncoding.JVM ? new RowEncoder(columns, 0) : null);
  }

  public boolean jvm() {
    return encoder != null;
  }

  /**
   * The select-list items that yield the row: its plain columns, or its {@code row_to_json} text.
   */
  public String selectList() {
    if (jvm()) {
      return Column.plainSelectList(columns);
    }
    // a json value keeps its line breaks between tokens: spaces, so that a row is one line
    return columns.stream().anyMatch(c -> c.kind() == Column.Kind.JSON)
        ? "translate(row_to_json(j)::text, E'\\n\\r', '  ')"
        : "row_to_json(j)::text";
  }

  /**
   * What follows the FROM clause's relations: nothing, or the row's fields as the record {@code j}.
   */
  public String lateral() {
    return jvm() ? "" : " CROSS JOIN LATERAL (SELECT " + Column.selectList(columns) + ") j";
  }

  /** The position of the first value a query selects after the row. */
  public int width() {
    return jvm() ? columns.size() : 1;
  }

  /**
   * The keyset values of a row of this format in the order of {@code sort}, as text a keyset seek
   * takes back ({@code $1::text::<type>}): read from the row's own columns when the JVM writes the
   * row and every part is among them as a value whose text is PostgreSQL's (PostgreSQL sends
   * nothing more), else selected as text after the row.
   */
  public Keys keys(SortKey sort) {
    int n = sort.size();
    int[] at = new int[n];
    Column.Kind[] kinds = new Column.Kind[n];
    boolean own = jvm();
    for (int i = 0; i < n && own; i++) {
      at[i] = indexOf(sort.parts().get(i).expression());
      own = at[i] >= 0 && columns.get(at[i]).kind() != Column.Kind.JSON;
      kinds[i] = own ? columns.get(at[i]).kind() : null;
    }
    if (own) {
      return new Keys("", at, kinds, width());
    }
    StringBuilder select = new StringBuilder();
    for (int i = 0; i < n; i++) {
      select.append(", ").append(SortKey.textOf(sort.parts().get(i).expression()));
      at[i] = width() + i;
      kinds[i] = Column.Kind.TEXT;
    }
    return new Keys(select.toString(), at, kinds, width() + n);
  }

  private int indexOf(String expression) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).expression().equals(expression)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Where a row's keyset values are and how they become text.
   *
   * @param select what the select list adds after the row for them (nothing when they are among its
   *     columns)
   * @param at the position of each value
   * @param next the position of the first value a query selects after the row and its keys
   */
  public record Keys(String select, int[] at, Column.Kind[] kinds, int next) {

    /** The row's keyset values as text, null for a NULL. */
    public List<String> of(Row row) {
      String[] values = new String[at.length];
      for (int i = 0; i < at.length; i++) {
        values[i] = text(row, at[i], kinds[i]);
      }
      return java.util.Collections.unmodifiableList(java.util.Arrays.asList(values));
    }

    private static String text(Row row, int at, Column.Kind kind) {
      Object value = row.getValue(at);
      if (value == null) {
        return null;
      }
      return kind == Column.Kind.TIMESTAMP
          ? RowEncoder.timestampText((java.time.OffsetDateTime) value)
          : value.toString();
    }
  }

  /** Appends the row's JSON object to {@code out}. */
  public Buffer write(Row row, Buffer out) {
    return jvm() ? encoder.encode(row, out) : out.appendString(row.getString(0));
  }

  /** The row's JSON object as text. */
  public String text(Row row) {
    return jvm() ? encoder.encode(row) : row.getString(0);
  }
}
