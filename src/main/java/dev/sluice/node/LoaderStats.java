package dev.sluice.node;

import dev.sluice.db.Faults;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * One data family's figures on this node, counted where the work happens: the loaders count what
 * they load, the gateway what it answers from the cache. Every verticle instance of the node adds
 * to the same counters (held in shared data), so the figures are the node's sums.
 */
public final class LoaderStats {

  private final LongAdder served = new LongAdder();
  private final LongAdder loaded = new LongAdder();
  private final LongAdder loads = new LongAdder();
  private final LongAdder loadNanos = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final AtomicLong lastLoadedAt = new AtomicLong();
  private final Map<String, LongAdder> errorsByCause = new ConcurrentHashMap<>();
  private final AtomicLong activeStreams = new AtomicLong();
  private final LongAdder streamRows = new LongAdder();
  private final LongAdder streamBytes = new LongAdder();

  /** The open streams' batches in flight (sent, not yet acknowledged by their readers). */
  private final Set<LongSupplier> inFlight = ConcurrentHashMap.newKeySet();

  private final Map<String, LongAdder> retriesByCause = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicReference<String> breaker =
      new java.util.concurrent.atomic.AtomicReference<>("CLOSED");

  private final MeterRegistry meters;
  private final String family;
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  /**
   * The figures of {@code family}, with their meters in {@code meters}: one per family and node
   * ({@code Node#loaderStats}).
   */
  public LoaderStats(MeterRegistry meters, String family) {
    this.meters = meters;
    this.family = family;
    FunctionCounter.builder("sluice.items.served", served, LongAdder::sum)
        .tag("loader", family)
        .description("Items handed to clients, from the database or the cache")
        .register(meters);
    FunctionCounter.builder("sluice.items.loaded", loaded, LongAdder::sum)
        .tag("loader", family)
        .description("Rows read from PostgreSQL")
        .register(meters);
    for (String state : List.of("CLOSED", "OPEN", "HALF_OPEN")) {
      Gauge.builder("sluice.breaker.state", breaker, b -> state.equals(b.get()) ? 1 : 0)
          .tags("loader", family, "state", state.toLowerCase(java.util.Locale.ROOT))
          .description("1 for the state the loader's circuit breaker is in")
          .register(meters);
    }
    Gauge.builder("sluice.streams.active", activeStreams, AtomicLong::get)
        .tag("loader", family)
        .description("Streams the loader is sending now")
        .register(meters);
    FunctionCounter.builder("sluice.stream.rows", streamRows, LongAdder::sum)
        .tag("loader", family)
        .description("Rows sent by streams")
        .register(meters);
    FunctionCounter.builder("sluice.stream.bytes", streamBytes, LongAdder::sum)
        .tag("loader", family)
        .baseUnit("bytes")
        .description("Bytes of rows sent by streams")
        .register(meters);
    Gauge.builder(
            "sluice.stream.batches.in_flight",
            inFlight,
            open -> open.stream().mapToLong(LongSupplier::getAsLong).sum())
        .tag("loader", family)
        .description(
            "Batches the loader's streams sent that their readers have not acknowledged yet")
        .register(meters);
    // every cause a failure or a retry can have is known (Faults): each series exists at 0 from the
    // start, so that
    // rate(...) alerts have data before the first failure
    for (Faults.Rule rule : Faults.RULES) {
      errorCounter(rule.cause());
      if (rule.kind() == Faults.Kind.TRANSIENT) {
        retryCounter(rule.cause());
      }
    }
    errorCounter(Faults.UNKNOWN_CAUSE);
    errorCounter(Faults.REFUSED_CAUSE);
  }

  private Counter errorCounter(String cause) {
    return meters.counter("sluice.load.errors", "loader", family, "cause", cause);
  }

  private Counter retryCounter(String cause) {
    return meters.counter("sluice.load.retries", "loader", family, "cause", cause);
  }

  /** The data family these figures are of. */
  public String family() {
    return family;
  }

  /** How long one operation's loads take, as a histogram: {@code sluice_load_seconds}. */
  public void timed(String operation, long nanos) {
    timer(operation).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * Registers the histogram of each of {@code operations} (at 0) before its first load, so that a
   * dashboard's {@code rate(sluice_load_seconds_count[…])} has a series from the start.
   */
  public void operations(List<String> operations) {
    operations.forEach(this::timer);
  }

  private Timer timer(String operation) {
    return timers.computeIfAbsent(
        operation,
        op ->
            Timer.builder("sluice.load")
                .tags("loader", family, "operation", op)
                .description("Loads from PostgreSQL, per operation")
                .publishPercentileHistogram()
                .register(meters));
  }

  /** A stream began sending; {@code inFlight} tells its batches in flight until it closes. */
  public void streamOpened(LongSupplier inFlight) {
    activeStreams.incrementAndGet();
    this.inFlight.add(inFlight);
  }

  /** A stream sent a batch of {@code rows} rows of {@code bytes} bytes. */
  public void streamSent(long rows, long bytes) {
    streamRows.add(rows);
    streamBytes.add(bytes);
  }

  /** Streams the family's loaders on this node are sending now. */
  public long activeStreams() {
    return activeStreams.get();
  }

  /** A stream opened with {@link #streamOpened} ended. */
  public void streamClosed(LongSupplier inFlight) {
    activeStreams.decrementAndGet();
    this.inFlight.remove(inFlight);
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

  /**
   * Rows read from PostgreSQL on behalf of several loads or none (a stream, a coalesced item
   * query).
   */
  public void read(long rows) {
    loaded.add(rows);
    lastLoadedAt.set(System.currentTimeMillis());
  }

  /**
   * A load that failed with a fault of the service or the database (not of the request), after any
   * retries, by its cause ({@code Faults}).
   */
  public void failed(String cause) {
    errors.increment();
    errorsByCause.computeIfAbsent(cause, c -> new LongAdder()).increment();
    errorCounter(cause).increment();
  }

  /** A load tried again after a failure with {@code cause}. */
  public void retried(String cause) {
    retries.increment();
    retriesByCause.computeIfAbsent(cause, c -> new LongAdder()).increment();
    retryCounter(cause).increment();
  }

  /**
   * The state of the family's circuit breaker ({@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}).
   */
  public void breaker(String state) {
    breaker.set(state);
  }

  public String breakerState() {
    return breaker.get();
  }

  /** Failed loads by cause, so far. */
  public Map<String, Long> errorsByCause() {
    return sums(errorsByCause);
  }

  /** Retries by cause, so far. */
  public Map<String, Long> retriesByCause() {
    return sums(retriesByCause);
  }

  private static Map<String, Long> sums(Map<String, LongAdder> adders) {
    Map<String, Long> sums = new java.util.TreeMap<>();
    adders.forEach((cause, adder) -> sums.put(cause, adder.sum()));
    return sums;
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
