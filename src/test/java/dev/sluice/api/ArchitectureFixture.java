package dev.sluice.api;

import dev.sluice.load.LoaderVerticle;

/**
 * An api class that uses the loader, as no class of src/main may: what {@code ArchitectureTest}
 * must refuse.
 */
public final class ArchitectureFixture {

  private ArchitectureFixture() {}

  /** The loader's class, named here only to make api depend on load. */
  public static Class<LoaderVerticle> broken() {
    return LoaderVerticle.class;
  }
}
