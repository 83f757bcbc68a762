package dev.sluice.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@link Declaration} against its relation as the catalog describes it and makes the
 * {@link DeclaredDataset} that is served: every column, key, sort, filter and time named exists and
 * can do what it is declared for, or a {@link DeclarationException} names the file, the dataset,
 * the field and what the catalog holds. (Measures are checked by PostgreSQL itself: {@link
 * Declarations}.)
 */
public final class Resolver {

  /**
   * The request parameters of sections 1 and 8.2: a column so named cannot be filtered, since its
   * name means the parameter.
   */
  public static final Set<String> RESERVED =
      Set.of(
          "sort",
          "select",
          "cursor",
          "limit",
          "page",
          "per_page",
          "count",
          "ids",
          "start_index",
          "end_index",
          "after",
          "checkpoints",
          "start",
          "end",
          "bucket",
          "measures",
          "follow",
          "until",
          "snapshot");

  private Resolver() {}

  /** The dataset {@code declaration} declares over {@code relation} (null: no such relation). */
  public static DeclaredDataset resolve(Declaration declaration, Relation relation) {
    Faults faults = new Faults(declaration);
    if (relation == null) {
      throw faults.at("relation", "no table, view or materialized view " + declaration.relation());
    }
    // columns
    List<Relation.Attribute> columns = new ArrayList<>();
    if (declaration.columns() != null) {
      for (int i = 0; i < declaration.columns().size(); i++) {
        String name = declaration.columns().get(i);
        columns.add(faults.column(relation, name, "columns[" + i + "]"));
      }
    } else {
      List<String> exclude = declaration.exclude() == null ? List.of() : declaration.exclude();
      for (int i = 0; i < exclude.size(); i++) {
        faults.column(relation, exclude.get(i), "exclude[" + i + "]");
      }
      relation.columns().stream().filter(c -> !exclude.contains(c.name())).forEach(columns::add);
      if (columns.isEmpty()) {
        throw faults.at("exclude", "leaves no column");
      }
    }
    List<String> names = columns.stream().map(Relation.Attribute::name).toList();
    // key
    List<String> key = key(declaration, relation, faults);
    List<SortKey.Part> keyParts = new ArrayList<>();
    for (String k : key) {
      Relation.Attribute column = relation.column(k);
      if (!column.btree() || !Operators.of(column).contains("eq")) {
        throw faults.at("key", k + " is of type " + column.type() + ", which has no equality");
      }
      keyParts.add(part(column, false));
    }
    // sorts
    List<SortKey> sorts = new ArrayList<>();
    if (key.isEmpty()) {
      if (declaration.sorts() != null) {
        throw faults.at(
            "sorts",
            "needs a key (a keyset order ends with one); "
                + relation.kind().label()
                + " "
                + relation.qualified()
                + " has none: declare key");
      }
      List<SortKey.Part> all = new ArrayList<>();
      List<String> ordered = new ArrayList<>();
      for (Relation.Attribute column : columns) {
        if (!column.btree()) {
          continue; // no order (json, a point): it cannot place a row
        }
        all.add(part(column, false));
        ordered.add(column.name());
      }
      if (all.isEmpty()) {
        throw faults.at("columns", "none has an order, so no listing can be paged");
      }
      sorts.add(new SortKey(String.join(",", ordered), all));
    } else {
      if (declaration.sorts() == null) {
        // the key's own order, made from its columns (whatever their names hold): they need not be
        // among the columns a row shows
        sorts.add(new SortKey(String.join(",", key), keyParts));
      } else {
        for (int i = 0; i < declaration.sorts().size(); i++) {
          sorts.add(
              sort(
                  declaration.sorts().get(i),
                  "sorts[" + i + "]",
                  relation,
                  names,
                  keyParts,
                  faults));
        }
      }
    }
    // filters
    Map<String, Set<String>> operators = new LinkedHashMap<>();
    if (declaration.allFilters()) {
      for (Relation.Attribute column : columns) {
        if (!RESERVED.contains(column.name())) {
          operators.put(column.name(), Operators.of(column));
        }
      }
    } else if (declaration.filters() != null) {
      declaration
          .filters()
          .forEach(
              (name, ops) -> {
                String field = "filters." + name;
                faults.listed(relation, name, names, field);
                if (RESERVED.contains(name)) {
                  throw faults.at(
                      field, name + " is a request parameter's name; it cannot be filtered");
                }
                Relation.Attribute column = relation.column(name);
                Set<String> takes = Operators.of(column);
                for (String op : ops) {
                  if (!Operators.ALL.contains(op)) {
                    throw faults.at(
                        field, "'" + op + "' is not an operator; operators: " + Operators.ALL);
                  }
                  if (!takes.contains(op)) {
                    throw faults.at(
                        field,
                        "'" + op + "' does not apply to " + column.type() + "; it takes " + takes);
                  }
                }
                Set<String> allowed = new LinkedHashSet<>();
                Operators.ALL.stream().filter(ops::contains).forEach(allowed::add);
                operators.put(name, allowed);
              });
    }
    // time
    String time = declaration.time();
    if (time != null) {
      Relation.Attribute column = faults.column(relation, time, "time");
      if (!Set.of("timestamptz", "timestamp", "date").contains(column.baseName())) {
        throw faults.at(
            "time", time + " is of type " + column.type() + ", not a timestamp or date");
      }
    }
    List<Measure> measures = new ArrayList<>();
    Map<String, String> declaredMeasures =
        declaration.measures() == null ? Map.of("count", "count(*)") : declaration.measures();
    declaredMeasures.forEach((name, aggregate) -> measures.add(Measure.untyped(name, aggregate)));
    List<Column> rowColumns = new ArrayList<>();
    for (Relation.Attribute column : columns) {
      rowColumns.add(
          new Column(column.name(), DeclaredDataset.expression(column.name()), kind(column)));
    }
    Dataset dataset =
        new Dataset(relation.qualified(), DeclaredDataset.ALIAS, rowColumns, sorts, List.of());
    return new DeclaredDataset(
        declaration.name(),
        declaration.source(),
        relation,
        dataset,
        columns,
        key,
        keyParts,
        operators,
        time,
        measures,
        relation.tables().stream().map(Relation.Table::changeName).toList(),
        relation.notified());
  }

