package dev.sluice.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.EndToEnd;
import dev.sluice.TestDatabase;
import dev.sluice.Waits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The demo's declarations ({@value DemoDatasets#DECLARATIONS}) are resolved against a catalog kept
 * in the jar ({@value DemoDatasets#CATALOG}), so that planning them needs no database. These tests
 * hold that catalog to the truth: resolved and typed against the live catalog of a database the
 * migrations made, every demo dataset is the one the kept catalog gives, field for field.
 */
@EndToEnd
@DisplayName(
    "The demo's datasets are declarations, resolved against the schema the migrations make")
class DemoDatasetsTest {

  static Vertx vertx;
  static Pool pool;
  static List<DeclaredDataset> live;

  @BeforeAll
  static void resolveLive() {
    vertx = Vertx.vertx();
    pool = TestDatabase.pool(vertx);
    Future<List<DeclaredDataset>> chain = Future.succeededFuture(new ArrayList<>());
    for (Declaration declaration : DemoDatasets.declarations()) {
      chain =
          chain.compose(
              all ->
                  Declarations.resolve(pool, declaration)
                      .map(
                          d -> {
                            all.add(d);
                            return all;
                          }));
    }
    live = Waits.statement(chain);
  }

  @AfterAll
  static void close() {
    if (vertx != null) {
      Waits.lifecycle(vertx.close());
    }
  }

  @Test
  @DisplayName("the kept catalog is the live one (else the expected file is written to target/)")
  void keptCatalogIsTheLiveOne() throws IOException {
    JsonObject expected = DemoDatasets.catalog(live);
    JsonObject kept;
    try (var in = getClass().getClassLoader().getResourceAsStream(DemoDatasets.CATALOG)) {
      kept = in == null ? new JsonObject() : new JsonObject(new String(in.readAllBytes(), "UTF-8"));
    }
    if (!expected.equals(kept)) {
      Path written = Path.of("target", "demo-catalog.json");
      Files.writeString(written, expected.encodePrettily() + "\n");
      assertEquals(
          expected.encodePrettily(),
          kept.encodePrettily(),
          "the migrations changed the demo's catalog: copy "
              + written
              + " to src/main/resources/"
              + DemoDatasets.CATALOG);
    }
  }

  @Test
  @DisplayName("every demo dataset resolved from the kept catalog equals the one resolved live")
  void resolvedAlike() {
    assertEquals(DemoDatasets.declarations().size(), live.size());
    for (DeclaredDataset d : live) {
      assertEquals(d, DemoDatasets.get(d.name()), d.name());
    }
    assertEquals(live, DemoDatasets.all());
  }

  @Test
  @DisplayName(
      "every measure is typed by PostgreSQL, and an empty bucket holds its value over no rows")
  void measuresTyped() {
    Measure views = DemoDatasets.get("video_events").measure("views");
    assertEquals(Column.Kind.BIGINT, views.kind());
    assertEquals("bigint", views.type());
    assertEquals("0", views.empty());
    Measure rate = DemoDatasets.get("error_logs").measure("error_rate");
    assertEquals(Column.Kind.NUMERIC, rate.kind());
    assertEquals("0", rate.empty());
    Measure active = DemoDatasets.get("user_sessions").measure("active_users");
    assertEquals("bigint", active.type());
  }

  @Test
  @DisplayName(
      "the demo's tables announce their writes (migrations V4, V6), so the catalog says notify")
  void demoTablesNotified() {
    for (DeclaredDataset d : live) {
      assertEquals("notify", d.invalidation(), d.name());
      assertEquals(List.of("public." + d.relation().name()), d.tables(), d.name());
    }
  }
}
