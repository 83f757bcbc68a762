package dev.sluice.stream;

import dev.sluice.Service;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams with the rows encoded on the JVM ({@code streaming.row_encoding=jvm}) send the same bytes as streams
 * encoded by PostgreSQL, for every stream endpoint, from the start and resumed: two services on one database, one
 * per encoding, their NDJSON bodies compared line by line (checkpoint lines carry a signed position that names its
 * time, so they are compared without it).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@DisplayName("Streams encoded on the JVM are byte for byte the streams PostgreSQL encodes")
class RowEncodingStreamTest {

  static Service postgres;
  static Service jvm;

  @BeforeAll
  static void start() {
    postgres = Service.start(Service.config(new JsonObject().put("streaming",
      new JsonObject().put("row_encoding", "postgres").put("checkpoint_every", 50))));
    jvm = Service.start(Service.config(new JsonObject().put("streaming", new JsonObject().put("row_encoding", "jvm")
      .put("checkpoint_every", 50))));
  }

  @AfterAll
  static void stop() {
    if (jvm != null) {
      jvm.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static List<String> items(Service service, String path) {
    var response = service.get(path);
    assertEquals(200, response.statusCode(), response::bodyAsString);
    return response.bodyAsString().lines().filter(line -> !line.startsWith("{\"_checkpoint\"")).toList();
  }

  @Test
  @DisplayName("every stream endpoint, with filters, from the start")
  void sameBytes() {
    for (String path : List.of("/api/v1/videos/stream", "/api/v1/videos/stream?status=ready&category=music",
      "/api/v1/users/stream", "/api/v1/users/stream?role=creator", "/api/v1/templates/stream",
      "/api/v1/analytics/performance/stream?time_range=7d", "/api/v1/search/stream?query=music",
      "/api/v1/search/stream?query=tutorial&type=video")) {
      List<String> expected = items(postgres, path);
      List<String> actual = items(jvm, path);
      assertTrue(expected.size() > 1, path + " streams rows");
      assertEquals(expected.size(), actual.size(), path);
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i), actual.get(i), path + " line " + i);
      }
    }
  }

  @Test
  @DisplayName("a stream resumed after a position sends the same rest, and its cursor is valid on the other encoding")
  void resumed() {
    var body = postgres.get("/api/v1/videos/stream?checkpoints=true").bodyAsString();
    String position = body.lines().filter(l -> l.startsWith("{\"_checkpoint\"")).findFirst()
      .map(l -> new JsonObject(l).getString("_checkpoint")).orElseThrow();
    List<String> fromPostgres = items(postgres, "/api/v1/videos/stream?after=" + position);
    List<String> fromJvm = items(jvm, "/api/v1/videos/stream?after=" + position);
    assertTrue(fromPostgres.size() > 1);
    assertEquals(fromPostgres, fromJvm);
  }
}
