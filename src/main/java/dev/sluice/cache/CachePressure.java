package dev.sluice.cache;

/**
 * The node cache as memory pressure reaches it: the monitor tells it the level, and what loads
 * ahead asks whether there is room to. Part of {@link Cache}.
 */
public interface CachePressure {

  /** How much memory pressure the node is under, as the monitor tells it. */
  enum Pressure {
    NONE,
    HIGH,
    CRITICAL
  }

  /**
   * Adapts to memory pressure: sheds about half the weight on high, clears and stops storing on
   * critical.
   */
  void pressure(Pressure pressure);

  /** The pressure the cache was last told of. */
  Pressure pressure();
}
