package dev.sluice.dataset;

import dev.sluice.config.SluiceConfig;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every dataset a configuration declares, checked against the database it serves: read ({@link
 * Declaration}), found in the catalog ({@link PgCatalog}), resolved ({@link Resolver}) and its
 * measures tried by PostgreSQL. The first fault fails the whole: nothing is served half-checked.
 */
public final class Declarations {

  /**
   * Names a declared dataset cannot take: the demo's data families, which have their routes, and
   * the node's other parts.
   */
  public static final Set<String> TAKEN =
      Set.of("videos", "users", "analytics", "templates", "search", "gateway", "monitor");

  private static final Set<String> PARTS = Set.of("gateway", "monitor");

  private Declarations() {}

  /** The declarations of {@code settings}, read but not yet checked against the catalog. */
  public static List<Declaration> read(SluiceConfig settings) {
    List<Declaration> all =
        Declaration.readAll(settings.datasets(), settings.datasetSources(), "configuration");
    for (Declaration declaration : all) {
      if (TAKEN.contains(declaration.name())) {
        throw new DeclarationException(
            declaration.source(),
            declaration.name(),
            null,
            (PARTS.contains(declaration.name())
                    ? "the name is taken by the node's " + declaration.name() + " part"
                    : "the name is taken by the demo's "
                        + declaration.name()
                        + " family (/api/v1/"
                        + declaration.name()
                        + ")")
                + ": name the dataset otherwise");
      }
    }
    return all;
  }

  /** Every declared dataset of {@code settings}, checked against the catalog of {@code pool}. */
  public static Future<List<DeclaredDataset>> resolve(Pool pool, SluiceConfig settings) {
    List<Declaration> declarations;
    try {
      declarations = read(settings);
    } catch (DeclarationException e) {
      return Future.failedFuture(e);
    }
    Future<List<DeclaredDataset>> chain = Future.succeededFuture(new ArrayList<>());
    for (Declaration declaration : declarations) {
      chain = chain.compose(done -> resolve(pool, declaration).map(d -> add(done, d)));
    }
    return chain.map(List::copyOf);
  }

  private static <T> List<T> add(List<T> list, T item) {
    list.add(item);
    return list;
  }

  /** One declaration, checked against the catalog. */
  public static Future<DeclaredDataset> resolve(Pool pool, Declaration declaration) {
    List<String> parts;
    try {
      parts = Identifiers.parse(declaration.relation());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(fault(declaration, "relation", e.getMessage()));
    }
    if (parts.size() > 2) {
      return Future.failedFuture(
          fault(declaration, "relation", "must be schema.name (or a name in public)"));
    }
    String schema = parts.size() == 2 ? parts.get(0) : "public";
    String name = parts.get(parts.size() - 1);
    return PgCatalog.find(pool, schema, name)
        .compose(
            relation -> {
              DeclaredDataset dataset = Resolver.resolve(declaration, relation);
              return typeMeasures(pool, dataset);
            });
  }

  /**
   * Asks PostgreSQL for every measure's type and its value over no rows (what an empty bucket
   * holds), as one bucket's aggregate over the relation with nothing read ({@code WHERE false}), in
   * a read-only transaction that is rolled back: a refused one names its field and PostgreSQL's
   * reason. A measure that fails only over no rows (a division by {@code count(*)}) is planned
   * instead ({@code EXPLAIN}), and keeps its JSON kind and an empty bucket's null.
   */
  static Future<DeclaredDataset> typeMeasures(Pool pool, DeclaredDataset dataset) {
    Future<List<Measure>> chain = Future.succeededFuture(new ArrayList<>());
    for (Measure measure : dataset.measures()) {
      chain =
          chain.compose(
              typed ->
                  typeOf(pool, dataset, measure)
                      .map(
                          m -> {
                            typed.add(m);
                            return typed;
                          }));
    }
    return chain.map(dataset::withMeasures);
  }

  /** The kinds whose text a literal reads back as the same value ({@code '0'::bigint}). */
  private static final Set<Column.Kind> LITERAL =
      Set.of(
          Column.Kind.INTEGER,
          Column.Kind.BIGINT,
          Column.Kind.NUMERIC,
          Column.Kind.FLOAT,
          Column.Kind.BOOLEAN,
          Column.Kind.TEXT,
          Column.Kind.UUID,
          Column.Kind.TIMESTAMP);

  private static Future<Measure> typeOf(Pool pool, DeclaredDataset dataset, Measure measure) {
    // one statement (the extended protocol runs no second one), the measure enclosed as the
    // window's query encloses it, and evaluated once
    String sql =
        "SELECT t.typname, t.typtype = 'd', m.ty::regtype::text, m.v::text FROM (SELECT"
            + " pg_typeof(a.v) AS ty, a.v FROM (SELECT ("
            + measure.aggregate()
            + "\n) AS v FROM "
            + dataset.from()
            + " WHERE false GROUP BY ()) a) m JOIN pg_catalog.pg_type t ON t.oid = m.ty";
    Future<RowSet<Row>> typed =
        pool.withConnection(
            conn ->
                conn.begin()
                    .compose(
                        tx ->
                            conn.query("SET TRANSACTION READ ONLY")
                                .execute()
                                .compose(v -> conn.preparedQuery(sql).execute())
                                .eventually(tx::rollback)));
    return typed
        .<Measure>compose(
            rows -> {
              if (rows.size() != 1) {
                return Future.failedFuture(
                    refused(dataset, measure, "it gives no single value over a bucket's rows"));
              }
              Row row = rows.iterator().next();
              Column.Kind kind =
                  row.getBoolean(1) ? Column.Kind.JSON : Measure.kindOf(row.getString(0));
              return Future.succeededFuture(
                  new Measure(
                      measure.name(),
                      measure.aggregate(),
                      kind,
                      row.getString(2),
                      LITERAL.contains(kind) ? row.getString(3) : null));
            })
        .recover(
            e -> {
              if (e instanceof DeclarationException) {
                return Future.failedFuture(e);
              }
              if (e instanceof PgException pg
                  && pg.getSqlState() != null
                  && pg.getSqlState().startsWith("22")) {
                // only over no rows, or always? planning tells (1/0 is folded while planning)
                String explain =
                    "EXPLAIN SELECT ("
                        + measure.aggregate()
                        + "\n) FROM "
                        + dataset.from()
                        + " GROUP BY ()";
                return pool.preparedQuery(explain)
                    .execute()
                    .<Measure>map(planned -> measure)
                    .recover(again -> Future.failedFuture(refused(dataset, measure, again)));
              }
              return Future.failedFuture(refused(dataset, measure, e));
            });
  }

  private static DeclarationException refused(DeclaredDataset d, Measure measure, Throwable e) {
    return refused(d, measure, e instanceof PgException pg ? pg.getErrorMessage() : e.getMessage());
  }

  private static DeclarationException refused(DeclaredDataset d, Measure measure, String reason) {
    return new DeclarationException(
        d.source(),
        d.name(),
        "measures." + measure.name(),
        "PostgreSQL refuses " + measure.aggregate() + " as an aggregate of one bucket: " + reason);
  }

  private static DeclarationException fault(Declaration d, String field, String problem) {
    return new DeclarationException(d.source(), d.name(), field, problem);
  }
}
