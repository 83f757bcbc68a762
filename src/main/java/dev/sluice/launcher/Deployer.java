package dev.sluice.launcher;

import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Declarations;
import dev.sluice.db.Database;
import dev.sluice.http.HttpGatewayVerticle;
import dev.sluice.load.LoaderVerticle;
import dev.sluice.monitor.MonitorVerticle;
import dev.sluice.node.Node;
import dev.sluice.plan.Operations;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys what {@code verticles.json} lists, in its order, each with the whole configuration:
 * loaders before the gateway, so the gateway never answers before the loaders listen. An entry's
 * {@code name} says what it is: {@code gateway}, {@code monitor}, or a data family's loader ({@code
 * videos}, …); {@code instances} how many. The file in the working directory wins over the one
 * packaged in the jar.
 */
public final class Deployer {

  private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
  public static final String FILE = "verticles.json";
  static final String GATEWAY = "gateway";
  static final String MONITOR = "monitor";

  private Deployer() {}

  public static JsonObject readPlan() throws IOException {
    Path local = Path.of(FILE);
    if (Files.isRegularFile(local)) {
      return new JsonObject(Files.readString(local));
    }
    try (InputStream in = Deployer.class.getClassLoader().getResourceAsStream(FILE)) {
      if (in == null) {
        throw new IOException("no " + FILE + " in the working directory or the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /**
   * The part of a plan a node's role names: {@code all}; {@code gateway}, {@code monitor} and
   * {@code loaders} (every loader) by what they are; loaders by name ({@code videos}); or a comma
   * list of those. Order is kept.
   */
  public static JsonObject forRole(JsonObject plan, String role) {
    java.util.Set<String> parts = new java.util.HashSet<>();
    for (String part : role.split(",")) {
      if (!part.isBlank()) {
        parts.add(part.trim().toLowerCase(java.util.Locale.ROOT));
      }
    }
    JsonArray kept = new JsonArray();
    java.util.Set<String> known = new java.util.HashSet<>(java.util.Set.of("all", "loaders"));
    for (Object v : plan.getJsonArray("verticles", new JsonArray())) {
      JsonObject entry = (JsonObject) v;
      String name = entry.getString("name");
      known.add(name);
      boolean loader = !GATEWAY.equals(name) && !MONITOR.equals(name);
      if (parts.contains("all") || parts.contains(name) || loader && parts.contains("loaders")) {
        kept.add(entry);
      }
    }
    parts.removeAll(known);
    if (!parts.isEmpty() || kept.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster.role '"
              + role
              + "' names "
              + (parts.isEmpty() ? "nothing to deploy" : "no part " + parts)
              + ": use all, gateway, monitor, loaders, loader names, or a comma list of them");
    }
    return plan.copy().put("verticles", kept);
  }

  /**
   * What an entry of the plan named {@code name} deploys on {@code node}: one new verticle per
   * call, serving {@code operations} (null: as declared for the configuration).
   */
  public static java.util.function.Supplier<Deployable> part(
      Node node, String name, Operations operations) {
    return switch (name) {
      case GATEWAY -> () -> new HttpGatewayVerticle(node, operations);
      case MONITOR -> () -> new MonitorVerticle(node);
      default -> {
        if (!node.families().contains(name)) {
          throw new IllegalArgumentException(
              FILE
                  + " names '"
                  + name
                  + "': no such part (gateway, monitor, or a "
                  + "loader of "
                  + node.families()
                  + ")");
        }
        yield () -> new LoaderVerticle(node, name, operations);
      }
    };
  }

  /** Deploys the plan on {@code node} one entry after another; returns the deployment ids. */
  public static Future<List<String>> deploy(Node node, JsonObject plan, JsonObject config) {
    return deploy(node, plan, config, null);
  }

  /**
   * As {@link #deploy(Node, JsonObject, JsonObject)}, every gateway and loader serving {@code
   * operations} (null: as declared for the configuration).
   */
  public static Future<List<String>> deploy(
      Node node, JsonObject plan, JsonObject config, Operations operations) {
    return deployNamed(node, plan, config, operations).map(named -> List.copyOf(named.values()));
  }

  /**
   * As {@link #deploy(Node, JsonObject, JsonObject, Operations)}, each deployment id by its name (a
   * declared dataset's loader by the dataset's), in the order deployed.
   */
  public static Future<java.util.Map<String, String>> deployNamed(
      Node node, JsonObject plan, JsonObject config, Operations operations) {
    Future<Operations> declared =
        operations != null
            ? Future.succeededFuture(operations)
            : declarations(node, SluiceConfig.from(config));
    return declared.compose(
        ops -> {
          node.families(ops.families());
          JsonObject served = withDeclaredLoaders(plan, ops);
          if (!ops.settings().demo()) {
            // without the demo, its families' loaders have nothing to serve
            JsonArray kept = new JsonArray();
            served
                .getJsonArray("verticles", new JsonArray())
                .forEach(
                    v -> {
                      String name = ((JsonObject) v).getString("name");
                      if (!dev.sluice.api.Operation.families().contains(name)
                          || ops.dataset(name) != null) {
                        kept.add(v);
                      }
                    });
            served = served.copy().put("verticles", kept);
          }
          return deployAll(node, served, config, ops);
        });
  }

  /**
   * The operations of the configuration: the demo's and those of every declared dataset, checked
   * against the catalog (a {@link dev.sluice.dataset.DeclarationException} when one cannot be
   * served).
   */
  static Future<Operations> declarations(Node node, SluiceConfig settings) {
    if (settings.datasets().isEmpty()) {
      return Future.succeededFuture(Operations.create(settings));
    }
    Pool pool = Database.pool(node.vertx(), settings.database(), 0);
    return Declarations.resolve(pool, settings)
        .map(datasets -> Operations.create(settings, datasets))
        .andThen(done -> pool.close());
  }

  /**
   * The plan with a loader for each declared dataset after the demo's loaders, when it deploys any
   * loader (a node whose role has loaders serves every dataset).
   */
  static JsonObject withDeclaredLoaders(JsonObject plan, Operations operations) {
    JsonArray verticles = plan.getJsonArray("verticles", new JsonArray());
    int lastLoader = -1;
    for (int i = 0; i < verticles.size(); i++) {
      String name = verticles.getJsonObject(i).getString("name");
      if (!GATEWAY.equals(name) && !MONITOR.equals(name)) {
        lastLoader = i;
      }
    }
    if (lastLoader < 0 || operations.datasets().isEmpty()) {
      return plan;
    }
    JsonArray with = new JsonArray();
    for (int i = 0; i < verticles.size(); i++) {
      with.add(verticles.getValue(i));
      if (i == lastLoader) {
        operations
            .datasets()
            .forEach(d -> with.add(new JsonObject().put("name", d.name()).put("instances", 1)));
      }
    }
    return plan.copy().put("verticles", with);
  }

  private static Future<java.util.Map<String, String>> deployAll(
      Node node, JsonObject plan, JsonObject config, Operations operations) {
    JsonArray verticles = plan.getJsonArray("verticles", new JsonArray());
    java.util.Map<String, String> ids = new java.util.LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < verticles.size(); i++) {
      JsonObject entry = verticles.getJsonObject(i);
      String name = entry.getString("name");
      int instances = entry.getInteger("instances", 1);
      java.util.function.Supplier<Deployable> part;
      try {
        part = part(node, name, operations);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      chain =
          chain.compose(
              v ->
                  node.vertx()
                      .deployVerticle(
                          part, new DeploymentOptions().setInstances(instances).setConfig(config))
                      .onSuccess(
                          id -> LOG.info("verticle.deployed name={} instances={}", name, instances))
                      .map(
                          id -> {
                            ids.put(name, id);
                            return null;
                          }));
    }
    return chain.map(v -> ids);
  }
}
