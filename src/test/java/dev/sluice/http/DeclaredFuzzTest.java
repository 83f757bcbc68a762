package dev.sluice.http;

import dev.sluice.Service;
import dev.sluice.Waits;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Declarations;
import dev.sluice.dataset.Operators;
import dev.sluice.dataset.Shop;
import dev.sluice.plan.Operations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random filter names and values (every operator, {@code not.}, lists, and any bytes) at every
 * route of every declared dataset of the shop's schema, and random keys at their items: no answer
 * is a 5xx, every 4xx is a problem that leaks nothing.
 */
@net.jqwik.api.Tag(
    dev.sluice.EndToEnd.TAG) // a jqwik container: JUnit's @EndToEnd does not reach it
class DeclaredFuzzTest {

  static Service service;

  /** Each declared route (with {@code {key}} for an item's) and its query parameters. */
  static Map<String, List<String>> endpoints;

  @BeforeContainer
  static void start() {
    service = Service.start(Service.config(Shop.config()));
    SluiceConfig settings = SluiceConfig.from(service.config);
    Operations operations =
        Operations.create(settings, Waits.statement(Declarations.resolve(service.db, settings)));
    endpoints = new java.util.LinkedHashMap<>();
    FuzzTest.endpoints(operations)
        .forEach(
            (path, names) -> {
              if (path.startsWith(Operations.DATA + "/")) {
                endpoints.put(path, names);
              }
            });
  }

  @AfterContainer
  static void stop() {
    service.close();
  }

  @Property(tries = 2500)
  void filters(
      @ForAll("paths") String path,
      @ForAll("picks") int pick,
      @ForAll("operators") String operator,
      @ForAll("values") byte[] value) {
    List<String> names = endpoints.get(path);
    String name = names.isEmpty() ? "unknown" : names.get(Math.floorMod(pick, names.size()));
    FuzzTest.answersWithoutFault(
        service,
        path.replace("{key}", "1")
            + "?"
            + FuzzTest.encode(name)
            + "="
            + FuzzTest.encode(operator)
            + FuzzTest.encode(value));
  }

  @Property(tries = 800)
  void names(
      @ForAll("paths") String path, @ForAll("values") byte[] name, @ForAll("values") byte[] value) {
    FuzzTest.answersWithoutFault(
        service,
        path.replace("{key}", "1") + "?" + FuzzTest.encode(name) + "=" + FuzzTest.encode(value));
  }

  @Property(tries = 800)
  void keys(
      @ForAll("itemPaths") String path, @ForAll("values") byte[] a, @ForAll("values") byte[] b) {
    FuzzTest.answersWithoutFault(
        service,
        path.replace("{key}", FuzzTest.encode(a) + "," + FuzzTest.encode(b))
            + "?ids="
            + FuzzTest.encode(b));
    FuzzTest.answersWithoutFault(
        service,
        path.replace("/items/{key}", "") + "?ids=" + FuzzTest.encode(a) + "," + FuzzTest.encode(b));
  }

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of(new ArrayList<>(endpoints.keySet()));
  }

  @Provide
  Arbitrary<String> itemPaths() {
    return Arbitraries.of(endpoints.keySet().stream().filter(p -> p.contains("{key}")).toList());
  }

  @Provide
  Arbitrary<Integer> picks() {
    return Arbitraries.integers();
  }

  /** An operator and its dot, maybe negated, maybe one no type takes, or nothing at all. */
  @Provide
  Arbitrary<String> operators() {
    List<String> all = new ArrayList<>();
    for (String op : Operators.ALL) {
      all.add(op + ".");
      all.add("not." + op + ".");
    }
    all.addAll(List.of("", ".", "not.", "not.not.eq.", "EQ.", "in.(", "in.(\"", "cs.{", "is."));
    return Arbitraries.of(all);
  }

  @Provide
  Arbitrary<byte[]> values() {
    return Arbitraries.oneOf(
        FuzzTest.anyValue(),
        Arbitraries.of(
                "(a,b)",
                "(\"a,b\",\"c\\\"d\",e)",
                "()",
                "(,)",
                "(\"unclosed)",
                "{a,b}",
                "{{1,2},{3,4}}",
                "{\"x\"",
                "null",
                "true",
                "infinity",
                "-infinity",
                "now",
                "epoch",
                "today",
                "2024-01-01",
                "2024-01-01 00:00:00+00",
                "2024-01-01T00:00:00",
                "10:00:00+02",
                "24:00:00",
                "1 day",
                "P1D",
                "10.0.0.0/8",
                "\\x0102",
                "[1,2)",
                "(0,0)",
                "B'101'",
                "$1.00",
                "pending",
                "*a*",
                "%_\\",
                "AAA-0001")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }
}
