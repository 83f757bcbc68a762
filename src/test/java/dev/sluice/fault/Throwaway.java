package dev.sluice.fault;

import dev.sluice.config.DatabaseConfig;
import dev.sluice.db.Database;
import dev.sluice.db.EmbeddedDatabase;
import dev.sluice.db.Migrations;
import dev.sluice.demo.Progress;
import dev.sluice.demo.SeedScale;
import dev.sluice.demo.Seeder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL of a fault test's own (the shared test database must not be stopped under other
 * tests): seeded with {@code tiny} data on a fixed port, and stopped, started, killed, frozen and
 * thawed from the test as an operator or a crash would.
 */
final class Throwaway implements AutoCloseable {

  final Path dir;
  final int port;
  EmbeddedDatabase database;

  private Throwaway(Path dir, int port, EmbeddedDatabase database) {
    this.dir = dir;
    this.port = port;
    this.database = database;
  }

  static Throwaway start(String name) throws Exception {
    Path dir = Path.of("target", name + "-pg-" + ProcessHandle.current().pid());
    delete(dir);
    int port = dev.sluice.TestDatabase.freePort();
    EmbeddedDatabase database = EmbeddedDatabase.start(dir, port);
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool =
          Database.pool(vertx, DatabaseConfig.from(new JsonObject().put("url", database.url())), 0);
      Migrations.migrate(pool).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      new Seeder(pool, Progress.none())
          .seed(SeedScale.TINY)
          .toCompletionStage()
          .toCompletableFuture()
          .get(120, TimeUnit.SECONDS);
      pool.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    return new Throwaway(dir, port, database);
  }

  String url() {
    return database.url();
  }

  /** A clean, fast shutdown, as {@code pg_ctl stop -m fast} does. */
  void stop() throws IOException {
    database.close();
  }

  /** Starts it again on the same directory and port. */
  void restart() throws IOException {
    database = EmbeddedDatabase.start(dir, port);
  }

  /** Sends {@code signal} to the postmaster and, with {@code all}, to every backend too. */
  void signal(String signal, boolean all) throws Exception {
    List<Long> pids = new java.util.ArrayList<>();
    pids.add(database.pid());
    if (all) {
      ProcessHandle.of(database.pid())
          .ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
    }
    List<String> command = new java.util.ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(pid -> command.add(Long.toString(pid)));
    Process kill = new ProcessBuilder(command).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("kill -" + signal + " did not finish");
    }
    // kill signals every pid that exists and fails for the others: a backend that exited since it
    // was listed is
    // not a failure, the postmaster gone is
    if (kill.exitValue() != 0
        && (!alive(pids.get(0)) || pids.stream().allMatch(Throwaway::alive))) {
      throw new IllegalStateException("kill -" + signal + " failed");
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Override
  public void close() throws Exception {
    if (database.up()) {
      signal("CONT", true); // whatever a test froze
    }
    database.close();
    delete(dir);
  }

  private static void delete(Path dir) throws IOException {
    for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
      try {
        deleteOnce(dir);
      } catch (java.io.UncheckedIOException e) {
        // a file went while walking: walk again
      }
    }
  }

  private static void deleteOnce(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(p);
        } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.NoSuchFileException e) {
          // a server's file, going with it
        }
      }
    }
  }
}
