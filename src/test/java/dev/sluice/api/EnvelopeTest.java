package dev.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "The reply envelope: every field always there, rows copied in as they are, texts escaped")
public class EnvelopeTest {

  /** The envelope's fields, in the order docs/API.md section 2 gives them. */
  public static final List<String> FIELDS =
      List.of(
          "success",
          "message",
          "strategy",
          "data",
          "count",
          "total_count",
          "total_count_type",
          "has_more",
          "page",
          "per_page",
          "next_cursor",
          "prev_cursor",
          "window",
          "next_window",
          "range");

  static JsonObject parsed(Envelope envelope) {
    return new JsonObject(envelope.toBuffer());
  }

  @Test
  @DisplayName("every field is present, in order; those the strategy does not set are null")
  void everyField() {
    JsonObject json =
        parsed(
            Envelope.of("cursor", "Videos retrieved successfully")
                .rows(List.of("{\"id\":1}", "{\"id\":2}")));
    assertEquals(FIELDS, List.copyOf(json.fieldNames()));
    assertEquals(true, json.getBoolean("success"));
    assertEquals("Videos retrieved successfully", json.getString("message"));
    assertEquals("cursor", json.getString("strategy"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("id", 1)).add(new JsonObject().put("id", 2)),
        json.getJsonArray("data"));
    assertEquals(2, json.getInteger("count"));
    for (String unset : FIELDS.subList(5, FIELDS.size())) {
      assertTrue(
          json.containsKey(unset) && json.getValue(unset) == null,
          unset + " is null: " + json.encode());
    }
  }

  @Test
  @DisplayName("no rows is an empty data array and a count of 0")
  void noRows() {
    JsonObject json =
        parsed(
            Envelope.of("pagination", "Templates retrieved successfully")
                .rows(List.of())
                .hasMore(false));
    assertEquals(new JsonArray(), json.getJsonArray("data"));
    assertEquals(0, json.getInteger("count"));
    assertEquals(false, json.getBoolean("has_more"));
  }

  @Test
  @DisplayName("each row's JSON text is copied in byte for byte, with nothing re-encoded")
  void rowsAsTheyAre() {
    String row = "{\"title\":\"caf\u00e9 \\u2028 \\\"quoted\\\"\",  \"views\":  12}";
    Buffer bytes =
        Envelope.of("single", "Video retrieved successfully")
            .rows(Buffer.buffer(row), 1)
            .toBuffer();
    assertTrue(bytes.toString().contains("\"data\":[" + row + "]"), bytes::toString);
    assertEquals(new JsonObject(row), new JsonObject(bytes).getJsonArray("data").getJsonObject(0));
  }

  @Test
  @DisplayName(
      "a message or a cursor holding quotes, backslashes and control characters stays valid JSON")
  void textsEscaped() {
    String awkward = "say \"hi\" \\ then\nleave\u0001 \u2028 \uD83C\uDFAC";
    JsonObject json =
        parsed(Envelope.of("cursor", awkward).rows(List.of()).cursors(awkward, "prev\"ious"));
    assertEquals(awkward, json.getString("message"));
    assertEquals(awkward, json.getString("next_cursor"));
    assertEquals("prev\"ious", json.getString("prev_cursor"));
  }

  @Test
  @DisplayName(
      "a page carries its number, size, whether more follow, and its total with the kind of figure it is")
  void page() {
    JsonObject json =
        parsed(
            Envelope.of("pagination", "m")
                .rows(List.of("{}"))
                .page(2, 25)
                .hasMore(true)
                .total(Total.exact(60)));
    assertEquals(2, json.getInteger("page"));
    assertEquals(25, json.getInteger("per_page"));
    assertEquals(true, json.getBoolean("has_more"));
    assertEquals(60, json.getLong("total_count"));
    assertEquals("exact", json.getString("total_count_type"));
    JsonObject estimated = parsed(Envelope.of("cursor", "m").total(Total.estimated(1_000_000)));
    assertEquals(1_000_000, estimated.getLong("total_count"));
    assertEquals("estimated", estimated.getString("total_count_type"));
  }

  @Test
  @DisplayName("a window and the one after it, and a virtual-scroll range, are objects")
  void windowAndRange() {
    JsonObject window =
        new JsonObject()
            .put("start", "2026-01-01T00:00:00Z")
            .put("end", "2026-01-02T00:00:00Z")
            .put("bucket", "1h");
    JsonObject next =
        new JsonObject().put("start", "2026-01-02T00:00:00Z").put("end", "2026-01-03T00:00:00Z");
    JsonObject json = parsed(Envelope.of("window", "m").window(window, next));
    assertEquals(window, json.getJsonObject("window"));
    assertEquals(next, json.getJsonObject("next_window"));
    assertNull(json.getValue("range"));
    JsonObject range =
        new JsonObject()
            .put("start_index", 40)
            .put("end_index", 60)
            .put("total", 500)
            .put("total_count_type", "exact");
    assertEquals(
        range, parsed(Envelope.of("virtual_scroll", "m").range(range)).getJsonObject("range"));
  }

  @Test
  @DisplayName(
      "a total is corrected by what a read saw: an estimate below it is a lower bound, a read to the end is "
          + "exact, no total stays none")
  void totalsReconciled() {
    assertEquals(Total.lowerBound(21), Total.estimated(10).reconcile(20, true));
    assertEquals(Total.exact(20), Total.estimated(1_000).reconcile(20, false));
    assertEquals(
        Total.estimated(1_000),
        Total.estimated(1_000).reconcile(20, true),
        "an estimate above stays");
    assertEquals(Total.NONE, Total.NONE.reconcile(20, false));
  }
}
