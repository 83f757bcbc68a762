package dev.sluice.api;

/**
 * Every event-bus address Sluice consumes, in one place, with the shape of the messages each one
 * takes beside it; docs/EVENT_BUS.md documents them at length. One address takes one kind of
 * message: a loader family and the monitor are each a family of addresses (the family's own and
 * those derived from it), one per kind, so no consumer sorts messages by a header.
 *
 * <p>A loader family's own address ({@link #VIDEOS}, …) takes loads: the {@link #ACTION_HEADER}
 * names the operation ({@link Operation}) and the body is a {@code JsonObject} of request
 * parameters (strings as in a query string, or JSON values). The reply body is a {@code Buffer}:
 * the UTF-8 JSON envelope of docs/API.md section 2, encoded once by the loader; the headers {@link
 * #NEXT_CURSOR_HEADER} and {@link #PREV_CURSOR_HEADER} carry the cursors for a {@code Link} header.
 * A failure arrives as a {@code ReplyException} whose code is an HTTP status ({@link Failures}) and
 * whose message is a problem+json document ({@link Problem}). The family's other kinds are at
 * {@link #pingOf}, {@link #prefetchOf}, {@link #streamOpenOf} and {@link #splitsOf}.
 */
public final class Addresses {

  /** Loads of the videos family (and its family name: the other kinds derive from it). */
  public static final String VIDEOS = "sluice.videos";

  /** Loads of the users family. */
  public static final String USERS = "sluice.users";

  /** Loads of the analytics family. */
  public static final String ANALYTICS = "sluice.analytics";

  /** Loads of the templates family. */
  public static final String TEMPLATES = "sluice.templates";

  /** Loads of the search family. */
  public static final String SEARCH = "sluice.search";

  /**
   * A loader's ping ({@link #pingOf}): any body, no header; answered at once, also by a loader that
   * is stopping, with {@code {"breaker": "CLOSED"|"OPEN"|"HALF_OPEN"}}, its circuit breaker's
   * state: the health checks' question whether the loader is deployed and answering.
   */
  public static final String PING_SUFFIX = ".ping";

  /**
   * A loader's prefetch ({@link #prefetchOf}), a one-way {@code send} (no reply) shaped as a load
   * ({@link #ACTION_HEADER} and the parameters of a request whose prefetched reply was just used):
   * the loader loads the pages after it ahead.
   */
  public static final String PREFETCH_SUFFIX = ".prefetch";

  /**
   * A stream's open request ({@link #streamOpenOf}): {@link #ACTION_HEADER} the stream operation,
   * the stream's parameters as body, and the headers of {@code dev.sluice.stream.OpenRequest} (the
   * consumer's data address and its credit). Replied {@code {}} once the producer holds a
   * connection and has prepared the query, or failed with a problem before any data
   * (docs/EVENT_BUS.md, "Streams").
   */
  public static final String STREAM_OPEN_SUFFIX = ".stream.open";

  /**
   * Where to cut a stream's listing ({@link #splitsOf}): {@link #ACTION_HEADER} the stream
   * operation, header {@code splits} (how many ranges, {@code
   * dev.sluice.stream.StreamProtocol#SPLITS}) and the stream's parameters as body, without {@code
   * after}, {@code until} or {@code follow}. Replied {@code {"positions": [cut, …], "source",
   * "estimated_rows", "snapshot"}} (docs/EVENT_BUS.md, "Parallel batches").
   */
  public static final String SPLITS_SUFFIX = ".stream.splits";

  /**
   * The monitors' family: whichever node's monitor the bus picks answers the questions at {@link
   * #MONITOR_STATS}, {@link #MONITOR_DATABASE} and {@link #MONITOR_HEALTH}; a clustered node's own
   * monitor answers them, and two more, under {@link #monitorOf its node's family}.
   */
  public static final String MONITOR = "sluice.monitor";

  /**
   * A monitor's statistics ({@link #statsOf}): empty body; replied with the statistics document of
   * docs/API.md (Operations) as JSON.
   */
  public static final String STATS_SUFFIX = ".stats";

  /**
   * A monitor's database ping ({@link #databaseOf}): empty body; replied after a round trip to
   * PostgreSQL on the monitor's own connection with {@code {"up": true, "latency_ms": n}} or,
   * within a second, {@code {"up": false, "cause"}}.
   */
  public static final String DATABASE_SUFFIX = ".database";

  /**
   * A monitor's health judgement ({@link #healthOf}): empty body; replied with the seed's
   * judgements over the last minute, {@code {"memory": {level, used_mb, limit_mb, percent},
   * "loaders": {family: {level, errors, …}}}}.
   */
  public static final String HEALTH_SUFFIX = ".health";

  /**
   * A clustered node's monitor says who its node is ({@link #reportOf}, on {@link #monitorOf a
   * node's family} only): empty body; replied {@code {id, host, event_bus, roles, loaders,
   * started_at, uptime_seconds, stats}}, {@code stats} being the node's statistics document.
   */
  public static final String REPORT_SUFFIX = ".report";

