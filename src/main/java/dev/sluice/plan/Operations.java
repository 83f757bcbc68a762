package dev.sluice.plan;

import static dev.sluice.api.Parameter.BATCH;
import static dev.sluice.api.Parameter.COUNT;
import static dev.sluice.api.Parameter.CURSOR;
import static dev.sluice.api.Parameter.FILTER;
import static dev.sluice.api.Parameter.PAGINATION;
import static dev.sluice.api.Parameter.QUERY;
import static dev.sluice.api.Parameter.SCROLL;
import static dev.sluice.api.Parameter.STREAM;
import static dev.sluice.api.Parameter.WINDOW;

import dev.sluice.api.CountMode;
import dev.sluice.api.Operation;
import dev.sluice.api.Parameter;
import dev.sluice.config.SluiceConfig;
import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.DeclaredDataset;
import dev.sluice.dataset.Filter;
import dev.sluice.dataset.Series;
import dev.sluice.stream.StreamProtocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Every operation, declared once for one configuration: its route (a path template under {@link
 * #API}) and its parameters ({@link Parameter}: kind, bounds, default, values, strategy, meaning).
 * The planners read requests with these declarations (and reject what they do not allow before
 * planning), the gateway registers its routes from them, the OpenAPI document describes them, the
 * fuzz tests send them values and the console takes its filter options from the document. A new
 * parameter is one line here.
 */
public final class Operations {

  /** Where the API's routes start. */
  public static final String API = "/api/v1";

  /**
   * One operation's declaration.
   *
   * @param path the route's template under the server's root ({@code /api/v1/videos/{videoId}})
   * @param parameters the parameters, path ones first, in the order the document lists them
   */
  public record Spec(Operation operation, String path, List<Parameter> parameters) {

    public Spec {
      parameters = List.copyOf(parameters);
    }

    /** The declared parameter named {@code name}, or null. */
    public Parameter parameter(String name) {
      return parameters.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** The names of its query parameters, in order. */
    public List<String> queryParameters() {
      return parameters.stream()
          .filter(p -> p.in() == Parameter.In.QUERY)
          .map(Parameter::name)
          .toList();
    }
  }

  private final SluiceConfig settings;
  private final List<DeclaredDataset> datasets;
  private final Map<Operation, Spec> specs = new java.util.LinkedHashMap<>();

  private Operations(SluiceConfig settings, List<DeclaredDataset> datasets) {
    this.settings = settings;
    this.datasets = List.copyOf(datasets);
    if (settings.demo()) {
      videos();
      users();
      analytics();
      templates();
      search();
    }
    datasets.forEach(this::declared);
  }

  /** Every operation's declaration, with the bounds {@code settings} set. */
  public static Operations create(SluiceConfig settings) {
    return new Operations(settings, List.of());
  }

  /**
   * Every operation's declaration, with the bounds {@code settings} set, and those of every
   * declared dataset (checked against the catalog: {@code dataset.Declarations}).
   */
  public static Operations create(SluiceConfig settings, List<DeclaredDataset> datasets) {
    return new Operations(settings, datasets);
  }

  /** The declared datasets, in declaration order. */
  public List<DeclaredDataset> datasets() {
    return datasets;
  }

  /** The declared dataset called {@code name}, or null. */
  public DeclaredDataset dataset(String name) {
    return datasets.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * Every data family a loader serves: the demo's, then each declared dataset's, in declaration
   * order.
   */
  public List<String> families() {
    List<String> all = new ArrayList<>(settings.demo() ? Operation.families() : List.of());
    datasets.forEach(d -> all.add(d.name()));
    return List.copyOf(all);
  }

  /** The operation of a loader's address and action, or null. */
  public Operation find(String address, String action) {
    for (Operation op : specs.keySet()) {
      if (op.address().equals(address) && op.action().equals(action)) {
        return op;
      }
    }
    return null;
  }

  /** The operations of a declared dataset, by what they do. */
  public record DatasetOperations(
      Operation list, Operation range, Operation stream, Operation window, Operation item) {

    public static DatasetOperations of(String dataset) {
      return new DatasetOperations(
          Operation.declared(dataset, "list", "Rows retrieved successfully", false),
          Operation.declared(dataset, "range", "Row range retrieved successfully", false),
          Operation.declared(dataset, "stream", "Rows streamed", true),
          Operation.declared(dataset, "window", "Window retrieved successfully", false),
          Operation.declared(dataset, "item", "Row retrieved successfully", false));
    }
  }

  /**
   * These declarations with {@code change} applied to {@code operation}'s parameters: how a test
   * adds a parameter to an operation (and sees it validated, documented and fuzzed with nothing
   * else written).
   */
  public Operations with(Operation operation, UnaryOperator<List<Parameter>> change) {
    Operations changed = new Operations(settings, datasets);
    changed.specs.putAll(specs);
    Spec spec = specs.get(operation);
    changed.specs.put(
        operation,
        new Spec(operation, spec.path(), change.apply(new ArrayList<>(spec.parameters()))));
    return changed;
  }

  public SluiceConfig settings() {
    return settings;
  }

  public Spec spec(Operation operation) {
    return specs.get(operation);
  }

  /** Every declaration, pages first then streams, in the order of {@link Operation}. */
  public List<Spec> all() {
    List<Spec> ordered = new ArrayList<>(specs.values());
    // the demo's routes in the order of Operation's constants, then declared datasets' as declared
    ordered.sort(
        java.util.Comparator.comparingInt(
            s -> {
              int at = Operation.values().indexOf(s.operation());
              return at < 0 ? Integer.MAX_VALUE : at;
            }));
    List<Spec> all = new ArrayList<>();
    ordered.stream().filter(s -> !s.operation().streaming()).forEach(all::add);
    ordered.stream().filter(s -> s.operation().streaming()).forEach(all::add);
    return Collections.unmodifiableList(all);
  }

  // ---- the families

  private void videos() {
    Dataset videos = DemoRoutes.VIDEOS;
    declare(
        Operation.USER_VIDEOS,
        "/users/{userId}/videos",
        Parameter.uuidPath("userId", "user"),
        filters(videos, "status"),
        page(),
        perPage("videos"),
        count(CountMode.NONE));
    declare(
        Operation.VIDEOS,
        "/videos",
        filters(videos, "status", "category", "user_id"),
        Parameter.oneOf(
            "sort",
            videos.sortNames(),
            videos.defaultSort().name(),
            CURSOR,
            "The order; every order " + "ends with the id"),
        cursor(),
        limit(),
        count(CountMode.NONE),
        ids());
    declare(Operation.VIDEO, "/videos/{videoId}", Parameter.uuidPath("videoId", "video"));
    declare(
        Operation.POPULAR_VIDEOS,
        "/videos/popular",
        filters(videos, "category"),
        days(),
        page(),
        perPage("videos"),
        count(CountMode.NONE));
    declare(
        Operation.VIDEO_ANALYTICS,
        "/videos/{videoId}/analytics",
        Parameter.uuidPath("videoId", "video"),
        window("start", "end"));
    stream(
        Operation.VIDEO_STREAM, "/videos/stream", filters(videos, "status", "category", "user_id"));
  }

  private void users() {
    Dataset users = DemoRoutes.USERS;
    declare(
        Operation.USERS,
        "/users",
        filters(users, "role", "is_active"),
        cursor(),
        limit(),
        count(CountMode.NONE),
        ids());
    declare(Operation.USER, "/users/{userId}", Parameter.uuidPath("userId", "user"));
    declare(
        Operation.USER_RANGE,
        "/users/range",
        filters(users, "role", "is_active"),
        scroll(settings.limits().maxLimit() + " more (`limits.max_limit`)"),
        count(CountMode.ESTIMATED));
    declare(Operation.USER_ANALYTICS, "/users/analytics", window("start", "end"));
    declare(
        Operation.USER_SESSIONS,
        "/users/{userId}/sessions",
        Parameter.uuidPath("userId", "user"),
        days(),
        cursor(),
        limit(),
        count(CountMode.NONE));
    stream(Operation.USER_STREAM, "/users/stream", filters(users, "role", "is_active"));
  }

  private void analytics() {
    declare(
        Operation.PLATFORM_ANALYTICS,
        "/analytics/platform",
        window("start_date", "end_date"),
        Parameter.someOf(
            "metrics",
            Series.names(DemoRoutes.PLATFORM_METRICS),
            DemoRoutes.DEFAULT_PLATFORM_METRICS,
            WINDOW,
            "The metrics, comma separated; a row holds those asked"));
    declare(
        Operation.ERROR_LOGS,
        "/analytics/errors",
        filters(DemoRoutes.ERROR_LOGS, "severity", "component"),
        cursor(),
        limit(),
        count(CountMode.NONE));
    declare(
        Operation.REPORT,
        "/analytics/reports/{reportType}",
        Parameter.oneOf(
                "reportType", Series.names(DemoRoutes.REPORTS), null, Parameter.PATH, "The report")
            .in(Parameter.In.PATH)
            .asRequired(),
        window("start_date", "end_date"));
    stream(
        Operation.PERFORMANCE_STREAM,
        "/analytics/performance/stream",
        filters(DemoRoutes.PERFORMANCE_METRICS, "component"),
        Parameter.oneOf(
            "time_range",
            DemoRoutes.METRIC_SPANS.stream().map(DemoRoutes.Span::name).toList(),
            "24h",
            FILTER,
            "How far back"),
        Parameter.bool(
            "follow",
            false,
            STREAM,
            "Keep the stream open and send metrics as they are written (not "
                + "with `until` or `snapshot`)"));
  }

  private void templates() {
    Dataset templates = DemoRoutes.TEMPLATES;
    declare(
        Operation.TEMPLATES,
        "/templates",
        filters(templates, "category", "is_public"),
        page(),
        perPage("templates"),
        count(CountMode.NONE),
        ids());
    declare(
        Operation.TEMPLATE,
        "/templates/{templateId}",
        Parameter.uuidPath("templateId", "template"));
    declare(
        Operation.TEMPLATE_ASSETS,
        "/templates/{templateId}/assets",
        Parameter.uuidPath("templateId", "template"),
        page(),
        perPage("templates"),
        count(CountMode.NONE));
    stream(
        Operation.TEMPLATE_STREAM,
        "/templates/stream",
        filters(templates, "category", "is_public"));
  }

  private void search() {
    Parameter query =
        Parameter.words(
                "query",
                Bounds.MAX_QUERY,
                QUERY,
                "The words to find "
                    + "(`websearch_to_tsquery('english', …)`), trimmed; not only white space")
            .asRequired();
    declare(
        Operation.SEARCH,
        "/search",
        query,
        filters(DemoRoutes.SEARCH_HITS, "type", "category"),
        cursor(),
        limit(),
        count(CountMode.NONE));
    declare(
        Operation.SUGGESTIONS,
        "/search/suggestions",
        Parameter.words("query", Bounds.MAX_PREFIX, QUERY, "The prefix, trimmed, in any case")
            .asRequired(),
        Parameter.integer(
            "limit",
            1,
            Bounds.MAX_SUGGESTIONS,
            (long) Bounds.DEFAULT_SUGGESTIONS,
            QUERY,
            "How many suggestions"));
    stream(
        Operation.SEARCH_STREAM,
        "/search/stream",
        query,
        filters(DemoRoutes.SEARCH_HITS, "type", "category"));
  }

  // ---- declaring

  /**
   * A request/reply operation at {@code path} (under {@link #API}); each of {@code parameters} a
   * Parameter or a list.
   */
  private void declare(Operation operation, String path, Object... parameters) {
    List<Parameter> all = new ArrayList<>();
    for (Object p : parameters) {
      if (p instanceof Parameter parameter) {
        all.add(parameter);
      } else {
        @SuppressWarnings("unchecked")
        List<Parameter> list = (List<Parameter>) p;
        all.addAll(list);
      }
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Parameter parameter : all) {
      if (!names.add(parameter.name())) {
        throw new IllegalStateException(
            operation + " declares the parameter " + parameter.name() + " twice");
      }
    }
    specs.put(operation, new Spec(operation, API + path, all));
  }

  /** A stream: every stream's placing parameters first, then its own. */
  private void stream(Operation operation, String path, Object... parameters) {
    List<Object> all = new ArrayList<>(streamPlacing());
    all.addAll(Arrays.asList(parameters));
    declare(operation, path, all.toArray());
  }

  // ---- declared datasets (docs/API.md 8.2)

  /** Where a declared dataset's routes start. */
  public static final String DATA = API + "/data";

  private void declared(DeclaredDataset dataset) {
    DatasetOperations ops = DatasetOperations.of(dataset.name());
    String path = "/data/" + dataset.name();
    int max = settings.maxLimit(dataset.name());
    int size = Math.min(settings.policy(dataset.name()).pageSize(), max);
    List<Parameter> filters = new ArrayList<>();
    dataset
        .operators()
        .forEach(
            (column, operators) ->
                filters.add(
                    Parameter.filter(
                        column,
                        List.copyOf(operators),
                        "A filter on "
                            + column
                            + " ("
                            + dataset.column(column).type()
                            + "): `op.value`, or `not.op.value`; "
                            + "may be given more than once")));
    // filters in the declaration's order of columns
    filters.sort(
        java.util.Comparator.comparingInt(
            p -> dataset.columns().stream().map(c -> c.name()).toList().indexOf(p.name())));
    List<String> columnNames = dataset.dataset().columns().stream().map(c -> c.name()).toList();
    Parameter select =
        Parameter.someOf(
            "select",
            columnNames,
            null,
            QUERY,
            "Only these columns of each row (comma separated), in the declaration's order");
    Parameter sort =
        Parameter.oneOf(
            "sort",
            dataset.dataset().sortNames(),
            dataset.dataset().defaultSort().name(),
            CURSOR,
            "The order: a declared sort (`-` descending); the key follows as the tiebreaker");
    Parameter limit =
        Parameter.integer(
            "limit", 1, max, (long) size, CURSOR, "Rows a page (the dataset's `page.max` at most)");
    Parameter page = page();
    Parameter perPage =
        Parameter.integer(
            "per_page",
            1,
            max,
            (long) size,
            PAGINATION,
            "Rows a page (the dataset's `page.max` at most; a request over it is a 400)");
    List<Object> list = new ArrayList<>(List.of(filters, sort, select));
    if (dataset.hasKey()) {
      list.addAll(List.of(cursor(), limit));
    }
    list.addAll(List.of(page, perPage, count(CountMode.NONE)));
    if (dataset.keyParts().size() == 1) {
      list.add(
          Parameter.text(
              "ids",
              1,
              Bounds.MAX_CURSOR,
              BATCH,
              "1 to "
                  + Bounds.MAX_IDS
                  + " keys, comma separated (each percent-encoded), instead of every listing"
                  + " parameter: `data` in the order asked, null for a key that does not exist"));
    }
    declare(ops.list(), path, list.toArray());
    if (dataset.hasKey()) {
      declare(
          ops.range(),
          path + "/range",
          filters,
          sort,
          select,
          scroll(max + " more"),
          count(CountMode.ESTIMATED));
      declare(
          ops.item(),
          path + "/items/{key}",
          new Parameter(
              "key",
              Parameter.In.PATH,
              Parameter.Kind.TEXT,
              1,
              Bounds.MAX_CURSOR,
              null,
              List.of(),
              true,
              Parameter.PATH,
              "The row's key: "
                  + String.join(", ", dataset.key())
                  + (dataset.key().size() > 1
                      ? ", joined by `,` in that order, each percent-encoded (a `,` as `%2C`)"
                      : "")));
    }
    if (dataset.time() != null) {
      List<String> measures = dataset.measures().stream().map(m -> m.name()).toList();
      List<Object> window = new ArrayList<>(List.of(filters));
      window.addAll(window("start", "end"));
      window.add(
          Parameter.someOf(
              "measures", measures, null, WINDOW, "Which declared measures (default: all)"));
      declare(ops.window(), path + "/window", window.toArray());
    }
    stream(ops.stream(), path + "/stream", filters, sort, select);
  }

  // ---- the strategies' parameters

  /** A virtual-scroll range's indexes; {@code bound} says how far past the start it may end. */
  private static List<Parameter> scroll(String bound) {
    return List.of(
        Parameter.integer(
                "start_index", 0, Bounds.MAX_INDEX, null, SCROLL, "The first index, from 0")
            .asRequired(),
        Parameter.integer(
                "end_index",
                1,
                Bounds.MAX_INDEX,
                null,
                SCROLL,
                "Where the range ends (exclusive): after `start_index`, at most " + bound)
            .asRequired());
  }

  private Parameter page() {
    return Parameter.integer("page", 1, Bounds.MAX_PAGE, 1L, PAGINATION, "The page, from 1");
  }

  /**
   * {@code per_page} of one family: at most {@code limits.max_page_size}, by default its {@code
   * page_size}.
   */
  private Parameter perPage(String family) {
    int max = settings.limits().maxPageSize();
    return Parameter.integer(
        "per_page",
        1,
        max,
        (long) Math.min(settings.policy(family).pageSize(), max),
        PAGINATION,
        "Items a page (`limits.max_page_size` at most; a request over it is a 400, never clamped)");
  }

  private Parameter limit() {
    return Parameter.integer(
        "limit",
        1,
        settings.limits().maxLimit(),
        (long) settings.limits().defaultLimit(),
        CURSOR,
        "Items a page (`limits.max_limit` at most)");
  }

  private Parameter cursor() {
    return Parameter.text(
        "cursor",
        1,
        Bounds.MAX_CURSOR,
        CURSOR,
        "The opaque `next_cursor` or `prev_cursor` of a "
            + "previous reply of this query; an altered, foreign or expired one is a 400 `invalid-cursor`");
  }

  private Parameter count(CountMode defaultMode) {
    return Parameter.oneOf(
        "count",
        CountMode.NAMES,
        defaultMode.name().toLowerCase(Locale.ROOT),
        COUNT,
        "Which total to compute: `exact`, `estimated` (the planner's statistics) or `none`");
  }

  private Parameter ids() {
    return Parameter.uuids(
        "ids",
        Bounds.MAX_IDS,
        BATCH,
        "1 to "
            + Bounds.MAX_IDS
            + " ids, comma separated, "
            + "instead of every listing parameter: `data` in the order asked, null for an id that does not exist "
            + "(`strategy: batch`)");
  }

  private Parameter days() {
    return Parameter.integer(
        "days",
        1,
        Bounds.MAX_DAYS,
        (long) Bounds.DEFAULT_DAYS,
        FILTER,
        "How many days back from now");
  }

  /** A dataset's filters, as the planners read them. */
  static List<Parameter> filters(Dataset dataset, String... names) {
    return Arrays.stream(names).map(name -> filter(dataset.filter(name))).toList();
  }

  static Parameter filter(Filter filter) {
    String meaning = "Only items whose " + filter.name() + " is this";
    return switch (filter.kind()) {
      case ONE_OF ->
          Parameter.oneOf(
              filter.name(), filter.values(), (String) filter.defaultValue(), FILTER, meaning);
      case BOOLEAN ->
          Parameter.bool(filter.name(), (Boolean) filter.defaultValue(), FILTER, meaning);
      case UUID -> Parameter.uuid(filter.name(), FILTER, meaning);
    };
  }

  /**
   * A window's bounds and buckets: {@code start}/{@code end} or {@code start_date}/{@code
   * end_date}.
   */
  private List<Parameter> window(String startName, String endName) {
    String time =
        "An ISO-8601 time with an offset (`2026-01-15T10:30:00Z`) or a date (`2026-01-15`, midnight UTC), "
            + "between years 1 and 9999, read to the microsecond";
    return List.of(
        Parameter.time(
            startName,
            WINDOW,
            time
                + ". Without both bounds the window is the seven days before the next "
                + "UTC midnight; with one, seven days from or to it"),
        Parameter.time(
            endName,
            WINDOW,
            time
                + "; exclusive, after `"
                + startName
                + "`, at most "
                + settings.limits().maxWindowDays()
                + " days after it (`limits.max_window_days`)"),
        Parameter.oneOf(
            "bucket",
            Bucket.NAMES,
            Bucket.DAY.label(),
            WINDOW,
            "The buckets' width, aligned to the "
                + "window's start; at most "
                + settings.limits().maxBuckets()
                + " buckets a window (`limits.max_buckets`)"));
  }

  /** What every stream takes to be placed and framed. */
  static List<Parameter> streamPlacing() {
    return List.of(
        Parameter.text(
            "after",
            1,
            Bounds.MAX_CURSOR,
            STREAM,
            "Resume right after the item this resume cursor names (an "
                + "SSE `id`, a `_checkpoint`, the `cursor` of `event: end` or `event: error`)"),
        Parameter.text(
            StreamProtocol.UNTIL,
            1,
            Bounds.MAX_CURSOR,
            STREAM,
            "End with the item this resume cursor names, " + "included"),
        Parameter.text(
            StreamProtocol.SNAPSHOT,
            1,
            Bounds.MAX_SNAPSHOT,
            STREAM,
            "Read the listing as the snapshot the "
                + "loader exported when it cut the listing into ranges (the typed client's parallel ranges)"),
        Parameter.bool(
            "checkpoints",
            false,
            STREAM,
            "NDJSON only: a `_checkpoint` line at the end of the batch that "
                + "crosses every `streaming.checkpoint_every`-th item"),
        Parameter.text(
                StreamProtocol.LAST_EVENT_ID,
                1,
                Bounds.MAX_CURSOR,
                STREAM,
                "SSE reconnect: resume right after " + "this id; wins over `after`")
            .in(Parameter.In.HEADER));
  }
}
