package dev.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The ETag of a body: the same for the same bytes, another for a body one byte or one length apart.
 */
class BodiesTest {

  @Property(tries = 2000)
  void oneByteApart(
      @ForAll @Size(min = 1, max = 5000) byte[] body,
      @ForAll @IntRange(min = 0, max = 4999) int at,
      @ForAll @IntRange(min = 1, max = 255) int change) {
    int i = at % body.length;
    byte[] other = body.clone();
    other[i] = (byte) (other[i] ^ change);
    String tag = Bodies.etag(Buffer.buffer(body));
    assertEquals(tag, Bodies.etag(Buffer.buffer(body.clone())), "the same bytes, the same tag");
    assertNotEquals(tag, Bodies.etag(Buffer.buffer(other)), "one byte changed");
    assertTrue(tag.matches("\"[A-Za-z0-9_-]{22}\""), tag);
  }

  @Property(tries = 500)
  void lengthApart(@ForAll @Size(max = 2000) byte[] body) {
    byte[] longer = java.util.Arrays.copyOf(body, body.length + 1);
    assertNotEquals(
        Bodies.etag(Buffer.buffer(body)), Bodies.etag(Buffer.buffer(longer)), "a zero byte more");
  }
}
