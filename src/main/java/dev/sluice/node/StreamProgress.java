package dev.sluice.node;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams open on this node, by data address, for operators and tests: the rows a producer (a
 * loader) has fetched from PostgreSQL, and the items a consumer (the gateway) has handed on to
 * HTTP. An entry goes when its stream ends.
 */
public final class StreamProgress {

  private final Map<String, Long> fetched = new ConcurrentHashMap<>();
  private final Map<String, Long> delivered = new ConcurrentHashMap<>();

  /** Rows fetched so far by each stream this node produces. */
  public Map<String, Long> fetched() {
    return fetched;
  }

  /** Items handed on so far by each stream this node consumes. */
  public Map<String, Long> delivered() {
    return delivered;
  }
}
