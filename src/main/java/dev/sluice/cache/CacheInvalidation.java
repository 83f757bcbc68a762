package dev.sluice.cache;

import io.vertx.core.Future;
import java.util.List;

/**
 * The node cache as what drops entries sees it: a write heard from PostgreSQL ({@code
 * dev.sluice.db.Changes}) drops the entries read from its table, an operator clears a family or all
 * ({@code DELETE /api/v1/cache[/{loader}]}). Part of {@link Cache}.
 */
public interface CacheInvalidation {

  /** The families the cache knows, in name order. */
  List<String> families();

  /** Drops the entries read from {@code table}; returns how many. */
  long invalidateTable(String table);

  /** Drops every entry of {@code family} this node holds; returns how many. */
  long invalidate(String family);

  /** Drops every entry this node holds; returns how many. */
  long invalidateAll();

  /**
   * An operator's clear of {@code family}: on a clustered node the cluster tier too and, once it is
   * empty, every node's local tier (told over the event bus); completes then, with how many entries
   * this node dropped.
   */
  default Future<Long> clear(String family) {
    return Future.succeededFuture(invalidate(family));
  }
}
