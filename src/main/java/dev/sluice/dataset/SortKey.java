package dev.sluice.dataset;

/**
 * The order of a listing: a sort column and the unique id after it, both in one direction, so that
 * (value, id) is a total order a keyset can seek in. Names and columns come from code, never from a
 * request.
 *
 * @param name the API's name ({@code -created_at}); a leading {@code -} means descending
 * @param column the SQL expression sorted on
 * @param sqlType its PostgreSQL type, to cast a keyset value sent as text
 */
public record SortKey(String name, String column, String sqlType, String idColumn, String idType) {

  public boolean descending() {
    return name.startsWith("-");
  }
}
