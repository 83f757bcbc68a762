package dev.sluice.data;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL 17 run by this process, its data kept in a directory across restarts. Used when no external
 * database is configured, and by the tests.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  public static final String DATABASE_NAME = "sluice";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on {@code dataDir} (created if missing, kept if present) and makes sure the {@code sluice}
   * database exists.
   *
   * @param port 0 picks a free port
   */
  public static EmbeddedDatabase start(Path dataDir, int port) throws IOException {
    Files.createDirectories(dataDir);
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
      .setDataDirectory(dataDir)
      .setCleanDataDirectory(false)
      .setServerConfig("max_connections", "300")
      .setServerConfig("shared_buffers", "256MB")
      .setServerConfig("work_mem", "16MB")
      .setServerConfig("maintenance_work_mem", "256MB")
      .setServerConfig("max_wal_size", "4GB")
      .setServerConfig("synchronous_commit", "off")
      .setServerConfig("timezone", "UTC")
      // statement statistics for operators and for the tests that count the queries a request causes
      .setServerConfig("shared_preload_libraries", "pg_stat_statements")
      .setServerConfig("log_min_messages", "warning");
    if (port > 0) {
      builder.setPort(port);
    }
    EmbeddedPostgres postgres = builder.start();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
         Statement statement = connection.createStatement()) {
      boolean exists;
      try (ResultSet rs = statement.executeQuery(
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
    LOG.info("database.embedded started=true version=17 port={} data_dir={}", postgres.getPort(),
      dataDir.toAbsolutePath());
    return new EmbeddedDatabase(postgres);
  }

  public int port() {
    return postgres.getPort();
  }

  /** The URL the pg client connects with (the embedded server trusts local connections). */
  public String url() {
    return "postgresql://postgres@localhost:" + port() + "/" + DATABASE_NAME;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
