package dev.sluice.dataset;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads relations from {@code pg_catalog}, all in one transaction (one snapshot): kinds, columns
 * with their types (domains resolved to their base types, enums with their labels in order), keys,
 * btree indexes, the tables a view reads ({@code pg_depend}) and whether they carry Sluice's change
 * trigger. Nothing is read from a relation's rows.
 */
public final class PgCatalog {

  /** The trigger {@code datasets triggers} installs on each table behind a declared dataset. */
  public static final String TRIGGER = "sluice_changed";

  /** The function that trigger runs: it notifies its argument, the table's change name. */
  public static final String FUNCTION = "sluice_notify_relation";

  private static final String RELATIONS =
      "SELECT c.oid::int8, n.nspname::text, c.relname::text, c.relkind::text FROM pg_class c"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','v','m','p','f') AND ";

  private static final String COLUMNS =
      "WITH RECURSIVE dom(oid, base) AS ("
          + " SELECT oid, typbasetype FROM pg_type WHERE typtype = 'd'"
          + " UNION ALL SELECT dom.oid, t.typbasetype FROM dom JOIN pg_type t ON t.oid = dom.base"
          + " WHERE t.typtype = 'd')"
          + " SELECT a.attrelid::int8, a.attname::text, format_type(a.atttypid, a.atttypmod),"
          + " quote_ident(bn.nspname) || '.' || quote_ident(b.typname), b.typname::text,"
          + " b.typcategory::text,"
          + " a.attnotnull OR coalesce(d.typnotnull, false),"
          + " coalesce((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e"
          + " WHERE e.enumtypid = b.oid), '{}'::text[]),"
          + " EXISTS (SELECT 1 FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod"
          + " WHERE am.amname = 'btree' AND oc.opcdefault AND (oc.opcintype = b.oid"
          + " OR (b.typtype = 'e' AND oc.opcintype = 'anyenum'::regtype)"
          + " OR (b.typcategory = 'A' AND oc.opcintype = 'anyarray'::regtype)"
          + " OR (b.typtype = 'r' AND oc.opcintype = 'anyrange'::regtype)"
          + " OR (b.typtype = 'm' AND oc.opcintype = 'anymultirange'::regtype)"
          + " OR oc.opcintype IN (SELECT casttarget FROM pg_cast WHERE castsource = b.oid"
          + " AND castmethod = 'b'))), d.oid IS NOT NULL"
          + " FROM pg_attribute a"
          + " LEFT JOIN pg_type d ON d.oid = a.atttypid AND d.typtype = 'd'"
          + " JOIN pg_type b ON b.oid = coalesce((SELECT dom.base FROM dom JOIN pg_type x"
          + " ON x.oid = dom.base WHERE dom.oid = a.atttypid AND x.typtype <> 'd'), a.atttypid)"
          + " JOIN pg_namespace bn ON bn.oid = b.typnamespace"
          + " WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped"
          + " ORDER BY a.attrelid, a.attnum";

  private static final String INDEXES =
      "SELECT i.indrelid::int8, i.indisprimary, i.indisunique, am.amname = 'btree',"
          + " i.indpred IS NOT NULL,"
          + " array(SELECT CASE WHEN k.attnum = 0 THEN NULL ELSE"
          + " (CASE WHEN (i.indoption[k.ord - 1] & 1) = 1 THEN '-' ELSE '' END) || a.attname END"
          + " FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)"
          + " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
          + " WHERE k.ord <= i.indnkeyatts ORDER BY k.ord)::text[]"
          + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
          + " JOIN pg_am am ON am.oid = ic.relam"
          + " WHERE i.indrelid = ANY($1) AND i.indisvalid ORDER BY i.indrelid, ic.relname";

  private static final String DEPENDENCIES =
      "WITH RECURSIVE deps(viewid, rel) AS ("
          + " SELECT r.ev_class, d.refobjid FROM pg_rewrite r JOIN pg_depend d"
          + " ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid"
          + " AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class"
          + " WHERE r.ev_class = ANY($1)"
          + " UNION SELECT deps.viewid, d.refobjid FROM deps JOIN pg_rewrite r ON r.ev_class = deps.rel"
          + " JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid"
          + " AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class)"
          + " SELECT DISTINCT deps.viewid::int8, c.oid::int8, n.nspname::text, c.relname::text,"
          + " c.relkind::text FROM deps JOIN pg_class c ON c.oid = deps.rel"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind IN ('r', 'p', 'f', 'm') ORDER BY 1, 3, 4";

