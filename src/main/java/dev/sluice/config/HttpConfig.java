package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * Where the gateway listens and how it answers. Section {@code http}.
 *
 * @param compressionLevel     gzip level (1-9) of bodies compressed as they are sent (streams, pages of families
 *                             stored plain); entries stored gzip'd are compressed once, at level 6
 * @param minCompressBytes     bodies smaller than this are sent plain whatever the client accepts
 * @param benchmarkReplyBytes  when above 0, {@code GET /bench/fixed} answers that many bytes from memory: the
 *                             ceiling the cache benchmark compares with; 0 (the default) serves no such route
 */
public record HttpConfig(String host, int port, int idleTimeoutSeconds, int compressionLevel, int minCompressBytes,
                         int benchmarkReplyBytes) {

  static final String HOST = "host";
  static final String PORT = "port";
  static final String IDLE_TIMEOUT_SECONDS = "idle_timeout_seconds";

  public static HttpConfig from(JsonObject json) {
    return new HttpConfig(
      json.getString(HOST, "0.0.0.0"),
      json.getInteger(PORT, 8080),
      json.getInteger(IDLE_TIMEOUT_SECONDS, 60),
      json.getInteger("compression_level", 1),
      json.getInteger("min_compress_bytes", 1024),
      json.getInteger("benchmark_reply_bytes", 0));
  }
}
