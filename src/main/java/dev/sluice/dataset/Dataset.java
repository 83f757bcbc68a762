package dev.sluice.dataset;

import dev.sluice.config.RowEncoding;
import java.util.List;

/**
 * What a listing reads: a table under an alias, the typed columns of each row (select-list
 * expressions over the alias), the orders it may be read in (the first is the default) and the
 * filters it accepts. Everything SQL is built from comes from these descriptions, never from a
 * request.
 */
public record Dataset(
    String table, String alias, List<Column> columns, List<SortKey> sorts, List<Filter> filters) {

  public Dataset {
    columns = List.copyOf(columns);
    sorts = List.copyOf(sorts);
    filters = List.copyOf(filters);
  }

  /** {@code table alias}, for a FROM clause. */
  public String from() {
    return table + " " + alias;
  }

  /** How this dataset's rows are selected and written in {@code encoding}. */
  public RowFormat rows(RowEncoding encoding) {
    return RowFormat.of(columns, encoding);
  }

  /**
   * The order called {@code name}; throws for a name the dataset does not have (a bug, not a
   * request fault).
   */
  public SortKey sort(String name) {
    for (SortKey sort : sorts) {
      if (sort.name().equals(name)) {
        return sort;
      }
    }
    throw new IllegalArgumentException(table + " has no sort " + name);
  }

  public SortKey defaultSort() {
    return sorts.get(0);
  }

  public List<String> sortNames() {
    return sorts.stream().map(SortKey::name).toList();
  }

  public Filter filter(String name) {
    for (Filter filter : filters) {
      if (filter.name().equals(name)) {
        return filter;
      }
    }
    throw new IllegalArgumentException(table + " has no filter " + name);
  }
}
