package dev.sluice.http;

import dev.sluice.api.Bodies;

/**
 * The request headers that shape a reply: whether the client takes gzip ({@code Accept-Encoding},
 * RFC 9110 12.5.3, with its quality values) and whether the representation it holds is still
 * current ({@code If-None-Match}, weak comparison as RFC 9110 13.1.2 asks).
 */
final class Conditional {

  private Conditional() {}

  /**
   * Whether {@code acceptEncoding} allows gzip: {@code gzip} (or {@code x-gzip}, or {@code *}) with
   * q > 0.
   */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null || acceptEncoding.isEmpty()) {
      return false;
    }
    double gzip = -1;
    double star = -1;
    for (String part : acceptEncoding.split(",")) {
      String[] pieces = part.split(";");
      String coding = pieces[0].trim().toLowerCase(java.util.Locale.ROOT);
      double q = 1;
      for (int i = 1; i < pieces.length; i++) {
        String parameter = pieces[i].trim();
        if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
          try {
            q = Double.parseDouble(parameter.substring(2));
          } catch (NumberFormatException e) {
            q = 0;
          }
        }
      }
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        gzip = Math.max(gzip, q);
      } else if (coding.equals("*")) {
        star = q;
      }
    }
    return gzip > 0 || (gzip < 0 && star > 0);
  }

  /**
   * The tag of {@code ifNoneMatch} that names the content tagged {@code etag} (its plain or its
   * gzip'd representation), so a 304 can confirm the one the client holds; {@code current} for
   * {@code *}; null if none.
   */
  static String matching(String ifNoneMatch, String etag, String current) {
    if (ifNoneMatch == null || etag == null) {
      return null;
    }
    String gzipped = Bodies.gzipTag(etag);
    for (String part : ifNoneMatch.split(",")) {
      String tag = part.trim();
      if (tag.equals("*")) {
        return current;
      }
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag) || tag.equals(gzipped)) {
        return tag;
      }
    }
    return null;
  }
}