  /**
   * How the JVM writes a column of this type, byte for byte as {@code to_json}: natively for the
   * common types, by PostgreSQL's own {@code to_json} text for every other (a domain too, since its
   * value travels as its base type's).
   */
  static Column.Kind kind(Relation.Attribute column) {
    if (column.domain()) {
      return Column.Kind.JSON;
    }
    return Measure.kindOf(column.baseName());
  }

  private static SortKey.Part part(Relation.Attribute column, boolean descending) {
    return new SortKey.Part(
        DeclaredDataset.expression(column.name()),
        column.baseType(),
        descending,
        !column.notNull());
  }

  private static List<String> key(Declaration declaration, Relation relation, Faults faults) {
    List<List<String>> candidates = new ArrayList<>();
    if (!relation.primaryKey().isEmpty()) {
      candidates.add(relation.primaryKey());
    }
    candidates.addAll(relation.uniqueKeys());
    if (declaration.key() == null) {
      return candidates.isEmpty() ? List.of() : candidates.get(0);
    }
    for (int i = 0; i < declaration.key().size(); i++) {
      faults.column(relation, declaration.key().get(i), "key[" + i + "]");
    }
    if (relation.kind() == Relation.Kind.VIEW) {
      return declaration.key(); // PostgreSQL cannot prove a view's key: it is trusted
    }
    Set<String> declared = Set.copyOf(declaration.key());
    for (List<String> candidate : candidates) {
      if (Set.copyOf(candidate).equals(declared)) {
        return declaration.key();
      }
    }
    throw faults.at(
        "key",
        declaration.key()
            + " is not unique in "
            + relation.kind().label()
            + " "
            + relation.qualified()
            + (relation.kind() == Relation.Kind.MATERIALIZED_VIEW
                ? ": its unique indexes are "
                : ": its primary key and unique indexes on NOT NULL columns are ")
            + (candidates.isEmpty() ? "none" : candidates));
  }

  private static SortKey sort(
      String text,
      String field,
      Relation relation,
      List<String> names,
      List<SortKey.Part> keyParts,
      Faults faults) {
    List<SortKey.Part> parts = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    boolean last = false;
    for (String item : text.split(",", -1)) {
      String trimmed = item.trim();
      boolean descending = trimmed.startsWith("-");
      String name = descending ? trimmed.substring(1) : trimmed;
      if (name.isEmpty()) {
        throw faults.at(field, "'" + text + "' has an empty column name");
      }
      faults.listed(relation, name, names, field);
      if (!seen.add(name)) {
        throw faults.at(field, name + " is named twice");
      }
      Relation.Attribute column = relation.column(name);
      if (!column.btree()
          || column.category() == 'G'
          || Set.of("json", "xml").contains(column.baseName())) {
        throw faults.at(field, name + " is of type " + column.type() + ", which has no order");
      }
      parts.add(part(column, descending));
      last = descending;
    }
    for (SortKey.Part keyPart : keyParts) {
      if (parts.stream().noneMatch(p -> p.expression().equals(keyPart.expression()))) {
        parts.add(
            new SortKey.Part(keyPart.expression(), keyPart.sqlType(), last, keyPart.nullable()));
      }
    }
    return new SortKey(text, parts);
  }

  /** Makes the faults of one declaration. */
  private record Faults(Declaration declaration) {

    DeclarationException at(String field, String problem) {
      return new DeclarationException(declaration.source(), declaration.name(), field, problem);
    }

    /** Fails unless {@code name} is among the dataset's {@code columns}. */
    void listed(Relation relation, String name, List<String> columns, String field) {
      if (!columns.contains(name)) {
        throw at(
            field,
            relation.column(name) == null
                ? "no column "
                    + name
                    + " in "
                    + relation.qualified()
                    + "; it has "
                    + relation.columnNames()
                : name + " is not among columns " + columns);
      }
    }

    Relation.Attribute column(Relation relation, String name, String field) {
      Relation.Attribute column = relation.column(name);
      if (column == null) {
        throw at(
            field,
            "no column "
                + name
                + " in "
                + relation.kind().label()
                + " "
                + relation.qualified()
                + "; it has "
                + relation.columnNames());
      }
      return column;
    }
  }
}
