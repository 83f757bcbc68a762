package dev.sluice.config;

import java.util.Locale;

/** Who writes a row's JSON ({@code lazy_loading.row_encoding}): the same bytes either way. */
public enum RowEncoding {
  /** The loader, from plain columns ({@code RowEncoder}). */
  JVM,
  /** PostgreSQL, with {@code row_to_json}. */
  POSTGRES;

  /**
   * {@code jvm} or {@code postgres}; anything else is a configuration error naming {@code setting}.
   */
  public static RowEncoding of(String name, String setting) {
    for (RowEncoding encoding : values()) {
      if (encoding.name().toLowerCase(Locale.ROOT).equals(name)) {
        return encoding;
      }
    }
    throw new IllegalArgumentException(setting + " must be jvm or postgres, not " + name);
  }
}
