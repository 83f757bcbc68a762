package dev.sluice.dataset;

import static dev.sluice.dataset.Column.Kind.BIGINT;
import static dev.sluice.dataset.Column.Kind.BOOLEAN;
import static dev.sluice.dataset.Column.Kind.FLOAT;
import static dev.sluice.dataset.Column.Kind.INTEGER;
import static dev.sluice.dataset.Column.Kind.TEXT;
import static dev.sluice.dataset.Column.Kind.TIMESTAMP;
import static dev.sluice.dataset.Column.Kind.UUID;

import java.util.ArrayList;
import java.util.List;

/**
 * The dataset descriptions of every data family: what each listing, window and search reads. The
 * loaders plan from these; the vocabularies come from {@link Catalog}, which the demo data uses
 * too.
 */
public final class Datasets {

  public static final Dataset VIDEOS =
      new Dataset(
          "videos",
          "v",
          List.of(
              col("v.id", UUID),
              col("v.user_id", UUID),
              col("v.title", TEXT),
              col("v.description", TEXT),
              col("v.category", TEXT),
              col("v.status", TEXT),
              col("v.duration_seconds", INTEGER),
              col("v.view_count", BIGINT),
              col("v.like_count", BIGINT),
              col("v.created_at", TIMESTAMP)),
          List.of(
              new SortKey("-created_at", "v.created_at", "timestamptz", "v.id", "uuid"),
              new SortKey("created_at", "v.created_at", "timestamptz", "v.id", "uuid"),
              new SortKey("-view_count", "v.view_count", "bigint", "v.id", "uuid"),
              new SortKey("title", "v.title", "text", "v.id", "uuid")),
          List.of(
              Filter.oneOf("status", "v.status", Catalog.VIDEO_STATUSES),
              Filter.oneOf("category", "v.category", Catalog.VIDEO_CATEGORIES),
              Filter.uuid("user_id", "v.user_id")));

  public static final Dataset USERS =
      new Dataset(
          "users",
          "u",
          List.of(
              col("u.id", UUID),
              col("u.username", TEXT),
              col("u.email", TEXT),
              col("u.display_name", TEXT),
              col("u.role", TEXT),
              col("u.is_active", BOOLEAN),
              col("u.created_at", TIMESTAMP),
              col("u.last_login_at", TIMESTAMP)),
          List.of(new SortKey("-created_at", "u.created_at", "timestamptz", "u.id", "uuid")),
          List.of(
              Filter.oneOf("role", "u.role", Catalog.ROLES),
              Filter.bool("is_active", "u.is_active", true)));

  public static final Dataset SESSIONS =
      new Dataset(
          "user_sessions",
          "s",
          List.of(
              col("s.id", UUID),
              col("s.user_id", UUID),
              col("s.started_at", TIMESTAMP),
              col("s.ended_at", TIMESTAMP),
              col("s.device", TEXT),
              col("s.country", TEXT)),
          List.of(new SortKey("-started_at", "s.started_at", "timestamptz", "s.id", "uuid")),
          List.of(Filter.uuid("user_id", "s.user_id")));

  public static final Dataset TEMPLATES =
      new Dataset(
          "templates",
          "t",
          List.of(
              col("t.id", UUID),
              col("t.user_id", UUID),
              col("t.name", TEXT),
              col("t.description", TEXT),
              col("t.category", TEXT),
              col("t.is_public", BOOLEAN),
              col("t.usage_count", BIGINT),
              col("t.created_at", TIMESTAMP)),
          List.of(new SortKey("-usage_count", "t.usage_count", "bigint", "t.id", "uuid")),
          List.of(
              Filter.oneOf("category", "t.category", Catalog.TEMPLATE_CATEGORIES),
              Filter.bool("is_public", "t.is_public", true)));

  public static final Dataset TEMPLATE_ASSETS =
      new Dataset(
          "template_assets",
          "a",
          List.of(
              col("a.id", UUID),
              col("a.template_id", UUID),
              col("a.name", TEXT),
              col("a.asset_type", TEXT),
              col("a.url", TEXT),
              col("a.size_bytes", BIGINT),
              col("a.position", INTEGER),
              col("a.created_at", TIMESTAMP)),
          List.of(new SortKey("position", "a.position", "integer", "a.id", "uuid")),
          List.of(Filter.uuid("template_id", "a.template_id")));

  public static final Dataset ERROR_LOGS =
      new Dataset(
          "error_logs",
          "e",
          List.of(
              col("e.id", UUID),
              col("e.severity", TEXT),
              col("e.component", TEXT),
              col("e.message", TEXT),
              col("e.occurred_at", TIMESTAMP)),
          List.of(new SortKey("-occurred_at", "e.occurred_at", "timestamptz", "e.id", "uuid")),
          List.of(
              Filter.oneOf("severity", "e.severity", Catalog.SEVERITIES, "error"),
              Filter.oneOf("component", "e.component", Catalog.COMPONENTS)));

  /** Oldest first, so that the metrics a following stream sends come after the ones it listed. */
  public static final Dataset PERFORMANCE_METRICS =
      new Dataset(
          "performance_metrics",
          "m",
          List.of(
              col("m.id", BIGINT),
              col("m.component", TEXT),
              col("m.metric", TEXT),
              col("m.value", FLOAT),
              col("m.recorded_at", TIMESTAMP)),
          List.of(new SortKey("recorded_at", "m.recorded_at", "timestamptz", "m.id", "bigint")),
          List.of(Filter.oneOf("component", "m.component", Catalog.COMPONENTS)));

