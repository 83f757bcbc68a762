package dev.sluice.launcher;

import dev.sluice.api.Addresses;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.db.Database;
import dev.sluice.db.EmbeddedDatabase;
import dev.sluice.db.Migrations;
import dev.sluice.demo.Progress;
import dev.sluice.demo.SeedScale;
import dev.sluice.demo.SeedSummary;
import dev.sluice.demo.Seeder;
import dev.sluice.node.Node;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code java -jar sluice.jar [run [--cluster]]} starts the service (clustered: with Hazelcast,
 * deploying what {@code cluster.role} names); {@code seed --scale tiny|small|medium|large
 * [--force]} fills the database with demo data and exits; {@code migrate} applies migrations and
 * exits.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    List<String> arguments = Arrays.asList(args);
    String command = arguments.isEmpty() ? "run" : arguments.get(0);
    try {
      switch (command) {
        case "run" -> run(arguments.contains("--cluster"));
        case "seed" -> {
          seed(
              System.getenv(),
              option(arguments, "--scale", "small"),
              arguments.contains("--force"));
          System.exit(0);
        }
        case "migrate" -> {
          migrate();
          System.exit(0);
        }
        case "datasets" -> System.exit(DatasetsCommand.run(arguments, System.getenv(), System.out));
        default -> {
          System.err.println(
              "usage: sluice [run [--cluster]] | seed --scale tiny|small|medium|large [--force] | migrate | "
                  + DatasetsCommand.USAGE.substring("usage: sluice ".length()));
          System.exit(2);
        }
      }
    } catch (UsageException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (dev.sluice.dataset.DeclarationException e) {
      System.err.println("A declared dataset cannot be served: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      LOG.error("sluice.failed command={}", command, e);
      System.exit(1);
    }
  }

  /**
   * The process's node, its configuration and, when no external database is configured, the
   * embedded one.
   */
  public record Runtime(
      Node node, JsonObject config, EmbeddedDatabase embedded, AtomicBoolean closed) {

    Runtime(Node node, JsonObject config, EmbeddedDatabase embedded) {
      this(node, config, embedded, new AtomicBoolean());
    }

    public Vertx vertx() {
      return node.vertx();
    }

    static Runtime start(Map<String, String> environment) throws Exception {
      // the configuration decides how Vert.x is built (metrics now, clustering next): read first
      JsonObject config;
      try {
        config = ConfigLoader.load(environment);
      } catch (IllegalArgumentException e) {
        throw new UsageException("The configuration cannot be read: " + e.getMessage());
      }
      SluiceConfig settings = SluiceConfig.from(config);
      if (settings.cluster().enabled()
          && settings.database().embedded()
          && !settings.cluster().hostsDatabase()) {
        throw new UsageException(
            "A clustered node without database.url (SLUICE_DATABASE_URL) would start a database "
                + "of its own and serve other data than its peers: give it the cluster's database URL, or make it the one "
                + "node that hosts the embedded database (cluster.hosts_database, SLUICE_HOSTS_DATABASE=true)");
      }
      EmbeddedDatabase embedded = null;
      if (settings.database().embedded()) {
        embedded =
            EmbeddedDatabase.start(
                Path.of(settings.database().dataDir()), settings.database().embeddedPort());
        config.getJsonObject(SluiceConfig.DATABASE).put("url", embedded.url());
        settings = SluiceConfig.from(config);
      } else {
        LOG.info("database.external url={}", redact(settings.database().url()));
      }
      Node node;
      try {
        node = Nodes.start(settings);
      } catch (RuntimeException e) {
        if (embedded != null) {
          embedded.close();
        }
        throw e;
      }
      return new Runtime(node, config, embedded);
    }

    SluiceConfig settings() {
      return SluiceConfig.from(config);
    }

    Pool pool() {
      return Database.pool(vertx(), settings().database(), 0);
    }

    /**
     * Stops Vert.x (every verticle, every pool), then the embedded PostgreSQL cleanly. Runs once.
     */
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      if (embedded != null) {
        embedded.stopSupervising(); // the server stops below, on purpose
      }
      node.close().await();
      if (embedded != null) {
        try {
          embedded.close();
        } catch (Exception e) {
          LOG.warn("database.embedded.close-failed", e);
        }
      }
    }

    /**
     * A graceful shutdown: readiness turns DOWN and new requests get 503 at once, open streams end
     * as a failure mid-stream ends them (with their resume cursor), requests in flight get up to
     * {@code http.drain_seconds} to finish, then everything closes ({@link #close}).
     */
    public void shutDown() {
      long started = System.currentTimeMillis();
      long drainMs = settings().http().drainSeconds() * 1000L;
      node.state().shuttingDown();
      vertx().eventBus().publish(Addresses.SHUTDOWN, null);
      AtomicInteger inFlight = node.state().inFlight();
      LOG.info("sluice.shutting-down in_flight={} drain_s={}", inFlight.get(), drainMs / 1000);
      while (inFlight.get() > 0 && System.currentTimeMillis() - started < drainMs) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (inFlight.get() > 0) {
        LOG.warn("sluice.drain-timeout unanswered={}", inFlight.get());
      }
      close();
      LOG.info("sluice.stopped ms={}", System.currentTimeMillis() - started);
    }
  }

  private static void run(boolean cluster) throws Exception {
    Map<String, String> environment = new java.util.HashMap<>(System.getenv());
    if (cluster) {
      environment.put("SLUICE_CLUSTER", "true");
    }
    Runtime runtime = boot(environment);
    if (runtime.embedded() != null) {
      runtime.embedded().supervise();
    }
    // SIGTERM and SIGINT drain and stop the node, then exit 0; any other way out still closes it
    // (the hook)
    AtomicBoolean stopping = new AtomicBoolean();
    SignalHandler graceful =
        signal -> {
          if (stopping.compareAndSet(false, true)) {
            new Thread(
                    () -> {
                      LOG.info("sluice.signal name={}", signal.getName());
                      int status = 0;
                      try {
                        runtime.shutDown();
                      } catch (RuntimeException e) {
                        LOG.error("sluice.shutdown-failed", e);
                        status = 1;
                      }
                      System.exit(status);
                    },
                    "sluice-shutdown")
                .start();
          }
        };
    Signal.handle(new Signal("TERM"), graceful);
    Signal.handle(new Signal("INT"), graceful);
    java.lang.Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "sluice-close"));
  }

  /**
   * Starts the service as {@code run} does, configured by {@code environment} instead of the
   * process's: database, migrations, first-start seeding, then every verticle. The caller closes
   * the returned runtime.
   */
  public static Runtime boot(Map<String, String> environment) throws Exception {
    Runtime runtime = Runtime.start(environment);
    try {
      prepareDatabase(runtime);
      JsonObject plan = Deployer.readPlan();
      if (runtime.settings().cluster().enabled()) {
        plan = Deployer.forRole(plan, runtime.settings().cluster().role());
      }
      Deployer.deploy(runtime.node(), plan, runtime.config()).await();
    } catch (Exception e) {
      runtime.close();
      throw e;
    }
    LOG.info("sluice.started port={}", runtime.settings().http().port());
    return runtime;
  }

  static void prepareDatabase(Runtime runtime) throws Exception {
    prepareDatabase(runtime, System.out);
  }

  /** As {@link #prepareDatabase(Runtime)}, the seeding's progress written to {@code progress}. */
  static void prepareDatabase(Runtime runtime, java.io.PrintStream progress) throws Exception {
    if (!runtime.settings().demo()) {
      LOG.info("demo.disabled: no migration, no seeding; declared datasets only");
      return;
    }
    Pool pool = runtime.pool();
    try {
      Migrations.migrate(pool).await();
      String scale = runtime.settings().database().seedScale();
      if (runtime.embedded() != null
          && !"none".equalsIgnoreCase(scale)
          && Seeder.isEmpty(pool).await()) {
        LOG.info("seed.first-start scale={}", scale);
        new Seeder(pool, Progress.console(progress, System.console() != null))
            .seed(SeedScale.parse(scale))
            .await();
      }
    } finally {
      pool.close().await();
    }
  }

  /**
   * Wipes and seeds the configured database. An external database that holds data is wiped only
   * with {@code force}: without it this throws a {@link UsageException} and touches nothing.
   */
  static SeedSummary seed(Map<String, String> environment, String scaleName, boolean force)
      throws Exception {
    SeedScale scale;
    try {
      scale = SeedScale.parse(scaleName);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Runtime runtime = Runtime.start(environment);
    Pool pool = runtime.pool();
    try {
      Migrations.migrate(pool).await();
      if (runtime.embedded() == null && !force && !Seeder.isEmpty(pool).await()) {
        throw new UsageException(
            "The external database already has data; seeding wipes it. Add --force to do so.");
      }
      return new Seeder(pool, Progress.console(System.out, System.console() != null))
          .seed(scale)
          .await();
    } finally {
      pool.close().await();
      runtime.close();
    }
  }

  private static void migrate() throws Exception {
    Runtime runtime = Runtime.start(System.getenv());
    try {
      Pool pool = runtime.pool();
      Migrations.migrate(pool).await();
      pool.close().await();
    } finally {
      runtime.close();
    }
  }

  private static String option(List<String> arguments, String name, String defaultValue) {
    int at = arguments.indexOf(name);
    if (at < 0) {
      return defaultValue;
    }
    if (at + 1 >= arguments.size()) {
      throw new UsageException(name + " needs a value");
    }
    return arguments.get(at + 1);
  }

  static String redact(String url) {
    return url.replaceAll("//([^:@/]+):[^@/]*@", "//$1:***@");
  }

  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
