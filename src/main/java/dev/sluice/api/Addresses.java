package dev.sluice.api;

/**
 * Every event-bus address Sluice consumes, in one place. docs/EVENT_BUS.md documents each message shape.
 *
 * <p>A loader address takes requests whose {@code action} header names the operation ({@link Operation}) and whose
 * body is a {@code JsonObject} of request parameters (strings as in a query string, or JSON values). The reply body
 * is a {@code Buffer}: the UTF-8 JSON envelope of docs/API.md section 2, encoded once by the loader; the headers
 * {@link #NEXT_CURSOR_HEADER} and {@link #PREV_CURSOR_HEADER} carry the cursors for a {@code Link} header. A failure
 * arrives as a {@code ReplyException} whose code is an HTTP status ({@link Failures}) and whose message is a
 * problem+json document ({@link Problem}).
 */
public final class Addresses {

  public static final String VIDEOS = "sluice.videos";
  public static final String USERS = "sluice.users";
  public static final String ANALYTICS = "sluice.analytics";
  public static final String TEMPLATES = "sluice.templates";
  public static final String SEARCH = "sluice.search";

  /**
   * The node's monitor: request {@code action: stats} (empty body) replies with the statistics document of
   * docs/API.md (Operations) as JSON.
   */
  public static final String MONITOR = "sluice.monitor";
  /**
   * Each clustered node's own monitor is also at {@code sluice.monitor.node.<node id>} ({@link #monitorOf}), so
   * that a gateway can ask every member rather than whichever monitor the bus picks: the actions of
   * {@link #MONITOR}, and {@link #NODE} and {@link #NODE_HEALTH}.
   */
  public static final String MONITOR_NODE_PREFIX = "sluice.monitor.node.";
  /**
   * Published (node-local) by the monitor when the memory level changes: JSON {@code {level, used_mb, limit_mb}},
   * {@code level} one of {@code normal}, {@code high}, {@code critical}.
   */
  public static final String MEMORY_LEVEL = "sluice.monitor.memory";

  /** Published (node-local) when a graceful shutdown begins: gateways end their open streams. */
  public static final String SHUTDOWN = "sluice.node.shutdown";
  /** Request header: the id of the HTTP request a loader request serves, for the loader's log lines. */
  public static final String REQUEST_ID_HEADER = "request-id";
  /** Request header naming the operation of a loader request. */
  public static final String ACTION_HEADER = "action";
  /**
   * The action every loader and the monitor answer at once, for the health checks: a loader replies
   * {@code {breaker}} (its circuit breaker's state), the monitor {@code {up, latency_ms}} (or {@code {up: false, cause}})
   * after a round trip to PostgreSQL.
   */
  public static final String PING = "ping";
  /** The monitor's action that replies with its judgement of memory and of each loader ({@code Health}). */
  public static final String HEALTH = "health";
  /**
   * The monitor's action that says who its node is: {@code {id, host, event_bus, roles, loaders, started_at,
   * uptime_seconds, stats}}, {@code stats} being the node's statistics document.
   */
  public static final String NODE = "node";
  /** The monitor's action that says who its node is, as {@link #NODE} does, with its health summary for stats. */
  public static final String NODE_HEALTH = "node-health";
  /** Reply header: the cursor of the next page, when there is one. */
  public static final String NEXT_CURSOR_HEADER = "next-cursor";
  /** Reply header: the cursor of the previous page, when there is one. */
  public static final String PREV_CURSOR_HEADER = "prev-cursor";
  /** Reply header: the reply's strong ETag. */
  public static final String ETAG_HEADER = "etag";
  /** Reply header: {@code gzip} when the reply body is gzip'd (its family's entries are stored compressed). */
  public static final String ENCODING_HEADER = "content-encoding";
  /** Reply header: items in the reply's {@code data}. */
  public static final String ITEMS_HEADER = "items";
  /** Reply header: {@code true} when more pages follow this one. */
  public static final String HAS_MORE_HEADER = "has-more";
  /** Reply header: {@code hit} when the loader answered from the cache, {@code miss} when it loaded. */
  public static final String CACHE_HEADER = "cache";
  /** Reply header: {@code true} when the reply was loaded ahead of any request (prefetched). */
  public static final String PREFETCHED_HEADER = "prefetched";
  /**
   * Request header: {@code true} when the requester looked the reply up in the node cache already (the gateway),
   * so the loader does not count a second lookup.
   */
  public static final String LOOKED_UP_HEADER = "looked-up";
  /**
   * Request header: {@code true} on a one-way send (no reply) that tells a loader a prefetched reply was just used,
   * so it loads the ones after it ahead too.
   */
  public static final String PREFETCH_HEADER = "prefetch";

  /** The address of the monitor of the cluster node {@code nodeId}. */
  public static String monitorOf(String nodeId) {
    return MONITOR_NODE_PREFIX + nodeId;
  }

  private Addresses() {
  }
}
