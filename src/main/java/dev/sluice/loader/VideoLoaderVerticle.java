package dev.sluice.loader;

import dev.sluice.bus.Addresses;

/** Videos: a user's videos, the listing, one video, popular videos, a video's analytics, the stream; what each plans is in {@link VideoLoads}. */
public class VideoLoaderVerticle extends LoaderVerticle {

  @Override
  protected String address() {
    return Addresses.VIDEOS;
  }
}