  /**
   * The tables whose writes are announced: by the trigger {@code datasets triggers} installs, or by
   * the demo's (migrations V4 and V6: {@code sluice_notify_change}, which names the table alike).
   */
  private static final String TRIGGERS =
      "SELECT t.tgrelid::int8 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
          + " WHERE ((t.tgname = '"
          + TRIGGER
          + "' AND p.proname = '"
          + FUNCTION
          + "') OR (p.proname = 'sluice_notify_change' AND p.prosrc LIKE '%TG_TABLE_SCHEMA%'))"
          + " AND t.tgenabled IN ('O', 'A')"
          + " AND t.tgrelid = ANY($1)";

  private PgCatalog() {}

  /**
   * The relations of {@code schemas} Sluice can serve (tables, views, materialized views,
   * partitioned tables, foreign tables; not partitions), by schema in the order given, then name.
   */
  public static Future<List<Relation>> inSchemas(Pool pool, List<String> schemas) {
    return read(
        pool,
        "n.nspname = ANY($1) AND NOT c.relispartition"
            // an extension's own relations (pg_stat_statements) are not the application's
            + " AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass"
            + " AND e.objid = c.oid AND e.deptype = 'e')"
            + " ORDER BY array_position($1, n.nspname::text), c.relname",
        Tuple.of(schemas.toArray(new String[0])));
  }

  /** The relation {@code schema.name}, or null when there is none Sluice can serve. */
  public static Future<Relation> find(Pool pool, String schema, String name) {
    return read(pool, "n.nspname = $1 AND c.relname = $2", Tuple.of(schema, name))
        .map(found -> found.isEmpty() ? null : found.get(0));
  }

  /** The relations of the catalog matching {@code condition}, read in one snapshot. */
  private static Future<List<Relation>> read(Pool pool, String condition, Tuple args) {
    return pool.withTransaction(
        connection ->
            connection
                .query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute()
                .compose(v -> read(connection, condition, args)));
  }

  private record Found(long oid, String schema, String name, Relation.Kind kind) {}

  private static Future<List<Relation>> read(
      SqlConnection connection, String condition, Tuple args) {
    return connection
        .preparedQuery(RELATIONS + condition)
        .execute(args)
        .compose(
            rows -> {
              List<Found> found = new ArrayList<>();
              for (Row row : rows) {
                found.add(
                    new Found(
                        row.getLong(0),
                        row.getString(1),
                        row.getString(2),
                        Relation.Kind.of(row.getString(3).charAt(0))));
              }
              Long[] oids = found.stream().map(Found::oid).toArray(Long[]::new);
              Tuple byOids = Tuple.of(oids);
              return Future.all(
                      connection
                          .preparedQuery(COLUMNS.replace("$1", "$1::int8[]::oid[]"))
                          .execute(byOids),
                      connection
                          .preparedQuery(INDEXES.replace("$1", "$1::int8[]::oid[]"))
                          .execute(byOids),
                      connection
                          .preparedQuery(DEPENDENCIES.replace("$1", "$1::int8[]::oid[]"))
                          .execute(byOids))
                  .compose(
                      done -> {
                        Map<Long, List<Relation.Attribute>> columns = columns(done.resultAt(0));
                        Map<Long, List<Index>> indexes = indexes(done.resultAt(1));
                        Map<Long, List<Dependency>> dependencies = dependencies(done.resultAt(2));
                        // the tables whose triggers matter: each table itself, each view's tables
                        Set<Long> tables = new LinkedHashSet<>();
                        for (Found f : found) {
                          if (f.kind() != Relation.Kind.VIEW
                              && f.kind() != Relation.Kind.MATERIALIZED_VIEW) {
                            tables.add(f.oid());
                          }
                        }
                        dependencies.values().forEach(l -> l.forEach(d -> tables.add(d.oid())));
                        return connection
                            .preparedQuery(TRIGGERS.replace("$1", "$1::int8[]::oid[]"))
                            .execute(Tuple.of(tables.toArray(Long[]::new)))
                            .map(
                                triggered -> {
                                  Set<Long> notified = new java.util.HashSet<>();
                                  triggered.forEach(r -> notified.add(r.getLong(0)));
                                  List<Relation> relations = new ArrayList<>();
                                  for (Found f : found) {
                                    relations.add(
                                        relation(
                                            f,
                                            columns.getOrDefault(f.oid(), List.of()),
                                            indexes.getOrDefault(f.oid(), List.of()),
                                            dependencies.getOrDefault(f.oid(), List.of()),
                                            notified));
                                  }
                                  return relations;
                                });
                      });
            });
  }

