package dev.sluice.http;

import static dev.sluice.http.OpenApiSchemas.enumOf;
import static dev.sluice.http.OpenApiSchemas.type;

import dev.sluice.stream.StreamProtocol;
import dev.sluice.config.SluiceConfig;
import dev.sluice.plan.Bounds;
import dev.sluice.dataset.Dataset;
import dev.sluice.dataset.Filter;
import dev.sluice.plan.Bucket;
import dev.sluice.api.CountMode;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The parameters of the OpenAPI document ({@link OpenApi}), each with the type, bounds, list and default the loaders
 * read it with ({@code loader.*Loads}, {@code FamilyPlanner}, {@code strategy.Params}): bounds set by the
 * configuration come from the {@link SluiceConfig} in effect, filters from the datasets ({@link Dataset#filters()}).
 * The bounds that are the planners' own (a page number, {@code days}, lengths of texts and cursors, the number of
 * ids) are read from {@link Bounds}, as the planners read them.
 */
final class OpenApiParameters {


  private final SluiceConfig settings;

  OpenApiParameters(SluiceConfig settings) {
    this.settings = settings;
  }

  static JsonObject query(String name, JsonObject schema, String description) {
    return new JsonObject().put("name", name).put("in", "query").put("description", description)
      .put("schema", schema);
  }

  static JsonObject required(JsonObject parameter) {
    return parameter.put("required", true);
  }

  static JsonObject path(String name, JsonObject schema, String description) {
    return new JsonObject().put("name", name).put("in", "path").put("required", true)
      .put("description", description).put("schema", schema);
  }

  static JsonObject uuidPath(String name, String what) {
    return path(name, type("string").put("format", "uuid"), "The " + what + "'s id (a UUID)");
  }

  static JsonObject integer(long min, long max, Long defaultValue) {
    JsonObject schema = type("integer").put("minimum", min).put("maximum", max);
    return defaultValue == null ? schema : schema.put("default", defaultValue);
  }

  static JsonObject text(int min, int max) {
    return type("string").put("minLength", min).put("maxLength", max);
  }

  // ---- the strategies' parameters

  JsonObject page() {
    return query("page", integer(1, Bounds.MAX_PAGE, 1L), "The page, from 1");
  }

  /** {@code per_page} of one family: at most {@code limits.max_page_size}, by default its {@code page_size}. */
  JsonObject perPage(String family) {
    int max = settings.limits().maxPageSize();
    return query("per_page", integer(1, max, (long) Math.min(settings.policy(family).pageSize(), max)),
      "Items a page (`limits.max_page_size` at most; a request over it is a 400, never clamped)");
  }

  JsonObject limit() {
    return query("limit", integer(1, settings.limits().maxLimit(), (long) settings.limits().defaultLimit()),
      "Items a page (`limits.max_limit` at most)");
  }

  JsonObject cursor() {
    return query("cursor", text(1, Bounds.MAX_CURSOR), "The opaque `next_cursor` or `prev_cursor` of a previous reply of "
      + "this query; an altered, foreign or expired one is a 400 `invalid-cursor`");
  }

  JsonObject count(CountMode defaultMode) {
    return query("count", enumOf(CountMode.NAMES).put("default", defaultMode.name().toLowerCase(java.util.Locale.ROOT)),
      "Which total to compute: `exact`, `estimated` (the planner's statistics) or `none`");
  }

  JsonObject ids() {
    return query("ids", type("array").put("minItems", 1).put("maxItems", Bounds.MAX_IDS)
        .put("items", type("string").put("format", "uuid")),
      "1 to " + Bounds.MAX_IDS + " ids, comma separated, instead of every listing parameter: `data` in the order asked, "
        + "null for an id that does not exist (`strategy: batch`)")
      .put("style", "form").put("explode", false);
  }

  JsonObject days() {
    return query("days", integer(1, Bounds.MAX_DAYS, (long) Bounds.DEFAULT_DAYS), "How many days back from now");
  }

  /** A filter of a dataset, as the loader reads it ({@link dev.sluice.api.Params#filter}). */
  static JsonObject filter(Dataset dataset, String name) {
    Filter filter = dataset.filter(name);
    JsonObject schema = switch (filter.kind()) {
      case ONE_OF -> enumOf(filter.values());
      case BOOLEAN -> type("boolean");
      case UUID -> type("string").put("format", "uuid");
    };
    if (filter.defaultValue() != null) {
      schema.put("default", filter.defaultValue());
    }
    return query(name, schema, "Only items whose " + name + " is this");
  }

  static List<JsonObject> filters(Dataset dataset, String... names) {
    return java.util.Arrays.stream(names).map(name -> filter(dataset, name)).toList();
  }

  /** A window's bounds and buckets: {@code start}/{@code end} or {@code start_date}/{@code end_date}. */
  List<JsonObject> window(String startName, String endName) {
    String time = "An ISO-8601 time with an offset (`2026-01-15T10:30:00Z`) or a date (`2026-01-15`, midnight UTC), "
      + "between years 1 and 9999, read to the microsecond";
    return List.of(
      query(startName, type("string"), time + ". Without both bounds the window is the seven days before the next "
        + "UTC midnight; with one, seven days from or to it"),
      query(endName, type("string"), time + "; exclusive, after `" + startName + "`, at most "
        + settings.limits().maxWindowDays() + " days after it (`limits.max_window_days`)"),
      query("bucket", enumOf(Bucket.NAMES).put("default", Bucket.DAY.label()), "The buckets' width, aligned to the "
        + "window's start; at most " + settings.limits().maxBuckets() + " buckets a window (`limits.max_buckets`)"));
  }

  /** What every stream takes to be placed and framed. */
  static List<JsonObject> stream() {
    return List.of(
      query("after", text(1, Bounds.MAX_CURSOR), "Resume right after the item this resume cursor names (an SSE `id`, a "
        + "`_checkpoint`, the `cursor` of `event: end` or `event: error`)"),
      query(StreamProtocol.UNTIL, text(1, Bounds.MAX_CURSOR), "End with the item this resume cursor names, included"),
      query(StreamProtocol.SNAPSHOT, text(1, Bounds.MAX_SNAPSHOT), "Read the listing as the snapshot the loader exported when it cut "
        + "the listing into ranges (the typed client's parallel ranges)"),
      query("checkpoints", type("boolean").put("default", false), "NDJSON only: a `_checkpoint` line at the end of "
        + "the batch that crosses every `streaming.checkpoint_every`-th item"),
      new JsonObject().put("name", StreamProtocol.LAST_EVENT_ID).put("in", "header")
        .put("description", "SSE reconnect: resume right after this id; wins over `after`")
        .put("schema", text(1, Bounds.MAX_CURSOR)));
  }
}
