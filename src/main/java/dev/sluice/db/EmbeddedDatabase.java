package dev.sluice.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 run by this process, its data kept in a directory across restarts. Used when
 * no external database is configured, and by the tests.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  static final long SUPERVISE_EVERY_MS = 250;
  public static final String DATABASE_NAME = "sluice";

  private final Path dataDir;
  private final int port;
  private volatile EmbeddedPostgres postgres;
  private volatile boolean closing;
  private volatile boolean up = true;
  private Thread supervisor;

  private EmbeddedDatabase(Path dataDir, EmbeddedPostgres postgres) {
    this.dataDir = dataDir;
    this.postgres = postgres;
    this.port = postgres.getPort();
  }

  /**
   * Starts PostgreSQL on {@code dataDir} (created if missing, kept if present) and makes sure the
   * {@code sluice} database exists.
   *
   * @param port 0 picks a free port
   */
  public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
    EmbeddedDatabase database = new EmbeddedDatabase(dataDir, launch(dataDir, port));
    // our own hook rather than zonky's: the supervisor must know it is closing before the server
    // stops
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    database.close();
                  } catch (IOException e) {
                    LOG.warn("database.embedded.close-failed", e);
                  }
                },
                "sluice-postgres-stop"));
    return database;
  }

  private static EmbeddedPostgres launch(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setRegisterShutdownHook(false)
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setServerConfig("max_connections", "300")
            .setServerConfig("shared_buffers", "256MB")
            .setServerConfig("work_mem", "16MB")
            .setServerConfig("maintenance_work_mem", "256MB")
            .setServerConfig("max_wal_size", "4GB")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("timezone", "UTC")
            // statement statistics for operators and for the tests that count the queries a request
            // causes
            .setServerConfig("shared_preload_libraries", "pg_stat_statements")
            .setServerConfig("log_min_messages", "warning");
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres postgres = builder.start();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      boolean exists;
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT 1 FROM pg_database WHERE datname = '" + DATABASE_NAME + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        statement.execute("CREATE DATABASE " + DATABASE_NAME);
      }
    } catch (SQLException e) {
      postgres.close();
      throw new IOException("could not prepare the embedded database", e);
    }
    try (Connection connection = postgres.getDatabase("postgres", DATABASE_NAME).getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    } catch (SQLException e) {
      postgres.close();
      throw new IOException("could not prepare the embedded database", e);
    }
    LOG.info(
        "database.embedded started=true version=17 port={} data_dir={}",
        postgres.getPort(),
        dataDir.toAbsolutePath());
    return postgres;
  }

  /**
   * Watches the server process from now on: when it dies (killed, crashed), it is started again on
   * the same data directory and port, so that pools reconnect to the same URL; PostgreSQL's own
   * crash recovery brings the data back. Tries again every second until it starts or this is
   * closed.
   */
  public synchronized void supervise() {
    if (supervisor != null) {
      return;
    }
    supervisor =
        new Thread(
            () -> {
              while (!closing) {
                long pid = pid();
                try {
                  while (!closing
                      && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    Thread.sleep(SUPERVISE_EVERY_MS);
                  }
                } catch (InterruptedException e) {
                  return;
                }
                if (closing) {
                  return;
                }
                up = false;
                LOG.error(
                    "database.embedded.died pid={}; restarting on {}",
                    pid,
                    dataDir.toAbsolutePath());
                restart();
              }
            },
            "sluice-postgres-supervisor");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  private void restart() {
    try {
      postgres.close(); // releases its lock on the data directory; its pg_ctl stop finds no server
    } catch (IOException e) {
      LOG.debug("database.embedded.close-after-death", e);
    }
    long started = System.currentTimeMillis();
    while (!closing) {
      try {
        EmbeddedPostgres restarted = launch(dataDir, port);
        postgres = restarted;
        if (closing) {
          restarted.close(); // closed while it started: it must not outlive us
          return;
        }
        up = true;
        LOG.info("database.embedded.restarted ms={}", System.currentTimeMillis() - started);
        return;
      } catch (IOException | RuntimeException e) {
        // the dead server's backends may hold its shared memory for a moment yet
        LOG.warn("database.embedded.restart-failed cause={}", e.toString());
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Whether the server process is running (false while the supervisor restarts it). */
  public boolean up() {
    return up && ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * The server's (the postmaster's) process id, as its {@code postmaster.pid} file says; -1 when
   * there is none.
   */
  public long pid() {
    try {
      return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  public Path dataDir() {
    return dataDir;
  }

  public int port() {
    return port;
  }

  /** The URL the pg client connects with (the embedded server trusts local connections). */
  public String url() {
    return "postgresql://postgres@localhost:" + port() + "/" + DATABASE_NAME;
  }

  /**
   * Stops watching the server: whatever stops it from now on (a shutdown) is not a death to repair.
   */
  public void stopSupervising() {
    closing = true;
    Thread watching = supervisor;
    if (watching != null) {
      watching.interrupt();
    }
  }

  /**
   * Stops the server cleanly (a fast shutdown: a checkpoint, so the next start needs no recovery).
   * Idempotent.
   */
  @Override
  public synchronized void close() throws IOException {
    stopSupervising();
    postgres.close();
  }
}
