package dev.sluice.plan;

import dev.sluice.config.SluiceConfig;
import dev.sluice.api.Params;

/** What every family's planner reads alike: page numbers, page sizes, limits, cursors, id lists. */
abstract class FamilyPlanner {

  /** Most ids one {@code ids=} batch may ask for (docs/API.md, section 4a). */

  protected final SluiceConfig settings;

  FamilyPlanner(SluiceConfig settings) {
    this.settings = settings;
  }

  /** The family's name in {@code data_types}. */
  abstract String family();

  abstract void register(Planners.Registry registry);

  final int page(Params params) {
    return params.integer("page", 1, Bounds.MAX_PAGE, 1);
  }

  final int perPage(Params params) {
    int max = settings.limits().maxPageSize();
    return params.integer("per_page", 1, max, Math.min(settings.policy(family()).pageSize(), max));
  }

  final int limit(Params params) {
    return params.integer("limit", 1, settings.limits().maxLimit(), settings.limits().defaultLimit());
  }

  final String cursor(Params params) {
    return params.string("cursor", 1, Bounds.MAX_CURSOR, false);
  }

  /**
   * {@code ids}, when given: 1 to {@value Bounds#MAX_IDS} UUIDs, comma separated, instead of every listing parameter
   * ({@code listing} names them; any of them given too is a fault). Null when absent.
   */
  final java.util.List<java.util.UUID> ids(Params params, String... listing) {
    if (!params.has("ids")) {
      return null;
    }
    java.util.List<java.util.UUID> ids = params.uuids("ids", Bounds.MAX_IDS);
    for (String name : listing) {
      if (params.has(name)) {
        params.fail("ids", "cannot be combined with " + name);
      }
    }
    return ids;
  }
}
