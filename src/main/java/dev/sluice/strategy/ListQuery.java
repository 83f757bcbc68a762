package dev.sluice.strategy;

import dev.sluice.data.Sql;

import java.util.ArrayList;
import java.util.List;

/**
 * What a listing reads, whatever the strategy: the rows of {@code from} that pass the filters, in the order of
 * {@code sort}, each selected as one compact JSON text of {@code columns} (PostgreSQL encodes it with
 * {@code row_to_json}, so rows travel as bytes and are never parsed here). {@code canonical} describes the filters
 * and sort; cursors are bound to its digest.
 */
public record ListQuery(Sql from, String columns, Sql where, SortKey sort, String canonical) {

  /** The select-list item that yields a row as JSON text; goes with {@link #fromWithRow()}. */
  public static final String ROW_JSON = "row_to_json(j)::text";

  /** @param columns the row's fields, as a select list over {@code from} ({@code v.id, v.title, …}) */
  public static Builder from(String from, String columns) {
    return new Builder(Sql.of(from), columns);
  }

  /** A listing over a relation that takes parameters of its own (a search subquery). */
  public static Builder from(Sql from, String columns) {
    return new Builder(from, columns);
  }

  /** {@code from} joined with the row's fields as the record {@code j}, which {@link #ROW_JSON} encodes. */
  public Sql fromWithRow() {
    return new Sql().append(from).append(" CROSS JOIN LATERAL (SELECT " + columns + ") j");
  }

  /** The {@code WHERE …} clause, or nothing. */
  public Sql whereClause() {
    return where.isEmpty() ? new Sql() : Sql.of(" WHERE ").append(where);
  }

  /** {@code ORDER BY} for reading forward ({@code reversed=false}) or backward. */
  public String orderBy(boolean reversed) {
    String direction = sort.descending() != reversed ? " DESC" : " ASC";
    return " ORDER BY " + sort.column() + direction + ", " + sort.idColumn() + direction;
  }

  public static final class Builder {
    private final Sql from;
    private final String columns;
    private final List<Sql> conditions = new ArrayList<>();
    private final StringBuilder canonical = new StringBuilder();
    private SortKey sort;

    private Builder(Sql from, String columns) {
      this.from = from;
      this.columns = columns;
    }

    /** Adds {@code expression = value} when the value is given; {@code name} is the API's filter name. */
    public Builder equal(String name, String expression, Object value) {
      if (value != null) {
        conditions.add(Sql.of(expression + " = ").param(value));
        canonical.append(name).append('=').append(value).append('&');
      }
      return this;
    }

    /** Adds a condition that is part of the query itself, described for the cursor binding by {@code name}. */
    public Builder where(String name, Sql condition) {
      conditions.add(condition);
      canonical.append(name).append('&');
      return this;
    }

    public Builder sort(SortKey sort) {
      this.sort = sort;
      return this;
    }

    public ListQuery build() {
      Sql where = new Sql();
      for (int i = 0; i < conditions.size(); i++) {
        where.append(i == 0 ? "(" : " AND (").append(conditions.get(i)).append(")");
      }
      return new ListQuery(from, columns, where, sort, canonical.append("sort=").append(sort.name()).toString());
    }
  }
}
