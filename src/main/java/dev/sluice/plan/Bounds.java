package dev.sluice.plan;

/**
 * The bounds of request parameters that are the planners' own rather than the configuration's: the
 * planners check them and the OpenAPI document states them, both from here.
 */
public final class Bounds {

  /** The highest page number. */
  public static final int MAX_PAGE = 10_000_000;

  /** The longest cursor, resume position or {@code until}. */
  public static final int MAX_CURSOR = 4096;

  /** The longest snapshot id of a range of a cut listing. */
  public static final int MAX_SNAPSHOT = 64;

  /** Most ids of one batch ({@code ids=}). */
  public static final int MAX_IDS = 100;

  /** {@code days} of the listings relative to now: 1 to this, by default {@link #DEFAULT_DAYS}. */
  public static final int MAX_DAYS = 365;

  public static final int DEFAULT_DAYS = 30;

  /** The highest index of a virtual-scroll range. */
  public static final long MAX_INDEX = Long.MAX_VALUE / 2;

  /** The longest search text, and the longest suggestion prefix. */
  public static final int MAX_QUERY = 200;

  public static final int MAX_PREFIX = 100;

  /** Suggestions of one reply: 1 to this, by default {@link #DEFAULT_SUGGESTIONS}. */
  public static final int MAX_SUGGESTIONS = 50;

  public static final int DEFAULT_SUGGESTIONS = 10;

  private Bounds() {}
}
