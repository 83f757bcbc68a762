package dev.sluice.api;

import java.util.List;
import java.util.Objects;

/**
 * One parameter of an operation, declared once: its name, where it travels, what it takes (kind,
 * bounds, values, default), whether it is required, which strategy it belongs to and what it means.
 * Validation reads requests with it ({@link #read}), the OpenAPI document describes it from it, the
 * fuzz tests send it values, the console takes its filter options from the document. Bounds that
 * come from the configuration are put in when an operation's parameters are declared for one
 * configuration ({@code plan.Operations}).
 *
 * @param min integers: the least value; texts: the least length in characters; lists: the least
 *     items
 * @param max integers: the greatest value; texts: the greatest length; lists: the most items
 * @param defaultValue what an absent parameter reads as (an Integer, Long, Boolean, String or
 *     List), or null
 * @param values the allowed values of {@link Kind#ONE_OF} and {@link Kind#SOME_OF}
 * @param strategy which part of the contract the parameter belongs to ({@link #FILTER}, {@link
 *     #PAGINATION}, …)
 */
public record Parameter(
    String name,
    In in,
    Kind kind,
    long min,
    long max,
    Object defaultValue,
    List<String> values,
    boolean required,
    String strategy,
    String description) {

  /** Where a parameter travels. */
  public enum In {
    PATH,
    QUERY,
    HEADER
  }

  /** What a parameter takes, and so how it is read. */
  public enum Kind {
    /** A whole number in ASCII digits, in {@code [min, max]}. */
    INTEGER,
    /** Text of {@code min..max} characters. */
    TEXT,
    /** Text of {@code 1..max} characters that is not only white space, trimmed. */
    WORDS,
    /** A UUID. */
    UUID,
    /** {@code min..max} UUIDs, comma separated, none twice. */
    UUIDS,
    /** One of {@code values}. */
    ONE_OF,
    /** A comma-separated list of {@code values}, none twice. */
    SOME_OF,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** An ISO-8601 time with an offset, or a date (midnight UTC). */
    TIME,
    /**
     * A filter on a declared dataset's column, {@code op.value} ({@code values} are the operators
     * it takes), given once or more: read as the list of its texts.
     */
    FILTER
  }

  public static final String PATH = "path";
  public static final String FILTER = "filter";
  public static final String PAGINATION = "pagination";
  public static final String CURSOR = "cursor";
  public static final String SCROLL = "virtual_scroll";
  public static final String WINDOW = "window";
  public static final String BATCH = "batch";
  public static final String COUNT = "count";
  public static final String STREAM = "stream";
  public static final String QUERY = "query";

  public Parameter {
    Objects.requireNonNull(name);
    values = values == null ? List.of() : List.copyOf(values);
  }

  // ---- declaring

  public static Parameter integer(
      String name, long min, long max, Long defaultValue, String strategy, String description) {
    return new Parameter(
        name,
        In.QUERY,
        Kind.INTEGER,
        min,
        max,
        defaultValue,
        List.of(),
        false,
        strategy,
        description);
  }

  public static Parameter text(String name, int min, int max, String strategy, String description) {
    return new Parameter(
        name, In.QUERY, Kind.TEXT, min, max, null, List.of(), false, strategy, description);
  }

  public static Parameter words(String name, int max, String strategy, String description) {
    return new Parameter(
        name, In.QUERY, Kind.WORDS, 1, max, null, List.of(), false, strategy, description);
  }

  public static Parameter uuid(String name, String strategy, String description) {
    return new Parameter(
        name, In.QUERY, Kind.UUID, 36, 36, null, List.of(), false, strategy, description);
  }

  /** A UUID in the path: required by the route itself. */
  public static Parameter uuidPath(String name, String what) {
    return new Parameter(
        name,
        In.PATH,
        Kind.UUID,
        36,
        36,
        null,
        List.of(),
        true,
        PATH,
        "The " + what + "'s id (a UUID)");
  }

  public static Parameter uuids(String name, int max, String strategy, String description) {
    return new Parameter(
        name, In.QUERY, Kind.UUIDS, 1, max, null, List.of(), false, strategy, description);
  }

  public static Parameter oneOf(
      String name, List<String> values, String defaultValue, String strategy, String description) {
    return new Parameter(
        name, In.QUERY, Kind.ONE_OF, 0, 0, defaultValue, values, false, strategy, description);
  }

  public static Parameter someOf(
      String name,
      List<String> values,
      List<String> defaultValue,
      String strategy,
      String description) {
    return new Parameter(
        name,
        In.QUERY,
        Kind.SOME_OF,
        1,
        values.size(),
        defaultValue,
        values,
        false,
        strategy,
        description);
  }

  public static Parameter bool(
      String name, Boolean defaultValue, String strategy, String description) {
    return new Parameter(
        name, In.QUERY, Kind.BOOLEAN, 0, 0, defaultValue, List.of(), false, strategy, description);
  }

  public static Parameter time(String name, String strategy, String description) {
    return new Parameter(
        name, In.QUERY, Kind.TIME, 0, 0, null, List.of(), false, strategy, description);
  }

  /**
   * A filter on a column: {@code column=op.value}, one of {@code operators}, given as often as
   * needed.
   */
  public static Parameter filter(String column, List<String> operators, String description) {
    return new Parameter(
        column, In.QUERY, Kind.FILTER, 0, 0, null, operators, false, FILTER, description);
  }

  /** This parameter, required. */
  public Parameter asRequired() {
    return new Parameter(
        name, in, kind, min, max, defaultValue, values, true, strategy, description);
  }

  /** This parameter, in {@code where}. */
  public Parameter in(In where) {
    return new Parameter(
        name, where, kind, min, max, defaultValue, values, required, strategy, description);
  }

  /** This parameter, meaning {@code words}. */
  public Parameter described(String words) {
    return new Parameter(name, in, kind, min, max, defaultValue, values, required, strategy, words);
  }

  /** This parameter under another name (a header that carries what a query parameter does). */
  public Parameter named(String other) {
    return new Parameter(
        other, in, kind, min, max, defaultValue, values, required, strategy, description);
  }

  // ---- reading

  /**
   * The parameter's value in {@code params}, read as its kind says: an Integer or Long (by the size
   * of its bounds), String, UUID, List, Boolean or OffsetDateTime; the default when absent, null
   * for a fault (recorded in {@code params}, naming the parameter).
   */
  @SuppressWarnings("unchecked")
  public Object read(Params params) {
    if (required && !params.has(name)) {
      params.fail(name, "is required");
      return null;
    }
    return switch (kind) {
      case INTEGER -> {
        long fallback = defaultValue == null ? Long.MIN_VALUE : ((Number) defaultValue).longValue();
        long value = params.number(name, min, max, fallback);
        Object read = value == Long.MIN_VALUE ? null : value;
        yield read == null || max > Integer.MAX_VALUE ? read : Integer.valueOf((int) value);
      }
      case TEXT -> params.string(name, (int) min, (int) max, false);
      case WORDS -> params.words(name, (int) max, false);
      case UUID -> params.uuid(name, false);
      case UUIDS -> params.has(name) ? params.uuids(name, (int) max) : null;
      case ONE_OF -> params.oneOf(name, values, (String) defaultValue);
      case SOME_OF -> params.listOf(name, values, (List<String>) defaultValue);
      case BOOLEAN -> params.bool(name, (Boolean) defaultValue);
      case TIME -> params.time(name, false);
      case FILTER -> params.texts(name);
    };
  }
}
