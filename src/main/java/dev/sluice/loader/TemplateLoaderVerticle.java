package dev.sluice.loader;

import dev.sluice.bus.Addresses;

/** Templates: the listing, one template, a template's assets, the stream; what each plans is in {@link TemplateLoads}. */
public class TemplateLoaderVerticle extends LoaderVerticle {

  @Override
  protected String address() {
    return Addresses.TEMPLATES;
  }
}
