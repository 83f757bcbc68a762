package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * How a loader guards its database work: the circuit breaker and the retry budget. Section {@code
 * resilience}; the number of tries and the base delay are the seed's {@code
 * lazy_loading.retry_attempts} and {@code retry_delay_seconds}.
 *
 * @param failureRate the breaker opens when at least this share of the calls in the window failed
 *     on the database
 * @param minCalls ... and the window holds at least this many calls (a few failures at a quiet time
 *     do not open it)
 * @param windowSeconds the rolling window of the failure rate and of the retry budget
 * @param resetSeconds how long the breaker stays open before a trial call is let through
 * @param retryBudgetRatio retries may add at most this share of the window's calls ...
 * @param retryBudgetMin ... or this many retries a window, whichever is more (a quiet loader can
 *     still retry)
 */
public record ResilienceConfig(
    double failureRate,
    int minCalls,
    int windowSeconds,
    int resetSeconds,
    double retryBudgetRatio,
    int retryBudgetMin) {

  public static ResilienceConfig from(JsonObject json) {
    return new ResilienceConfig(
        json.getDouble("failure_rate", 0.5),
        json.getInteger("min_calls", 20),
        json.getInteger("window_seconds", 10),
        json.getInteger("reset_seconds", 5),
        json.getDouble("retry_budget_ratio", 0.1),
        json.getInteger("retry_budget_min", 10));
  }
}
