package dev.sluice.plan;

import dev.sluice.api.Params;
import dev.sluice.config.RowEncoding;
import dev.sluice.dataset.Column;
import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.Filter;
import dev.sluice.dataset.RowFormat;
import dev.sluice.dataset.SortKey;
import dev.sluice.db.Sql;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a listing reads, whatever the strategy: the rows of {@code from} that pass the filters, in
 * the order of {@code sort}, each a compact JSON object of {@code columns} (written by PostgreSQL
 * or on the JVM: {@link #rows}). {@code canonical} describes the filters and sort unambiguously:
 * cursors are bound to its digest and cache keys contain it. {@code tables} are the tables the rows
 * come from, whose changes make a cached page stale.
 */
public record ListQuery(
    Sql from,
    List<Column> columns,
    Sql where,
    SortKey sort,
    String canonical,
    Set<String> tables,
    Probe probe) {

  /**
   * A query to run before a stream of the listing is answered, and what its failure means: values
   * only PostgreSQL can read, so that one it refuses is a 400 and not a failed stream.
   */
  public record Probe(Sql sql, java.util.function.Function<Throwable, Throwable> refusal) {}

  /**
   * A listing of a dataset's rows, in its default order unless {@link Builder#sort} says otherwise.
   */
  public static Builder over(Dataset dataset) {
    return new Builder(Sql.of(dataset.from()), dataset, Set.of(dataset.table()))
        .sort(dataset.defaultSort());
  }

  /**
   * A listing over a relation that takes parameters of its own (a search subquery), with the
   * dataset's columns.
   */
  public static Builder over(Sql relation, Dataset dataset, Set<String> tables) {
    return new Builder(relation, dataset, tables).sort(dataset.defaultSort());
  }

  /** How this listing's rows are selected and written in {@code encoding}. */
  public RowFormat rows(RowEncoding encoding) {
    return RowFormat.of(columns, encoding);
  }

  /** The {@code WHERE …} clause, or nothing. */
  public Sql whereClause() {
    return where.isEmpty() ? new Sql() : Sql.of(" WHERE ").append(where);
  }

  /** {@code ORDER BY} for reading forward ({@code reversed=false}) or backward. */
  public String orderBy(boolean reversed) {
    return sort.orderBy(reversed);
  }

  public static final class Builder {
    private final Sql from;
    private final Dataset dataset;
    private final Set<String> tables;
    private final List<Sql> conditions = new ArrayList<>();
    private final Key canonical = new Key();
    private SortKey sort;
    private List<Column> columns;
    private Probe probe;

    private Builder(Sql from, Dataset dataset, Set<String> tables) {
      this.from = from;
      this.dataset = dataset;
      this.tables = new LinkedHashSet<>(tables);
    }

    /** Adds {@code column = value} when the value is given. */
    public Builder equal(Filter filter, Object value) {
      if (value != null) {
        conditions.add(Sql.of(filter.column() + " = ").param(value));
        canonical.add(filter.name(), value);
      }
      return this;
    }

    /** Reads each named filter of {@code dataset} from the request and adds it. */
    public Builder filters(Params params, Dataset dataset, String... names) {
      for (String name : names) {
        Filter filter = dataset.filter(name);
        equal(filter, filterValue(params, filter));
      }
      return this;
    }

    /**
     * Adds a condition that is part of the query itself, described for keys and cursors by {@code
     * name=value}.
     */
    public Builder where(String name, Object value, Sql condition) {
      conditions.add(condition);
      canonical.add(name, value);
      return this;
    }

    /**
     * Describes a value that shaped {@code from} itself (a search's text), for keys and cursors.
     */
    public Builder described(String name, Object value) {
      canonical.add(name, value);
      return this;
    }

    /** Notes that the rows also depend on {@code table} (a condition reads it). */
    public Builder reads(String table) {
      tables.add(table);
      return this;
    }

    /** Only these of the dataset's columns in each row ({@code select=}), described for keys. */
    public Builder columns(List<Column> columns) {
      this.columns = List.copyOf(columns);
      canonical.add("select", columns.stream().map(Column::name).toList());
      return this;
    }

    /** What to ask PostgreSQL before streaming ({@link Probe}), or nothing when null. */
    public Builder probe(Probe probe) {
      this.probe = probe;
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
      String described = canonical.add("sort", sort.name()).toString();
      return new ListQuery(
          from,
          columns != null ? columns : dataset.columns(),
          where,
          sort,
          described,
          Set.copyOf(tables),
          probe);
    }
  }

  /**
   * The value of a dataset's filter in {@code params}, as the operation declares it ({@link
   * Operations#filter}).
   */
  public static Object filterValue(Params params, Filter filter) {
    return params.get(filter.name());
  }
}
