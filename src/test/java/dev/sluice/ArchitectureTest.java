package dev.sluice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.sluice.api.ArchitectureFixture;
import io.vertx.core.shareddata.SharedData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The package rules docs/ARCHITECTURE.md promises, on the compiled classes of src/main: which
 * package may use which (dependencies point one way, no cycle), the demo generator outside the
 * runtime path, and no node-wide state through Vert.x's local maps or internals.
 */
@DisplayName("Architecture: packages depend one way, as docs/ARCHITECTURE.md draws them")
class ArchitectureTest {

  /** Each package and the Sluice packages it may use, from the bottom of the picture up. */
  static final Map<String, Set<String>> MAY_USE = new LinkedHashMap<>();

  static {
    MAY_USE.put("config", Set.of());
    MAY_USE.put("api", Set.of("config"));
    MAY_USE.put("db", Set.of("config", "api"));
    MAY_USE.put("dataset", Set.of("config", "api", "db"));
    MAY_USE.put("cache", Set.of("config", "api", "db"));
    MAY_USE.put("node", Set.of("config", "api", "db", "cache"));
    MAY_USE.put("stream", Set.of("config", "api", "node"));
    MAY_USE.put("bus", Set.of("config", "api", "cache", "node", "stream"));
    MAY_USE.put("plan", Set.of("config", "api", "db", "dataset", "cache", "stream", "bus"));
    MAY_USE.put(
        "load", Set.of("config", "api", "db", "dataset", "cache", "node", "stream", "bus", "plan"));
    MAY_USE.put("monitor", Set.of("config", "api", "db", "cache", "node"));
    MAY_USE.put(
        "http", Set.of("config", "api", "dataset", "cache", "node", "stream", "bus", "plan"));
    MAY_USE.put("demo", Set.of("config", "db", "dataset"));
    MAY_USE.put(
        "launcher",
        Set.of(
            "config", "api", "db", "dataset", "cache", "node", "stream", "bus", "plan", "load",
            "monitor", "http", "demo"));
  }

  static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.sluice");

  /** One rule per package: it uses no Sluice package but those it may. */
  static List<ArchRule> packageRules() {
    List<ArchRule> rules = new ArrayList<>();
    MAY_USE.forEach(
        (pkg, allowed) -> {
          List<String> forbidden = new ArrayList<>();
          for (String other : MAY_USE.keySet()) {
            if (!other.equals(pkg) && !allowed.contains(other)) {
              forbidden.add("dev.sluice." + other + "..");
            }
          }
          rules.add(
              noClasses()
                  .that()
                  .resideInAPackage("dev.sluice." + pkg + "..")
                  .should()
                  .dependOnClassesThat()
                  .resideInAnyPackage(forbidden.toArray(String[]::new))
                  .because("docs/ARCHITECTURE.md: " + pkg + " uses only " + new TreeSet<>(allowed))
                  .allowEmptyShould(true));
        });
    return rules;
  }

  @Test
  @DisplayName("every class lives in a package of the picture")
  void everyPackageDrawn() {
    Set<String> unknown = new TreeSet<>();
    MAIN.forEach(
        c -> {
          String rest = c.getPackageName().substring("dev.sluice".length());
          String top = rest.isEmpty() ? "" : rest.substring(1).split("\\.")[0];
          if (!MAY_USE.containsKey(top)) {
            unknown.add(c.getPackageName());
          }
        });
    assertTrue(
        unknown.isEmpty(),
        "packages not in the picture (add them to MAY_USE and docs/ARCHITECTURE.md): " + unknown);
  }

  @Test
  @DisplayName("each package uses only the packages below it")
  void packagesUseOnlyWhatIsBelow() {
    packageRules().forEach(rule -> rule.check(MAIN));
  }

  @Test
  @DisplayName("no cycle between packages")
  void noCycles() {
    slices().matching("dev.sluice.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  @DisplayName("node-wide state goes through the Node: no local maps, no Vert.x internals")
  void noLocalMapsNorInternals() {
    noClasses()
        .should()
        .callMethod(SharedData.class, "getLocalMap", String.class)
        .because("node-wide state is held by dev.sluice.node.Node")
        .check(MAIN);
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.vertx.core.impl..", "io.vertx.core.internal..")
        .because("Vert.x's internals change without notice")
        .check(MAIN);
  }

  @Test
  @DisplayName("the rules fail on a class that breaks one (an api class that uses the loader)")
  void rulesCanFail() {
    JavaClasses broken =
        new ClassFileImporter()
            .importClasses(ArchitectureFixture.class, dev.sluice.load.LoaderVerticle.class);
    assertTrue(
        packageRules().stream().anyMatch(rule -> rule.evaluate(broken).hasViolation()),
        "the fixture in dev.sluice.api uses dev.sluice.load");
    assertFalse(
        packageRules().stream()
            .anyMatch(
                rule ->
                    rule.evaluate(
                            new ClassFileImporter()
                                .importClasses(
                                    dev.sluice.load.LoaderVerticle.class,
                                    dev.sluice.api.Operation.class))
                        .hasViolation()),
        "the loader using api breaks nothing");
  }
}
