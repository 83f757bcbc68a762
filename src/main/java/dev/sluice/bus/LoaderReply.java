package dev.sluice.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A loader's answer: the envelope as encoded JSON bytes (written to HTTP as they are) and the cursors the gateway
 * turns into a {@code Link} header.
 */
public record LoaderReply(Buffer body, String nextCursor, String prevCursor) {

  /** The envelope decoded, for clients that want to read it rather than pass it on. */
  public JsonObject json() {
    return body.toJsonObject();
  }
}
