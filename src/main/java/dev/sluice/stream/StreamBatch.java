package dev.sluice.stream;

import io.vertx.core.buffer.Buffer;

/**
 * One batch of a stream: {@code count} items as NDJSON lines (each ends with {@code \n}), already
 * encoded by the producer, and the position to resume after the last of them.
 */
public record StreamBatch(Buffer lines, int count, String position) {}
