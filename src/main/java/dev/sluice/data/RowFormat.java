package dev.sluice.data;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * How the rows of a query over typed columns become JSON, the same bytes either way: PostgreSQL writes each row
 * ({@code row_to_json} over the columns as a record {@code j}, one text column), or the query selects the plain
 * columns and {@link RowEncoder} writes them on the JVM. A query is {@code SELECT }{@link #selectList()}{@code , <extra
 * values> FROM <from>}{@link #lateral()}{@code  …}; the extra values (keys, ids) start at position {@link #width()}.
 */
public final class RowFormat {

  /** Who writes a row's JSON ({@code lazy_loading.row_encoding}). */
  public enum Encoding {
    /** The loader, from plain columns ({@link RowEncoder}). */
    JVM,
    /** PostgreSQL, with {@code row_to_json}. */
    POSTGRES;

    /** {@code jvm} or {@code postgres}; anything else is a configuration error naming {@code setting}. */
    public static Encoding of(String name, String setting) {
      for (Encoding encoding : values()) {
        if (encoding.name().toLowerCase(Locale.ROOT).equals(name)) {
          return encoding;
        }
      }
      throw new IllegalArgumentException(setting + " must be jvm or postgres, not " + name);
    }
  }

  private final List<Column> columns;
  private final RowEncoder encoder;

  private RowFormat(List<Column> columns, RowEncoder encoder) {
    this.columns = columns;
    this.encoder = encoder;
  }

  public static RowFormat of(List<Column> columns, Encoding encoding) {
    return new RowFormat(List.copyOf(columns), encoding == Encoding.JVM ? new RowEncoder(columns, 0) : null);
  }

  public boolean jvm() {
    return encoder != null;
  }

  /** The select-list items that yield the row: its plain columns, or its {@code row_to_json} text. */
  public String selectList() {
    return jvm() ? Column.plainSelectList(columns) : "row_to_json(j)::text";
  }

  /** What follows the FROM clause's relations: nothing, or the row's fields as the record {@code j}. */
  public String lateral() {
    return jvm() ? "" : " CROSS JOIN LATERAL (SELECT " + Column.selectList(columns) + ") j";
  }

  /** The position of the first value a query selects after the row. */
  public int width() {
    return jvm() ? columns.size() : 1;
  }

  /** Appends the row's JSON object to {@code out}. */
  public Buffer write(Row row, Buffer out) {
    return jvm() ? encoder.encode(row, out) : out.appendString(row.getString(0));
  }

  /** The row's JSON object as text. */
  public String text(Row row) {
    return jvm() ? write(row, Buffer.buffer(256)).toString(StandardCharsets.UTF_8) : row.getString(0);
  }
}