  /**
   * How far back the performance stream reaches: a {@code time_range} name and its PostgreSQL
   * interval.
   */
  public record Span(String name, String interval) {}

  public static final List<Span> METRIC_SPANS =
      List.of(new Span("1h", "1 hour"), new Span("24h", "24 hours"), new Span("7d", "7 days"));

  /** A video's analytics: one series over its events. */
  public static final Series VIDEO_EVENTS =
      new Series(
          "video_events",
          "video_events",
          "occurred_at",
          null,
          List.of(
              new Measure("views", "count(*) FILTER (WHERE event_type = 'view')"),
              new Measure("likes", "count(*) FILTER (WHERE event_type = 'like')"),
              new Measure("shares", "count(*) FILTER (WHERE event_type = 'share')"),
              new Measure(
                  "watch_seconds", "sum(watch_seconds) FILTER (WHERE event_type = 'watch')")));

  /**
   * Users' activity: sign-ups from the users table, sessions and active users from their sessions.
   */
  public static final List<Series> USER_ACTIVITY =
      List.of(
          new Series(
              "sign_ups",
              "users",
              "created_at",
              null,
              List.of(new Measure("sign_ups", "count(*)"))),
          new Series(
              "sessions",
              "user_sessions",
              "started_at",
              null,
              List.of(
                  new Measure("active_users", "count(DISTINCT user_id)"),
                  new Measure("sessions", "count(*)"))));

  /** The platform metrics a client may ask for, in the order they appear in a reply. */
  public static final List<Series> PLATFORM_METRICS =
      List.of(
          new Series(
              "users", "users", "created_at", null, List.of(new Measure("users", "count(*)"))),
          new Series(
              "videos", "videos", "created_at", null, List.of(new Measure("videos", "count(*)"))),
          new Series(
              "views",
              "video_events",
              "occurred_at",
              "event_type = 'view'",
              List.of(new Measure("views", "count(*)"))),
          new Series(
              "sessions",
              "user_sessions",
              "started_at",
              null,
              List.of(new Measure("sessions", "count(*)"))),
          new Series(
              "errors",
              "error_logs",
              "occurred_at",
              "severity IN ('error', 'critical')",
              List.of(new Measure("errors", "count(*)"))));

  public static final List<String> DEFAULT_PLATFORM_METRICS = List.of("users", "videos", "views");

  public static final List<Series> REPORTS =
      List.of(
          new Series(
              "daily_active_users",
              "user_sessions",
              "started_at",
              null,
              List.of(new Measure("active_users", "count(DISTINCT user_id)"))),
          new Series(
              "videos_created",
              "videos",
              "created_at",
              null,
              List.of(new Measure("videos_created", "count(*)"))),
          new Series(
              "watch_time",
              "video_events",
              "occurred_at",
              "event_type = 'watch'",
              List.of(
                  new Measure("watch_seconds", "sum(watch_seconds)"),
                  new Measure("watch_events", "count(*)"))),
          new Series(
              "error_rate",
              "error_logs",
              "occurred_at",
              null,
              List.of(
                  new Measure(
                      "errors", "count(*) FILTER (WHERE severity IN ('error', 'critical'))"),
                  new Measure("log_lines", "count(*)"),
                  new Measure(
                      "error_rate",
                      "round(count(*) FILTER (WHERE severity IN ('error', 'critical'))::numeric / nullif(count(*), 0), 4)",
                      Column.Kind.NUMERIC))));

  /** What search finds: ready videos and public templates. */
  public static final List<SearchSource> SEARCH_SOURCES =
      List.of(
          new SearchSource("video", "videos", "title", "view_count", "status = 'ready'"),
          new SearchSource("template", "templates", "name", "usage_count", "is_public"));

  /**
   * A search hit's fields, over the union of the sources as {@code s}; {@code popularity} is views
   * or uses.
   */
  public static final Dataset SEARCH_HITS =
      new Dataset(
          "search_hits",
          "s",
          List.of(
              col("s.type", TEXT),
              col("s.id", UUID),
              col("s.title", TEXT),
              col("s.description", TEXT),
              col("s.category", TEXT),
              col("s.popularity", BIGINT),
              col("s.created_at", TIMESTAMP),
              col("s.rank", FLOAT)),
          List.of(new SortKey("-rank", "s.rank", "real", "s.id", "uuid")),
          List.of(
              Filter.oneOf(
                  "type", "s.type", SEARCH_SOURCES.stream().map(SearchSource::type).toList()),
              Filter.oneOf("category", "s.category", allCategories())));

  /** The words of titles and names with their frequency, for suggestions. */
  public static final String SEARCH_TERMS = "search_terms";

  /**
   * A suggestion's fields: a word of {@link #SEARCH_TERMS} and its frequency, over its rows as
   * {@code t}.
   */
  public static final List<Column> SUGGESTION =
      List.of(col("t.term", TEXT), col("t.frequency", BIGINT));

  /**
   * The words of {@link #SEARCH_TERMS} near a typed text by trigram similarity, a function of it
   * (migration V5).
   */
  public static final String SEARCH_NEAR_TERMS = "search_terms_near";

  private Datasets() {}

  private static Column col(String expression, Column.Kind kind) {
    return Column.of(expression, kind);
  }

  private static List<String> allCategories() {
    List<String> all = new ArrayList<>(Catalog.VIDEO_CATEGORIES);
    Catalog.TEMPLATE_CATEGORIES.stream().filter(c -> !all.contains(c)).forEach(all::add);
    return List.copyOf(all);
  }
}
