package dev.sluice.loader;

import dev.sluice.bus.Addresses;

/** Analytics: platform metrics, error logs, reports, the performance metrics stream; what each plans is in {@link AnalyticsLoads}. */
public class AnalyticsLoaderVerticle extends LoaderVerticle {

  @Override
  protected String address() {
    return Addresses.ANALYTICS;
  }
}
