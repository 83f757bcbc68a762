package dev.sluice.http;

import dev.sluice.api.Failures;
import dev.sluice.api.Problem;
import dev.sluice.config.HttpConfig;
import dev.sluice.node.NodeState;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * What every request meets before its route: a request id ({@code X-Request-Id}: the client's own
 * when it is at most 64 URL-safe characters, else a new one), echoed on the response, carried into
 * problem bodies, loader requests and log lines; refusal with 503 once the node is shutting down
 * (the health and metrics endpoints still answer); 413 for a body over the limit; the count of
 * requests in flight that a graceful shutdown waits for; {@code Vary: Accept-Encoding} on every
 * response when the server compresses; and one access-log line per request ({@link AccessLog}).
 * Requests refused before any route get their problem, their request id and their log line too:
 * those the HTTP decoder refuses (a request line or headers over the limits: 414, 431; not HTTP:
 * 400, {@link #invalidRequest}) and those in an HTTP version this server does not read (505, {@link
 * #unsupportedVersion}).
 */
final class Edge implements Handler<RoutingContext> {

  static final String REQUEST_ID = "X-Request-Id";

  /** Where a request's id is kept in its routing context. */
  static final String REQUEST_ID_KEY = "sluice.request-id";

  private static final CharSequence ACCEPT_ENCODING =
      HttpHeaders.createOptimized("Accept-Encoding");
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,64}");

  private final NodeState node;
  private final HttpConfig config;
  private final AtomicInteger inFlight;
  private final boolean compresses;

  Edge(NodeState node, HttpConfig config, boolean compresses) {
    this.node = node;
    this.config = config;
    this.inFlight = node.inFlight();
    this.compresses = compresses;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String id = requestId(ctx.request().getHeader(REQUEST_ID));
    ctx.put(REQUEST_ID_KEY, id);
    ctx.response().putHeader(REQUEST_ID, id);
    AccessLog.watch(ctx, id);
    if (compresses) {
      // whatever the route, the server's compressor may gzip the body for a client that asks (RFC
      // 9110, 12.5.5); a
      // part that makes it vary by more adds its own (vary)
      ctx.response().putHeader(HttpHeaders.VARY, ACCEPT_ENCODING);
    }
    String path = ctx.request().path();
    boolean operations = path.startsWith("/health") || path.startsWith("/metrics");
    if (!operations && node.isShuttingDown()) {
      closeAfter(ctx);
      Problems.send(
          ctx, Problem.unavailable("This node is shutting down; try another or again shortly", 1));
      return;
    }
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && exceeds(length, config.maxBodyBytes())) {
      closeAfter(ctx); // the body it does not read would follow on this connection
      Problems.send(
          ctx,
          Problem.of(
              Failures.CONTENT_TOO_LARGE,
              "body-too-large",
              "Request body too large",
              "No endpoint takes a body of more than " + config.maxBodyBytes() + " bytes"));
      return;
    }
    inFlight.incrementAndGet();
    ctx.addEndHandler(v -> inFlight.decrementAndGet());
    ctx.next();
  }

  /**
   * Adds {@code value} to a response's {@code Vary} unless it names it already: each part that
   * makes the reply vary adds its own header (compression here, {@code Accept} negotiation, CORS's
   * {@code Origin}), none replaces another's.
   */
  static void vary(HttpServerResponse response, String value) {
    String vary = response.headers().get(HttpHeaders.VARY);
    if (vary == null || vary.isBlank()) {
      response.putHeader(HttpHeaders.VARY, value);
      return;
    }
    for (String named : vary.split(",")) {
      if (named.trim().equalsIgnoreCase(value) || named.trim().equals("*")) {
        return;
      }
    }
    response.putHeader(HttpHeaders.VARY, vary + ", " + value);
  }

  /**
   * The path of a request as its client wrote it, for a problem's words: the HTTP decoder reads the
   * request line's bytes as ISO-8859-1, so raw UTF-8 ({@code /vidéos} sent unencoded) arrives as
   * one character per byte and is read back as UTF-8 here; bytes that are not UTF-8 are shown
   * percent-encoded, never as mojibake.
   */
  static String displayPath(String path) {
    boolean ascii = true;
    for (int i = 0; i < path.length() && ascii; i++) {
      ascii = path.charAt(i) < 0x80;
    }
    if (ascii) {
      return path;
    }
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) > 0xFF) {
        return path; // not the decoder's one character per byte: already text
      }
    }
    byte[] bytes = path.getBytes(StandardCharsets.ISO_8859_1);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      StringBuilder shown = new StringBuilder(bytes.length * 3);
      for (byte b : bytes) {
        if (b >= 0x20 && b < 0x7F) {
          shown.append((char) b);
        } else {
          shown.append('%').append(String.format("%02X", b & 0xFF));
        }
      }
      return shown.toString();
    }
  }

  /** The request id of a request: the client's when it is safe to echo, else a new one. */
  static String requestId(String fromClient) {
    return fromClient != null && CLIENT_ID.matcher(fromClient).matches() ? fromClient : newId();
  }

  /**
   * A random (version 4) UUID from the thread's own generator: {@code UUID.randomUUID()} draws on
   * one shared {@code SecureRandom}, which every event loop would contend for at each request; an
   * id needs to be unique, not unguessable.
   */
  private static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
    long least = (random.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  /** The request id of a routed request ({@link #handle} gave it one). */
  static String requestId(RoutingContext ctx) {
    String id = ctx.get(REQUEST_ID_KEY);
    return id == null ? requestId((String) null) : id;
  }

  /**
   * What the HTTP server does with a request its decoder refused: 414 for a request line over
   * {@code max_request_line_bytes}, 431 for headers over {@code max_header_bytes}, else 400, each
   * as problem+json with a request id, and the connection closed (what follows on it cannot be
   * trusted).
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    Problem problem;
    if (cause instanceof TooLongHttpLineException) {
      problem =
          Problem.of(
              Failures.URI_TOO_LONG,
              "uri-too-long",
              "Request line too long",
              "The request line is longer than this server accepts");
    } else if (cause instanceof TooLongHttpHeaderException) {
      problem =
          Problem.of(
              Failures.HEADERS_TOO_LARGE,
              "headers-too-large",
              "Request header fields too large",
              "The request's headers are larger than this server accepts");
    } else {
      problem = Problem.badRequest("The request could not be read as HTTP");
    }
    refuse(request, problem);
  }

  /**
   * What the HTTP server does with a request in an HTTP version it does not read ({@code HTTP/2.0}
   * or {@code HTTP/1.2} in a request line, or not HTTP at all, {@code HTTPS/1.1}): Vert.x gives
   * such a request no version, and would answer it with an empty 501 before any route were it not
   * for the gateway's WebSocket handler ({@link #refuseWebSocket}). It gets a 505 problem, a
   * request id and its log line, and the connection is closed. HTTP/2 itself is spoken by upgrade
   * or prior knowledge, never in an HTTP/1 request line.
   */
  static void unsupportedVersion(HttpServerRequest request) {
    refuse(
        request,
        Problem.of(
            Failures.HTTP_VERSION_NOT_SUPPORTED,
            "http-version-not-supported",
            "HTTP version not supported",
            "This server reads HTTP/1.0 and HTTP/1.1 request lines (HTTP/2 by upgrade or "
                + "prior knowledge)"));
  }

  /**
   * A WebSocket handshake: refused with a 400 (no route of the gateway speaks WebSocket), logged
   * like any request refused before a route; the handshake's reply can carry no body nor request
   * id.
   */
  static void refuseWebSocket(ServerWebSocketHandshake handshake) {
    handshake.reject(Failures.BAD_REQUEST);
    AccessLog.log(
        io.vertx.core.http.HttpMethod.GET,
        AccessLog.UNMATCHED,
        Failures.BAD_REQUEST,
        0,
        0,
        requestId((String) null));
  }

  /** Answers a request refused before any route, logs it and closes its connection. */
  private static void refuse(HttpServerRequest request, Problem problem) {
    long started = System.nanoTime();
    String id = requestId((String) null);
    request.routed(AccessLog.UNMATCHED);
    HttpServerResponse response = request.response();
    response
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
        .putHeader(REQUEST_ID, id)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(Problems.body(problem, id))
        .onComplete(
            v -> {
              AccessLog.log(
                  request.method(),
                  AccessLog.UNMATCHED,
                  problem.status(),
                  (System.nanoTime() - started) / 1_000_000,
                  response.bytesWritten(),
                  id);
              request.connection().close();
            });
  }

  /**
   * Says {@code Connection: close} and closes the connection once the response is written: Vert.x 5
   * keeps a connection alive by the request's headers alone, whatever the response says. HTTP/2
   * streams share their connection, so only an HTTP/1 connection is closed.
   */
  private static void closeAfter(RoutingContext ctx) {
    if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
      ctx.addEndHandler(v -> ctx.request().connection().close());
    }
  }

  private static boolean exceeds(String length, long max) {
    try {
      return Long.parseLong(length.trim()) > max;
    } catch (NumberFormatException e) {
      return true; // not a length at all: refused like a body too large to read
    }
  }
}
