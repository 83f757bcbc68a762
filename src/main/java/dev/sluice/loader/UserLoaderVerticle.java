package dev.sluice.loader;

import dev.sluice.bus.Addresses;

/** Users: the listing, one user, index ranges for a scroll view, user analytics, sessions, the stream; what each plans is in {@link UserLoads}. */
public class UserLoaderVerticle extends LoaderVerticle {

  @Override
  protected String address() {
    return Addresses.USERS;
  }
}
