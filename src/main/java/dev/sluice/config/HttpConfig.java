package dev.sluice.config;

import io.vertx.core.json.JsonObject;

/**
 * Where the gateway listens and how it answers. Section {@code http}.
 *
 * @param compressionLevel gzip level (1-9) of bodies compressed as they are sent (streams, pages of
 *     families stored plain); entries stored gzip'd are compressed once, at level 6
 * @param minCompressBytes bodies smaller than this are sent plain whatever the client accepts
 * @param benchmarkReplyBytes when above 0, {@code GET /bench/fixed} answers that many bytes from
 *     memory: the ceiling the cache benchmark compares with; 0 (the default) serves no such route
 * @param maxRequestLineBytes a longer request line is refused with 414 (a 4,096-character cursor
 *     fits)
 * @param maxHeaderBytes larger headers, all together, are refused with 431
 * @param maxBodyBytes a request announcing a larger body is refused with 413 (no endpoint reads a
 *     body)
 * @param requestTimeoutSeconds a page request not answered by then gets a 504 (streams are exempt;
 *     the event-bus send timeout, {@code timeout_seconds} + 2, normally answers first)
 * @param drainSeconds on shutdown, how long requests in flight may take to finish before the node
 *     stops
 * @param corsOrigins origins allowed to call from a browser (CORS); empty (the default) sends no
 *     CORS headers; {@code *} allows any origin, but never together with credentials
 * @param corsCredentials whether browsers may send credentials cross-origin (needs explicit
 *     origins)
 * @param nativeTransport Netty's native epoll transport for every socket of the node (HTTP,
 *     PostgreSQL, the event bus) where it is available (Linux x86-64); NIO otherwise or when false
 */
public record HttpConfig(
    String host,
    int port,
    int idleTimeoutSeconds,
    int compressionLevel,
    int minCompressBytes,
    int benchmarkReplyBytes,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    int maxBodyBytes,
    int requestTimeoutSeconds,
    int drainSeconds,
    java.util.List<String> corsOrigins,
    boolean corsCredentials,
    boolean nativeTransport) {

  public HttpConfig {
    corsOrigins = java.util.List.copyOf(corsOrigins);
    if (corsCredentials && corsOrigins.contains("*")) {
      throw new IllegalArgumentException(
          "http.cors_origins may not be \"*\" when http.cors_credentials is true: "
              + "name the origins");
    }
  }

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
        json.getInteger("benchmark_reply_bytes", 0),
        json.getInteger("max_request_line_bytes", 8192),
        json.getInteger("max_header_bytes", 8192),
        json.getInteger("max_body_bytes", 65_536),
        json.getInteger("request_timeout_seconds", 35),
        json.getInteger("drain_seconds", 10),
        json.getJsonArray("cors_origins", new io.vertx.core.json.JsonArray()).stream()
            .map(String::valueOf)
            .toList(),
        json.getBoolean("cors_credentials", false),
        json.getBoolean("native_transport", true));
  }
}
