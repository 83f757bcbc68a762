package dev.sluice.plan;

import dev.sluice.api.Operation;
import dev.sluice.api.Params;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Dataset;
import dev.sluice.db.Sql;
import java.util.List;
import java.util.UUID;

/**
 * Users: the listing by cursor (or a batch by ids), one user, index ranges for a scroll view, user
 * analytics over a window, a user's sessions.
 */
final class UserLoads extends FamilyPlanner {

  private static final Dataset USERS = DemoRoutes.USERS;
  private static final Dataset SESSIONS = DemoRoutes.SESSIONS;

  UserLoads(SluiceConfig settings) {
    super(settings);
  }

  @Override
  String family() {
    return "users";
  }

  @Override
  void register(Planners.Registry registry) {
    registry.page(Operation.USERS, this::users);
    registry.page(Operation.USER, this::user);
    registry.page(Operation.USER_RANGE, this::range);
    registry.page(Operation.USER_ANALYTICS, this::analytics);
    registry.page(Operation.USER_SESSIONS, this::sessions);
    registry.stream(Operation.USER_STREAM, this::listing);
  }

  private ListQuery listing(Params params) {
    return ListQuery.over(USERS).filters(params, USERS, "role", "is_active").build();
  }

  private Load users(Params params) {
    List<UUID> ids = ids(params, "role", "is_active", "cursor", "limit", "count");
    if (ids != null) {
      return Load.batch(Operation.USERS, Operation.USER, USERS, ids);
    }
    return Load.keyset(
        Operation.USERS, listing(params), cursor(params), limit(params), count(params));
  }

  private Load user(Params params) {
    UUID id = params.<UUID>get("userId");
    return Load.item(Operation.USER, USERS, id, "No user " + id);
  }

  private Load range(Params params) {
    ListQuery query = listing(params);
    Long startIndex = params.get("start_index");
    Long endIndex = params.get("end_index");
    long start = startIndex == null ? -1 : startIndex;
    long end = endIndex == null ? -1 : endIndex;
    int max = settings.limits().maxLimit();
    if (start >= 0 && end >= 0) {
      if (end <= start) {
        params.fail("end_index", "must be greater than start_index");
      } else if (end - start > max) {
        params.fail("end_index", "must be at most " + max + " more than start_index");
      }
    }
    return Load.range(Operation.USER_RANGE, query, start, end, count(params));
  }

  private Load analytics(Params params) {
    TimeWindow window = TimeWindow.read(params, "start", "end", settings.limits());
    return Load.window(
        Operation.USER_ANALYTICS,
        window,
        DemoRoutes.USER_ACTIVITY,
        new Key(),
        null,
        null,
        null,
        null);
  }

  private Load sessions(Params params) {
    UUID userId = params.<UUID>get("userId");
    int days = params.<Integer>get("days");
    ListQuery query =
        ListQuery.over(SESSIONS)
            .equal(SESSIONS.filter("user_id"), userId)
            .where(
                "days",
                days,
                Sql.of("d.started_at >= now() - make_interval(days => ").param(days).append(")"))
            .build();
    return Load.keyset(
        Operation.USER_SESSIONS, query, cursor(params), limit(params), count(params));
  }
}
