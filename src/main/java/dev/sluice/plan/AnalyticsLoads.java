package dev.sluice.plan;

import dev.sluice.api.Operation;
import dev.sluice.api.Params;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.Series;
import dev.sluice.db.Sql;
import java.util.ArrayList;
import java.util.List;

/**
 * Analytics: platform metrics over a window, error logs by cursor, usage reports, the performance
 * metrics stream.
 */
final class AnalyticsLoads extends FamilyPlanner {

  private static final Dataset ERRORS = DemoRoutes.ERROR_LOGS;
  private static final Dataset METRICS = DemoRoutes.PERFORMANCE_METRICS;

  AnalyticsLoads(SluiceConfig settings) {
    super(settings);
  }

  @Override
  String family() {
    return "analytics";
  }

  @Override
  void register(Planners.Registry registry) {
    registry.page(Operation.PLATFORM_ANALYTICS, this::platform);
    registry.page(Operation.ERROR_LOGS, this::errors);
    registry.page(Operation.REPORT, this::report);
    registry.followableStream(Operation.PERFORMANCE_STREAM, this::performance, METRICS.table());
  }

  /**
   * Performance metrics of the last {@code time_range}, oldest first, so that new ones follow on.
   */
  private ListQuery performance(Params params) {
    String range = params.get("time_range");
    String interval =
        DemoRoutes.METRIC_SPANS.stream()
            .filter(s -> s.name().equals(range))
            .findFirst()
            .map(DemoRoutes.Span::interval)
            .orElseThrow();
    return ListQuery.over(METRICS)
        .filters(params, METRICS, "component")
        .where(
            "time_range",
            range,
            Sql.of("d.recorded_at >= now() - ").textParam(interval, "interval"))
        .build();
  }

  private Load platform(Params params) {
    TimeWindow window = TimeWindow.read(params, "start_date", "end_date", settings.limits());
    List<String> asked = params.get("metrics");
    // in the catalog's order, whatever order they were asked in: one answer, one cache entry
    List<Series> series = new ArrayList<>();
    for (Series metric : DemoRoutes.PLATFORM_METRICS) {
      if (asked.contains(metric.name())) {
        series.add(metric);
      }
    }
    return Load.window(
        Operation.PLATFORM_ANALYTICS, window, series, new Key(), null, null, null, null);
  }

  private Load errors(Params params) {
    ListQuery query =
        ListQuery.over(ERRORS).filters(params, ERRORS, "severity", "component").build();
    return Load.keyset(Operation.ERROR_LOGS, query, cursor(params), limit(params), count(params));
  }

  private Load report(Params params) {
    String type = params.get("reportType");
    TimeWindow window = TimeWindow.read(params, "start_date", "end_date", settings.limits());
    return Load.window(
        Operation.REPORT,
        window,
        List.of(Series.named(DemoRoutes.REPORTS, type)),
        new Key(),
        null,
        null,
        null,
        null);
  }
}
