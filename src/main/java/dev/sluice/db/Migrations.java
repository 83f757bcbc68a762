package dev.sluice.db;

import io.vertx.core.Future;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL files of {@code db/migration/} in order, each once, recorded in {@code
 * schema_migrations}. Holds a session advisory lock while it works, so nodes that start together
 * take turns; an applied migration whose file changed stops the start.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final long LOCK_KEY = 0x51_75_1c_e0L;

  /** Every migration, oldest first. A new one goes at the end; an applied one is never edited. */
  static final List<String> FILES =
      List.of(
          "V1__schema.sql",
          "V2__event_counts_from_index.sql",
          "V3__performance_metrics_notify.sql",
          "V4__change_notifications.sql",
          "V5__suggestion_near_misses.sql",
          "V6__change_names_qualified.sql");

  record Migration(int version, String name, String sql, String checksum) {}

  private Migrations() {}

  public static Future<Integer> migrate(Pool pool) {
    List<Migration> migrations = FILES.stream().map(Migrations::load).toList();
    return pool.getConnection()
        .compose(
            conn ->
                notices(conn)
                    .query("SELECT pg_advisory_lock(" + LOCK_KEY + ")")
                    .execute()
                    .compose(locked -> publicSchema(conn))
                    .compose(v -> apply(conn, migrations))
                    .eventually(
                        () ->
                            conn.query("SELECT pg_advisory_unlock(" + LOCK_KEY + ")")
                                .execute()
                                .eventually(conn::close)));
  }

  /**
   * The demo's tables are where its declarations read them ({@code public.<table>}, {@code
   * demo/datasets.json}): migrations that would create them in another schema (a connection whose
   * {@code search_path} puts another first) stop before they create anything.
   */
  private static Future<Void> publicSchema(SqlConnection conn) {
    return conn.query("SELECT current_schema()")
        .execute()
        .compose(
            rows -> {
              String schema = rows.iterator().next().getString(0);
              return "public".equals(schema)
                  ? Future.succeededFuture()
                  : Future.failedFuture(
                      new IllegalStateException(
                          "The demo's tables are read as public.<table>, but this connection"
                              + " creates tables in "
                              + (schema == null ? "no schema" : "schema " + schema)
                              + " (its search_path): put public first in the search_path, or"
                              + " serve your own tables without the demo (demo.enabled false)"));
            });
  }

  /**
   * A migration's notices ({@code extension "pg_trgm" already exists, skipping}) are PostgreSQL's
   * information, not warnings: logged at INFO in one line (the client's default is a WARN full of
   * empty fields).
   */
  private static SqlConnection notices(SqlConnection conn) {
    PgConnection.cast(conn)
        .noticeHandler(
            notice ->
                LOG.info(
                    "migrations.notice severity={} code={} message=\"{}\"",
                    notice.getSeverity(),
                    notice.getCode(),
                    notice.getMessage()));
    return conn;
  }

  private static Future<Integer> apply(SqlConnection conn, List<Migration> migrations) {
    // created only when missing, so a normal start says nothing (IF NOT EXISTS would log a notice
    // each time)
    return conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL")
        .execute()
        .compose(
            found ->
                found.iterator().next().getBoolean(0)
                    ? Future.succeededFuture()
                    : conn.query(
                            """
        CREATE TABLE schema_migrations (
          version    integer     PRIMARY KEY,
          name       text        NOT NULL,
          checksum   text        NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now())""")
                        .execute()
                        .mapEmpty())
        .compose(v -> conn.query("SELECT version, checksum FROM schema_migrations").execute())
        .compose(
            rows -> {
              Map<Integer, String> applied = new HashMap<>();
              for (Row row : rows) {
                applied.put(row.getInteger(0), row.getString(1));
              }
              Future<Integer> chain = Future.succeededFuture(0);
              for (Migration m : migrations) {
                String checksum = applied.get(m.version());
                if (checksum != null) {
                  if (!checksum.equals(m.checksum())) {
                    return Future.failedFuture(
                        new IllegalStateException(
                            "migration "
                                + m.name()
                                + " was changed after it was applied (checksum differs)"));
                  }
                  continue;
                }
                chain = chain.compose(count -> applyOne(conn, m).map(count + 1));
              }
              return chain;
            })
        .onSuccess(
            count -> LOG.info("migrations.done applied={} total={}", count, migrations.size()));
  }

  private static Future<Void> applyOne(SqlConnection conn, Migration m) {
    return conn.query("BEGIN")
        .execute()
        .compose(v -> conn.query(m.sql()).execute())
        .compose(
            v -> {
              Sql record =
                  Sql.of("INSERT INTO schema_migrations (version, name, checksum) VALUES (")
                      .param(m.version())
                      .append(", ")
                      .param(m.name())
                      .append(", ")
                      .param(m.checksum())
                      .append(")");
              return conn.preparedQuery(record.text()).execute(record.tuple());
            })
        .compose(v -> conn.query("COMMIT").execute())
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("migration.applied version={} name={}", m.version(), m.name()))
        .recover(err -> conn.query("ROLLBACK").execute().transform(r -> Future.failedFuture(err)));
  }

  private static Migration load(String file) {
    String resource = "db/migration/" + file;
    try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + resource);
      }
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
      return new Migration(version, file, sql, HexFormat.of().formatHex(digest));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
