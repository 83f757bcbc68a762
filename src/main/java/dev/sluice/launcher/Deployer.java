package dev.sluice.launcher;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Deploys what {@code verticles.json} lists, in its order, each with the whole configuration: loaders before the
 * gateway, so the gateway never answers before the loaders listen. The file in the working directory wins over
 * the one packaged in the jar.
 */
public final class Deployer {

  private static final Logger LOG = LoggerFactory.getLogger(Deployer.class);
  public static final String FILE = "verticles.json";

  private Deployer() {
  }

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
   * The part of a plan a node's role names: {@code all}; {@code gateway}, {@code monitor} and {@code loaders} (every
   * loader) by what they are; loaders by name ({@code videos}); or a comma list of those. Order is kept.
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
      boolean loader = entry.getString("class", "").startsWith("dev.sluice.loader.");
      if (parts.contains("all") || parts.contains(name) || loader && parts.contains("loaders")) {
        kept.add(entry);
      }
    }
    parts.removeAll(known);
    if (!parts.isEmpty() || kept.isEmpty()) {
      throw new IllegalArgumentException("cluster.role '" + role + "' names " + (parts.isEmpty() ? "nothing to deploy"
        : "no part " + parts) + ": use all, gateway, monitor, loaders, loader names, or a comma list of them");
    }
    return plan.copy().put("verticles", kept);
  }

  /** Deploys the plan one entry after another; returns the deployment ids. */
  public static Future<List<String>> deploy(Vertx vertx, JsonObject plan, JsonObject config) {
    JsonArray verticles = plan.getJsonArray("verticles", new JsonArray());
    List<String> ids = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < verticles.size(); i++) {
      JsonObject entry = verticles.getJsonObject(i);
      String name = entry.getString("name");
      String className = entry.getString("class");
      int instances = entry.getInteger("instances", 1);
      chain = chain.compose(v -> vertx.deployVerticle(className,
          new DeploymentOptions().setInstances(instances).setConfig(config))
        .onSuccess(id -> LOG.info("verticle.deployed name={} class={} instances={}", name, className, instances))
        .map(id -> {
          ids.add(id);
          return null;
        }));
    }
    return chain.map(v -> ids);
  }
}
