package dev.sluice.loader;

import dev.sluice.bus.Addresses;

/** Search: ranked results, suggestions, the stream of results; what each plans is in {@link SearchLoads}. */
public class SearchLoaderVerticle extends LoaderVerticle {

  @Override
  protected String address() {
    return Addresses.SEARCH;
  }
}
