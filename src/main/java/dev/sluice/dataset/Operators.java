package dev.sluice.dataset;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The filter operators of docs/API.md 8.3 and which column types take each: equality where the type
 * has a btree equality (not JSON, arrays, tsvector, geometric types or xml), order for numbers,
 * text, times, intervals, enums and uuid, patterns for text, {@code fts} for tsvector, containment
 * for arrays, {@code is} for every type.
 */
public final class Operators {

  public static final List<String> ALL =
      List.of(
          "eq", "neq", "gt", "gte", "lt", "lte", "in", "is", "like", "ilike", "fts", "cs", "ov");

  private Operators() {}

  /** The operators a column of this type takes, in the order of {@link #ALL}. */
  public static Set<String> of(Relation.Attribute column) {
    Set<String> ops = new LinkedHashSet<>();
    if (equality(column)) {
      ops.addAll(List.of("eq", "neq"));
      if (ordered(column)) {
        ops.addAll(List.of("gt", "gte", "lt", "lte"));
      }
      ops.add("in");
    }
    ops.add("is");
    if (column.category() == 'S') {
      ops.addAll(List.of("like", "ilike"));
    }
    if (column.baseName().equals("tsvector")) {
      ops.add("fts");
    }
    if (column.isArray()) {
      ops.addAll(List.of("cs", "ov"));
    }
    return ops;
  }

  private static boolean equality(Relation.Attribute column) {
    String name = column.baseName();
    return column.btree()
        && !column.isArray()
        && column.category() != 'G'
        && !Set.of("json", "jsonb", "tsvector", "xml").contains(name);
  }

  private static boolean ordered(Relation.Attribute column) {
    return switch (column.category()) {
      case 'N', 'S', 'D', 'T', 'E' -> true;
      default -> column.baseName().equals("uuid");
    };
  }
}
