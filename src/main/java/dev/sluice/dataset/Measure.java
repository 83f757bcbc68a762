package dev.sluice.dataset;

/**
 * One figure of a time series: its name in the reply, its aggregate over one bucket's rows, the
 * JSON kind of the aggregate's value, and what it gives over no rows, which an empty bucket holds.
 *
 * @param type the aggregate's type as SQL names it ({@code bigint}), or null when unknown
 * @param empty the text of the aggregate over no rows ({@code 0} for a count), or null: an empty
 *     bucket's value is then null
 */
public record Measure(String name, String aggregate, Column.Kind kind, String type, String empty) {

  /** A measure whose type PostgreSQL has not yet been asked ({@link Declarations}). */
  public static Measure untyped(String name, String aggregate) {
    return new Measure(name, aggregate, Column.Kind.JSON, null, null);
  }

  /** This measure under another name: how a named route reports a declared figure. */
  public Measure named(String name) {
    return new Measure(name, aggregate, kind, type, empty);
  }

  /** The JSON kind values of a type (by {@code pg_type.typname}) take in a reply. */
  static Column.Kind kindOf(String typname) {
    return switch (typname) {
      case "int2", "int4" -> Column.Kind.INTEGER;
      case "int8" -> Column.Kind.BIGINT;
      case "text", "varchar" -> Column.Kind.TEXT;
      case "bool" -> Column.Kind.BOOLEAN;
      case "uuid" -> Column.Kind.UUID;
      case "timestamptz" -> Column.Kind.TIMESTAMP;
      case "float4", "float8" -> Column.Kind.FLOAT;
      case "numeric" -> Column.Kind.NUMERIC;
      default -> Column.Kind.JSON;
    };
  }
}