  /**
   * As {@link #REPORT_SUFFIX}, with the node's health summary instead of its statistics ({@link
   * #reportHealthOf}): {@code {id, …, "health": {status, shutting_down, database, memory,
   * loaders}}}, within about a second.
   */
  public static final String REPORT_HEALTH_SUFFIX = ".report-health";

  /** Any monitor's statistics ({@link #STATS_SUFFIX}). */
  public static final String MONITOR_STATS = MONITOR + STATS_SUFFIX;

  /** Any monitor's database ping ({@link #DATABASE_SUFFIX}). */
  public static final String MONITOR_DATABASE = MONITOR + DATABASE_SUFFIX;

  /** Any monitor's health judgement ({@link #HEALTH_SUFFIX}). */
  public static final String MONITOR_HEALTH = MONITOR + HEALTH_SUFFIX;

  /**
   * Prefix of each clustered node's monitor family: {@code sluice.monitor.node.<node id>} ({@link
   * #monitorOf}).
   */
  public static final String MONITOR_NODE_PREFIX = "sluice.monitor.node.";

  /**
   * Published (node-local) by the monitor when the memory level changes: JSON {@code {level,
   * used_mb, limit_mb}}, {@code level} one of {@code normal}, {@code high}, {@code critical}.
   */
  public static final String MEMORY_LEVEL = "sluice.monitor.memory";

  /** Published (node-local) when a graceful shutdown begins: gateways end their open streams. */
  public static final String SHUTDOWN = "sluice.node.shutdown";

  /**
   * Request header: the id of the HTTP request a loader request serves, for the loader's log lines.
   */
  public static final String REQUEST_ID_HEADER = "request-id";

  /**
   * Request header naming the operation of a load, prefetch, stream open or splits request: which
   * operation of the family, not which kind of message (the address says that).
   */
  public static final String ACTION_HEADER = "action";

  /** Reply header: the cursor of the next page, when there is one. */
  public static final String NEXT_CURSOR_HEADER = "next-cursor";

  /** Reply header: the cursor of the previous page, when there is one. */
  public static final String PREV_CURSOR_HEADER = "prev-cursor";

  /** Reply header: the reply's strong ETag. */
  public static final String ETAG_HEADER = "etag";

  /**
   * Reply header: {@code gzip} when the reply body is gzip'd (its family's entries are stored
   * compressed).
   */
  public static final String ENCODING_HEADER = "content-encoding";

  /** Reply header: items in the reply's {@code data}. */
  public static final String ITEMS_HEADER = "items";

  /** Reply header: {@code true} when more pages follow this one. */
  public static final String HAS_MORE_HEADER = "has-more";

  /**
   * Reply header: {@code hit} when the loader answered from the cache, {@code miss} when it loaded.
   */
  public static final String CACHE_HEADER = "cache";

  /** Reply header: {@code true} when the reply was loaded ahead of any request (prefetched). */
  public static final String PREFETCHED_HEADER = "prefetched";

  /**
   * Request header: {@code true} when the requester looked the reply up in the node cache already
   * (the gateway), so the loader does not count a second lookup.
   */
  public static final String LOOKED_UP_HEADER = "looked-up";

  /** The ping address of the loader family at {@code loader} ({@link #PING_SUFFIX}). */
  public static String pingOf(String loader) {
    return loader + PING_SUFFIX;
  }

  /** The prefetch address of the loader family at {@code loader} ({@link #PREFETCH_SUFFIX}). */
  public static String prefetchOf(String loader) {
    return loader + PREFETCH_SUFFIX;
  }

  /**
   * The stream-open address of the loader family at {@code loader} ({@link #STREAM_OPEN_SUFFIX}).
   */
  public static String streamOpenOf(String loader) {
    return loader + STREAM_OPEN_SUFFIX;
  }

  /** The splits address of the loader family at {@code loader} ({@link #SPLITS_SUFFIX}). */
  public static String splitsOf(String loader) {
    return loader + SPLITS_SUFFIX;
  }

  /**
   * The monitor family of the cluster node {@code nodeId}: its own monitor, whichever the bus would
   * pick.
   */
  public static String monitorOf(String nodeId) {
    return MONITOR_NODE_PREFIX + nodeId;
  }

  /**
   * The statistics address of the monitor family {@code monitor} ({@link #MONITOR} or {@link
   * #monitorOf}).
   */
  public static String statsOf(String monitor) {
    return monitor + STATS_SUFFIX;
  }

  /** The database-ping address of the monitor family {@code monitor} ({@link #DATABASE_SUFFIX}). */
  public static String databaseOf(String monitor) {
    return monitor + DATABASE_SUFFIX;
  }

  /**
   * The health-judgement address of the monitor family {@code monitor} ({@link #HEALTH_SUFFIX}).
   */
  public static String healthOf(String monitor) {
    return monitor + HEALTH_SUFFIX;
  }

  /** The node-report address of a node's monitor family ({@link #REPORT_SUFFIX}). */
  public static String reportOf(String monitor) {
    return monitor + REPORT_SUFFIX;
  }

  /**
   * The node-report-with-health address of a node's monitor family ({@link #REPORT_HEALTH_SUFFIX}).
   */
  public static String reportHealthOf(String monitor) {
    return monitor + REPORT_HEALTH_SUFFIX;
  }

  private Addresses() {}
}
