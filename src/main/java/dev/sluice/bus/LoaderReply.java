package dev.sluice.bus;

import dev.sluice.api.Bodies;
import dev.sluice.cache.CacheLookup;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A loader's answer, as the cache keeps it and the gateway sends it: the envelope as encoded JSON
 * bytes (gzip'd once when its family's entries are stored compressed), its strong ETag (of the
 * plain bytes), and the cursors the gateway turns into a {@code Link} header.
 *
 * @param items items in {@code data}
 * @param hasMore whether more pages follow (what prefetch goes on from)
 * @param item the one item's JSON, for a single-item reply (batches are made of these), else null
 * @param validUntil when a cached copy must go whatever its TTL (the cursor it answers expires),
 *     epoch millis
 * @param prefetched whether it was loaded ahead of any request
 */
public record LoaderReply(
    Buffer body,
    boolean gzipped,
    String etag,
    String nextCursor,
    String prevCursor,
    int items,
    boolean hasMore,
    String item,
    long validUntil,
    boolean prefetched)
    implements CacheLookup.Value {

  /** A reply as a strategy wrote it: plain, not yet tagged. */
  public static LoaderReply of(
      Buffer body, String nextCursor, String prevCursor, int items, boolean hasMore) {
    return new LoaderReply(
        body, false, null, nextCursor, prevCursor, items, hasMore, null, Long.MAX_VALUE, false);
  }

  /**
   * This reply tagged with the ETag of its bytes, and gzip'd when {@code compress} and it is worth
   * it.
   */
  public LoaderReply encoded(boolean compress, int minCompressBytes) {
    if (etag != null) {
      return this;
    }
    Buffer plain = plain();
    String tag = Bodies.etag(plain);
    boolean gzip = compress && plain.length() >= minCompressBytes;
    return new LoaderReply(
        gzip ? Bodies.gzip(plain) : plain,
        gzip,
        tag,
        nextCursor,
        prevCursor,
        items,
        hasMore,
        item,
        validUntil,
        prefetched);
  }

  public LoaderReply withItem(String itemJson) {
    return new LoaderReply(
        body,
        gzipped,
        etag,
        nextCursor,
        prevCursor,
        items,
        hasMore,
        itemJson,
        validUntil,
        prefetched);
  }

  public LoaderReply validUntil(long epochMillis) {
    return new LoaderReply(
        body, gzipped, etag, nextCursor, prevCursor, items, hasMore, item, epochMillis, prefetched);
  }

  public LoaderReply asPrefetched() {
    return new LoaderReply(
        body, gzipped, etag, nextCursor, prevCursor, items, hasMore, item, validUntil, true);
  }

  /** The envelope's bytes, decompressed if they are stored gzip'd. */
  public Buffer plain() {
    return gzipped ? Bodies.gunzip(body) : body;
  }

  /** The envelope decoded, for clients that want to read it rather than pass it on. */
  public JsonObject json() {
    return plain().toJsonObject();
  }

  /**
   * The format of {@link #writePortable}'s bytes, first in them: a node never reads a format it
   * does not know.
   */
  static final byte PORTABLE_FORMAT = 1;

  /**
   * Appends this reply as the cache's cluster tier keeps it; {@link #fromPortable} reads it back.
   */
  @Override
  public boolean writePortable(Buffer out) {
    out.appendByte(PORTABLE_FORMAT)
        .appendByte((byte) ((gzipped ? 1 : 0) | (hasMore ? 2 : 0) | (prefetched ? 4 : 0)))
        .appendInt(items)
        .appendLong(validUntil);
    for (String text : new String[] {etag, nextCursor, prevCursor, item}) {
      if (text == null) {
        out.appendInt(-1);
      } else {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.appendInt(bytes.length).appendBytes(bytes);
      }
    }
    out.appendInt(body.length()).appendBuffer(body);
    return true;
  }

  /** Reads what {@link #writePortable} wrote; null for a format this version does not know. */
  public static LoaderReply fromPortable(Buffer in) {
    if (in.length() < 14 || in.getByte(0) != PORTABLE_FORMAT) {
      return null;
    }
    byte flags = in.getByte(1);
    int items = in.getInt(2);
    long validUntil = in.getLong(6);
    int at = 14;
    String[] texts = new String[4];
    for (int i = 0; i < texts.length; i++) {
      int length = in.getInt(at);
      at += 4;
      if (length >= 0) {
        texts[i] = in.getString(at, at + length, "UTF-8");
        at += length;
      }
    }
    int length = in.getInt(at);
    at += 4;
    return new LoaderReply(
        in.getBuffer(at, at + length),
        (flags & 1) != 0,
        texts[0],
        texts[1],
        texts[2],
        items,
        (flags & 2) != 0,
        texts[3],
        validUntil,
        (flags & 4) != 0);
  }

  @Override
  public int weight() {
    return body.length()
        + (item == null ? 0 : item.length() * 2)
        + length(nextCursor)
        + length(prevCursor)
        + length(etag)
        + 64;
  }

  private static int length(String s) {
    return s == null ? 0 : s.length() * 2;
  }
}
