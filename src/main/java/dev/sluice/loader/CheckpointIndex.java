package dev.sluice.loader;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Remembers, per query, the key of every {@code step}-th row (index to key), so a virtual-scroll window deep in a
 * listing is a keyset seek from the nearest checkpoint plus a short skip, never an {@code OFFSET} scan from the top.
 * Checkpoints of a query expire together after {@code ttlMillis}: inserts and deletes shift indexes. Holds at most
 * {@code maxQueries} queries, dropping the least recently used. Used from one event-loop thread only.
 */
final class CheckpointIndex {

  record Checkpoint(long index, List<String> key) {
  }

  private record Checkpoints(long createdAt, TreeMap<Long, List<String>> keys) {
  }

  private final int step;
  private final long ttlMillis;
  private final Map<String, Checkpoints> byQuery;

  CheckpointIndex(int step, long ttlMillis, int maxQueries) {
    this.step = step;
    this.ttlMillis = ttlMillis;
    this.byQuery = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Checkpoints> eldest) {
        return size() > maxQueries;
      }
    };
  }

  int step() {
    return step;
  }

  /** The checkpoint at or before {@code index}, or null. */
  Checkpoint floor(String query, long index, long now) {
    Checkpoints checkpoints = byQuery.get(query);
    if (checkpoints == null) {
      return null;
    }
    if (now - checkpoints.createdAt() > ttlMillis) {
      byQuery.remove(query);
      return null;
    }
    Map.Entry<Long, List<String>> entry = checkpoints.keys().floorEntry(index);
    return entry == null ? null : new Checkpoint(entry.getKey(), entry.getValue());
  }

  /** Records the key of the row at {@code index}, if it is a checkpoint position. */
  void offer(String query, long index, List<String> key, long now) {
    if (index % step != 0) {
      return;
    }
    byQuery.computeIfAbsent(query, q -> new Checkpoints(now, new TreeMap<>())).keys().put(index, key);
  }
}
