package dev.sluice.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The dataset descriptions of every data family: what each listing, window and search reads. The loaders plan from
 * these; the vocabularies come from {@link Catalog}, which the demo data uses too.
 */
public final class Datasets {

  public static final Dataset VIDEOS = new Dataset("videos", "v",
    List.of("v.id", "v.user_id", "v.title", "v.description", "v.category", "v.status", "v.duration_seconds",
      "v.view_count", "v.like_count", "v.created_at"),
    List.of(
      new SortKey("-created_at", "v.created_at", "timestamptz", "v.id", "uuid"),
      new SortKey("created_at", "v.created_at", "timestamptz", "v.id", "uuid"),
      new SortKey("-view_count", "v.view_count", "bigint", "v.id", "uuid"),
      new SortKey("title", "v.title", "text", "v.id", "uuid")),
    List.of(
      Filter.oneOf("status", "v.status", Catalog.VIDEO_STATUSES),
      Filter.oneOf("category", "v.category", Catalog.VIDEO_CATEGORIES),
      Filter.uuid("user_id", "v.user_id")));

  public static final Dataset USERS = new Dataset("users", "u",
    List.of("u.id", "u.username", "u.email", "u.display_name", "u.role", "u.is_active", "u.created_at",
      "u.last_login_at"),
    List.of(new SortKey("-created_at", "u.created_at", "timestamptz", "u.id", "uuid")),
    List.of(
      Filter.oneOf("role", "u.role", Catalog.ROLES),
      Filter.bool("is_active", "u.is_active", true)));

  public static final Dataset SESSIONS = new Dataset("user_sessions", "s",
    List.of("s.id", "s.user_id", "s.started_at", "s.ended_at", "s.device", "s.country"),
    List.of(new SortKey("-started_at", "s.started_at", "timestamptz", "s.id", "uuid")),
    List.of(Filter.uuid("user_id", "s.user_id")));

  public static final Dataset TEMPLATES = new Dataset("templates", "t",
    List.of("t.id", "t.user_id", "t.name", "t.description", "t.category", "t.is_public", "t.usage_count",
      "t.created_at"),
    List.of(new SortKey("-usage_count", "t.usage_count", "bigint", "t.id", "uuid")),
    List.of(
      Filter.oneOf("category", "t.category", Catalog.TEMPLATE_CATEGORIES),
      Filter.bool("is_public", "t.is_public", true)));

  public static final Dataset TEMPLATE_ASSETS = new Dataset("template_assets", "a",
    List.of("a.id", "a.template_id", "a.name", "a.asset_type", "a.url", "a.size_bytes", "a.position",
      "a.created_at"),
    List.of(new SortKey("position", "a.position", "integer", "a.id", "uuid")),
    List.of(Filter.uuid("template_id", "a.template_id")));

  public static final Dataset ERROR_LOGS = new Dataset("error_logs", "e",
    List.of("e.id", "e.severity", "e.component", "e.message", "e.occurred_at"),
    List.of(new SortKey("-occurred_at", "e.occurred_at", "timestamptz", "e.id", "uuid")),
    List.of(
      Filter.oneOf("severity", "e.severity", Catalog.SEVERITIES, "error"),
      Filter.oneOf("component", "e.component", Catalog.COMPONENTS)));

  /** Oldest first, so that the metrics a following stream sends come after the ones it listed. */
  public static final Dataset PERFORMANCE_METRICS = new Dataset("performance_metrics", "m",
    List.of("m.id", "m.component", "m.metric", "m.value", "m.recorded_at"),
    List.of(new SortKey("recorded_at", "m.recorded_at", "timestamptz", "m.id", "bigint")),
    List.of(Filter.oneOf("component", "m.component", Catalog.COMPONENTS)));

  /** How far back the performance stream reaches: a {@code time_range} name and its PostgreSQL interval. */
  public record Span(String name, String interval) {
  }

  public static final List<Span> METRIC_SPANS = List.of(new Span("1h", "1 hour"), new Span("24h", "24 hours"),
    new Span("7d", "7 days"));

