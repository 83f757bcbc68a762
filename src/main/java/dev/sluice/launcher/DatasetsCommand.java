package dev.sluice.launcher;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Declarations;
import dev.sluice.dataset.DeclaredDataset;
import dev.sluice.dataset.Discovery;
import dev.sluice.dataset.PgCatalog;
import dev.sluice.dataset.Relation;
import dev.sluice.dataset.Triggers;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar sluice.jar datasets discover|check|triggers} (docs/API.md 8.1): declarations
 * printed from the catalog, the configuration's checked against it, the change triggers printed or
 * installed. What they print goes to standard output alone (the log to standard error), so that
 * {@code discover > conf/mine.json} writes a configuration.
 */
final class DatasetsCommand {

  static final String USAGE =
      "usage: sluice datasets discover [--schema S]... [--include NAME,...]"
          + " | datasets check | datasets triggers [--install]";

  private DatasetsCommand() {}

  /** Runs one command; returns its exit status. */
  static int run(List<String> arguments, Map<String, String> environment, PrintStream out)
      throws Exception {
    logToStandardError();
    String command = arguments.size() > 1 ? arguments.get(1) : "";
    if (!List.of("discover", "check", "triggers").contains(command)) {
      throw new Main.UsageException(USAGE);
    }
    Main.Runtime runtime = Main.Runtime.start(environment);
    try {
      if (runtime.embedded() != null) {
        // Sluice's own database, as run would make it; another is only read (and, with
        // triggers --install, given its triggers)
        Main.prepareDatabase(runtime, System.err); // standard output is the command's alone
      }
      Pool pool = runtime.pool();
      try {
        return switch (command) {
          case "discover" -> discover(pool, arguments, out);
          case "check" -> check(pool, runtime.settings(), out);
          default -> triggers(pool, runtime.settings(), arguments.contains("--install"), out);
        };
      } finally {
        pool.close().await();
      }
    } finally {
      runtime.close();
    }
  }

  private static int discover(Pool pool, List<String> arguments, PrintStream out) {
    List<String> schemas = new ArrayList<>();
    List<String> include = null;
    for (int i = 2; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (i + 1 >= arguments.size() || !List.of("--schema", "--include").contains(argument)) {
        throw new Main.UsageException(USAGE);
      }
      String value = arguments.get(++i);
      if (argument.equals("--schema")) {
        schemas.add(value);
      } else {
        include = Arrays.stream(value.split(",")).map(String::trim).toList();
      }
    }
    if (schemas.isEmpty()) {
      schemas.add("public");
    }
    List<Relation> relations = PgCatalog.inSchemas(pool, schemas).await();
    JsonObject datasets = Discovery.declare(relations, schemas.get(0));
    if (include != null) {
      JsonObject kept = new JsonObject();
      for (String name : include) {
        if (!datasets.containsKey(name)) {
          throw new Main.UsageException(
              "--include names "
                  + name
                  + ", which discovery did not find; it found "
                  + datasets.fieldNames());
        }
        kept.put(name, datasets.getValue(name));
      }
      datasets = kept;
    }
    out.println(new JsonObject().put(SluiceConfig.DATASETS, datasets).encodePrettily());
    return 0;
  }

  private static int check(Pool pool, SluiceConfig settings, PrintStream out) {
    List<DeclaredDataset> datasets = Declarations.resolve(pool, settings).await();
    for (DeclaredDataset dataset : datasets) {
      out.println(
          dataset.name()
              + ": "
              + dataset.relation().kind().label()
              + " "
              + dataset.relation().qualified()
              + ", "
              + dataset.columns().size()
              + " columns, key "
              + (dataset.hasKey() ? dataset.key() : "none (pagination and streams only)")
              + ", invalidation "
              + dataset.invalidation());
    }
    out.println(datasets.size() + " dataset(s) checked: every one can be served");
    return 0;
  }

  private static int triggers(Pool pool, SluiceConfig settings, boolean install, PrintStream out) {
    List<DeclaredDataset> datasets = Declarations.resolve(pool, settings).await();
    List<String> statements = Triggers.sql(pool, datasets).await();
    if (!install) {
      statements.forEach(out::println);
      return 0;
    }
    pool.withTransaction(
            connection -> {
              io.vertx.core.Future<Void> chain = io.vertx.core.Future.succeededFuture();
              for (String statement : statements) {
                chain = chain.compose(v -> connection.query(statement).execute().mapEmpty());
              }
              return chain;
            })
        .await();
    out.println(
        "installed "
            + (statements.size() - 1)
            + " trigger(s) for "
            + datasets.size()
            + " dataset(s)");
    return 0;
  }

  /** Sends the console log to standard error, leaving standard output to what a command prints. */
  private static void logToStandardError() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context
          .getLoggerList()
          .forEach(
              logger ->
                  logger
                      .iteratorForAppenders()
                      .forEachRemaining(
                          appender -> {
                            if (appender instanceof ConsoleAppender<?> console) {
                              console.stop();
                              console.setTarget("System.err");
                              console.start();
                            }
                          }));
    }
  }
}
