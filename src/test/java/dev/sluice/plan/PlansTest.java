package dev.sluice.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.config.RowEncoding;
import dev.sluice.db.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks run the SQL the service sends straight against PostgreSQL (pgbench, {@code
 * \copy}): these files must be that SQL, in both row encodings, or the floors they measure are
 * floors of something else.
 */
@DisplayName("The SQL the strategies send")
class PlansTest {

  private static final ListQuery VIDEOS = ListQuery.over(DemoRoutes.VIDEOS).build();

  @Test
  @DisplayName(
      "bench/first_page*.sql are the statements of the first videos page, as the service sends them")
  void firstPage() throws Exception {
    for (RowEncoding encoding : RowEncoding.values()) {
      Sql sql = Plans.keyset(VIDEOS, VIDEOS.rows(encoding), null, false, false, 0, 100);
      assertFile(
          "first_page" + suffix(encoding),
          sql.text().replace("$1", sql.tuple().getValue(0).toString()));
    }
  }

  @Test
  @DisplayName(
      "bench/stream*.sql are the statements of the stream of all videos, as the service sends them")
  void stream() throws Exception {
    for (RowEncoding encoding : RowEncoding.values()) {
      Sql sql = Plans.stream(VIDEOS, VIDEOS.rows(encoding), null);
      assertEquals(0, sql.tuple().size());
      assertFile("stream" + suffix(encoding), sql.text());
    }
  }

  private static String suffix(RowEncoding encoding) {
    return encoding == RowEncoding.JVM ? "" : "_row_to_json";
  }

  private static void assertFile(String name, String sent) throws Exception {
    assertEquals(
        sent + ";",
        Files.readString(Path.of("bench", "sql", name + ".sql")).trim(),
        "the benchmark must run what the service runs: update bench/sql/" + name + ".sql");
  }
}
