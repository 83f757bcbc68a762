package dev.sluice.strategy;

import dev.sluice.data.Datasets;
import dev.sluice.data.Sql;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("The SQL the strategies send")
class PlansTest {

  @Test
  @DisplayName("bench/first_page.sql is the statement of the first videos page, as the service sends it")
  void benchmarkStatement() throws Exception {
    Sql sql = Plans.keyset(ListQuery.over(Datasets.VIDEOS).build(), null, false, false, 0, 100);
    String sent = sql.text().replace("$1", sql.tuple().getValue(0).toString()) + ";";
    assertEquals(sent, Files.readString(Path.of("bench", "first_page.sql")).trim(),
      "pgbench must run what the gateway's first page runs: update bench/first_page.sql");
  }
}
