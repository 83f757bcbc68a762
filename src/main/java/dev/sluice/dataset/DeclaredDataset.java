package dev.sluice.dataset;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A declaration checked against the catalog ({@link Resolver}): everything a planner, the OpenAPI
 * document and {@code GET /data} need, and nothing from a request. Every SQL text of its queries is
 * made from these fields.
 *
 * @param dataset the columns (JSON names, quoted expressions over the alias {@code d}) and sorts
 * @param columns the catalog's description of each column, in the declared order
 * @param key the key's columns (empty: none, then {@code sorts} holds the one order of every
 *     column)
 * @param keyParts the key's columns as an order's parts (for items and ids)
 * @param operators per filterable column, the operators a client may use, in the order of {@link
 *     Operators#ALL}
 * @param time the column windows bucket on, or null
 * @param measures the window's aggregates, in declared order
 * @param tables the tables whose writes change its rows ({@link Relation#tables()})
 * @param notified whether those writes are announced (else it is cached by TTL only)
 */
public record DeclaredDataset(
    String name,
    String source,
    Relation relation,
    Dataset dataset,
    List<Relation.Attribute> columns,
    List<String> key,
    List<SortKey.Part> keyParts,
    Map<String, Set<String>> operators,
    String time,
    List<Measure> measures,
    List<String> tables,
    boolean notified) {

  /** The alias the relation has in every query. */
  public static final String ALIAS = "d";

  public DeclaredDataset {
    columns = List.copyOf(columns);
    key = List.copyOf(key);
    keyParts = List.copyOf(keyParts);
    operators = Map.copyOf(operators);
    measures = List.copyOf(measures);
    tables = List.copyOf(tables);
  }

  /** This dataset with {@code measures} (the same, typed) in place of its own. */
  public DeclaredDataset withMeasures(List<Measure> measures) {
    return new DeclaredDataset(
        name, source, relation, dataset, columns, key, keyParts, operators, time, measures, tables,
        notified);
  }

  /** The measure called {@code name}; throws for one it does not declare (a bug). */
  public Measure measure(String name) {
    return measures.stream()
        .filter(m -> m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(this.name + " has no measure " + name));
  }

  /** The relation under {@link #ALIAS}, for a FROM clause. */
  public String from() {
    return dataset.from();
  }

  public boolean hasKey() {
    return !key.isEmpty();
  }

  /** {@code notify} when writes are announced, {@code ttl} when cached by TTL only. */
  public String invalidation() {
    return notified ? "notify" : "ttl";
  }

  /** The column called {@code name}, or null. */
  public Relation.Attribute column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  /** {@code d."name"}: a column as an expression over the alias. */
  public static String expression(String column) {
    return ALIAS + "." + Identifiers.quote(column);
  }

  /**
   * The strategies it offers: every one with a key, pagination and streams without; windows with a
   * time column.
   */
  public List<String> strategies() {
    List<String> all = new java.util.ArrayList<>();
    if (hasKey()) {
      all.add("cursor");
    }
    all.add("pagination");
    if (hasKey()) {
      all.add("virtual_scroll");
    }
    all.add("streaming");
    if (time != null) {
      all.add("window");
    }
    if (hasKey()) {
      all.add("single");
    }
    return all;
  }
}
