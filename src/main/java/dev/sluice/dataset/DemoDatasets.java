package dev.sluice.dataset;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's data families as declared datasets: the declarations of {@value #DECLARATIONS}
 * (docs/API.md 8.1, the same kind a team writes), resolved against the demo schema's catalog as the
 * migrations make it, kept in {@value #CATALOG}. Section 4's named routes are built over these, so
 * that the planners, the OpenAPI document and the tests read the demo's tables, columns, types,
 * orders and measures from declarations, as they read a team's; nothing about them is Java. The
 * kept catalog spares every plan a round trip to the database; {@code DemoDatasetsTest} holds it
 * equal to the live catalog after the migrations (and says how to write it again when a migration
 * changes the schema).
 */
public final class DemoDatasets {

  /** The demo's declarations, a resource of the jar. */
  public static final String DECLARATIONS = "demo/datasets.json";

  /** The catalog they are resolved against: each relation, and each measure's type. */
  public static final String CATALOG = "demo/catalog.json";

  /** Resolved on first use, so that a test can read the declarations without the catalog. */
  private static final class Resolved {
    static final Map<String, DeclaredDataset> ALL = resolve();
  }

  private DemoDatasets() {}

  /** The demo's dataset called {@code name}; throws for one it does not declare (a bug). */
  public static DeclaredDataset get(String name) {
    DeclaredDataset dataset = Resolved.ALL.get(name);
    if (dataset == null) {
      throw new IllegalArgumentException("the demo declares no dataset " + name);
    }
    return dataset;
  }

  /** Every demo dataset, in declaration order. */
  public static List<DeclaredDataset> all() {
    return List.copyOf(Resolved.ALL.values());
  }

  /** The demo's declarations, as {@link Declaration#read} reads any. */
  public static List<Declaration> declarations() {
    return Declaration.readAll(
        resource(DECLARATIONS).getJsonObject("datasets"), Map.of(), DECLARATIONS);
  }

  /**
   * The catalog file's content for {@code datasets} (resolved against the live catalog, measures
   * typed): what {@value #CATALOG} holds.
   */
  public static JsonObject catalog(List<DeclaredDataset> datasets) {
    JsonObject relations = new JsonObject();
    JsonObject measures = new JsonObject();
    for (DeclaredDataset d : datasets) {
      relations.put(d.name(), d.relation().toJson());
      JsonObject typed = new JsonObject();
      for (Measure m : d.measures()) {
        typed.put(
            m.name(),
            new JsonObject()
                .put("kind", m.kind().name())
                .put("type", m.type())
                .put("empty", m.empty()));
      }
      measures.put(d.name(), typed);
    }
    return new JsonObject().put("relations", relations).put("measures", measures);
  }

  private static Map<String, DeclaredDataset> resolve() {
    JsonObject catalog = resource(CATALOG);
    Map<String, DeclaredDataset> all = new LinkedHashMap<>();
    for (Declaration declaration : declarations()) {
      JsonObject relation = catalog.getJsonObject("relations").getJsonObject(declaration.name());
      DeclaredDataset dataset =
          Resolver.resolve(declaration, relation == null ? null : Relation.fromJson(relation));
      JsonObject types = catalog.getJsonObject("measures").getJsonObject(declaration.name());
      List<Measure> measures = new ArrayList<>();
      for (Measure m : dataset.measures()) {
        JsonObject type = types == null ? null : types.getJsonObject(m.name());
        if (type == null) {
          throw new IllegalStateException(
              CATALOG + " has no type of " + declaration.name() + "." + m.name());
        }
        measures.add(
            new Measure(
                m.name(),
                m.aggregate(),
                Column.Kind.valueOf(type.getString("kind")),
                type.getString("type"),
                type.getString("empty")));
      }
      all.put(declaration.name(), dataset.withMeasures(measures));
    }
    return all;
  }

  private static JsonObject resource(String name) {
    try (InputStream in = DemoDatasets.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the class path");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
