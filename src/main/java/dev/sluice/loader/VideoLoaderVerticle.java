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
import java.util.Map;
import java.util.UUID;

/** Videos: a user's videos, the listing by cursor, popular videos, and one video's analytics over a window. */
public class VideoLoaderVerticle extends LoaderVerticle {

  static final String COLUMNS = "v.id, v.user_id, v.title, v.description, v.category, v.status, "
    + "v.duration_seconds, v.view_count, v.like_count, v.created_at";

  static final Map<String, SortKey> SORTS = Map.of(
    "-created_at", new SortKey("-created_at", "v.created_at", "timestamptz", "v.id", "uuid"),
    "created_at", new SortKey("created_at", "v.created_at", "timestamptz", "v.id", "uuid"),
    "-view_count", new SortKey("-view_count", "v.view_count", "bigint", "v.id", "uuid"),
    "title", new SortKey("title", "v.title", "text", "v.id", "uuid"));
  static final List<String> SORT_NAMES = List.of("-created_at", "created_at", "-view_count", "title");

  @Override
  protected String address() {
    return Addresses.VIDEOS;
  }

  @Override
  protected String family() {
    return "videos";
  }

  @Override
  protected Future<Void> operations() {
    serve(Operation.USER_VIDEOS, this::userVideos);
    serve(Operation.VIDEOS, this::videos);
    serve(Operation.POPULAR_VIDEOS, this::popular);
    serve(Operation.VIDEO_ANALYTICS, this::analytics);
    serveStream(Operation.VIDEO_STREAM, params -> listing(params, "-created_at"));
    return Future.succeededFuture();
  }

  /** The videos listing's filters; {@code sort} is the sort key's name when the request gives none. */
  private static ListQuery listing(Params params, String sort) {
    String status = params.oneOf("status", Catalog.VIDEO_STATUSES, null);
    String category = params.oneOf("category", Catalog.VIDEO_CATEGORIES, null);
    UUID userId = params.has("user_id") ? params.uuid("user_id", false) : null;
    return ListQuery.from("videos v", COLUMNS)
      .equal("status", "v.status", status)
      .equal("category", "v.category", category)
      .equal("user_id", "v.user_id", userId)
      .sort(SORTS.get(sort))
      .build();
  }

  private Future<LoaderReply> userVideos(Params params) {
    UUID userId = params.uuid("userId", true);
    String status = params.oneOf("status", Catalog.VIDEO_STATUSES, null);
    int page = page(params);
    int perPage = perPage(params);
    CountMode count = CountMode.read(params, CountMode.NONE);
    params.validate();
    ListQuery query = ListQuery.from("videos v", COLUMNS)
      .equal("user_id", "v.user_id", userId)
      .equal("status", "v.status", status)
      .sort(SORTS.get("-created_at"))
      .build();
    return pages.offset(Operation.USER_VIDEOS, query, page, perPage, count);
  }

  private Future<LoaderReply> videos(Params params) {
    String sort = params.oneOf("sort", SORT_NAMES, "-created_at");
    ListQuery query = listing(params, sort);
    String cursor = cursor(params);
    int limit = limit(params);
    CountMode count = CountMode.read(params, CountMode.NONE);
    params.validate();
    return pages.keyset(Operation.VIDEOS, query, cursor, limit, count);
  }

  private Future<LoaderReply> popular(Params params) {
    String category = params.oneOf("category", Catalog.VIDEO_CATEGORIES, null);
    int days = params.integer("days", 1, 365, 30);
    int page = page(params);
    int perPage = perPage(params);
    CountMode count = CountMode.read(params, CountMode.NONE);
    params.validate();
    ListQuery query = ListQuery.from("videos v", COLUMNS)
      .equal("category", "v.category", category)
      .where("ready", Sql.of("v.status = 'ready'"))
      .where("days=" + days, Sql.of("v.created_at >= now() - make_interval(days => ").param(days).append(")"))
      .sort(SORTS.get("-view_count"))
      .build();
    return pages.offset(Operation.POPULAR_VIDEOS, query, page, perPage, count);
  }

  private Future<LoaderReply> analytics(Params params) {
    UUID videoId = params.uuid("videoId", true);
    TimeWindow window = TimeWindow.read(params, "start", "end", Bucket.DAY, settings.limits());
    params.validate();
    Series events = new Series("video_events", "occurred_at", "video_id = $4", List.of(
      new Measure("views", "count(*) FILTER (WHERE event_type = 'view')"),
      new Measure("likes", "count(*) FILTER (WHERE event_type = 'like')"),
      new Measure("shares", "count(*) FILTER (WHERE event_type = 'share')"),
      new Measure("watch_seconds", "sum(watch_seconds) FILTER (WHERE event_type = 'watch')")));
    Sql sql = WindowQuery.sql(window, List.of(events), "SELECT 1 FROM videos WHERE id = $4", videoId);
    return pages.window(Operation.VIDEO_ANALYTICS, sql, window, "No video " + videoId);
  }
}
