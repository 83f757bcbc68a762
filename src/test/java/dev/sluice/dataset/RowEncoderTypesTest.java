package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The golden test of the JVM's row encoding over the types a team's own tables hold (issue 19,
 * section 8.4 of the contract): a row of every type below, at its edge values, written by {@link
 * RowEncoder} from the plain select list is byte for byte {@code row_to_json} of the same row. The
 * native kinds are held to their edges (numeric with many digits, NaN and the infinities,
 * timestamps at infinity and BC, every control character); every other type goes through {@link
 * Column.Kind#JSON}. Made in a transaction that is rolled back: the test database keeps nothing.
 */
@EndToEnd
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("Rows of every type encoded on the JVM are PostgreSQL's row_to_json, byte for byte")
class RowEncoderTypesTest {

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

  /** The columns, each with the kind a declaration would give its type. */
  static final List<Column> COLUMNS =
      List.of(
          Column.of("t.id", Column.Kind.INTEGER),
          Column.of("t.big", Column.Kind.BIGINT),
          Column.of("t.txt", Column.Kind.TEXT),
          Column.of("t.u", Column.Kind.UUID),
          Column.of("t.flag", Column.Kind.BOOLEAN),
          Column.of("t.num", Column.Kind.NUMERIC),
          Column.of("t.dbl", Column.Kind.FLOAT),
          Column.of("t.flt", Column.Kind.FLOAT),
          Column.of("t.tstz", Column.Kind.TIMESTAMP),
          Column.of("t.ts", Column.Kind.JSON),
          Column.of("t.d", Column.Kind.JSON),
          Column.of("t.ttz", Column.Kind.JSON),
          Column.of("t.tm", Column.Kind.JSON),
          Column.of("t.iv", Column.Kind.JSON),
          Column.of("t.bin", Column.Kind.JSON),
          Column.of("t.js", Column.Kind.JSON),
          Column.of("t.jsb", Column.Kind.JSON),
          Column.of("t.ints", Column.Kind.JSON),
          Column.of("t.grid", Column.Kind.JSON),
          Column.of("t.mood", Column.Kind.JSON),
          Column.of("t.pct", Column.Kind.JSON),
          Column.of("t.addr", Column.Kind.JSON),
          Column.of("t.span", Column.Kind.JSON),
          Column.of("t.pt", Column.Kind.JSON),
          Column.of("t.cash", Column.Kind.JSON),
          Column.of("t.bits", Column.Kind.JSON),
          Column.of("t.chr", Column.Kind.JSON));

  static final String SCHEMA =
      """
      CREATE TYPE golden_mood AS ENUM ('sad', 'ok', 'happy "quoted"');
      CREATE DOMAIN golden_percent AS numeric(5, 2) CHECK (VALUE BETWEEN 0 AND 100);
      CREATE TABLE golden_types (
        id integer PRIMARY KEY, big bigint, txt text, u uuid, flag boolean, num numeric,
        dbl double precision, flt real, tstz timestamptz, ts timestamp, d date, ttz timetz, tm time,
        iv interval, bin bytea, js json, jsb jsonb, ints integer[], grid text[][], mood golden_mood,
        pct golden_percent, addr inet, span int4range, pt point, cash money, bits bit varying,
        chr char(3));
      INSERT INTO golden_types VALUES
        (1, 9223372036854775807, E'quote " backslash \\\\ tab \\t nl \\n cr \\r bell \\u0007 del \\u007f é 🎸',
         'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true,
         12345678901234567890.123456789012345678901234567890, 1e308, 3.4e38,
         '2026-01-15 10:30:00.123456+05', '2026-01-15 10:30:00.5', '2026-01-15', '10:30:00.25+05:30',
         '23:59:59.999999', '1 year 2 mons 3 days 04:05:06.789', E'\\\\x00ff10',
         '{ "a" : [1, 2.50, "x"], "b": null }', '{"b": 2, "a": [1, 2.50]}', '{1,NULL,3}',
         '{{"a,b","c\\"d"},{"e\\\\f",NULL}}', 'happy "quoted"', 99.50, '192.168.0.1/24', '[1,10)',
         '(1.5,-2)', 12.34, B'1011', 'ab'),
        (2, -9223372036854775808, '', '00000000-0000-0000-0000-000000000000', false, 'NaN', 'NaN',
         '-Infinity', 'infinity', 'infinity', 'infinity', '00:00:00+00', '00:00:00', '-1 days -00:00:01',
         '', '[]', '{}', '{}', '{}', 'sad', 0, '::1', 'empty', '(0,0)', -0.01, B'', ''),
        (3, 0, 'null', 'ffffffff-ffff-ffff-ffff-ffffffffffff', null, 'Infinity', '-Infinity', 'Infinity',
         '-infinity', '-infinity', '-infinity', '24:00:00-15:59', '24:00:00', '178000000 years',
         E'\\\\x5c22', '"just a string"', 'null', '{-2147483648}', '{{NULL}}', 'ok', 100, null, '(,)',
         null, null, null, null),
        (4, null, null, null, null, -0.000000000000000000000000000001, 5e-324, 1.17549435e-38,
         '4713-01-01 00:00:00+00 BC', '4713-01-01 00:00:00 BC', '4713-01-01 BC', null, null, null,
         null, null, null, null, null, null, null, null, null, null, null, null, null),
        (5, 1, '-Infinity', null, null, 0.1, 0.1, 0.1, '1999-12-31 23:59:59.999999+00',
         '0001-01-01 00:00:00', '0001-01-01', null, null, '-178000000 years', null, '1e400',
         '1e400', null, null, null, null, null, null, null, null, null, null)
      """;

  @Test
  @DisplayName(
      "every type, at its edges: integers, text with every kind of escape, uuid, boolean, numeric,"
          + " floats, timestamps, dates, times, intervals, bytea, json, jsonb, arrays, an enum, a"
          + " domain, inet, a range, a point, money, bit strings, char")
  void everyType() {
    SqlConnection connection = pool.getConnection().timeout(1, TimeUnit.MINUTES).await();
    try {
      connection.query("BEGIN").execute().timeout(1, TimeUnit.MINUTES).await();
      for (String statement : SCHEMA.split(";\n")) {
        connection.query(statement).execute().timeout(1, TimeUnit.MINUTES).await();
      }
      String sql =
          "SELECT row_to_json(j)::text, "
              + Column.plainSelectList(COLUMNS)
              + " FROM golden_types t CROSS JOIN LATERAL (SELECT "
              + Column.selectList(COLUMNS)
              + ") j ORDER BY t.id";
      RowEncoder encoder = new RowEncoder(COLUMNS, 1);
      // the binary protocol, as the service reads rows
      RowSet<Row> rows =
          connection.preparedQuery(sql).execute().timeout(1, TimeUnit.MINUTES).await();
      int n = 0;
      for (Row row : rows) {
        assertEquals(row.getString(0), encoder.encode(row), "row " + row.getValue(1));
        n++;
      }
      assertEquals(5, n, "every row compared");
    } finally {
      connection.query("ROLLBACK").execute().timeout(1, TimeUnit.MINUTES).await();
      connection.close().timeout(1, TimeUnit.MINUTES).await();
    }
  }
}
