package dev.sluice.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The reply envelope of docs/API.md section 2, written once into bytes, with no JSON tree of it:
 * the rows arrive as JSON already ({@link dev.sluice.dataset.RowFormat}) and are copied in as they
 * are. Every field is always present; the ones that do not apply to the strategy are {@code null}.
 */
public final class Envelope {

  private final String strategy;
  private final String message;
  private Buffer data = Buffer.buffer();
  private int count;
  private Total total = Total.NONE;
  private Boolean hasMore;
  private Integer page;
  private Integer perPage;
  private String nextCursor;
  private String prevCursor;
  private JsonObject window;
  private JsonObject nextWindow;
  private JsonObject range;

  private Envelope(String strategy, String message) {
    this.strategy = strategy;
    this.message = message;
  }

  public static Envelope of(String strategy, String message) {
    return new Envelope(strategy, message);
  }

  /** The rows, each a JSON text. */
  public Envelope rows(List<String> rows) {
    Buffer joined = Buffer.buffer(rows.size() * 256);
    for (int i = 0; i < rows.size(); i++) {
      if (i > 0) {
        joined.appendByte((byte) ',');
      }
      joined.appendString(rows.get(i));
    }
    return rows(joined, rows.size());
  }

  /** The rows as the JSON array's contents: {@code count} JSON texts separated by commas. */
  public Envelope rows(Buffer data, int count) {
    this.data = data;
    this.count = count;
    return this;
  }

  public Envelope total(Total total) {
    this.total = total;
    return this;
  }

  public Envelope hasMore(boolean hasMore) {
    this.hasMore = hasMore;
    return this;
  }

  public Envelope page(int page, int perPage) {
    this.page = page;
    this.perPage = perPage;
    return this;
  }

  public Envelope cursors(String next, String prev) {
    this.nextCursor = next;
    this.prevCursor = prev;
    return this;
  }

  public Envelope window(JsonObject window, JsonObject nextWindow) {
    this.window = window;
    this.nextWindow = nextWindow;
    return this;
  }

  public Envelope range(JsonObject range) {
    this.range = range;
    return this;
  }

  public Buffer toBuffer() {
    Buffer buffer = Buffer.buffer(data.length() + 512);
    buffer
        .appendString("{\"success\":true,\"message\":")
        .appendString(Json.encode(message))
        .appendString(",\"strategy\":\"")
        .appendString(strategy)
        .appendString("\",\"data\":[")
        .appendBuffer(data)
        .appendString("],\"count\":")
        .appendString(Integer.toString(count));
    field(buffer, "total_count", total.value());
    text(buffer, "total_count_type", total.type());
    field(buffer, "has_more", hasMore);
    field(buffer, "page", page);
    field(buffer, "per_page", perPage);
    text(buffer, "next_cursor", nextCursor);
    text(buffer, "prev_cursor", prevCursor);
    field(buffer, "window", window == null ? null : window.encode());
    field(buffer, "next_window", nextWindow == null ? null : nextWindow.encode());
    field(buffer, "range", range == null ? null : range.encode());
    return buffer.appendByte((byte) '}');
  }

  /**
   * {@code ,"name":value}, the value's own text (a number, a boolean, a JSON object) or {@code
   * null}.
   */
  private static void field(Buffer buffer, String name, Object value) {
    buffer
        .appendString(",\"")
        .appendString(name)
        .appendString("\":")
        .appendString(String.valueOf(value));
  }

  /** {@code ,"name":"value"} or {@code ,"name":null}. */
  private static void text(Buffer buffer, String name, String value) {
    field(buffer, name, value == null ? null : Json.encode(value));
  }
}
