package dev.sluice.dataset;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the catalog says of one relation ({@link PgCatalog}): its kind, its columns with their
 * types, its keys and the orders its btree indexes serve, and the tables whose writes change it.
 *
 * @param primaryKey the primary key's columns (empty when none)
 * @param uniqueKeys the column lists of its unique, non-partial indexes on plain columns whose
 *     columns are all NOT NULL (for a materialized view, of any unique index)
 * @param indexes the column lists of its btree indexes (non-partial, plain columns), each column
 *     with {@code -} in front when the index holds it descending
 * @param tables the tables whose writes change its rows: itself for a table, the tables a view
 *     reads (through views it reads), none for a materialized view
 * @param notified whether every one of {@code tables} has Sluice's change trigger
 */
public record Relation(
    String schema,
    String name,
    Kind kind,
    List<Attribute> columns,
    List<String> primaryKey,
    List<List<String>> uniqueKeys,
    List<List<String>> indexes,
    List<Table> tables,
    boolean notified) {

  public Relation {
    columns = List.copyOf(columns);
    primaryKey = List.copyOf(primaryKey);
    uniqueKeys = List.copyOf(uniqueKeys);
    indexes = List.copyOf(indexes);
    tables = List.copyOf(tables);
  }

  /** The relation kinds Sluice serves, by {@code pg_class.relkind}. */
  public enum Kind {
    TABLE('r', "table"),
    VIEW('v', "view"),
    MATERIALIZED_VIEW('m', "materialized view"),
    PARTITIONED_TABLE('p', "partitioned table"),
    FOREIGN_TABLE('f', "foreign table");

    private final char code;
    private final String label;

    Kind(char code, String label) {
      this.code = code;
      this.label = label;
    }

    public String label() {
      return label;
    }

    static Kind of(char code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      return null;
    }
  }

  /**
   * One column.
   *
   * @param type its type as SQL names it ({@code numeric(14,4)}, {@code shop.sku_code})
   * @param baseType the type under any domains, by its own qualified name ({@code
   *     pg_catalog.bpchar}, not {@code character}, which means {@code character(1)}): what values
   *     are cast to
   * @param baseName that type's own name ({@code int4}, {@code timestamptz}, an enum's name)
   * @param category {@code pg_type.typcategory} of the base type ({@code N} numbers, {@code S}
   *     strings, {@code A} arrays…)
   * @param enumLabels an enum's labels in their order (empty for other types)
   * @param btree whether the base type has a default btree operator class (equality and order)
   * @param domain whether the column's type is a domain (its values travel as the base type's)
   */
  public record Attribute(
      String name,
      String type,
      String baseType,
      String baseName,
      char category,
      boolean notNull,
      List<String> enumLabels,
      boolean btree,
      boolean domain) {

    public Attribute {
      enumLabels = List.copyOf(enumLabels);
    }

    public boolean isEnum() {
      return category == 'E';
    }

    public boolean isArray() {
      return category == 'A';
    }
  }

  /** {@code schema.name} as SQL writes it. */
  public String qualified() {
    return Identifiers.qualified(schema, name);
  }

  /** A table behind a relation, whose writes change its rows. */
  public record Table(String schema, String name) {

    /** {@code schema.name} as SQL writes it. */
    public String qualified() {
      return Identifiers.qualified(schema, name);
    }

    /**
     * How a change notification names it, and cached replies list what they read: {@code
     * schema.name}, neither part quoted.
     */
    public String changeName() {
      return schema + "." + name;
    }
  }

  /** The column called {@code name}, or null. */
  public Attribute column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  public List<String> columnNames() {
    return columns.stream().map(Attribute::name).toList();
  }

  /**
   * This description as JSON ({@link #fromJson} reads it back): how a catalog is kept in a file.
   */
  public JsonObject toJson() {
    JsonArray columns = new JsonArray();
    for (Attribute c : this.columns) {
      columns.add(
          new JsonObject()
              .put("name", c.name())
              .put("type", c.type())
              .put("base_type", c.baseType())
              .put("base_name", c.baseName())
              .put("category", String.valueOf(c.category()))
              .put("not_null", c.notNull())
              .put("enum_labels", new JsonArray(c.enumLabels()))
              .put("btree", c.btree())
              .put("domain", c.domain()));
    }
    JsonArray tables = new JsonArray();
    this.tables.forEach(t -> tables.add(new JsonArray().add(t.schema()).add(t.name())));
    return new JsonObject()
        .put("schema", schema)
        .put("name", name)
        .put("kind", kind.name())
        .put("columns", columns)
        .put("primary_key", new JsonArray(primaryKey))
        .put("unique_keys", lists(uniqueKeys))
        .put("indexes", lists(indexes))
        .put("tables", tables)
        .put("notified", notified);
  }

  /** A description {@link #toJson} wrote. */
  public static Relation fromJson(JsonObject json) {
    List<Attribute> columns =
        json.getJsonArray("columns").stream()
            .map(JsonObject.class::cast)
            .map(
                c ->
                    new Attribute(
                        c.getString("name"),
                        c.getString("type"),
                        c.getString("base_type"),
                        c.getString("base_name"),
                        c.getString("category").charAt(0),
                        c.getBoolean("not_null"),
                        strings(c.getJsonArray("enum_labels")),
                        c.getBoolean("btree"),
                        c.getBoolean("domain")))
            .toList();
    List<Table> tables =
        json.getJsonArray("tables").stream()
            .map(JsonArray.class::cast)
            .map(t -> new Table(t.getString(0), t.getString(1)))
            .toList();
    return new Relation(
        json.getString("schema"),
        json.getString("name"),
        Kind.valueOf(json.getString("kind")),
        columns,
        strings(json.getJsonArray("primary_key")),
        json.getJsonArray("unique_keys").stream().map(k -> strings((JsonArray) k)).toList(),
        json.getJsonArray("indexes").stream().map(k -> strings((JsonArray) k)).toList(),
        tables,
        json.getBoolean("notified"));
  }

  private static JsonArray lists(List<List<String>> lists) {
    JsonArray all = new JsonArray();
    lists.forEach(l -> all.add(new JsonArray(l)));
    return all;
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String.class::cast).toList();
  }
}
