package dev.sluice.api;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/** What a reply's bytes are: their strong ETag, and their gzip form. */
public final class Bodies {

  /**
   * How an ETag of a gzip'd representation differs from the plain one's: the same digest, this
   * suffix.
   */
  public static final String GZIP_SUFFIX = "-gz";

  /**
   * Entries stored gzip'd are compressed once, so at a level that pays off in memory and bytes
   * sent.
   */
  static final int STORED_LEVEL = 6;

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private Bodies() {}

  /**
   * A strong ETag of {@code plain}: 16 bytes, base64url, quoted: its CRC-32C, CRC-32 and Adler-32
   * and its length. A validator needs to tell two versions of one reply apart, not to resist
   * forgery (the server makes both bytes and tag), and these three run in the JDK's hardware
   * intrinsics at gigabytes a second; the SHA-256 that came before took a third of the JVM's time
   * on an uncached page of 100 rows (docs/BENCHMARKS.md).
   */
  public static String etag(Buffer plain) {
    byte[] bytes = plain.getBytes();
    java.util.zip.CRC32C crc32c = new java.util.zip.CRC32C();
    crc32c.update(bytes);
    java.util.zip.CRC32 crc32 = new java.util.zip.CRC32();
    crc32.update(bytes);
    java.util.zip.Adler32 adler = new java.util.zip.Adler32();
    adler.update(bytes);
    byte[] tag =
        java.nio.ByteBuffer.allocate(16)
            .putInt((int) crc32c.getValue())
            .putInt((int) crc32.getValue())
            .putInt((int) adler.getValue())
            .putInt(bytes.length)
            .array();
    return '"' + BASE64.encodeToString(tag) + '"';
  }

  /** The ETag of the gzip'd representation of a body whose plain ETag is {@code etag}. */
  public static String gzipTag(String etag) {
    return etag.substring(0, etag.length() - 1) + GZIP_SUFFIX + '"';
  }

  public static Buffer gzip(Buffer plain) {
    return gzip(plain, STORED_LEVEL);
  }

  public static Buffer gzip(Buffer plain, int level) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.length() / 4));
    try (GZIPOutputStream gzip =
        new GZIPOutputStream(out, 8192) {
          {
            def.setLevel(Math.max(Deflater.BEST_SPEED, Math.min(Deflater.BEST_COMPRESSION, level)));
          }
        }) {
      gzip.write(plain.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /**
   * The plain bytes of a gzip member written by {@link #gzip}: its 10-byte header (no optional
   * fields), raw deflate data, and a trailer whose last 4 bytes give the plain size, so the output
   * is allocated once.
   */
  public static Buffer gunzip(Buffer gzipped) {
    byte[] bytes = gzipped.getBytes();
    int n = bytes.length;
    if (n < 18 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b || bytes[3] != 0) {
      return gunzipAny(bytes);
    }
    int size =
        (bytes[n - 4] & 0xff)
            | (bytes[n - 3] & 0xff) << 8
            | (bytes[n - 2] & 0xff) << 16
            | (bytes[n - 1] & 0xff) << 24;
    byte[] plain = new byte[size];
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(bytes, 10, n - 18);
      int done = 0;
      while (done < size && !inflater.finished()) {
        int read = inflater.inflate(plain, done, size - done);
        if (read == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          break;
        }
        done += read;
      }
      if (done != size) {
        return gunzipAny(bytes);
      }
      return Buffer.buffer(plain);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("not a gzip body", e);
    } finally {
      inflater.end();
    }
  }

  private static Buffer gunzipAny(byte[] bytes) {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes), 8192)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
