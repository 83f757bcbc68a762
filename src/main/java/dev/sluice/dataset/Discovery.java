package dev.sluice.dataset;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes declarations for relations read from the catalog (docs/API.md 8.1, {@code datasets
 * discover}): every column, the key from the primary key or a unique index, sorts from the leading
 * columns of btree indexes, every filter each column's type takes, {@code time} from an indexed
 * timestamp column. Its output, unedited, is a configuration that starts Sluice and serves every
 * relation it names.
 */
public final class Discovery {

  private Discovery() {}

  /**
   * The {@code datasets} object declaring {@code relations} ({@code firstSchema}'s named after the
   * relation alone, the others' with their schema in front).
   */
  public static JsonObject declare(List<Relation> relations, String firstSchema) {
    JsonObject datasets = new JsonObject();
    Set<String> taken = new HashSet<>(Declarations.TAKEN);
    for (Relation relation : relations) {
      String base =
          name(
              relation.schema().equals(firstSchema)
                  ? relation.name()
                  : relation.schema() + "_" + relation.name());
      String name = base;
      for (int n = 2; taken.contains(name); n++) {
        String suffix = "_" + n;
        name = base.substring(0, Math.min(base.length(), 63 - suffix.length())) + suffix;
      }
      taken.add(name);
      datasets.put(name, declaration(relation));
    }
    return datasets;
  }

  /**
   * A dataset's name for a relation's: lower case, each run of characters outside {@code [a-z0-9]}
   * one {@code _}, none at either end, {@code t_} in front of one that does not start with a
   * letter, at most 63 characters.
   */
  public static String name(String relation) {
    String name =
        relation.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
      name = "t_" + name;
    }
    return name.length() > 63 ? name.substring(0, 63).replaceAll("_+$", "") : name;
  }

  static JsonObject declaration(Relation relation) {
    JsonObject json = new JsonObject().put("relation", relation.qualified());
    List<String> columns = relation.columnNames();
    json.put("columns", new JsonArray(columns));
    List<String> key =
        !relation.primaryKey().isEmpty()
            ? relation.primaryKey()
            : relation.uniqueKeys().isEmpty() ? List.of() : relation.uniqueKeys().get(0);
    if (!key.isEmpty()) {
      json.put("key", new JsonArray(key));
      List<String> sorts = new ArrayList<>();
      sorts.add(String.join(",", key));
      for (List<String> index : relation.indexes()) {
        List<String> plain = index.stream().map(c -> c.replaceFirst("^-", "")).toList();
        if (plain.equals(key) || !orderable(relation, plain) || !writable(plain)) {
          continue;
        }
        // the index's order, and the other way round (an index is read backward as well)
        String order = String.join(",", index);
        String reverse =
            String.join(
                ",",
                index.stream().map(c -> c.startsWith("-") ? c.substring(1) : "-" + c).toList());
        for (String sort : List.of(order, reverse)) {
          if (!sorts.contains(sort)) {
            sorts.add(sort);
          }
        }
      }
      if (writable(key)) {
        json.put("sorts", new JsonArray(sorts));
      } // else the key's order alone, the default: a sort cannot name its columns
    }
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (Relation.Attribute column : relation.columns()) {
      if (!Resolver.RESERVED.contains(column.name())) {
        filters.put(column.name(), List.copyOf(Operators.of(column)));
      }
    }
    JsonObject filterJson = new JsonObject();
    filters.forEach((name, ops) -> filterJson.put(name, new JsonArray(ops)));
    json.put("filters", filterJson);
    for (List<String> index : relation.indexes()) {
      String leading = index.get(0).replaceFirst("^-", "");
      Relation.Attribute column = relation.column(leading);
      if (column != null
          && Set.of("timestamptz", "timestamp", "date").contains(column.baseName())) {
        json.put("time", leading);
        break;
      }
    }
    return json;
  }

  /**
   * Whether a sort can name these columns: one holding a comma, starting with {@code -} or with
   * space around it cannot be written in a sort's text.
   */
  private static boolean writable(List<String> columns) {
    return columns.stream()
        .noneMatch(c -> c.contains(",") || c.startsWith("-") || !c.equals(c.strip()));
  }

  private static boolean orderable(Relation relation, List<String> columns) {
    for (String name : columns) {
      Relation.Attribute column = relation.column(name);
      if (column == null
          || !column.btree()
          || column.category() == 'G'
          || Set.of("json", "xml").contains(column.baseName())) {
        return false;
      }
    }
    return true;
  }
}
