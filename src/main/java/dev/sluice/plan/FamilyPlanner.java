package dev.sluice.plan;

import dev.sluice.api.CountMode;
import dev.sluice.api.Params;
import dev.sluice.config.SluiceConfig;

/**
 * What every family's planner reads alike: page numbers, page sizes, limits, cursors, id lists.
 * Every value is read as {@link Operations} declares it, bounds and defaults included: nothing here
 * restates them.
 */
abstract class FamilyPlanner {

  protected final SluiceConfig settings;

  FamilyPlanner(SluiceConfig settings) {
    this.settings = settings;
  }

  /** The family's name in {@code data_types}. */
  abstract String family();

  abstract void register(Planners.Registry registry);

  final int page(Params params) {
    return params.<Integer>get("page");
  }

  final int perPage(Params params) {
    return params.<Integer>get("per_page");
  }

  final int limit(Params params) {
    return params.<Integer>get("limit");
  }

  final String cursor(Params params) {
    return params.get("cursor");
  }

  /** {@code count}, as declared (its default is the operation's). */
  final CountMode count(Params params) {
    return CountMode.named(params.get("count"));
  }

  /**
   * {@code ids}, when given: 1 to {@value Bounds#MAX_IDS} UUIDs, comma separated, instead of every
   * listing parameter ({@code listing} names them; any of them given too is a fault). Null when
   * absent.
   */
  final java.util.List<java.util.UUID> ids(Params params, String... listing) {
    if (!params.has("ids")) {
      return null;
    }
    java.util.List<java.util.UUID> ids = params.get("ids");
    for (String name : listing) {
      if (params.has(name)) {
        params.fail("ids", "cannot be combined with " + name);
      }
    }
    return ids;
  }
}
