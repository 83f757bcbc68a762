package dev.sluice.plan;

import dev.sluice.dataset.Catalog;
import dev.sluice.dataset.Column;
import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.DeclaredDataset;
import dev.sluice.dataset.DemoDatasets;
import dev.sluice.dataset.Filter;
import dev.sluice.dataset.Measure;
import dev.sluice.dataset.SearchSource;
import dev.sluice.dataset.Series;
import dev.sluice.dataset.SortKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Section 4's named routes over the demo's declared datasets ({@link DemoDatasets}, resolved from
 * {@code demo/datasets.json}): the tables, columns, types, orders and measures are the
 * declarations'; what is here is each route's own contract: the filters its parameters are (a
 * closed vocabulary, a fixed default such as {@code is_active} true), the series a window reports
 * (which declared measures, under which names, over which rows), and what search finds.
 */
public final class DemoRoutes {

  public static final Dataset VIDEOS =
      listing(
          "videos",
          oneOf("status", Catalog.VIDEO_STATUSES, null),
          oneOf("category", Catalog.VIDEO_CATEGORIES, null),
          uuid("user_id"));

  public static final Dataset USERS =
      listing("users", oneOf("role", Catalog.ROLES, null), bool("is_active", true));

  public static final Dataset SESSIONS = listing("user_sessions", uuid("user_id"));

  public static final Dataset TEMPLATES =
      listing(
          "templates",
          oneOf("category", Catalog.TEMPLATE_CATEGORIES, null),
          bool("is_public", true));

  public static final Dataset TEMPLATE_ASSETS = listing("template_assets", uuid("template_id"));

  public static final Dataset ERROR_LOGS =
      listing(
          "error_logs",
          oneOf("severity", Catalog.SEVERITIES, "error"),
          oneOf("component", Catalog.COMPONENTS, null));

  /** Oldest first, so that the metrics a following stream sends come after the ones it listed. */
  public static final Dataset PERFORMANCE_METRICS =
      listing("performance_metrics", oneOf("component", Catalog.COMPONENTS, null));

  /**
   * How far back the performance stream reaches: a {@code time_range} name and its PostgreSQL
   * interval.
   */
  public record Span(String name, String interval) {}

  public static final List<Span> METRIC_SPANS =
      List.of(new Span("1h", "1 hour"), new Span("24h", "24 hours"), new Span("7d", "7 days"));

  /** A video's analytics: one series over its events. */
  public static final Series VIDEO_EVENTS =
      series("video_events", "video_events", null, "views", "likes", "shares", "watch_seconds");

  /**
   * Users' activity: sign-ups from the users table, sessions and active users from their sessions.
   */
  public static final List<Series> USER_ACTIVITY =
      List.of(
          series("sign_ups", "users", null, "users AS sign_ups"),
          series("sessions", "user_sessions", null, "active_users", "sessions"));

  /** The platform metrics a client may ask for, in the order they appear in a reply. */
  public static final List<Series> PLATFORM_METRICS =
      List.of(
          series("users", "users", null, "users"),
          series("videos", "videos", null, "videos"),
          series("views", "video_events", "event_type = 'view'", "events AS views"),
          series("sessions", "user_sessions", null, "sessions"),
          series(
              "errors", "error_logs", "severity IN ('error', 'critical')", "log_lines AS errors"));

  public static final List<String> DEFAULT_PLATFORM_METRICS = List.of("users", "videos", "views");

  public static final List<Series> REPORTS =
      List.of(
          series("daily_active_users", "user_sessions", null, "active_users"),
          series("videos_created", "videos", null, "videos AS videos_created"),
          series(
              "watch_time",
              "video_events",
              "event_type = 'watch'",
              "seconds AS watch_seconds",
              "events AS watch_events"),
          series("error_rate", "error_logs", null, "errors", "log_lines", "error_rate"));

  /** What search finds: ready videos and public templates. */
  public static final List<SearchSource> SEARCH_SOURCES =
      List.of(
          new SearchSource(
              "video",
              DemoDatasets.get("videos").relation().qualified(),
              "title",
              "view_count",
              "status = 'ready'"),
          new SearchSource(
              "template",
              DemoDatasets.get("templates").relation().qualified(),
              "name",
              "usage_count",
              "is_public"));

  /**
   * A search hit's fields, over the union of the sources as {@code s}, typed as the videos' columns
   * they come from ({@code popularity} is views or uses); ranked best first.
   */
  public static final Dataset SEARCH_HITS = searchHits();

  /** The words of titles and names with their frequency, for suggestions. */
  public static final DeclaredDataset SEARCH_TERMS = DemoDatasets.get("search_terms");

  private DemoRoutes() {}

  /** The demo dataset {@code name} with the filters its routes take. */
  private static Dataset listing(String name, Filter... filters) {
    Dataset d = DemoDatasets.get(name).dataset();
    return new Dataset(d.table(), d.alias(), d.columns(), d.sorts(), Arrays.asList(filters));
  }

  private static Filter oneOf(String column, List<String> values, String defaultValue) {
    return defaultValue == null
        ? Filter.oneOf(column, DeclaredDataset.expression(column), values)
        : Filter.oneOf(column, DeclaredDataset.expression(column), values, defaultValue);
  }

  private static Filter bool(String column, Boolean defaultValue) {
    return Filter.bool(column, DeclaredDataset.expression(column), defaultValue);
  }

  private static Filter uuid(String column) {
    return Filter.uuid(column, DeclaredDataset.expression(column));
  }

  /**
   * The series {@code name} over dataset {@code dataset}'s rows that meet {@code condition}, of its
   * declared measures, each {@code measure} or {@code measure AS name}.
   */
  private static Series series(String name, String dataset, String condition, String... measures) {
    DeclaredDataset d = DemoDatasets.get(dataset);
    List<Measure> picked = new ArrayList<>();
    for (String measure : measures) {
      String[] as = measure.split(" AS ");
      picked.add(d.measure(as[0]).named(as[as.length - 1]));
    }
    return Series.over(name, d, condition, picked);
  }

  private static Dataset searchHits() {
    DeclaredDataset videos = DemoDatasets.get("videos");
    List<Column> columns = new ArrayList<>();
    columns.add(Column.of("s.type", Column.Kind.TEXT));
    for (String[] field :
        new String[][] {
          {"id", "id"},
          {"title", "title"},
          {"description", "description"},
          {"category", "category"},
          {"popularity", "view_count"},
          {"created_at", "created_at"}
        }) {
      Column.Kind kind =
          videos.dataset().columns().stream()
              .filter(c -> c.name().equals(field[1]))
              .findFirst()
              .orElseThrow()
              .kind();
      columns.add(Column.of("s." + field[0], kind));
    }
    columns.add(Column.of("s.rank", Column.Kind.FLOAT));
    List<String> categories = new ArrayList<>(Catalog.VIDEO_CATEGORIES);
    Catalog.TEMPLATE_CATEGORIES.stream()
        .filter(c -> !categories.contains(c))
        .forEach(categories::add);
    return new Dataset(
        "search_hits",
        "s",
        columns,
        List.of(new SortKey("-rank", "s.rank", "real", "s.id", "uuid")),
        List.of(
            Filter.oneOf(
                "type", "s.type", SEARCH_SOURCES.stream().map(SearchSource::type).toList()),
            Filter.oneOf("category", "s.category", List.copyOf(categories))));
  }
}
