package dev.sluice.bus;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** What a reply's bytes are: their strong ETag, and their gzip form. */
public final class Bodies {

  /** How an ETag of a gzip'd representation differs from the plain one's: the same digest, this suffix. */
  public static final String GZIP_SUFFIX = "-gz";
  /** Entries stored gzip'd are compressed once, so at a level that pays off in memory and bytes sent. */
  static final int STORED_LEVEL = 6;

  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  private Bodies() {
  }

  /** A strong ETag of {@code plain}: the first 16 bytes of its SHA-256, quoted. */
  public static String etag(Buffer plain) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(plain.getBytes());
      byte[] hash = digest.digest();
      return '"' + BASE64.encodeToString(java.util.Arrays.copyOf(hash, 16)) + '"';
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
    try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192) {
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

  public static Buffer gunzip(Buffer gzipped) {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.getBytes()), 8192)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
