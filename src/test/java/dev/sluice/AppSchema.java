package dev.sluice;

import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A small shop application's tables, ours rather than the demo's, for the tests of declared
 * datasets: the awkward things a real database holds (quoted and non-ASCII names, enums, domains,
 * arrays, JSON, infinities, a partitioned table, composite keys, a view, a materialized view, a
 * table with no key) with the same rows on every run. {@link #install} loads {@code app/schema.sql}
 * into the test database, which drops and rebuilds the schemas {@code shop} and {@code "Sales Ω"}.
 */
public final class AppSchema {

  /** The relations the script makes, each named as SQL writes it. */
  public static final List<String> RELATIONS =
      List.of(
          "shop.customers",
          "shop.products",
          "shop.orders",
          "shop.order_lines",
          "shop.order_summaries",
          "shop.daily_sales",
          "shop.audit_events",
          "\"Sales Ω\".\"Region Targets\"");

  private static final String SCRIPT = "/app/schema.sql";

  private static boolean installed;

  private AppSchema() {}

  /**
   * Loads the schema through {@code pool} the first time a test in this JVM asks, as one
   * simple-protocol query; later calls do nothing.
   */
  public static synchronized void install(Pool pool) {
    if (installed) {
      return;
    }
    Waits.statement(pool.query(script()).execute());
    installed = true;
  }

  /** The text of {@code app/schema.sql}: it can be run again whole, and rebuilds everything. */
  public static String script() {
    try (InputStream in = AppSchema.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException(SCRIPT + " is not on the test classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
