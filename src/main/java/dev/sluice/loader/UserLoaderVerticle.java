package dev.sluice.loader;

import dev.sluice.bus.Addresses;
import dev.sluice.bus.LoaderReply;
import dev.sluice.bus.Operation;
import dev.sluice.data.Catalog;
import dev.sluice.data.Sql;
import dev.sluice.strategy.Bucket;
import dev.sluice.strategy.CountMode;
import dev.sluice.strategy.ListQuery;
import dev.sluice.strategy.Params;
import dev.sluice.strategy.SortKey;
import dev.sluice.strategy.TimeWindow;
import dev.sluice.strategy.WindowQuery;
import dev.sluice.strategy.WindowQuery.Measure;
import dev.sluice.strategy.WindowQuery.Series;
import io.vertx.core.Future;

import java.util.List;
import java.util.UUID;

/** Users: the listing by cursor, index ranges for a scroll view, user analytics over a window, a user's sessions. */
public class UserLoaderVerticle extends LoaderVerticle {

  static final String COLUMNS = "u.id, u.username, u.email, u.display_name, u.role, u.is_active, u.created_at, "
    + "u.last_login_at";
  static final SortKey NEWEST = new SortKey("-created_at", "u.created_at", "timestamptz", "u.id", "uuid");

  static final String SESSION_COLUMNS = "s.id, s.user_id, s.started_at, s.ended_at, s.device, s.country";
  static final SortKey LATEST_SESSION = new SortKey("-started_at", "s.started_at", "timestamptz", "s.id", "uuid");

  @Override
  protected String address() {
    return Addresses.USERS;
  }

  @Override
  protected String family() {
    return "users";
  }

  @Override
  protected Future<Void> operations() {
    serve(Operation.USERS, this::users);
    serve(Operation.USER_RANGE, this::range);
    serve(Operation.USER_ANALYTICS, this::analytics);
    serve(Operation.USER_SESSIONS, this::sessions);
    serveStream(Operation.USER_STREAM, this::usersQuery);
    return Future.succeededFuture();
  }

  private ListQuery usersQuery(Params params) {
    String role = params.oneOf("role", Catalog.ROLES, null);
    Boolean active = params.bool("is_active", true);
    return ListQuery.from("users u", COLUMNS)
      .equal("role", "u.role", role)
      .equal("is_active", "u.is_active", active)
      .sort(NEWEST)
      .build();
  }

  private Future<LoaderReply> users(Params params) {
    ListQuery query = usersQuery(params);
    String cursor = cursor(params);
    int limit = limit(params);
    CountMode count = CountMode.read(params, CountMode.NONE);
    params.validate();
    return pages.keyset(Operation.USERS, query, cursor, limit, count);
  }

  private Future<LoaderReply> range(Params params) {
    ListQuery query = usersQuery(params);
    long start = params.number("start_index", 0, Long.MAX_VALUE / 2, -1);
    long end = params.number("end_index", 1, Long.MAX_VALUE / 2, -1);
    if (!params.has("start_index")) {
      params.fail("start_index", "is required");
    }
    if (!params.has("end_index")) {
      params.fail("end_index", "is required");
    }
    CountMode count = CountMode.read(params, CountMode.ESTIMATED);
    int max = settings.limits().maxLimit();
    if (start >= 0 && end >= 0) {
      if (end <= start) {
        params.fail("end_index", "must be greater than start_index");
      } else if (end - start > max) {
        params.fail("end_index", "must be at most " + max + " more than start_index");
      }
    }
    params.validate();
    return pages.range(Operation.USER_RANGE, query, start, end, count);
  }

  private Future<LoaderReply> analytics(Params params) {
    TimeWindow window = TimeWindow.read(params, "start", "end", Bucket.DAY, settings.limits());
    params.validate();
    List<Series> series = List.of(
      new Series("users", "created_at", null, List.of(new Measure("sign_ups", "count(*)"))),
      new Series("user_sessions", "started_at", null, List.of(
        new Measure("active_users", "count(DISTINCT user_id)"),
        new Measure("sessions", "count(*)"))));
    return pages.window(Operation.USER_ANALYTICS, WindowQuery.sql(window, series, null), window, null);
  }

  private Future<LoaderReply> sessions(Params params) {
    UUID userId = params.uuid("userId", true);
    int days = params.integer("days", 1, 365, 30);
    String cursor = cursor(params);
    int limit = limit(params);
    CountMode count = CountMode.read(params, CountMode.NONE);
    params.validate();
    ListQuery query = ListQuery.from("user_sessions s", SESSION_COLUMNS)
      .equal("user_id", "s.user_id", userId)
      .where("days=" + days, Sql.of("s.started_at >= now() - make_interval(days => ").param(days).append(")"))
      .sort(LATEST_SESSION)
      .build();
    return pages.keyset(Operation.USER_SESSIONS, query, cursor, limit, count);
  }
}
