package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * Limits and pacing of streams. Section {@code streaming}.
 *
 * @param idleTimeoutSeconds a stream whose reader takes nothing (or whose producer sends nothing)
 *     for this long is cut and everything it holds released
 * @param maxStreams concurrent streams the gateway serves in all (a 429 past it)
 * @param maxStreamsPerClient concurrent streams one client address may hold (a 429 past it)
 * @param checkpointEvery items between two {@code _checkpoint} lines of an NDJSON stream asked with
 *     {@code checkpoints=true}
 * @param targetBatchBytes the size a batch aims at: rows per batch shrink as measured rows grow
 * @param keepaliveSeconds an HTTP stream that has written nothing for this long (a following stream
 *     waiting for new rows) writes a keep-alive (an SSE comment, an empty NDJSON line), so that no
 *     idle timeout on the way cuts it; at most half of {@code http.idle_timeout_seconds} ({@link
 *     SluiceConfig#keepaliveMillis})
 */
public record StreamingConfig(
    int idleTimeoutSeconds,
    int maxStreams,
    int maxStreamsPerClient,
    int checkpointEvery,
    int targetBatchBytes,
    int keepaliveSeconds) {

  public static StreamingConfig from(JsonObject json) {
    if (json.containsKey("row_encoding")) {
      // it said how streams alone were encoded; ignoring it would silently change what an operator
      // chose
      throw new IllegalArgumentException(
          "streaming.row_encoding is now lazy_loading.row_encoding (it applies to every "
              + "reply, not only streams): move it there");
    }
    int keepalive = json.getInteger("keepalive_seconds", 15);
    if (keepalive < 1) {
      throw new IllegalArgumentException(
          "streaming.keepalive_seconds must be at least 1 (it is " + keepalive + ")");
    }
    return new StreamingConfig(
        json.getInteger("idle_timeout_seconds", 30),
        json.getInteger("max_streams", 64),
        json.getInteger("max_streams_per_client", 8),
        json.getInteger("checkpoint_every", 1000),
        json.getInteger("target_batch_bytes", 262_144),
        keepalive);
  }
}