  /** A video's analytics: one series over its events. */
  public static final Series VIDEO_EVENTS = new Series("video_events", "video_events", "occurred_at", null, List.of(
    new Measure("views", "count(*) FILTER (WHERE event_type = 'view')"),
    new Measure("likes", "count(*) FILTER (WHERE event_type = 'like')"),
    new Measure("shares", "count(*) FILTER (WHERE event_type = 'share')"),
    new Measure("watch_seconds", "sum(watch_seconds) FILTER (WHERE event_type = 'watch')")));

  /** Users' activity: sign-ups from the users table, sessions and active users from their sessions. */
  public static final List<Series> USER_ACTIVITY = List.of(
    new Series("sign_ups", "users", "created_at", null, List.of(new Measure("sign_ups", "count(*)"))),
    new Series("sessions", "user_sessions", "started_at", null, List.of(
      new Measure("active_users", "count(DISTINCT user_id)"),
      new Measure("sessions", "count(*)"))));

  /** The platform metrics a client may ask for, in the order they appear in a reply. */
  public static final List<Series> PLATFORM_METRICS = List.of(
    new Series("users", "users", "created_at", null, List.of(new Measure("users", "count(*)"))),
    new Series("videos", "videos", "created_at", null, List.of(new Measure("videos", "count(*)"))),
    new Series("views", "video_events", "occurred_at", "event_type = 'view'", List.of(new Measure("views", "count(*)"))),
    new Series("sessions", "user_sessions", "started_at", null, List.of(new Measure("sessions", "count(*)"))),
    new Series("errors", "error_logs", "occurred_at", "severity IN ('error', 'critical')",
      List.of(new Measure("errors", "count(*)"))));

  public static final List<String> DEFAULT_PLATFORM_METRICS = List.of("users", "videos", "views");

  public static final List<Series> REPORTS = List.of(
    new Series("daily_active_users", "user_sessions", "started_at", null,
      List.of(new Measure("active_users", "count(DISTINCT user_id)"))),
    new Series("videos_created", "videos", "created_at", null, List.of(new Measure("videos_created", "count(*)"))),
    new Series("watch_time", "video_events", "occurred_at", "event_type = 'watch'",
      List.of(new Measure("watch_seconds", "sum(watch_seconds)"), new Measure("watch_events", "count(*)"))),
    new Series("error_rate", "error_logs", "occurred_at", null, List.of(
      new Measure("errors", "count(*) FILTER (WHERE severity IN ('error', 'critical'))"),
      new Measure("log_lines", "count(*)"),
      new Measure("error_rate",
        "round(count(*) FILTER (WHERE severity IN ('error', 'critical'))::numeric / nullif(count(*), 0), 4)"))));

  /** What search finds: ready videos and public templates. */
  public static final List<SearchSource> SEARCH_SOURCES = List.of(
    new SearchSource("video", "videos", "title", "view_count", "status = 'ready'"),
    new SearchSource("template", "templates", "name", "usage_count", "is_public"));

  /** A search hit's fields, over the union of the sources as {@code s}; {@code popularity} is views or uses. */
  public static final Dataset SEARCH_HITS = new Dataset("search_hits", "s",
    List.of("s.type", "s.id", "s.title", "s.description", "s.category", "s.popularity", "s.created_at", "s.rank"),
    List.of(new SortKey("-rank", "s.rank", "real", "s.id", "uuid")),
    List.of(
      Filter.oneOf("type", "s.type", SEARCH_SOURCES.stream().map(SearchSource::type).toList()),
      Filter.oneOf("category", "s.category", allCategories())));

  /** The words of titles and names with their frequency, for suggestions. */
  public static final String SEARCH_TERMS = "search_terms";

  /** The words of {@link #SEARCH_TERMS} near a typed text by trigram similarity, a function of it (migration V5). */
  public static final String SEARCH_NEAR_TERMS = "search_terms_near";

  private Datasets() {
  }

  private static List<String> allCategories() {
    List<String> all = new ArrayList<>(Catalog.VIDEO_CATEGORIES);
    Catalog.TEMPLATE_CATEGORIES.stream().filter(c -> !all.contains(c)).forEach(all::add);
    return List.copyOf(all);
  }
}