  private record Index(
      boolean primary, boolean unique, boolean btree, boolean partial, List<String> columns) {}

  private record Dependency(long oid, String schema, String name, char kind) {}

  private static Relation relation(
      Found f,
      List<Relation.Attribute> columns,
      List<Index> indexes,
      List<Dependency> dependencies,
      Set<Long> notified) {
    Map<String, Relation.Attribute> byName = new HashMap<>();
    columns.forEach(c -> byName.put(c.name(), c));
    List<String> primary = List.of();
    List<List<String>> unique = new ArrayList<>();
    List<List<String>> btrees = new ArrayList<>();
    for (Index index : indexes) {
      if (index.columns().contains(null) || index.partial()) {
        continue; // an expression is not a column, and a partial index no key nor whole order
      }
      List<String> plain = index.columns().stream().map(c -> c.replaceFirst("^-", "")).toList();
      if (index.primary()) {
        primary = plain;
      } else if (index.unique()
          && (f.kind() == Relation.Kind.MATERIALIZED_VIEW
              || plain.stream().allMatch(c -> byName.get(c).notNull()))) {
        unique.add(plain);
      }
      if (index.btree()) {
        btrees.add(index.columns());
      }
    }
    List<Relation.Table> tables = new ArrayList<>();
    boolean all;
    switch (f.kind()) {
      case MATERIALIZED_VIEW -> all = false; // a REFRESH fires no trigger
      case VIEW -> {
        all = !dependencies.isEmpty();
        for (Dependency d : dependencies) {
          if (d.kind() == 'm') {
            all = false;
          } else {
            tables.add(new Relation.Table(d.schema(), d.name()));
            all &= notified.contains(d.oid());
          }
        }
      }
      default -> {
        tables.add(new Relation.Table(f.schema(), f.name()));
        all = notified.contains(f.oid());
      }
    }
    return new Relation(
        f.schema(), f.name(), f.kind(), columns, primary, unique, btrees, tables, all);
  }

  private static Map<Long, List<Relation.Attribute>> columns(Iterable<Row> rows) {
    Map<Long, List<Relation.Attribute>> columns = new LinkedHashMap<>();
    for (Row row : rows) {
      columns
          .computeIfAbsent(row.getLong(0), k -> new ArrayList<>())
          .add(
              new Relation.Attribute(
                  row.getString(1),
                  row.getString(2),
                  row.getString(3),
                  row.getString(4),
                  row.getString(5).charAt(0),
                  row.getBoolean(6),
                  Arrays.asList(row.getArrayOfStrings(7)),
                  row.getBoolean(8),
                  row.getBoolean(9)));
    }
    return columns;
  }

  private static Map<Long, List<Index>> indexes(Iterable<Row> rows) {
    Map<Long, List<Index>> indexes = new LinkedHashMap<>();
    for (Row row : rows) {
      indexes
          .computeIfAbsent(row.getLong(0), k -> new ArrayList<>())
          .add(
              new Index(
                  row.getBoolean(1),
                  row.getBoolean(2),
                  row.getBoolean(3),
                  row.getBoolean(4),
                  Arrays.asList(row.getArrayOfStrings(5))));
    }
    return indexes;
  }

  private static Map<Long, List<Dependency>> dependencies(Iterable<Row> rows) {
    Map<Long, List<Dependency>> dependencies = new LinkedHashMap<>();
    for (Row row : rows) {
      dependencies
          .computeIfAbsent(row.getLong(0), k -> new ArrayList<>())
          .add(
              new Dependency(
                  row.getLong(1), row.getString(2), row.getString(3), row.getString(4).charAt(0)));
    }
    return dependencies;
  }
}
