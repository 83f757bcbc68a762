package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The golden test of the JVM's row encoding: for every dataset, each row's JSON written by {@link
 * RowEncoder} from the plain columns is byte for byte the JSON PostgreSQL's {@code row_to_json}
 * writes for the same row, on the test data and on rows made to be hard (quotes, backslashes, every
 * control character, emoji, NULLs, extreme numbers, timestamps with and without fractions).
 */
@EndToEnd
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("Rows encoded on the JVM are PostgreSQL's row_to_json, byte for byte")
class RowEncoderTest {

  static Vertx vertx;
  static Pool pool;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = TestDatabase.pool(vertx);
  }

  @AfterAll
  static void stop() {
    pool.close().timeout(1, TimeUnit.MINUTES).await();
    vertx.close().timeout(1, TimeUnit.MINUTES).await();
  }

  private static final List<Dataset> DATASETS =
      List.of(
          demo("videos"),
          demo("users"),
          demo("user_sessions"),
          demo("templates"),
          demo("template_assets"),
          demo("error_logs"),
          demo("performance_metrics"));

  private static Dataset demo(String name) {
    return DemoDatasets.get(name).dataset();
  }

  /**
   * Both encodings of every row the connection sees of {@code dataset} (at most {@code limit}); how
   * many.
   */
  private static int compare(
      io.vertx.sqlclient.SqlClient client, Dataset dataset, String where, int limit) {
    String sql =
        "SELECT row_to_json(j)::text, "
            + Column.plainSelectList(dataset.columns())
            + " FROM "
            + dataset.from()
            + " CROSS JOIN LATERAL (SELECT "
            + Column.selectList(dataset.columns())
            + ") j "
            + where
            + " LIMIT "
            + limit;
    RowEncoder encoder = new RowEncoder(dataset.columns(), 1);
    int n = 0;
    // the binary protocol, as the service reads rows (the text one cannot even decode a year BC)
    for (Row row : client.preparedQuery(sql).execute().timeout(1, TimeUnit.MINUTES).await()) {
      assertEquals(
          row.getString(0), encoder.encode(row), () -> dataset.table() + " row " + row.getValue(1));
      n++;
    }
    return n;
  }

  @Test
  @DisplayName("every row of the test data, in every dataset")
  void testData() {
    for (Dataset dataset : DATASETS) {
      int rows = compare(pool, dataset, "", 50_000);
      assertTrue(rows > 0, dataset.table() + " has rows to compare");
    }
  }

  @Test
  @DisplayName(
      "rows made to be hard: escapes, control characters, emoji, NULLs, extreme numbers, odd timestamps")
  void hardRows() {
    SqlConnection conn = pool.getConnection().timeout(1, TimeUnit.MINUTES).await();
    Transaction tx = conn.begin().timeout(1, TimeUnit.MINUTES).await();
    try {
      StringBuilder controls = new StringBuilder();
      for (char c = 1; c < 0x20; c++) {
        controls.append(c);
      }
      List<String> texts =
          List.of(
              "plain",
              "",
              "quote \" and backslash \\ and slash /",
              controls.toString(),
              "emoji 🎬🚀 and ünïcödé, 中文, \u2028 line separator, \u007f delete",
              "tab\there\nnewline\r\n",
              "\\u0041 not an escape",
              "'single' `back`");
      for (int i = 0; i < texts.size(); i++) {
        conn.preparedQuery(
                "INSERT INTO error_logs (id, severity, component, message, occurred_at) "
                    + "VALUES (gen_random_uuid(), 'error', 'golden', $1, $2::text::timestamptz)")
            .execute(
                io.vertx.sqlclient.Tuple.of(
                    texts.get(i),
                    List.of(
                            "2026-12-01 10:00:00+00",
                            "2026-12-01 10:00:00.5+00",
                            "2026-12-01 10:00:00.123456+00",
                            "2026-12-01 10:00:00.100000+00",
                            "0999-01-02 03:04:05.000001+00",
                            "9999-12-31 23:59:59.999999+00",
                            "1970-01-01 00:00:00+00",
                            "2026-06-15 12:30:45.12+02")
                        .get(i)))
            .timeout(1, TimeUnit.MINUTES)
            .await();
      }
      List<String> floats =
          List.of(
              "0",
              "-0",
              "1e300",
              "-1e-300",
              "0.1",
              "123456789012345680000",
              "1.5e-05",
              "'NaN'",
              "'Infinity'",
              "'-Infinity'",
              "3.141592653589793",
              "100",
              "1e15",
              "1e16",
              "2.5e-5");
      for (String value : floats) {
        conn.query(
                "INSERT INTO performance_metrics (component, metric, value) VALUES ('golden', 'golden', "
                    + value
                    + "::float8)")
            .execute()
            .timeout(1, TimeUnit.MINUTES)
            .await();
      }
      conn.query(
              "INSERT INTO users (id, username, email, display_name, role, is_active, created_at, last_login_at) "
                  + "VALUES (gen_random_uuid(), 'golden\"user', 'g@x', E'tab\\tname', 'viewer', false, now(), NULL)")
          .execute()
          .timeout(1, TimeUnit.MINUTES)
          .await();
      conn.query(
              "INSERT INTO videos (id, user_id, title, description, category, status, duration_seconds, "
                  + "view_count, like_count) SELECT gen_random_uuid(), id, 'max', '', 'music', 'ready', 2147483647, "
                  + "9223372036854775807, -9223372036854775808 FROM users WHERE username = 'golden\"user'")
          .execute()
          .timeout(1, TimeUnit.MINUTES)
          .await();
      // the timestamps at PostgreSQL's edges: infinite, before Christ, five-digit years
      List<String> edges =
          List.of(
              "infinity",
              "-infinity",
              "0044-03-15 10:00:00+00 BC",
              "0001-12-31 23:59:59.5+00 BC",
              "0001-01-01 00:00:00+00",
              "12345-06-07 08:09:10.000123+00",
              "0099-07-01 00:00:00+00");
      for (String at : edges) {
        conn.preparedQuery(
                "INSERT INTO error_logs (id, severity, component, message, occurred_at) "
                    + "VALUES (gen_random_uuid(), 'error', 'golden', 'edge', $1::text::timestamptz)")
            .execute(io.vertx.sqlclient.Tuple.of(at))
            .timeout(1, TimeUnit.MINUTES)
            .await();
      }
      // and their text as a keyset value is the same instant once PostgreSQL reads it back
      for (Row row :
          conn.preparedQuery("SELECT occurred_at FROM error_logs WHERE message = 'edge'")
              .execute()
              .timeout(1, TimeUnit.MINUTES)
              .await()) {
        String text = RowEncoder.timestampText(row.getOffsetDateTime(0));
        assertEquals(
            true,
            conn.preparedQuery(
                    "SELECT $1::text::timestamptz = (SELECT occurred_at FROM error_logs "
                        + "WHERE message = 'edge' AND occurred_at = $1::text::timestamptz)")
                .execute(io.vertx.sqlclient.Tuple.of(text))
                .timeout(1, TimeUnit.MINUTES)
                .await()
                .iterator()
                .next()
                .getBoolean(0),
            text);
      }
      assertEquals(
          texts.size() + edges.size(),
          compare(conn, demo("error_logs"), "WHERE d.component = 'golden'", 100));
      assertEquals(
          floats.size(),
          compare(conn, demo("performance_metrics"), "WHERE d.component = 'golden'", 100));
      assertEquals(1, compare(conn, demo("users"), "WHERE d.username = 'golden\"user'", 10));
      assertEquals(1, compare(conn, demo("videos"), "WHERE d.title = 'max'", 10));
    } finally {
      tx.rollback().eventually(conn::close).timeout(1, TimeUnit.MINUTES).await();
    }
  }
}
