package dev.sluice.dataset;

import java.util.List;

/**
 * A filter a listing accepts: its name in the API, the column it compares for equality, what kind
 * of value it takes and, for a closed vocabulary, which values. Names and columns come from code,
 * never from a request.
 *
 * @param values the allowed values of a {@link Kind#ONE_OF} filter (empty for the other kinds)
 * @param defaultValue the value applied when the request gives none (null: no filter)
 */
public record Filter(
    String name, String column, Kind kind, List<String> values, Object defaultValue) {

  /** How a filter's value is read. */
  public enum Kind {
    ONE_OF,
    BOOLEAN,
    UUID
  }

  public static Filter oneOf(String name, String column, List<String> values) {
    return new Filter(name, column, Kind.ONE_OF, List.copyOf(values), null);
  }

  public static Filter oneOf(String name, String column, List<String> values, String defaultValue) {
    return new Filter(name, column, Kind.ONE_OF, List.copyOf(values), defaultValue);
  }

  public static Filter bool(String name, String column, Boolean defaultValue) {
    return new Filter(name, column, Kind.BOOLEAN, List.of(), defaultValue);
  }

  public static Filter uuid(String name, String column) {
    return new Filter(name, column, Kind.UUID, List.of(), null);
  }
}
