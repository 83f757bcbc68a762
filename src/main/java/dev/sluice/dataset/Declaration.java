package dev.sluice.dataset;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One dataset as configuration declares it (docs/API.md 8.1), read into typed fields and checked
 * for shape; {@link Resolver} checks it against the catalog. Absent fields are null (or empty) and
 * take their defaults from the catalog there.
 *
 * @param source the file it was read from, named in every error
 * @param relation {@code schema.name} as SQL writes it
 * @param key the key columns, or null for the catalog's
 * @param columns the columns in order, or null for every column but {@code exclude}
 * @param sorts the orders a client may ask for ({@code -} descending; several columns as {@code
 *     "-rating,title"}), or null for the key
 * @param filters per column the operators allowed, or null when {@code allFilters}
 * @param allFilters {@code "filters": "*"}: every column with every operator its type takes
 * @param time the column windows bucket on, or null
 * @param measures name to aggregate expression, or null for {@code {"count": "count(*)"}}
 */
public record Declaration(
    String name,
    String source,
    String relation,
    List<String> key,
    List<String> columns,
    List<String> exclude,
    List<String> sorts,
    Map<String, List<String>> filters,
    boolean allFilters,
    String time,
    Map<String, String> measures) {

  /** A dataset's name: what its routes and cache family are called. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private static final Set<String> FIELDS =
      Set.of(
          "relation",
          "key",
          "columns",
          "exclude",
          "sorts",
          "filters",
          "time",
          "measures",
          "cache",
          "page");

  /**
   * Every declaration of a configuration's {@code datasets} object, in its order; {@code sources}
   * names the file each came from (a dataset it does not name came from {@code fallback}).
   */
  public static List<Declaration> readAll(
      JsonObject datasets, Map<String, String> sources, String fallback) {
    List<Declaration> all = new ArrayList<>();
    if (datasets == null) {
      return all;
    }
    for (String name : datasets.fieldNames()) {
      String source = sources.getOrDefault(name, fallback);
      Object value = datasets.getValue(name);
      if (!(value instanceof JsonObject json)) {
        throw new DeclarationException(source, name, null, "is not a JSON object");
      }
      all.add(read(name, json, source));
    }
    return all;
  }

  /** One declaration; throws {@link DeclarationException} naming what is malformed. */
  public static Declaration read(String name, JsonObject json, String source) {
    Reader r = new Reader(name, json, source);
    if (!NAME.matcher(name).matches()) {
      throw r.fault(
          null,
          "the name must match [a-z][a-z0-9_]{0,62} (it names routes: /api/v1/data/" + name + ")");
    }
    for (String field : json.fieldNames()) {
      if (field.equals("read")) {
        throw r.fault(
            field,
            "who may read what (docs/API.md section 9) is not served by this version; the"
                + " declaration is refused rather than served without its rules");
      }
      if (!FIELDS.contains(field)) {
        throw r.fault(
            field, "is not a field of a declaration; fields: " + new java.util.TreeSet<>(FIELDS));
      }
    }
    String relation = r.text("relation", true);
    List<String> key = r.names("key");
    List<String> columns = r.names("columns");
    List<String> exclude = r.names("exclude");
    if (columns != null && exclude != null) {
      throw r.fault("exclude", "cannot be given with columns (it drops columns from the default)");
    }
    List<String> sorts = r.names("sorts");
    Map<String, List<String>> filters = null;
    boolean all = false;
    Object f = json.getValue("filters");
    if ("*".equals(f)) {
      all = true;
    } else if (f instanceof JsonObject object) {
      filters = new LinkedHashMap<>();
      for (String column : object.fieldNames()) {
        filters.put(column, r.names("filters." + column, object.getValue(column)));
      }
    } else if (f != null) {
      throw r.fault("filters", "must be \"*\" or an object of column: [operators]");
    }
    String time = r.text("time", false);
    Map<String, String> measures = null;
    Object m = json.getValue("measures");
    if (m instanceof JsonObject object) {
      measures = new LinkedHashMap<>();
      for (String measure : object.fieldNames()) {
        if (!NAME.matcher(measure).matches()) {
          throw r.fault("measures." + measure, "a measure's name must match [a-z][a-z0-9_]{0,62}");
        }
        if (!(object.getValue(measure) instanceof String expression) || expression.isBlank()) {
          throw r.fault("measures." + measure, "must be an SQL aggregate expression");
        }
        measures.put(measure, expression);
      }
      if (measures.isEmpty()) {
        throw r.fault("measures", "is empty");
      }
    } else if (m != null) {
      throw r.fault("measures", "must be an object of name: aggregate expression");
    }
    r.policy("cache", Set.of("ttl_seconds", "max_entries", "compression"));
    r.policy("page", Set.of("default", "max"));
    return new Declaration(
        name, source, relation, key, columns, exclude, sorts, filters, all, time, measures);
  }

  /** Reads a declaration's fields, each fault naming its field. */
  private record Reader(String name, JsonObject json, String source) {

    DeclarationException fault(String field, String problem) {
      return new DeclarationException(source, name, field, problem);
    }

    String text(String field, boolean required) {
      Object value = json.getValue(field);
      if (value == null) {
        if (required) {
          throw fault(field, "is required");
        }
        return null;
      }
      if (!(value instanceof String text) || text.isBlank()) {
        throw fault(field, "must be a non-empty string");
      }
      return text;
    }

    List<String> names(String field) {
      Object value = json.getValue(field);
      return value == null ? null : names(field, value);
    }

    List<String> names(String field, Object value) {
      if (!(value instanceof JsonArray array)) {
        throw fault(field, "must be a list of strings");
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof String text) || text.isEmpty()) {
          throw fault(field + "[" + i + "]", "must be a non-empty string");
        }
        if (names.contains(text)) {
          throw fault(field + "[" + i + "]", "'" + text + "' is listed twice");
        }
        names.add(text);
      }
      if (names.isEmpty() && !field.equals("exclude")) {
        throw fault(field, "is empty");
      }
      return List.copyOf(names);
    }

    void policy(String field, Set<String> keys) {
      Object value = json.getValue(field);
      if (value == null) {
        return;
      }
      if (!(value instanceof JsonObject object)) {
        throw fault(field, "must be an object with " + new java.util.TreeSet<>(keys));
      }
      for (String key : object.fieldNames()) {
        Object v = object.getValue(key);
        if (!keys.contains(key)) {
          throw fault(field + "." + key, "is not one of " + new java.util.TreeSet<>(keys));
        }
        boolean ok =
            key.equals("compression")
                ? v instanceof Boolean
                : v instanceof Integer i && (i > 0 || key.equals("max_entries") && i == 0);
        if (!ok) {
          throw fault(
              field + "." + key,
              key.equals("compression") ? "must be true or false" : "must be a positive integer");
        }
      }
      if (field.equals("page")
          && object.getInteger("default") != null
          && object.getInteger("max") != null
          && object.getInteger("default") > object.getInteger("max")) {
        throw fault("page.default", "is more than page.max");
      }
    }
  }
}
