package dev.sluice.dataset;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of {@code datasets triggers}: a statement-level trigger on every table behind the
 * declared datasets (a view's tables, a partitioned table and each of its partitions), which
 * notifies the change channel with the table's change name ({@link Relation.Table#changeName()})
 * after every write, so that cached replies of what it changed are dropped on every node.
 */
public final class Triggers {

  private Triggers() {}

  /** The SQL that installs the triggers of {@code datasets}, one statement a line. */
  public static Future<List<String>> sql(Pool pool, List<DeclaredDataset> datasets) {
    Map<String, Relation.Table> tables = new LinkedHashMap<>();
    for (DeclaredDataset dataset : datasets) {
      dataset.relation().tables().forEach(t -> tables.putIfAbsent(t.changeName(), t));
    }
    List<String> statements = new ArrayList<>();
    statements.add(
        "CREATE OR REPLACE FUNCTION public."
            + PgCatalog.FUNCTION
            + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN FOR i IN 0 .. TG_NARGS - 1 LOOP"
            + " PERFORM pg_notify('"
            + dev.sluice.db.Changes.CHANNEL
            + "', TG_ARGV[i]); END LOOP; RETURN NULL; END $$;");
    // per table the trigger is on, every change name it announces: a partition declared on its
    // own and through its partitioned table announces both
    Map<String, java.util.Set<String>> targets = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (Relation.Table table : tables.values()) {
      chain =
          chain.compose(
              v ->
                  pool.preparedQuery(
                          "SELECT n.nspname::text, c.relname::text FROM pg_partition_tree($1::text::regclass) p"
                              + " JOIN pg_class c ON c.oid = p.relid"
                              + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                              + " ORDER BY p.level, n.nspname, c.relname")
                      .execute(Tuple.of(table.qualified()))
                      .map(
                          rows -> {
                            List<String> found = new ArrayList<>();
                            for (Row row : rows) {
                              found.add(Identifiers.qualified(row.getString(0), row.getString(1)));
                            }
                            if (found.isEmpty()) {
                              found.add(table.qualified()); // not partitioned: itself
                            }
                            for (String target : found) {
                              targets
                                  .computeIfAbsent(target, t -> new java.util.LinkedHashSet<>())
                                  .add(table.changeName());
                            }
                            return null;
                          }));
    }
    chain =
        chain.map(
            v -> {
              targets.forEach(
                  (target, names) -> statements.add(trigger(target, List.copyOf(names))));
              return null;
            });
    return chain.map(v -> statements);
  }

  /** The trigger on {@code target} that announces writes as each of {@code changeNames}. */
  static String trigger(String target, List<String> changeNames) {
    return "CREATE OR REPLACE TRIGGER "
        + PgCatalog.TRIGGER
        + " AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
        + target
        + " FOR EACH STATEMENT EXECUTE FUNCTION public."
        + PgCatalog.FUNCTION
        + "("
        + String.join(
            ", ", changeNames.stream().map(n -> "'" + n.replace("'", "''") + "'").toList())
        + ");";
  }
}
