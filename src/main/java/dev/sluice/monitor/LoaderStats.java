package dev.sluice.monitor;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One data family's figures on this node, counted where the work happens: the loaders count what they load, the
 * gateway what it answers from the cache. Every verticle instance of the node adds to the same counters (held in
 * shared data), so the figures are the node's sums.
 */
public final class LoaderStats {

  static final String MAP = "sluice.stats";

  private final LongAdder served = new LongAdder();
  private final LongAdder loaded = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder loadNanos = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final AtomicLong lastLoadedAt = new AtomicLong();

  /** The node's figures of {@code family}. */
  public static LoaderStats of(Vertx vertx, String family) {
    return registry(vertx).families.computeIfAbsent(family, f -> new LoaderStats());
  }

  /** Every family counted on this node so far. */
  public static Map<String, LoaderStats> all(Vertx vertx) {
    return Map.copyOf(registry(vertx).families);
  }

  private static Registry registry(Vertx vertx) {
    LocalMap<String, Registry> map = vertx.sharedData().getLocalMap(MAP);
    return map.computeIfAbsent("loaders", k -> new Registry());
  }

  private static final class Registry implements Shareable {
    final Map<String, LoaderStats> families = new ConcurrentHashMap<>();
  }

  /** Items handed to a client, from the database or the cache. */
  public void served(long items) {
    served.add(items);
  }

  /** A load that ran in {@code nanos} and read {@code rows} rows from PostgreSQL itself. */
  public void loaded(long rows, long nanos) {
    loads.increment();
    loaded.add(rows);
    loadNanos.add(nanos);
    lastLoadedAt.set(System.currentTimeMillis());
  }

  /** Rows read from PostgreSQL on behalf of several loads or none (a stream, a coalesced item query). */
  public void read(long rows) {
    loaded.add(rows);
    lastLoadedAt.set(System.currentTimeMillis());
  }

  /** A load that failed with a fault of the service or the database (not of the request). */
  public void failed() {
    errors.increment();
  }

  public void retried() {
    retries.increment();
  }

  public long servedItems() {
    return served.sum();
  }

  public long loadedItems() {
    return loaded.sum();
  }

  public long loads() {
    return loads.sum();
  }

  public long errors() {
    return errors.sum();
  }

  public long retries() {
    return retries.sum();
  }

  public long loadNanos() {
    return loadNanos.sum();
  }

  public double averageLoadMillis() {
    long count = loads.sum();
    return count == 0 ? 0 : loadNanos.sum() / 1e6 / count;
  }

  /** When the last load finished (epoch millis), 0 if none has. */
  public long lastLoadedAt() {
    return lastLoadedAt.get();
  }
}
