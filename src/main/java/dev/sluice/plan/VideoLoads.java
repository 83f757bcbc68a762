package dev.sluice.plan;

import dev.sluice.api.Operation;
import dev.sluice.api.Params;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Dataset;
import dev.sluice.db.Sql;
import java.util.List;
import java.util.UUID;

/**
 * Videos: a user's videos, the listing by cursor (or a batch by ids), one video, popular videos,
 * one video's analytics.
 */
final class VideoLoads extends FamilyPlanner {

  private static final Dataset VIDEOS = DemoRoutes.VIDEOS;

  VideoLoads(SluiceConfig settings) {
    super(settings);
  }

  @Override
  String family() {
    return "videos";
  }

  @Override
  void register(Planners.Registry registry) {
    registry.page(Operation.USER_VIDEOS, this::userVideos);
    registry.page(Operation.VIDEOS, this::videos);
    registry.page(Operation.VIDEO, this::video);
    registry.page(Operation.POPULAR_VIDEOS, this::popular);
    registry.page(Operation.VIDEO_ANALYTICS, this::analytics);
    registry.stream(
        Operation.VIDEO_STREAM,
        params ->
            ListQuery.over(VIDEOS)
                .filters(params, VIDEOS, "status", "category", "user_id")
                .build());
  }

  private Load userVideos(Params params) {
    UUID userId = params.<UUID>get("userId");
    ListQuery query =
        ListQuery.over(VIDEOS)
            .equal(VIDEOS.filter("user_id"), userId)
            .filters(params, VIDEOS, "status")
            .build();
    return Load.offset(Operation.USER_VIDEOS, query, page(params), perPage(params), count(params));
  }

  private Load videos(Params params) {
    List<UUID> ids =
        ids(params, "status", "category", "user_id", "sort", "cursor", "limit", "count");
    if (ids != null) {
      return Load.batch(Operation.VIDEOS, Operation.VIDEO, VIDEOS, ids);
    }
    String sort = params.get("sort");
    ListQuery query =
        ListQuery.over(VIDEOS)
            .filters(params, VIDEOS, "status", "category", "user_id")
            .sort(VIDEOS.sort(sort))
            .build();
    return Load.keyset(Operation.VIDEOS, query, cursor(params), limit(params), count(params));
  }

  private Load video(Params params) {
    UUID id = params.<UUID>get("videoId");
    return Load.item(Operation.VIDEO, VIDEOS, id, "No video " + id);
  }

  private Load popular(Params params) {
    int days = params.<Integer>get("days");
    ListQuery query =
        ListQuery.over(VIDEOS)
            .filters(params, VIDEOS, "category")
            .where("status", "ready", Sql.of("d.status = 'ready'"))
            .where(
                "days",
                days,
                Sql.of("d.created_at >= now() - make_interval(days => ").param(days).append(")"))
            .sort(VIDEOS.sort("-view_count"))
            .build();
    return Load.offset(
        Operation.POPULAR_VIDEOS, query, page(params), perPage(params), count(params));
  }

  private Load analytics(Params params) {
    UUID videoId = params.<UUID>get("videoId");
    TimeWindow window = TimeWindow.read(params, "start", "end", settings.limits());
    return Load.window(
        Operation.VIDEO_ANALYTICS,
        window,
        List.of(DemoRoutes.VIDEO_EVENTS),
        new Key().add("video_id", videoId),
        Sql.of("video_id = ").param(videoId),
        Sql.of("SELECT 1 FROM " + VIDEOS.table() + " WHERE id = ").param(videoId),
        VIDEOS.table(),
        "No video " + videoId);
  }
}
