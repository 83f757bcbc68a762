package dev.sluice.strategy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The reply envelope of docs/API.md section 2, written once into bytes. Rows arrive as JSON text from PostgreSQL
 * and are copied in as they are. Every field is always present; the ones that do not apply to the strategy are
 * {@code null}.
 */
public final class Envelope {

  private final String strategy;
  private final String message;
  private List<String> rows = List.of();
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

  public Envelope rows(List<String> rows) {
    this.rows = rows;
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
    int size = 512;
    for (String row : rows) {
      size += row.length() + 1;
    }
    Buffer buffer = Buffer.buffer(size);
    buffer.appendString("{\"success\":true,\"message\":")
      .appendString(io.vertx.core.json.Json.encode(message))
      .appendString(",\"strategy\":\"").appendString(strategy)
      .appendString("\",\"data\":[");
    for (int i = 0; i < rows.size(); i++) {
      if (i > 0) {
        buffer.appendByte((byte) ',');
      }
      buffer.appendString(rows.get(i));
    }
    JsonObject meta = new JsonObject()
      .put("count", rows.size())
      .put("total_count", total.value())
      .put("total_count_type", total.type())
      .put("has_more", hasMore)
      .put("page", page)
      .put("per_page", perPage)
      .put("next_cursor", nextCursor)
      .put("prev_cursor", prevCursor)
      .put("window", window)
      .put("next_window", nextWindow)
      .put("range", range);
    // the meta object's fields continue the envelope: drop its opening brace
    return buffer.appendString("],").appendString(meta.encode().substring(1));
  }
}
