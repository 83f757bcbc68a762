package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * How single-item loads ({@code /videos/{id}}, {@code ids=}) are coalesced, as a DataLoader does.
 * Section {@code items}.
 *
 * @param batching whether concurrent loads of one family's items share queries at all
 * @param windowMs how long the first load of a batch waits for others (0: until the end of the
 *     event-loop turn)
 * @param maxBatch most ids one {@code = ANY($1)} query asks for
 * @param maxInFlight queries of one family running at once; loads that arrive while they run wait
 *     for the next
 */
public record ItemsConfig(boolean batching, int windowMs, int maxBatch, int maxInFlight) {

  public static ItemsConfig from(JsonObject json) {
    return new ItemsConfig(
        json.getBoolean("batching", true),
        json.getInteger("window_ms", 1),
        json.getInteger("max_batch", 200),
        json.getInteger("max_in_flight", 2));
  }
}
