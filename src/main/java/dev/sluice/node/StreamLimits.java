package dev.sluice.node;

import java.util.HashMap;
import java.util.Map;

/**
 * How many streams are open, in all and per client address, across every gateway instance of the
 * node. A stream takes a place before it opens and gives it back once, however it ends.
 */
public final class StreamLimits {

  private final int max;
  private final int maxPerClient;
  private final Map<String, Integer> perClient = new HashMap<>();
  private int open;

  StreamLimits(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  /** Takes a place for {@code client}; false when the process or the client is at its limit. */
  public synchronized boolean tryAcquire(String client) {
    int mine = perClient.getOrDefault(client, 0);
    if (open >= max || mine >= maxPerClient) {
      return false;
    }
    open++;
    perClient.put(client, mine + 1);
    return true;
  }

  public synchronized void release(String client) {
    open--;
    perClient.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
  }
}
