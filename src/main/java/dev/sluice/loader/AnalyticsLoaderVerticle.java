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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Analytics: platform metrics over a window, error logs by cursor, usage reports over a window. */
public class AnalyticsLoaderVerticle extends LoaderVerticle {

  static final String ERROR_COLUMNS = "e.id, e.severity, e.component, e.message, e.occurred_at";
  static final SortKey LATEST_ERROR = new SortKey("-occurred_at", "e.occurred_at", "timestamptz", "e.id", "uuid");

  /** The platform metrics a client may ask for, each one series over one table. */
  static final Map<String, Series> METRICS = Map.of(
    "users", new Series("users", "created_at", null, List.of(new Measure("users", "count(*)"))),
    "videos", new Series("videos", "created_at", null, List.of(new Measure("videos", "count(*)"))),
    "views", new Series("video_events", "occurred_at", "event_type = 'view'", List.of(new Measure("views", "count(*)"))),
    "sessions", new Series("user_sessions", "started_at", null, List.of(new Measure("sessions", "count(*)"))),
    "errors", new Series("error_logs", "occurred_at", "severity IN ('error', 'critical')",
      List.of(new Measure("errors", "count(*)"))));
  static final List<String> METRIC_NAMES = List.of("users", "videos", "views", "sessions", "errors");

  static final Map<String, Series> REPORTS = Map.of(
    "daily_active_users", new Series("user_sessions", "started_at", null,
      List.of(new Measure("active_users", "count(DISTINCT user_id)"))),
    "videos_created", new Series("videos", "created_at", null, List.of(new Measure("videos_created", "count(*)"))),
    "watch_time", new Series("video_events", "occurred_at", "event_type = 'watch'",
      List.of(new Measure("watch_seconds", "sum(watch_seconds)"), new Measure("watch_events", "count(*)"))),
    "error_rate", new Series("error_logs", "occurred_at", null, List.of(
      new Measure("errors", "count(*) FILTER (WHERE severity IN ('error', 'critical'))"),
      new Measure("log_lines", "count(*)"),
      new Measure("error_rate",
        "round(count(*) FILTER (WHERE severity IN ('error', 'critical'))::numeric / nullif(count(*), 0), 4)"))));
  static final List<String> REPORT_NAMES = List.of("daily_active_users", "videos_created", "watch_time",
    "error_rate");

  static final String METRIC_COLUMNS = "m.id, m.component, m.metric, m.value, m.recorded_at";
  static final SortKey OLDEST_METRIC = new SortKey("recorded_at", "m.recorded_at", "timestamptz", "m.id", "bigint");
  static final Map<String, String> TIME_RANGES = Map.of("1h", "1 hour", "24h", "24 hours", "7d", "7 days");
  static final List<String> TIME_RANGE_NAMES = List.of("1h", "24h", "7d");

  @Override
  protected String address() {
    return Addresses.ANALYTICS;
  }

  @Override
  protected String family() {
    return "analytics";
  }

  @Override
  protected Future<Void> operations() {
    serve(Operation.PLATFORM_ANALYTICS, this::platform);
    serve(Operation.ERROR_LOGS, this::errors);
    serve(Operation.REPORT, this::report);
    return serveFollowableStream(Operation.PERFORMANCE_STREAM, this::performance, "sluice_performance_metrics");
  }

  /** Performance metrics of the last {@code time_range}, oldest first, so that new ones follow on. */
  private ListQuery performance(Params params) {
    String component = params.oneOf("component", Catalog.COMPONENTS, null);
    String range = params.oneOf("time_range", TIME_RANGE_NAMES, "24h");
    return ListQuery.from("performance_metrics m", METRIC_COLUMNS)
      .equal("component", "m.component", component)
      .where("time_range=" + range,
        Sql.of("m.recorded_at >= now() - ").textParam(TIME_RANGES.get(range), "interval"))
      .sort(OLDEST_METRIC)
      .build();
  }

  private Future<LoaderReply> platform(Params params) {
    TimeWindow window = TimeWindow.read(params, "start_date", "end_date", Bucket.DAY, settings.limits());
    List<String> metrics = params.listOf("metrics", METRIC_NAMES, List.of("users", "videos", "views"));
    params.validate();
    List<Series> series = new ArrayList<>();
    for (String metric : metrics) {
      series.add(METRICS.get(metric));
    }
    return pages.window(Operation.PLATFORM_ANALYTICS, WindowQuery.sql(window, series, null), window, null);
  }

  private Future<LoaderReply> errors(Params params) {
    String severity = params.oneOf("severity", Catalog.SEVERITIES, "error");
    String component = params.oneOf("component", Catalog.COMPONENTS, null);
    String cursor = cursor(params);
    int limit = limit(params);
    CountMode count = CountMode.read(params, CountMode.NONE);
    params.validate();
    ListQuery query = ListQuery.from("error_logs e", ERROR_COLUMNS)
      .equal("severity", "e.severity", severity)
      .equal("component", "e.component", component)
      .sort(LATEST_ERROR)
      .build();
    return pages.keyset(Operation.ERROR_LOGS, query, cursor, limit, count);
  }

  private Future<LoaderReply> report(Params params) {
    String type = params.oneOf("reportType", REPORT_NAMES, null);
    if (!params.has("reportType")) {
      params.fail("reportType", "is required");
    }
    TimeWindow window = TimeWindow.read(params, "start_date", "end_date", Bucket.DAY, settings.limits());
    params.validate();
    return pages.window(Operation.REPORT, WindowQuery.sql(window, List.of(REPORTS.get(type)), null), window, null);
  }
}
