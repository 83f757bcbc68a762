package dev.sluice.plan;

import java.util.Collection;

/**
 * An unambiguous text of named values ({@code name=value&name=value}), with {@code %}, {@code &}
 * and {@code =} in values escaped, so two different requests never describe themselves alike. What
 * cursor bindings digest and what cache keys are made of.
 */
public final class Key {

  private final StringBuilder text = new StringBuilder(96);
  private boolean empty = true;

  public Key() {}

  public Key(String prefix) {
    text.append(prefix).append('?');
  }

  /**
   * Adds {@code name=value}; a null value is written as {@code -}, distinct from any escaped text.
   */
  public Key add(String name, Object value) {
    separate();
    text.append(name).append('=');
    if (value == null) {
      text.append('-');
    } else if (value instanceof Collection<?> values) {
      boolean first = true;
      for (Object v : values) {
        if (!first) {
          text.append(',');
        }
        escape(String.valueOf(v));
        first = false;
      }
    } else {
      escape(value.toString());
    }
    return this;
  }

  /**
   * Adds everything another key describes (a listing's canonical text), as one more part of this
   * one.
   */
  public Key addAll(String described) {
    if (!described.isEmpty()) {
      separate();
      text.append(described);
    }
    return this;
  }

  private void separate() {
    if (!empty) {
      text.append('&');
    }
    empty = false;
  }

  private void escape(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '%' -> text.append("%25");
        case '&' -> text.append("%26");
        case '=' -> text.append("%3D");
        case ',' -> text.append("%2C");
        case '-' -> text.append(i == 0 && value.length() == 1 ? "%2D" : "-");
        default -> text.append(c);
      }
    }
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
