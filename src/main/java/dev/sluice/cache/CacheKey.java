package dev.sluice.cache;

import java.util.Objects;
import java.util.Set;

/**
 * What identifies a cached value: its data family (whose policy and bounds apply) and a canonical
 * text holding everything that changes the answer and nothing else, so two spellings of one request
 * share an entry. Also says which tables the value was read from: a write to any of them drops it.
 * Equal keys have equal text and family.
 */
public record CacheKey(String family, String text, Set<String> tables) {

  public CacheKey {
    tables = Set.copyOf(tables);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CacheKey other && text.equals(other.text) && family.equals(other.family);
  }

  @Override
  public int hashCode() {
    return Objects.hash(family, text);
  }

  @Override
  public String toString() {
    return family + ":" + text;
  }
}
